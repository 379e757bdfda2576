package value

// MapLeaves returns a copy of v in which every mapping and list is copied
// (keeping its Go type: *Dict, map[string]any, []any) and every other
// value is replaced by f's answer for it.
func MapLeaves(v any, f func(any) any) any {
	switch x := v.(type) {
	case *Dict:
		d := NewDict(x.Len())
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			d.Set(k, MapLeaves(e, f))
		}
		return d
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = MapLeaves(e, f)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = MapLeaves(e, f)
		}
		return l
	}
	return f(v)
}
