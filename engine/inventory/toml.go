package inventory

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// parseTOML is the toml inventory plugin: tables are groups with optional
// "hosts" (a table of host patterns to vars tables), "children" (a list of
// group names) and "vars".
func (inv *Inventory) parseTOML(path string) error {
	raw, err := inv.readSource(path)
	if err != nil {
		return err
	}
	data, err := decodeTOML(string(raw))
	if err != nil {
		return fmt.Errorf("TOML file (%s) is invalid: %v", path, err)
	}
	if data.Len() == 0 {
		return fmt.Errorf("Parsed empty TOML file")
	}
	if p, ok := data.Get("plugin"); ok && truthy(p) {
		return fmt.Errorf("Plugin configuration TOML file, not TOML inventory")
	}
	for _, name := range data.Keys() {
		gd, _ := data.Get(name)
		if err := inv.tomlGroup(name, gd); err != nil {
			return err
		}
	}
	return nil
}

func (inv *Inventory) tomlGroup(name string, data any) error {
	gd, ok := data.(*value.Dict)
	if data != nil && !ok {
		inv.warn(fmt.Sprintf("Skipping '%s' as this is not a valid group definition", name))
		return nil
	}
	inv.addGroup(name)
	for _, key := range gd.Keys() {
		v, _ := gd.Get(key)
		switch key {
		case "vars":
			vars, ok := v.(*value.Dict)
			if !ok {
				return fmt.Errorf(`Invalid "vars" entry for "%s" group, requires a dict, found "%s" instead.`, name, pyTypeName(v, true))
			}
			for _, k := range vars.Keys() {
				x, _ := vars.Get(k)
				if err := inv.setVariable(name, k, x); err != nil {
					return err
				}
			}
		case "children":
			list, ok := v.([]any)
			if !ok {
				return fmt.Errorf(`Invalid "children" entry for "%s" group, requires a list, found "%s" instead.`, name, pyTypeName(v, true))
			}
			for _, c := range list {
				child, ok := c.(string)
				if !ok {
					return fmt.Errorf("Invalid group name supplied, expected a string but got %s for %s", pyTypeName(c, true), pytext.Repr(c))
				}
				if err := inv.tomlGroup(child, value.NewDict()); err != nil {
					return err
				}
				if err := inv.addChild(name, child); err != nil {
					return err
				}
			}
		case "hosts":
			hosts, ok := v.(*value.Dict)
			if !ok {
				return fmt.Errorf(`Invalid "hosts" entry for "%s" group, requires a dict, found "%s" instead.`, name, pyTypeName(v, true))
			}
			for _, pattern := range hosts.Keys() {
				hv, _ := hosts.Get(pattern)
				vars, ok := hv.(*value.Dict)
				if !ok {
					return fmt.Errorf("Invalid data from file, expected dictionary and got:\n\n%s", pytext.Repr(hv))
				}
				names, port, err := expandHostPattern(pattern)
				if err != nil {
					return err
				}
				for _, h := range names {
					if _, err := inv.addHost(h, name, port); err != nil {
						return err
					}
					for _, k := range vars.Keys() {
						x, _ := vars.Get(k)
						if err := inv.setVariable(h, k, x); err != nil {
							return err
						}
					}
				}
			}
		default:
			inv.warn(fmt.Sprintf(`Skipping unexpected key "%s" in group "%s", only "vars", "children" and "hosts" are valid`, key, name))
		}
	}
	return nil
}

// decodeTOML decodes TOML into the shared data model, keeping tables in
// document order as Python's TOML libraries do.
func decodeTOML(text string) (*value.Dict, error) {
	var m map[string]any
	md, err := toml.Decode(text, &m)
	if err != nil {
		return nil, err
	}
	order := map[string]int{}
	for i, k := range md.Keys() {
		path := strings.Join(k, "\x00")
		if _, ok := order[path]; !ok {
			order[path] = i
		}
	}
	return tomlValue(m, nil, order).(*value.Dict), nil
}

func tomlValue(v any, path []string, order map[string]int) any {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		pos := func(k string) int {
			if i, ok := order[strings.Join(append(append([]string(nil), path...), k), "\x00")]; ok {
				return i
			}
			return len(order)
		}
		sort.SliceStable(keys, func(i, j int) bool {
			pi, pj := pos(keys[i]), pos(keys[j])
			if pi != pj {
				return pi < pj
			}
			return keys[i] < keys[j]
		})
		d := value.NewDict(len(keys))
		for _, k := range keys {
			d.Set(k, tomlValue(t[k], append(append([]string(nil), path...), k), order))
		}
		return d
	case []map[string]any:
		list := make([]any, len(t))
		for i, x := range t {
			list[i] = tomlValue(x, path, order)
		}
		return list
	case []any:
		list := make([]any, len(t))
		for i, x := range t {
			list[i] = tomlValue(x, path, order)
		}
		return list
	case int64:
		return int(t)
	case time.Time:
		return tomlTime(t)
	}
	return v
}

// tomlTime renders TOML dates and times as Python's isoformat() does, which
// is how Ansible shows the datetime objects its TOML loader returns.
func tomlTime(t time.Time) string {
	frac := ""
	if t.Nanosecond() != 0 {
		frac = fmt.Sprintf(".%06d", t.Nanosecond()/1000)
	}
	// The TOML library marks local dates and times with these zone names.
	switch t.Location().String() {
	case "date-local":
		return t.Format("2006-01-02")
	case "time-local":
		return t.Format("15:04:05") + frac
	case "datetime-local":
		return t.Format("2006-01-02T15:04:05") + frac
	}
	return t.Format("2006-01-02T15:04:05") + frac + t.Format("-07:00")
}
