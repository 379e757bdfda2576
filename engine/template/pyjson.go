package template

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// toJSON is Python's json.dumps as Ansible's to_json/to_nice_json call it.
// indent < 0 means single-line with ", " and ": " separators.
func toJSON(v any, indent int, sortKeys bool, ensureASCII bool) (string, error) {
	var b strings.Builder
	if err := writeJSON(&b, v, indent, 0, sortKeys, ensureASCII); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeJSON(b *strings.Builder, v any, indent, level int, sortKeys, ascii bool) error {
	nl := func(l int) {
		if indent >= 0 {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", indent*l))
		}
	}
	itemSep := ", "
	if indent >= 0 {
		itemSep = ","
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		switch {
		case math.IsNaN(x):
			b.WriteString("NaN")
		case math.IsInf(x, 1):
			b.WriteString("Infinity")
		case math.IsInf(x, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(formatFloat(x))
		}
	case string:
		writeJSONString(b, x, ascii)
	case value.Unsafe:
		writeJSONString(b, string(x), ascii)
	case nativeText:
		writeJSONString(b, string(x), ascii)
	case value.Vaulted:
		writeJSONString(b, x.Ciphertext, ascii)
	case []any, tuple:
		l, _ := asList(x)
		if len(l) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, it := range l {
			if i > 0 {
				b.WriteString(itemSep)
			}
			nl(level + 1)
			if err := writeJSON(b, it, indent, level+1, sortKeys, ascii); err != nil {
				return err
			}
		}
		nl(level)
		b.WriteByte(']')
	case *value.Dict, map[string]any, Mapping:
		keys := mapKeys(x)
		if sortKeys {
			keys = append([]string(nil), keys...)
			sort.Strings(keys)
		}
		if len(keys) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(itemSep)
			}
			nl(level + 1)
			writeJSONString(b, k, ascii)
			b.WriteString(": ")
			it, _ := mapGet(x, k)
			if err := writeJSON(b, resolveLazy(it), indent, level+1, sortKeys, ascii); err != nil {
				return err
			}
		}
		nl(level)
		b.WriteByte('}')
	case *undefined:
		return x.err()
	case pyDatetime:
		writeJSONString(b, strings.Replace(x.String(), " ", "T", 1), ascii)
	default:
		return fmt.Errorf("Object of type %s is not JSON serializable", typeName(v))
	}
	return nil
}

func writeJSONString(b *strings.Builder, s string, ascii bool) {
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
			switch {
			case r < 0x20 || (ascii && r > 0x7e):
				if r > 0xffff {
					r -= 0x10000
					fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
				} else {
					fmt.Fprintf(b, `\u%04x`, r)
				}
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
