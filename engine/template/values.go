package template

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// tuple is a Python tuple (from zip, dictsort, items(), literals): it prints with parentheses.
type tuple []any

// undefined is a name or attribute that does not exist. Using it for anything
// but `is defined`, `default` and friends is an UndefinedError.
type undefined struct {
	name string // variable name, for "'name' is undefined"
	obj  any    // object an attribute was missing from
	attr string
	hint string // full message when known
	hasO bool
	// origin is the undefined name found while templating the variable `name` lazily.
	origin string
	// class, when set, is obj's Python class as Jinja names it in messages
	// (ansible.parsing.yaml.objects.AnsibleUnicode for text read from YAML).
	class string
}

// UndefinedError is returned for undefined variables; the message is Ansible's:
// "'foo' is undefined", "'dict object' has no attribute 'bar'".
type UndefinedError struct {
	Name string // the undefined variable (or attribute)
	Msg  string
}

func (e *UndefinedError) Error() string { return e.Msg }

func (u *undefined) message() string {
	switch {
	case u.hint != "":
		return u.hint
	case u.hasO:
		if _, ok := u.obj.(*undefined); ok {
			return u.obj.(*undefined).message()
		}
		name := objName(u.obj)
		if u.class != "" {
			name = u.class + " object"
		}
		return fmt.Sprintf("'%s' has no attribute '%s'", name, u.attr)
	}
	return fmt.Sprintf("'%s' is undefined", u.name)
}

func (u *undefined) err() error {
	name := u.name
	switch {
	case u.origin != "":
		name = u.origin
	case u.hasO:
		name = u.attr
	}
	return &UndefinedError{Name: name, Msg: u.message()}
}

// namespace is the object namespace() returns: attributes may be assigned with {% set ns.x = ... %}.
type namespace struct{ d *value.Dict }

// fnValue is a callable global (range, lookup, dict, ...).
type fnValue func(ev *evaluator, a []any, kw *value.Dict) (any, error)

// boundMethod is a Python method looked up on a value, called later.
type boundMethod struct {
	recv any
	name string
	// class, when set, is the receiver's Python class name (AnsibleUnicode
	// for text read from YAML); otherwise its Go type tells.
	class string
}

// owner is how Python's repr of the method names its receiver.
func (m *boundMethod) owner() string {
	if m.class != "" {
		return m.class + " object"
	}
	return objName(m.recv)
}

func isMapping(v any) bool {
	switch v.(type) {
	case *value.Dict, map[string]any, Mapping:
		return true
	}
	return false
}

func mapKeys(v any) []string {
	switch m := v.(type) {
	case Mapping:
		return m.Keys()
	case *namespace:
		return m.d.Keys()
	}
	return value.Keys(v)
}

func mapGet(v any, k string) (any, bool) {
	switch m := v.(type) {
	case Mapping:
		return m.Get(k)
	case *namespace:
		return m.d.Get(k)
	}
	return value.Lookup(v, k)
}

func mapLen(v any) int { return len(mapKeys(v)) }

// toDict copies any mapping into a new ordered Dict.
func toDict(v any) *value.Dict {
	d := value.NewDict()
	for _, k := range mapKeys(v) {
		x, _ := mapGet(v, k)
		d.Set(k, x)
	}
	return d
}

// Truthy is Python's bool(v) of a templated value, as Ansible's strategies
// test a keyword they template themselves (run_once): any non-empty string,
// "false" and the omit placeholder included, is true.
func Truthy(v any) bool {
	ok, err := truthy(v)
	return ok && err == nil
}

// truthy is Python's bool(v).
func truthy(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case int:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		return x != "", nil
	case value.Unsafe:
		return x != "", nil
	case nativeText:
		return x != "", nil
	case *rolled:
		return len(x.items) > 0, nil
	case []any:
		return len(x) > 0, nil
	case tuple:
		return len(x) > 0, nil
	case *value.Dict, map[string]any, Mapping:
		return mapLen(x) > 0, nil
	case *undefined:
		return false, x.err()
	case pyTimedelta:
		return x.d != 0, nil
	}
	return true, nil
}

// plain unwraps Unsafe strings to string; other values unchanged.
func plain(v any) any {
	if u, ok := v.(value.Unsafe); ok {
		return string(u)
	}
	return v
}

func asString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case value.Unsafe:
		return string(x), true
	}
	return "", false
}

