package inventory

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"gorun/engine/value"
)

// pyJSON writes v as Python's json.dumps(v, sort_keys=True, indent=4,
// ensure_ascii=False) with Ansible's encoder does, which is what
// ansible-inventory prints: unsafe strings become {"__ansible_unsafe": ...}
// and vaulted values {"__ansible_vault": ciphertext}.
func pyJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writePyJSON(&b, v, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writePyJSON(b *bytes.Buffer, v any, level int) error {
	nl := func(l int) {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat("    ", l))
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int:
		b.WriteString(strconv.Itoa(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		switch {
		case math.IsNaN(t):
			b.WriteString("NaN")
		case math.IsInf(t, 1):
			b.WriteString("Infinity")
		case math.IsInf(t, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(pyFloatRepr(t))
		}
	case string:
		writePyJSONString(b, t)
	case value.Unsafe:
		return writePyJSON(b, value.DictOf("__ansible_unsafe", string(t)), level)
	case value.Vaulted:
		return writePyJSON(b, value.DictOf("__ansible_vault", t.Ciphertext), level)
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(level + 1)
			if err := writePyJSON(b, x, level+1); err != nil {
				return err
			}
		}
		nl(level)
		b.WriteByte(']')
	case []string:
		list := make([]any, len(t))
		for i, s := range t {
			list[i] = s
		}
		return writePyJSON(b, list, level)
	default:
		if !value.IsMapping(v) {
			return fmt.Errorf("Object of type %T is not JSON serializable", v)
		}
		keys := append([]string(nil), value.Keys(v)...)
		if len(keys) == 0 {
			b.WriteString("{}")
			return nil
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			nl(level + 1)
			writePyJSONString(b, k)
			b.WriteString(": ")
			x, _ := value.Lookup(v, k)
			if err := writePyJSON(b, x, level+1); err != nil {
				return err
			}
		}
		nl(level)
		b.WriteByte('}')
	}
	return nil
}

func writePyJSONString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// pyFloatRepr is Python's repr(float): the shortest round-tripping digits,
// fixed notation for exponents -4..15 (always with a fraction), else
// scientific with a signed two-digit exponent.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// pyStrValue is Python's str(v) for the values of Ansible's data: strings
// as they are, containers as repr.
func pyStrValue(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case value.Unsafe:
		return string(t)
	}
	return pyRepr(v)
}

// pyRepr is Python's repr(v).
func pyRepr(v any) string {
	switch t := v.(type) {
	case nil:
		return "None"
	case bool:
		if t {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(t)
	case float64:
		return pyFloatRepr(t)
	case string:
		return pyReprString(t)
	case value.Unsafe:
		return pyReprString(string(t))
	case value.Vaulted:
		return pyReprString(t.Ciphertext)
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = pyRepr(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if value.IsMapping(v) {
		var parts []string
		for _, k := range value.Keys(v) {
			x, _ := value.Lookup(v, k)
			parts = append(parts, pyReprString(k)+": "+pyRepr(x))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyReprString is repr(str): single quotes unless the text has a single
// quote and no double quote; backslash escapes for the unprintable.
func pyReprString(s string) string {
	q := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		switch {
		case r == q || r == '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case !unicode.IsPrint(r) && r != ' ':
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else if r < 0x10000 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteRune(q)
	return b.String()
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
// separators, keys in their order, non-ASCII as \u escapes.
func pyJSONInline(v any) string {
	var b strings.Builder
	var write func(v any)
	write = func(v any) {
		switch t := v.(type) {
		case []any:
			b.WriteString("[")
			for i, x := range t {
				if i > 0 {
					b.WriteString(", ")
				}
				write(x)
			}
			b.WriteString("]")
			return
		case string:
			writeASCIIJSONString(&b, t)
			return
		case value.Unsafe:
			writeASCIIJSONString(&b, string(t))
			return
		}
		if value.IsMapping(v) {
			b.WriteString("{")
			for i, k := range value.Keys(v) {
				if i > 0 {
					b.WriteString(", ")
				}
				writeASCIIJSONString(&b, k)
				b.WriteString(": ")
				x, _ := value.Lookup(v, k)
				write(x)
			}
			b.WriteString("}")
			return
		}
		var buf bytes.Buffer
		if err := writePyJSON(&buf, v, 0); err != nil {
			b.WriteString(pyRepr(v))
			return
		}
		b.Write(buf.Bytes())
	}
	write(v)
	return b.String()
}

func writeASCIIJSONString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	writePyJSONString(&buf, s)
	for _, r := range buf.String() {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r < 0x10000:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		}
	}
}
