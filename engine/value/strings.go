package value

// Strings returns the names a keyword that takes one or many holds, as
// playbooks write them (notify: x, or notify: [x, y]): a string alone, or
// the strings of a list (other items are skipped); nil for anything else.
func Strings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
