package inventory

import (
	"fmt"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// pyJSON writes v as Python's json.dumps(v, sort_keys=True, indent=4,
// ensure_ascii=False) with Ansible's encoder does, which is what
// ansible-inventory prints: unsafe strings become {"__ansible_unsafe": ...}
// and vaulted values {"__ansible_vault": ciphertext}.
func pyJSON(v any) ([]byte, error) {
	s, err := pytext.JSON{Indent: 4, SortKeys: true, TagUnsafe: true}.Dumps(v)
	return []byte(s), err
}

// pyInt is Python's int(v) for ansible_group_priority.
func pyInt(v any) (int, error) {
	switch t := v.(type) {
	case int:
		return t, nil
	case bool:
		if t {
			return 1, nil
		}
		return 0, nil
	case float64:
		return int(t), nil
	case string:
		return pyIntString(t)
	case value.Unsafe:
		return pyIntString(string(t))
	}
	return 0, fmt.Errorf("int() argument must be a string, a bytes-like object or a real number, not '%T'", v)
}

// pyBytesRepr is repr(bytes) of a UTF-8 string, as Ansible shows file names
// it holds as bytes (b'/path').
func pyBytesRepr(s string) string {
	var b strings.Builder
	b.WriteString("b'")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// pyJSONInline is Python's json.dumps(v) with default settings, as Ansible
// quotes values in some error messages: one line, ", " and ": "
// separators, keys in their order, non-ASCII as \u escapes; Python's repr
// for what JSON cannot hold.
func pyJSONInline(v any) string {
	s, err := pytext.JSON{Indent: pytext.NoIndent, ASCII: true}.Dumps(v)
	if err != nil {
		return pytext.Repr(v)
	}
	return s
}
