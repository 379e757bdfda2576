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

// FromStrings returns ss as a list of the data model ([]any), the form
// results and variables hold lists in.
func FromStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
