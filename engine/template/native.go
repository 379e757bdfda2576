package template

// nativeText is Ansible's NativeJinjaText: the text a string-type filter
// (stringFilters: string, to_json, to_yaml, ...) returns. Python tells it
// from str in two places: type_debug names it, and the final concat of a
// template never reads it back as a list, dict or bool. Only evalRaw hands
// it out; every other consumer sees a plain string (as str methods and
// operators in Python return str).
type nativeText string

// rolled is a Python iterable that is not a list, such as range(0, 3) or
// the views dict.items(), keys() and values():
// Ansible unrolls it into a list wherever a template's result or a filter's
// result is taken (_unroll_iterator), so only what sees it before that can
// tell: str() prints "range(0, 3)", type_debug says "range". Like
// nativeText, only evalRaw hands it out; eval gives the list.
type rolled struct {
	items []any
	repr  string // "" for typ(items) as dict views print
	typ   string
}

// rawInput are filters that receive a rolled iterable or nativeText as it
// is instead of the plain list or string.
// (The JSON filters see a range to fail on it as json.dumps does.)
var rawInput = map[string]bool{"default": true, "d": true, "mandatory": true, "type_debug": true, "string": true,
	"to_json": true, "to_nice_json": true, "tojson": true}

// plainValue is what consumers other than evalRaw's see of a value.
func plainValue(v any) any {
	switch x := v.(type) {
	case nativeText:
		return string(x)
	case *rolled:
		return x.items
	}
	return v
}
