// Package pytext writes values in Python's text forms, as Ansible shows
// them: repr() and str() of its data (None, True, 'text', [1, 2],
// {'a': 1.5}), Python's float repr, and json.dumps with its separators,
// indent, sort_keys and ensure_ascii settings.
//
// The values are those of gorun/engine/value (nil, bool, integers, floats,
// strings, value.Unsafe, value.Vaulted, []any, *value.Dict, Go maps) and
// Go values of the same kinds; callers with types of their own (the
// template engine's tuples, undefined values, dates) pass a hook.
package pytext

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"gorun/engine/value"
)

// Str is Python's str(v): a string as it is, anything else as Repr.
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case value.Unsafe:
		return string(x)
	}
	return Repr(v)
}

// Repr is Python's repr(v). Values outside the data model are written
// with fmt.Sprint.
func Repr(v any) string {
	var b strings.Builder
	WriteRepr(&b, v, nil)
	return b.String()
}

// WriteRepr writes Python's repr(v) to b. other, when not nil, writes the
// values of types the data model lacks, at any depth, and reports whether
// it knew the value; values nobody knows are written with fmt.Sprint.
func WriteRepr(b *strings.Builder, v any, other func(b *strings.Builder, v any) bool) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		b.WriteString(FloatRepr(x))
	case string:
		b.WriteString(ReprString(x))
	case value.Unsafe:
		b.WriteString(ReprString(string(x)))
	case value.Vaulted:
		b.WriteString(ReprString(x.Ciphertext))
	case []any:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			WriteRepr(b, it, other)
		}
		b.WriteByte(']')
	case []string:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ReprString(it))
		}
		b.WriteByte(']')
	case *value.Dict, map[string]any:
		b.WriteByte('{')
		for i, k := range value.Keys(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ReprString(k))
			b.WriteString(": ")
			it, _ := value.Lookup(x, k)
			WriteRepr(b, it, other)
		}
		b.WriteByte('}')
	default:
		if other != nil && other(b, v) {
			return
		}
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b.WriteString(strconv.FormatInt(rv.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b.WriteString(strconv.FormatUint(rv.Uint(), 10))
		case reflect.Float32:
			b.WriteString(FloatRepr(rv.Float()))
		default:
			fmt.Fprint(b, v)
		}
	}
}

// ReprString is Python's repr() of a str: single quotes unless the text
// holds a single quote and no double quote, backslash escapes for the
// quote, the backslash and the characters Python does not print.
func ReprString(s string) string {
	q := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		switch {
		case r == q || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteRune(q)
	return b.String()
}

// FloatRepr is Python's repr(float): the shortest digits that read back,
// fixed notation with at least one decimal ("1.0") for exponents -4..15,
// scientific otherwise ("1e-05", "1e+16"), and nan, inf and -inf.
func FloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(sci[strings.IndexByte(sci, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return sci
	}
	fixed := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(fixed, ".") {
		fixed += ".0"
	}
	return fixed
}
