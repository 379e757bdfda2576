package value

import "strings"

// Boolean is Ansible's boolean() (module_utils/parsing/convert_bool): true
// for True, 1, 1.0 and the strings y, yes, on, 1, true, t (any case, spaces
// around), false for False, 0, 0.0 and n, no, off, 0, false, f. ok is false
// for anything else, which boolean(strict=True) rejects and
// boolean(strict=False) takes as false.
func Boolean(v any) (b, ok bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case int:
		return x == 1, x == 0 || x == 1
	case float64:
		return x == 1, x == 0 || x == 1
	case string:
		return booleanWord(x)
	case Unsafe:
		return booleanWord(string(x))
	}
	return false, false
}

func booleanWord(s string) (b, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes", "on", "1", "true", "t":
		return true, true
	case "n", "no", "off", "0", "false", "f":
		return false, true
	}
	return false, false
}

// Bool is Ansible's boolean(v, strict=False): Boolean's value, false for
// what is no boolean.
func Bool(v any) bool {
	b, _ := Boolean(v)
	return b
}
