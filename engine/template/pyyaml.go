package template

import (
	"fmt"
	"sort"
	"strconv"

	"gorun/engine/pyyaml"
	"gorun/engine/value"
)

// toYAML is yaml.dump with Ansible's dumper, as to_yaml and to_nice_yaml
// call it: sorted keys unless sort_keys is false, the given indent and
// width, and, when flow is true (to_yaml's default_flow_style=None),
// flow style for the collections that hold only scalars.
func toYAML(v any, indent int, flow bool, kw *value.Dict) (string, error) {
	width := 0
	if w, ok := kw.Get("width"); ok {
		width, _ = toInt(w)
	}
	r := yamlRepresenter{flow: flow, sortKeys: true}
	if s, ok := kw.Get("sort_keys"); ok {
		r.sortKeys = argBool(s, true)
	}
	if u := findUndefined(v); u != nil {
		return "", u.err()
	}
	n, err := r.represent(v)
	if err != nil {
		return "", err
	}
	return pyyaml.Dump(n, pyyaml.Options{Indent: indent, Width: width}), nil
}

// yamlRepresenter is AnsibleDumper's representer for template values.
type yamlRepresenter struct {
	flow     bool
	sortKeys bool
}

func (r yamlRepresenter) represent(v any) (*pyyaml.Node, error) {
	v = resolveLazy(v)
	if isMapping(v) {
		keys := append([]string(nil), mapKeys(v)...)
		if r.sortKeys {
			sort.Strings(keys)
		}
		n := &pyyaml.Node{Kind: pyyaml.Mapping, Flow: r.flow}
		for _, k := range keys {
			x, _ := mapGet(v, k)
			c, err := r.represent(x)
			if err != nil {
				return nil, err
			}
			n.Flow = n.Flow && c.Kind == pyyaml.Scalar
			n.Pairs = append(n.Pairs, pyyaml.Pair{Key: pyyaml.String(k), Value: c})
		}
		return n, nil
	}
	if l, ok := asList(v); ok {
		n := &pyyaml.Node{Kind: pyyaml.Sequence, Flow: r.flow}
		for _, x := range l {
			c, err := r.represent(x)
			if err != nil {
				return nil, err
			}
			n.Flow = n.Flow && c.Kind == pyyaml.Scalar
			n.Items = append(n.Items, c)
		}
		return n, nil
	}
	switch x := plain(v).(type) {
	case nil:
		return pyyaml.Typed("null", "null"), nil
	case bool:
		return pyyaml.Typed(strconv.FormatBool(x), "bool"), nil
	case int:
		return pyyaml.Typed(strconv.Itoa(x), "int"), nil
	case float64:
		return pyyaml.Typed(pyyaml.Float(x), "float"), nil
	case string:
		return pyyaml.String(x), nil
	}
	return nil, fmt.Errorf("cannot represent an object: %s", pyRepr(v))
}
