package pytext

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// NoIndent is json.dumps's indent=None: everything on one line.
const NoIndent = -1

// JSON are the settings of one json.dumps call.
type JSON struct {
	// Indent is json.dumps's indent: NoIndent (or any negative) writes one
	// line with the separators ", " and ": "; 0 or more puts every item on
	// a line of its own, Indent spaces a level, with "," and ": ".
	Indent int
	// SortKeys sorts the keys of every mapping. Go maps are always sorted,
	// since they have no order to keep.
	SortKeys bool
	// ASCII is ensure_ascii: everything outside printable ASCII is written
	// as a \uXXXX escape.
	ASCII bool
	// TagUnsafe writes unsafe strings as {"__ansible_unsafe": text}, as
	// AnsibleJSONEncoder does with preprocess_unsafe (ansible-inventory).
	TagUnsafe bool
	// VaultText writes vaulted values as their text, as AnsibleJSONEncoder
	// does with vault_to_text; otherwise they are {"__ansible_vault": text}.
	VaultText bool
	// Default is the encoder's default(): it gets the values of types the
	// encoder does not know (before Go's kinds are tried) and returns what
	// to write instead (true), nothing (false), or an error to fail with.
	Default func(v any) (any, bool, error)
}

// Dumps returns v as json.dumps(v) with these settings writes it, or the
// error of a value it cannot write (Python's TypeError).
func (o JSON) Dumps(v any) (string, error) {
	e := encoder{JSON: o}
	if err := e.value(v, 0); err != nil {
		return "", err
	}
	return e.b.String(), nil
}

// encoder writes one json.dumps document.
type encoder struct {
	JSON
	b strings.Builder
}

// newline starts a new line indented for depth, when indenting.
func (e *encoder) newline(depth int) {
	if e.Indent < 0 {
		return
	}
	e.b.WriteByte('\n')
	e.b.WriteString(strings.Repeat(" ", e.Indent*depth))
}

func (e *encoder) value(v any, depth int) error {
	switch x := v.(type) {
	case nil:
		e.b.WriteString("null")
	case bool:
		e.b.WriteString(strconv.FormatBool(x))
	case string:
		e.str(x)
	case value.Unsafe:
		if e.TagUnsafe {
			return e.value(value.DictOf("__ansible_unsafe", string(x)), depth)
		}
		e.str(string(x))
	case value.Vaulted:
		if e.VaultText {
			e.str(x.Ciphertext)
			return nil
		}
		return e.value(value.DictOf("__ansible_vault", x.Ciphertext), depth)
	case int:
		e.b.WriteString(strconv.Itoa(x))
	case int64:
		e.b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		e.b.WriteString(x.String())
	case json.Number:
		e.b.WriteString(x.String())
	case float64:
		e.b.WriteString(JSONFloat(x))
	case *value.Dict:
		if x == nil {
			e.b.WriteString("null")
			return nil
		}
		keys := x.Keys()
		if e.SortKeys {
			keys = append([]string(nil), keys...)
			sort.Strings(keys)
		}
		return e.mapping(keys, func(k string) any { v, _ := x.Get(k); return v }, depth)
	case map[string]any:
		return e.mapping(value.Keys(x), func(k string) any { return x[k] }, depth)
	case []any:
		return e.list(len(x), func(i int) any { return x[i] }, depth)
	case []string:
		return e.list(len(x), func(i int) any { return x[i] }, depth)
	default:
		if e.Default != nil {
			r, ok, err := e.Default(v)
			if err != nil {
				return err
			}
			if ok {
				return e.value(r, depth)
			}
		}
		return e.kind(reflect.ValueOf(v), depth)
	}
	return nil
}

// kind writes the Go values the switch above does not name by their kind:
// other integer, float and string types, typed slices, maps with string
// keys, pointers.
func (e *encoder) kind(rv reflect.Value, depth int) error {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.b.WriteString(strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.b.WriteString(strconv.FormatUint(rv.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		e.b.WriteString(JSONFloat(rv.Float()))
	case reflect.String:
		e.str(rv.String())
	case reflect.Bool:
		e.b.WriteString(strconv.FormatBool(rv.Bool()))
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			e.b.WriteString("null")
			return nil
		}
		return e.list(rv.Len(), func(i int) any { return rv.Index(i).Interface() }, depth)
	case reflect.Map:
		if rv.IsNil() {
			e.b.WriteString("null")
			return nil
		}
		keys := make([]string, 0, rv.Len())
		byName := make(map[string]reflect.Value, rv.Len())
		for _, k := range rv.MapKeys() {
			name := fmt.Sprint(k.Interface())
			keys = append(keys, name)
			byName[name] = k
		}
		sort.Strings(keys)
		return e.mapping(keys, func(k string) any { return rv.MapIndex(byName[k]).Interface() }, depth)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			e.b.WriteString("null")
			return nil
		}
		return e.value(rv.Elem().Interface(), depth)
	default:
		return fmt.Errorf("Object of type %s is not JSON serializable", rv.Type())
	}
	return nil
}

func (e *encoder) list(n int, item func(int) any, depth int) error {
	if n == 0 {
		e.b.WriteString("[]")
		return nil
	}
	e.b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			e.itemSep()
		}
		e.newline(depth + 1)
		if err := e.value(item(i), depth+1); err != nil {
			return err
		}
	}
	e.newline(depth)
	e.b.WriteByte(']')
	return nil
}

func (e *encoder) mapping(keys []string, get func(string) any, depth int) error {
	if len(keys) == 0 {
		e.b.WriteString("{}")
		return nil
	}
	e.b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			e.itemSep()
		}
		e.newline(depth + 1)
		e.str(k)
		e.b.WriteString(": ")
		if err := e.value(get(k), depth+1); err != nil {
			return err
		}
	}
	e.newline(depth)
	e.b.WriteByte('}')
	return nil
}

// itemSep writes the separator between list items and between entries.
func (e *encoder) itemSep() {
	if e.Indent < 0 {
		e.b.WriteString(", ")
		return
	}
	e.b.WriteByte(',')
}

func (e *encoder) str(s string) {
	if e.ASCII {
		WriteJSONStringASCII(&e.b, s)
		return
	}
	WriteJSONString(&e.b, s)
}

// JSONFloat is a float as json.dumps writes it: Python's repr, and NaN,
// Infinity and -Infinity.
func JSONFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return FloatRepr(f)
}

// WriteJSONString writes s quoted as json.dumps(ensure_ascii=False) does:
// only the quote, the backslash and control characters are escaped.
func WriteJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if esc := jsonEscape(c); esc != "" {
			b.WriteString(esc)
		} else if c < 0x20 {
			fmt.Fprintf(b, `\u%04x`, c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// WriteJSONStringASCII writes s quoted as json.dumps(ensure_ascii=True)
// does: characters outside printable ASCII as \uXXXX, those beyond the
// Basic Multilingual Plane as a surrogate pair.
func WriteJSONStringASCII(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r < 0x80 && jsonEscape(byte(r)) != "":
			b.WriteString(jsonEscape(byte(r)))
		case r >= 0x20 && r <= 0x7e:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
}

// jsonEscape is json.dumps's short escape of c, or "".
func jsonEscape(c byte) string {
	switch c {
	case '"':
		return `\"`
	case '\\':
		return `\\`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	}
	return ""
}
