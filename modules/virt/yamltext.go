package virt

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"gorun/engine/value"
)

// yamlText renders a playbook value as a YAML document, keeping the order of
// mappings as written (cloud-init reads the result).
func yamlText(v any) (string, error) {
	n, err := yamlNode(v)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", err
	}
	enc.Close()
	return b.String(), nil
}

func yamlNode(v any) (*yaml.Node, error) {
	switch t := v.(type) {
	case map[string]any, *value.Dict:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range value.Keys(t) {
			val, _ := value.Lookup(t, k)
			c, err := yamlNode(val)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, c)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range t {
			c, err := yamlNode(e)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		return n, nil
	case value.Unsafe:
		return yamlNode(string(t))
	case string, bool, int, float64, nil:
		n := &yaml.Node{}
		if err := n.Encode(t); err != nil {
			return nil, err
		}
		if s, ok := t.(string); ok && strings.Contains(s, "\n") {
			n.Style = yaml.LiteralStyle // scripts and files in user-data read best as blocks
		}
		return n, nil
	}
	return nil, fmt.Errorf("cannot write a %T as YAML", v)
}

// toMap reads a mapping option value.
func toMap(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case *value.Dict:
		return t.Map(), true
	}
	return nil, false
}

// orderedMeta is the meta-data mapping: the given keys in their order, then
// the keys gorun added (in added).
func orderedMeta(given any, all map[string]any, added []string) *value.Dict {
	d := value.NewDict()
	if given != nil {
		for _, k := range value.Keys(given) {
			d.Set(k, all[k])
		}
	}
	for _, k := range added {
		d.Set(k, all[k])
	}
	return d
}
