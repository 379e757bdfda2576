package runner

import (
	"gorun/engine/template"
	"gorun/engine/value"
)

// customStats are set_stats data: per host, and "_run" for the whole run,
// as Ansible's AggregateStats.custom.
type customStats map[string]*value.Dict

// apply adds a set_stats result (its "ansible_stats") for host, as
// Ansible's strategy does: per_host data goes to the host, the rest to
// "_run"; aggregate merges with what is there, otherwise it replaces.
func (c customStats) apply(host string, stats any) {
	s := value.ToDict(stats)
	if s == nil {
		return
	}
	data := value.ToDict(field(s, "data"))
	if data == nil || data.Len() == 0 {
		return
	}
	if perHost, _ := field(s, "per_host").(bool); !perHost {
		host = "_run"
	}
	aggregate, _ := field(s, "aggregate").(bool)
	for _, k := range data.Keys() {
		v, _ := data.Get(k)
		if aggregate {
			c.update(host, k, v)
		} else {
			c.set(host, k, v)
		}
	}
}

func (c customStats) set(host, key string, v any) {
	if c[host] == nil {
		c[host] = value.NewDict()
	}
	c[host].Set(key, v)
}

// update is update_custom_stats: a value of another type than the one
// kept is dropped; mappings merge recursively; others add up with
// Python's + (numbers sum, strings and lists concatenate).
func (c customStats) update(host, key string, v any) {
	var old any
	ok := false
	if c[host] != nil {
		old, ok = c[host].Get(key)
	}
	if !ok {
		c.set(host, key, v)
		return
	}
	switch o := old.(type) {
	case *value.Dict:
		if d := value.ToDict(v); d != nil {
			c.set(host, key, template.MergeHash(o, d))
		}
	case []any:
		if l, ok := v.([]any); ok {
			c.set(host, key, append(append([]any{}, o...), l...))
		}
	case string:
		if s, ok := v.(string); ok {
			c.set(host, key, o+s)
		}
	case int:
		switch n := v.(type) {
		case int:
			c.set(host, key, o+n)
		case bool: // isinstance(True, int) in Python
			c.set(host, key, o+boolInt(n))
		}
	case float64:
		if f, ok := v.(float64); ok {
			c.set(host, key, o+f)
		}
	case bool:
		if b, ok := v.(bool); ok {
			c.set(host, key, boolInt(o)+boolInt(b))
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// forCallbacks is the map the recap shows.
func (c customStats) forCallbacks() map[string]any {
	if len(c) == 0 {
		return nil
	}
	m := make(map[string]any, len(c))
	for h, d := range c {
		m[h] = d
	}
	return m
}

// field is d[k], nil when absent.
func field(d *value.Dict, k string) any {
	if d == nil {
		return nil
	}
	v, _ := d.Get(k)
	return v
}
