package inventory

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"gorun/engine/pytext"
	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// loadData reads a YAML or JSON file as Ansible's DataLoader does: JSON
// first, then YAML. fromJSON tells which one succeeded (Python type names in
// error messages differ).
func (inv *Inventory) loadData(path string) (data any, fromJSON bool, err error) {
	raw, err := inv.readSource(path)
	if err != nil {
		return nil, false, err
	}
	if v, err := value.FromJSON(raw); err == nil {
		return ansibleJSON(v), true, nil
	}
	v, warnings, err := yamlx.Load(raw, path)
	for _, w := range warnings {
		inv.warn(w.Msg)
	}
	return v, false, err
}

// ansibleJSON applies AnsibleJSONDecoder's object hook: an object with an
// "__ansible_vault" key is a vaulted value, one with "__ansible_unsafe" an
// unsafe string (the forms ansible-inventory and callbacks write).
func ansibleJSON(v any) any {
	switch t := v.(type) {
	case []any:
		for i := range t {
			t[i] = ansibleJSON(t[i])
		}
	case *value.Dict:
		for _, k := range t.Keys() {
			x, _ := t.Get(k)
			t.Set(k, ansibleJSON(x))
		}
		for _, k := range t.Keys() {
			x, _ := t.Get(k)
			if s, ok := x.(string); ok && k == "__ansible_vault" {
				return value.Vaulted{Ciphertext: s}
			}
			if s, ok := x.(string); ok && k == "__ansible_unsafe" {
				return value.Unsafe(s)
			}
		}
	}
	return v
}

// pyTypeName is how Python prints type(v) for values from Ansible's loaders.
func pyTypeName(v any, fromJSON bool) string {
	switch v.(type) {
	case nil:
		return "<class 'NoneType'>"
	case bool:
		return "<class 'bool'>"
	case int:
		return "<class 'int'>"
	case float64:
		return "<class 'float'>"
	}
	if fromJSON {
		switch v.(type) {
		case string:
			return "<class 'str'>"
		case []any:
			return "<class 'list'>"
		case *value.Dict:
			return "<class 'dict'>"
		}
	}
	switch v.(type) {
	case string:
		return "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>"
	case []any:
		return "<class 'ansible.parsing.yaml.objects.AnsibleSequence'>"
	case *value.Dict:
		return "<class 'ansible.parsing.yaml.objects.AnsibleMapping'>"
	case value.Unsafe:
		return "<class 'ansible.utils.unsafe_proxy.AnsibleUnsafeText'>"
	case value.Vaulted:
		return "<class 'ansible.parsing.yaml.objects.AnsibleVaultEncryptedUnicode'>"
	}
	return fmt.Sprintf("<class '%T'>", v)
}

// pyTypeShort is the bare Python type name ("list" for "<class 'list'>").
func pyTypeShort(v any, fromJSON bool) string {
	name := strings.TrimSuffix(strings.TrimPrefix(pyTypeName(v, fromJSON), "<class '"), "'>")
	return name[strings.LastIndex(name, ".")+1:]
}

// parseYAML is the yaml inventory plugin: top-level keys are groups, each
// with optional "hosts", "children" and "vars".
func (inv *Inventory) parseYAML(path string) error {
	data, fromJSON, err := inv.loadData(path)
	if err != nil {
		return err
	}
	if !truthy(data) {
		return fmt.Errorf("Parsed empty YAML file")
	}
	root, ok := data.(*value.Dict)
	if !ok {
		return fmt.Errorf("YAML inventory has invalid structure, it should be a dictionary, got: %s", pyTypeName(data, fromJSON))
	}
	if p, ok := root.Get("plugin"); ok && truthy(p) {
		return fmt.Errorf("Plugin configuration YAML file, not YAML inventory")
	}
	y := yamlInv{inv: inv, fromJSON: fromJSON}
	if !fromJSON {
		if y.nonString, err = nonStringNames(inv, path); err != nil {
			return err
		}
	}
	for _, name := range root.Keys() {
		gd, _ := root.Get(name)
		if _, err := y.group(name, gd); err != nil {
			return err
		}
	}
	return nil
}

type yamlInv struct {
	inv       *Inventory
	fromJSON  bool
	nonString map[string]any // group and host keys that are not strings in the YAML, with their values
}

