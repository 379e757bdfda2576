package inventory

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"gorun/engine/pyyaml"
	"gorun/engine/value"
)

// pyYAML writes v as yaml.dump(v, Dumper=AnsibleDumper,
// default_flow_style=False, allow_unicode=True) does, which is what
// "ansible-inventory --yaml" prints: block style, sorted keys, PyYAML's choice
// of plain or quoted scalars, lines folded at 80 columns, &idNNN anchors for
// lists and mappings that appear more than once, and !vault literals.
func pyYAML(v any) string {
	r := &yamlRepresenter{seen: map[any]*pyyaml.Node{}}
	return pyyaml.Dump(r.represent(v), pyyaml.Options{})
}

// yamlRepresenter is the representer of AnsibleDumper. It remembers the
// containers it has represented so that the same list or mapping object
// becomes the same node, which the dump then anchors.
type yamlRepresenter struct {
	seen map[any]*pyyaml.Node // containers already represented, by identity
}

// identity returns a key that is the same for the same list or mapping
// object, as Python's id() is; nil for values PyYAML never aliases.
func identity(v any) any {
	switch t := v.(type) {
	case *value.Dict:
		return t
	case map[string]any:
		return reflect.ValueOf(t).Pointer()
	case []any:
		if len(t) == 0 {
			return nil // identity unknown in Go; PyYAML would alias a shared []
		}
		return [2]uintptr{reflect.ValueOf(t).Pointer(), uintptr(len(t))}
	}
	return nil
}

func (r *yamlRepresenter) represent(v any) *pyyaml.Node {
	id := identity(v)
	if id != nil {
		if n, ok := r.seen[id]; ok {
			return n
		}
	}
	switch t := v.(type) {
	case nil:
		return pyyaml.Typed("null", "null")
	case bool:
		return pyyaml.Typed(strconv.FormatBool(t), "bool")
	case int:
		return pyyaml.Typed(strconv.Itoa(t), "int")
	case float64:
		return pyyaml.Typed(pyyaml.Float(t), "float")
	case string:
		return pyyaml.String(t)
	case value.Unsafe:
		return pyyaml.String(string(t))
	case value.Vaulted:
		return &pyyaml.Node{Kind: pyyaml.Scalar, Tag: "!vault", Value: t.Ciphertext, Style: '|'}
	case []any:
		n := &pyyaml.Node{Kind: pyyaml.Sequence}
		if id != nil {
			r.seen[id] = n
		}
		for _, x := range t {
			n.Items = append(n.Items, r.represent(x))
		}
		return n
	}
	if !value.IsMapping(v) {
		return pyyaml.String(fmt.Sprint(v))
	}
	n := &pyyaml.Node{Kind: pyyaml.Mapping}
	if id != nil {
		r.seen[id] = n
	}
	keys := append([]string(nil), value.Keys(v)...)
	sort.Strings(keys)
	for _, k := range keys {
		x, _ := value.Lookup(v, k)
		n.Pairs = append(n.Pairs, pyyaml.Pair{Key: pyyaml.String(k), Value: r.represent(x)})
	}
	return n
}