func asList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case tuple:
		return []any(x), true
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// iterate lists the items a for loop over v sees.
func iterate(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case tuple:
		return []any(x), nil
	case []string:
		l, _ := asList(x)
		return l, nil
	case *value.Dict, map[string]any, Mapping, *namespace:
		keys := mapKeys(x)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k
		}
		return out, nil
	case string, value.Unsafe:
		s, _ := asString(x)
		out := []any{}
		for _, r := range s {
			out = append(out, string(r))
		}
		return out, nil
	case *undefined:
		return nil, x.err()
	case nil:
		return nil, fmt.Errorf("'NoneType' object is not iterable")
	}
	return nil, fmt.Errorf("'%s' object is not iterable", typeName(v))
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, float64, bool:
		return true
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// equal is Python's ==.
func equal(a, b any) bool {
	a, b = plain(a), plain(b)
	if isNumber(a) && isNumber(b) {
		fa, _ := toFloat(a)
		fb, _ := toFloat(b)
		return fa == fb
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any, tuple:
		xl, _ := asList(x)
		yl, ok := asList(b)
		if !ok {
			return false
		}
		_, at := a.(tuple)
		_, bt := b.(tuple)
		if at != bt || len(xl) != len(yl) {
			return false
		}
		for i := range xl {
			if !equal(xl[i], yl[i]) {
				return false
			}
		}
		return true
	case *value.Dict, map[string]any, Mapping:
		if !isMapping(b) {
			return false
		}
		ka, kb := mapKeys(a), mapKeys(b)
		if len(ka) != len(kb) {
			return false
		}
		for _, k := range ka {
			va, _ := mapGet(a, k)
			vb, ok := mapGet(b, k)
			if !ok || !equal(va, vb) {
				return false
			}
		}
		return true
	case *undefined:
		_, ok := b.(*undefined)
		return ok
	case pyDatetime:
		y, ok := b.(pyDatetime)
		return ok && x.t.Equal(y.t)
	}
	return a == b
}

// compare is Python's ordering for <, >, sort: -1, 0, 1 or a TypeError.
func compare(a, b any) (int, error) {
	a, b = plain(a), plain(b)
	if isNumber(a) && isNumber(b) {
		fa, _ := toFloat(a)
		fb, _ := toFloat(b)
		switch {
		case fa < fb:
			return -1, nil
		case fa > fb:
			return 1, nil
		}
		return 0, nil
	}
	if da, ok := a.(pyDatetime); ok {
		if db, ok := b.(pyDatetime); ok {
			return da.t.Compare(db.t), nil
		}
	}
	if ta, ok := a.(pyTimedelta); ok {
		if tb, ok := b.(pyTimedelta); ok {
			return compareInts(int(ta.d), int(tb.d)), nil
		}
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok {
			return strings.Compare(pyCodepoints(sa), pyCodepoints(sb)), nil
		}
	}
	la, oka := asList(a)
	lb, okb := asList(b)
	if oka && okb {
		for i := 0; i < len(la) && i < len(lb); i++ {
			if equal(la[i], lb[i]) {
				continue
			}
			return compare(la[i], lb[i])
		}
		return compareInts(len(la), len(lb)), nil
	}
	if u, ok := a.(*undefined); ok {
		return 0, u.err()
	}
	if u, ok := b.(*undefined); ok {
		return 0, u.err()
	}
	return 0, fmt.Errorf("'<' not supported between instances of '%s' and '%s'", typeName(a), typeName(b))
}

// pyCodepoints returns s unchanged: Go compares UTF-8 bytes, which orders like code points.
func pyCodepoints(s string) string { return s }

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// contains is Python's `needle in haystack`.
func contains(haystack, needle any) (bool, error) {
	switch h := plain(haystack).(type) {
	case string:
		n, ok := asString(needle)
		if !ok {
			return false, fmt.Errorf("'in <string>' requires string as left operand, not %s", typeName(needle))
		}
		return strings.Contains(h, n), nil
	case []any, tuple, []string:
		l, _ := asList(h)
		for _, x := range l {
			if equal(x, needle) {
				return true, nil
			}
		}
		return false, nil
	case *value.Dict, map[string]any, Mapping, *namespace:
		// keys are strings in the data model: a non-string needle never matches
		k, ok := asString(needle)
		if !ok {
			return false, nil
		}
		_, found := mapGet(h, k)
		return found, nil
	case *undefined:
		return false, h.err()
	}
	return false, fmt.Errorf("argument of type '%s' is not iterable", typeName(haystack))
}

// toInt converts like Python's int() for the int filter.
func toInt(v any) (int, bool) {
	switch x := plain(v).(type) {
	case int:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return 0, false
		}
		return int(x), true
	case string:
		s := strings.TrimSpace(strings.ReplaceAll(x, "_", ""))
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return int(i), true
		}
	}
	return 0, false
}

// sortedKeys returns mapping keys sorted like Python sorts strings.
func sortedKeys(v any) []string {
	keys := append([]string(nil), mapKeys(v)...)
	sort.Strings(keys)
	return keys
}

// keyString turns a dict key into the string the data model stores.
func keyString(k any) string {
	if s, ok := asString(k); ok {
		return s
	}
	return ToText(k)
}

// deepCopy copies lists and dicts so mutating methods do not change shared data.
func deepCopyList(l []any) []any { return append([]any(nil), l...) }

func sprint(v any) string { return fmt.Sprint(v) }