// nonStringNames finds the group names (top-level and "children" keys) and
// host patterns ("hosts" keys) that YAML loads as numbers, booleans or null,
// such as 1234 or yes. gorun's mappings have string keys, but Ansible rejects
// these, so they are remembered by the key text yamlx gives them.
func nonStringNames(inv *Inventory, path string) (map[string]any, error) {
	raw, err := inv.readSource(path)
	if err != nil {
		return nil, err
	}
	doc, err := yamlx.Parse(raw, path)
	if err != nil || doc.Root == nil {
		return nil, err
	}
	found := map[string]any{}
	check := func(k *yaml.Node) {
		if k.Kind == yaml.ScalarNode && k.Style == 0 && k.Tag != "!!str" {
			if x := yamlx.Resolve(k.Value); !isString(x) {
				found[yamlx.KeyString(x)] = x
			}
		}
	}
	pairs := func(n *yaml.Node, f func(k, v *yaml.Node)) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				f(n.Content[i], n.Content[i+1])
			}
		}
	}
	var groups func(n *yaml.Node)
	groups = func(n *yaml.Node) {
		pairs(n, func(name, body *yaml.Node) {
			check(name)
			pairs(body, func(k, v *yaml.Node) {
				switch k.Value {
				case "hosts":
					pairs(v, func(host, _ *yaml.Node) { check(host) })
				case "children":
					groups(v)
				}
			})
		})
	}
	groups(doc.Root)
	return found, nil
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func (y yamlInv) group(name string, data any) (string, error) {
	inv := y.inv
	gd, isMap := data.(*value.Dict)
	if !isMap && data != nil {
		inv.warn(fmt.Sprintf("Skipping '%s' as this is not a valid group definition", name))
		return name, nil
	}
	if x, ok := y.nonString[name]; ok && !truthy(x) {
		return "", fmt.Errorf("Unable to add group %s: Invalid empty/false group name provided: %s", pytext.Repr(x), pytext.Repr(x))
	} else if ok {
		return "", fmt.Errorf("Unable to add group %s: Invalid group name supplied, expected a string but got %s for %s", pytext.Repr(x), pyTypeName(x, true), pytext.Repr(x))
	}
	if name == "" {
		return "", fmt.Errorf("Unable to add group %s: Invalid empty/false group name provided: %s", name, name)
	}
	inv.addGroup(name)
	if gd == nil {
		return name, nil
	}
	for _, section := range []string{"vars", "children", "hosts"} {
		v, ok := gd.Get(section)
		if !ok {
			continue
		}
		if s, isStr := v.(string); isStr {
			gd.Set(section, value.DictOf(s, nil))
			continue
		}
		if _, isDict := v.(*value.Dict); !isDict && v != nil {
			return "", fmt.Errorf(`Invalid "%s" entry for "%s" group, requires a dictionary, found "%s" instead.`, section, name, pyTypeName(v, y.fromJSON))
		}
	}
	for _, key := range gd.Keys() {
		v, _ := gd.Get(key)
		sub, isDict := v.(*value.Dict)
		if !isDict {
			if v != nil {
				inv.warn(fmt.Sprintf("Skipping key (%s) in group (%s) as it is not a mapping, it is a %s", key, name, pyTypeName(v, y.fromJSON)))
			}
			continue
		}
		switch key {
		case "vars":
			for _, k := range sub.Keys() {
				x, _ := sub.Get(k)
				if err := inv.setVariableFrom(name, k, x, !y.fromJSON); err != nil {
					return "", err
				}
			}
		case "children":
			for _, child := range sub.Keys() {
				cd, _ := sub.Get(child)
				c, err := y.group(child, cd)
				if err != nil {
					return "", err
				}
				if err := inv.addChild(name, c); err != nil {
					return "", err
				}
			}
		case "hosts":
			for _, pattern := range sub.Keys() {
				hv, _ := sub.Get(pattern)
				if x, ok := y.nonString[pattern]; ok {
					return "", fmt.Errorf("Host pattern %s must be a string. Enclose integers/floats in quotation marks.", pytext.Repr(x))
				}
				names, port, err := expandHostPattern(pattern)
				if err != nil {
					return "", err
				}
				vars, ok := hv.(*value.Dict)
				if !ok && truthy(hv) {
					return "", fmt.Errorf("Invalid data from file, expected dictionary and got:\n\n%s", pytext.Repr(hv))
				}
				for _, h := range names {
					if _, err := inv.addHost(h, name, port); err != nil {
						return "", err
					}
					for _, k := range vars.Keys() {
						x, _ := vars.Get(k)
						if err := inv.setVariableFrom(h, k, x, !y.fromJSON); err != nil {
							return "", err
						}
					}
				}
			}
		default:
			inv.warn(fmt.Sprintf(`Skipping unexpected key (%s) in group (%s), only "vars", "children" and "hosts" are valid`, key, name))
		}
	}
	return name, nil
}
