package output

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorun/engine/value"
)

// NoIndent asks Dumps for Python's indent=None: everything on one line.
const NoIndent = -1

// Dumps returns v as Python's json.dumps(v, indent=indent, sort_keys=sortKeys,
// ensure_ascii=False) writes it, with Ansible's AnsibleJSONEncoder for vaulted
// values. Callbacks print results this way, so the bytes must match.
//
// indent < 0 (NoIndent) is Python's indent=None: separators ", " and ": ".
// indent >= 0 puts every item on its own line, indent spaces per level, with
// separators "," and ": " (indent=0 still breaks lines, as Python does).
//
// Mappings are *value.Dict (insertion order unless sortKeys) and Go maps
// (always sorted, since Go maps have no order to keep).
func Dumps(v any, indent int, sortKeys bool) string {
	e := pyEncoder{indent: indent, sortKeys: sortKeys}
	e.value(v, 0)
	return e.b.String()
}

// DumpsASCII is Dumps with Python's default ensure_ascii=True: every
// character outside printable ASCII is written as a \uXXXX escape.
func DumpsASCII(v any, indent int, sortKeys bool) string {
	e := pyEncoder{indent: indent, sortKeys: sortKeys, ascii: true}
	e.value(v, 0)
	return e.b.String()
}

// pyEncoder writes one json.dumps document.
type pyEncoder struct {
	b        strings.Builder
	indent   int
	sortKeys bool
	ascii    bool
}

// newline starts a new line indented for depth, when indenting.
func (e *pyEncoder) newline(depth int) {
	if e.indent < 0 {
		return
	}
	e.b.WriteByte('\n')
	e.b.WriteString(strings.Repeat(" ", e.indent*depth))
}

// itemSep is the separator between list items and between dict entries.
func (e *pyEncoder) itemSep() string {
	if e.indent < 0 {
		return ", "
	}
	return ","
}

func (e *pyEncoder) value(v any, depth int) {
	switch x := v.(type) {
	case nil:
		e.b.WriteString("null")
	case bool:
		if x {
			e.b.WriteString("true")
		} else {
			e.b.WriteString("false")
		}
	case string:
		e.str(x)
	case value.Unsafe:
		e.str(string(x))
	case value.Vaulted:
		e.mapping([]string{"__ansible_vault"}, func(string) any { return x.Ciphertext }, depth)
	case *value.Vaulted:
		e.value(*x, depth)
	case int:
		e.b.WriteString(strconv.Itoa(x))
	case int64:
		e.b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		e.b.WriteString(PyFloat(x))
	case float32:
		e.b.WriteString(PyFloat(float64(x)))
	case json.Number:
		e.b.WriteString(x.String())
	case time.Time:
		// AnsibleJSONEncoder writes dates with isoformat().
		e.str(x.Format("2006-01-02T15:04:05.999999"))
	case *value.Dict:
		if x == nil {
			e.b.WriteString("null")
			return
		}
		keys := x.Keys()
		if e.sortKeys {
			keys = sortedCopy(keys)
		}
		e.mapping(keys, func(k string) any { v, _ := x.Get(k); return v }, depth)
	case map[string]any:
		e.mapping(value.Keys(x), func(k string) any { return x[k] }, depth)
	case []any:
		e.list(len(x), func(i int) any { return x[i] }, depth)
	case []string:
		e.list(len(x), func(i int) any { return x[i] }, depth)
	case []map[string]any:
		e.list(len(x), func(i int) any { return x[i] }, depth)
	case error:
		e.str(x.Error())
	case fmt.Stringer:
		e.str(x.String())
	default:
		e.reflectValue(reflect.ValueOf(v), depth)
	}
}

// reflectValue covers the Go types the switch above does not name: other
// integer and float kinds, typed slices and maps with string keys.
func (e *pyEncoder) reflectValue(rv reflect.Value, depth int) {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.b.WriteString(strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.b.WriteString(strconv.FormatUint(rv.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		e.b.WriteString(PyFloat(rv.Float()))
	case reflect.String:
		e.str(rv.String())
	case reflect.Bool:
		e.value(rv.Bool(), depth)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			e.b.WriteString("null")
			return
		}
		e.list(rv.Len(), func(i int) any { return rv.Index(i).Interface() }, depth)
	case reflect.Map:
		if rv.IsNil() {
			e.b.WriteString("null")
			return
		}
		keys := make([]string, 0, rv.Len())
		byName := make(map[string]reflect.Value, rv.Len())
		for _, k := range rv.MapKeys() {
			name := fmt.Sprint(k.Interface())
			keys = append(keys, name)
			byName[name] = k
		}
		sort.Strings(keys)
		e.mapping(keys, func(k string) any { return rv.MapIndex(byName[k]).Interface() }, depth)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			e.b.WriteString("null")
			return
		}
		e.value(rv.Elem().Interface(), depth)
	default:
		// Anything else (structs, channels) is not JSON data; Python would
		// raise TypeError. Write its Go JSON form rather than fail the run.
		b, err := json.Marshal(rv.Interface())
		if err != nil {
			e.str(fmt.Sprint(rv.Interface()))
			return
		}
		e.value(mustFromJSON(b), depth)
	}
}

// mustFromJSON decodes JSON that encoding/json just produced.
func mustFromJSON(b []byte) any {
	v, err := value.FromJSON(b)
	if err != nil {
		return string(b)
	}
	return v
}

func (e *pyEncoder) list(n int, item func(int) any, depth int) {
	if n == 0 {
		e.b.WriteString("[]")
		return
	}
	e.b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			e.b.WriteString(e.itemSep())
		}
		e.newline(depth + 1)
		e.value(item(i), depth+1)
	}
	e.newline(depth)
	e.b.WriteByte(']')
}

func (e *pyEncoder) mapping(keys []string, get func(string) any, depth int) {
	if len(keys) == 0 {
		e.b.WriteString("{}")
		return
	}
	e.b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			e.b.WriteString(e.itemSep())
		}
		e.newline(depth + 1)
		e.str(k)
		e.b.WriteString(": ")
		e.value(get(k), depth+1)
	}
	e.newline(depth)
	e.b.WriteByte('}')
}

// sortedCopy returns keys sorted without touching the caller's slice.
// Byte order of UTF-8 equals Python's code point order.
func sortedCopy(keys []string) []string {
	s := append([]string(nil), keys...)
	sort.Strings(s)
	return s
}

// str writes a JSON string with the encoder's escaping.
func (e *pyEncoder) str(s string) {
	if e.ascii {
		writePyASCIIString(&e.b, s)
		return
	}
	writePyString(&e.b, s)
}

// writePyASCIIString writes s quoted as json.dumps(ensure_ascii=True) does.
func writePyASCIIString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= 0x20 && r <= 0x7e:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800|(r>>10)&0x3ff, 0xdc00|r&0x3ff)
		default:
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
}

// writePyString writes s quoted as json.dumps(ensure_ascii=False) does:
// only the quote, the backslash and control characters are escaped.
func writePyString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
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
			if c < 0x20 {
				fmt.Fprintf(b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

// PyFloat formats f as Python's repr(float) and json.dumps do: the shortest
// digits that round-trip, fixed notation for exponents -4..15 with at least
// one decimal ("1.0"), scientific otherwise ("1e-05", "1e+16"), and
// Infinity, -Infinity and NaN as json.dumps writes them.
func PyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
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
