package template

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// ToText is Python's str() of a value: ['a', 'b'], {'a': 1} (insertion order),
// True/False/None, floats as Python prints them.
func ToText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nativeText:
		return string(x)
	case value.Unsafe:
		return string(x)
	case nil:
		return "None"
	case *undefined:
		return ""
	case pyDatetime:
		return x.String()
	case pyTimedelta:
		return x.String()
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a value.
func pyRepr(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	pytext.WriteRepr(b, v, writeTemplateRepr)
}

// writeTemplateRepr writes the repr of the values pytext does not know:
// the template engine's own types, and anything else (always true).
func writeTemplateRepr(b *strings.Builder, v any) bool {
	switch x := v.(type) {
	case tuple:
		b.WriteByte('(')
		for i, it := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, it)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case Mapping:
		b.WriteByte('{')
		for i, k := range mapKeys(x) {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, k)
			b.WriteString(": ")
			val, _ := mapGet(x, k)
			writeRepr(b, val)
		}
		b.WriteByte('}')
	case *undefined:
		b.WriteString("Undefined")
	case *namespace:
		b.WriteString("<Namespace>")
	case *loopInfo:
		b.WriteString("<LoopContext>")
	case *macro:
		b.WriteString("<Macro '" + x.name + "'>")
	case pyDatetime:
		t := x.t
		fmt.Fprintf(b, "datetime.datetime(%d, %d, %d, %d, %d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
		if t.Second() != 0 || t.Nanosecond() != 0 {
			fmt.Fprintf(b, ", %d", t.Second())
		}
		if us := t.Nanosecond() / 1000; us != 0 {
			fmt.Fprintf(b, ", %d", us)
		}
		b.WriteByte(')')
	case pyTimedelta:
		days, secs, micros := x.parts()
		var parts []string
		if days != 0 {
			parts = append(parts, fmt.Sprintf("days=%d", days))
		}
		if secs != 0 {
			parts = append(parts, fmt.Sprintf("seconds=%d", secs))
		}
		if micros != 0 {
			parts = append(parts, fmt.Sprintf("microseconds=%d", micros))
		}
		if len(parts) == 0 {
			parts = []string{"0"}
		}
		b.WriteString("datetime.timedelta(" + strings.Join(parts, ", ") + ")")
	case *rolled:
		if x.repr != "" {
			b.WriteString(x.repr)
			break
		}
		// dict views print as dict_items([('a', 1)])
		b.WriteString(x.typ + "(")
		writeRepr(b, x.items)
		b.WriteString(")")
	case nativeText:
		b.WriteString(pytext.ReprString(string(x)))
	case *boundMethod:
		// Python prints the receiver's address; ours is the method value's.
		fmt.Fprintf(b, "<built-in method %s of %s at %p>", x.name, x.owner(), x)
	case fnValue:
		b.WriteString("<function>")
	default:
		b.WriteString(strings.TrimSpace(strings.ReplaceAll(strconv.Quote(sprint(x)), "\"", "")))
	}
	return true
}

// typeName is Python's type(v).__name__ for the value.
func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int, int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case value.Unsafe:
		return "AnsibleUnsafeText"
	case nativeText:
		return "NativeJinjaText"
	case *rolled:
		return x.typ
	case *boundMethod:
		return "builtin_function_or_method"
	case tuple:
		return "tuple"
	case []any, []string:
		return "list"
	case *value.Dict, map[string]any, Mapping:
		return "dict"
	case *undefined:
		return "AnsibleUndefined"
	case *macro:
		return "Macro"
	case pyDatetime:
		return "datetime"
	case pyTimedelta:
		return "timedelta"
	case value.Vaulted:
		return "AnsibleVaultEncryptedUnicode"
	}
	return "object"
}

// objName is how Jinja names an object in "'X object' has no attribute" messages.
func objName(v any) string {
	switch v.(type) {
	case *value.Dict, map[string]any, Mapping:
		return "dict object"
	case []any:
		return "list object"
	case string, value.Unsafe:
		return "str object"
	case tuple:
		return "tuple object"
	case int:
		return "int object"
	case float64:
		return "float object"
	case bool:
		return "bool object"
	case nil:
		return "None"
	}
	return typeName(v) + " object"
}
