package inventory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// ListTOML returns what "ansible-inventory --list --toml" prints. Ansible
// formats it with the Python "toml" 0.10 library, whose quirks (None values
// dropped, "[ 1, 2,]" arrays, nested tables after their parents) are kept.
// An empty result means ansible-inventory prints nothing and exits 1.
func ListTOML(inv *Inventory) (string, error) { return listTOML(inv, false) }

// ListExportTOML is "ansible-inventory --list --toml --export".
func ListExportTOML(inv *Inventory) (string, error) { return listTOML(inv, true) }

func listTOML(inv *Inventory, export bool) (string, error) {
	all := inv.groups["all"]
	hasUngrouped := false
	for _, c := range all.children {
		if c.Name == "ungrouped" {
			hasUngrouped = len(c.hosts) > 0
			break
		}
	}
	seen := map[string]bool{}
	var format func(g *Group) (*value.Dict, error)
	format = func(g *Group) (*value.Dict, error) {
		results := value.NewDict()
		entry := value.NewDict()
		results.Set(g.Name, entry)
		children := []any{}
		for _, c := range g.children {
			if c.Name == "ungrouped" && !hasUngrouped {
				continue
			}
			if g.Name != "all" {
				children = append(children, c.Name)
			}
			sub, err := format(c)
			if err != nil {
				return nil, err
			}
			merge(results, sub)
		}
		entry.Set("children", children)
		if g.Name != "all" {
			for _, h := range g.hosts {
				hv := value.NewDict()
				if !seen[h.Name] {
					seen[h.Name] = true
					var err error
					if hv, err = inv.hostVarsForOutput(h, export); err != nil {
						return nil, err
					}
				}
				hosts, ok := entry.Get("hosts")
				if !ok {
					hosts = value.NewDict()
					entry.Set("hosts", hosts)
				}
				hosts.(*value.Dict).Set(h.Name, hv)
			}
		}
		if export {
			gv, err := inv.groupVarsForOutput(g)
			if err != nil {
				return nil, err
			}
			entry.Set("vars", gv)
		}
		removeEmpty(entry)
		if entry.Len() == 0 {
			results.Delete(g.Name)
		}
		return results, nil
	}
	top, err := format(all)
	if err != nil {
		return "", err
	}
	return tomlDumps(top)
}

var tomlBareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// tomlDumps is toml.dumps (toml 0.10.2): plain keys first, then each table
// as a [section], level by level.
func tomlDumps(o *value.Dict) (string, error) {
	retval, sections, err := tomlSections(o)
	if err != nil {
		return "", err
	}
	for len(sections) > 0 {
		var next []tomlSection
		for _, s := range sections {
			add, subs, err := tomlSections(s.d)
			if err != nil {
				return "", err
			}
			if add != "" || len(subs) == 0 {
				if retval != "" && !strings.HasSuffix(retval, "\n\n") {
					retval += "\n"
				}
				retval += "[" + s.name + "]\n" + add
			}
			for _, sub := range subs {
				next = append(next, tomlSection{s.name + "." + sub.name, sub.d})
			}
		}
		sections = next
	}
	return retval, nil
}

type tomlSection struct {
	name string
	d    *value.Dict
}

// tomlSections is TomlEncoder.dump_sections without arrays of tables (which
// inventories do not produce at this level; lists of mappings are dumped as
// the library dumps them inside values).
func tomlSections(o *value.Dict) (string, []tomlSection, error) {
	var out strings.Builder
	var subs []tomlSection
	for _, key := range o.Keys() {
		v, _ := o.Get(key)
		qkey := key
		if !tomlBareKey.MatchString(key) {
			qkey = tomlString(key)
		}
		if d := value.ToDict(v); d != nil {
			subs = append(subs, tomlSection{qkey, d})
			continue
		}
		if list, ok := v.([]any); ok {
			for _, x := range list {
				if value.IsMapping(x) {
					return "", nil, fmt.Errorf("the variable %s holds a list of mappings, which gorun cannot write as TOML yet", key)
				}
			}
		}
		if v == nil {
			continue // toml drops None
		}
		s, err := tomlDumpValue(v)
		if err != nil {
			return "", nil, err
		}
		out.WriteString(qkey + " = " + s + "\n")
	}
	return out.String(), subs, nil
}

// tomlDumpValue is TomlEncoder.dump_value.
func tomlDumpValue(v any) (string, error) {
	switch t := v.(type) {
	case nil:
		return tomlString("None"), nil
	case bool:
		return strconv.FormatBool(t), nil
	case int:
		return strconv.Itoa(t), nil
	case float64:
		s := pytext.FloatRepr(t)
		return strings.NewReplacer("e+0", "e+", "e-0", "e-").Replace(s), nil
	case string:
		return tomlString(t), nil
	case value.Unsafe:
		return tomlString(string(t)), nil
	case value.Vaulted:
		return "", fmt.Errorf("The source inventory contains a vaulted value, which gorun cannot represent in TOML")
	case []any:
		var b strings.Builder
		b.WriteString("[")
		for _, x := range t {
			s, err := tomlDumpValue(x)
			if err != nil {
				return "", err
			}
			b.WriteString(" " + s + ",")
		}
		b.WriteString("]")
		return b.String(), nil
	}
	if value.IsMapping(v) {
		// toml 0.10 iterates a mapping met inside a value: its keys.
		keys := []any{}
		for _, k := range value.Keys(v) {
			keys = append(keys, k)
		}
		return tomlDumpValue(keys)
	}
	return tomlString(fmt.Sprint(v)), nil
}

// tomlString is toml 0.10's _dump_str: Python's repr turned into a double
// quoted string, including the library's mangling of \x escapes.
func tomlString(s string) string {
	r := pytext.ReprString(s)
	single := strings.HasPrefix(r, "'")
	r = r[1 : len(r)-1]
	if single {
		r = strings.ReplaceAll(r, `\'`, "'")
		r = strings.ReplaceAll(r, `"`, `\"`)
	}
	parts := strings.Split(r, `\x`)
	for len(parts) > 1 {
		if parts[0] == "" {
			parts = parts[1:]
			if len(parts) == 1 {
				break
			}
		}
		parts[0] = strings.ReplaceAll(parts[0], `\\`, `\`)
		head := parts[0]
		joinx := head == "" || head[len(head)-1] != '\\'
		for i := len(head) - 1; i > 0 && head[i] == '\\'; i-- {
			joinx = !joinx
		}
		joiner := "x"
		if !joinx {
			joiner = "u00"
		}
		parts = append([]string{head + joiner + parts[1]}, parts[2:]...)
	}
	return `"` + parts[0] + `"`
}
