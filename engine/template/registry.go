package template

import (
	"fmt"
	"strings"

	"gorun/engine/value"
)

// filterFunc implements a filter: v is the piped value, a and kw the arguments.
type filterFunc func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error)

// testFunc implements a test (`x is name(args)`).
type testFunc func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error)

var (
	filters = map[string]filterFunc{}
	tests   = map[string]testFunc{}
	// undefinedOK lists filters that receive undefined values instead of failing on them.
	undefinedOK = map[string]bool{"default": true, "d": true, "mandatory": true}
)

// collections whose plugins are reachable by fully qualified name.
var fqcnPrefixes = []string{"ansible.builtin.", "ansible.utils.", "community.general.", "ansible.netcommon.", "ansible.posix."}

func shortName(name string) string {
	for _, p := range fqcnPrefixes {
		if strings.HasPrefix(name, p) {
			return name[len(p):]
		}
	}
	return name
}

func (ev *evaluator) applyFilter(fl *filterExpr, v any, f *frame) (any, error) {
	name := shortName(fl.name)
	fn, ok := filters[name]
	if !ok {
		return nil, fmt.Errorf("no filter named '%s'", fl.name)
	}
	a, kw, err := ev.evalArgs(fl.args, f)
	if err != nil {
		return nil, err
	}
	if !undefinedOK[name] {
		if u, ok := v.(*Undefined); ok {
			return nil, u.err()
		}
		for _, x := range a {
			if u, ok := x.(*Undefined); ok {
				return nil, u.err()
			}
		}
	}
	v = resolveLazy(v)
	return fn(ev, v, a, kw)
}

func (ev *evaluator) applyTest(t *testExpr, f *frame) (any, error) {
	name := shortName(t.name)
	fn, ok := tests[name]
	if !ok {
		return nil, fmt.Errorf("no test named '%s'", t.name)
	}
	v, err := ev.eval(t.x, f)
	if err != nil {
		return nil, err
	}
	a, kw, err := ev.evalArgs(t.args, f)
	if err != nil {
		return nil, err
	}
	if name != "defined" && name != "undefined" {
		if u, ok := v.(*Undefined); ok {
			return nil, u.err()
		}
	}
	res, err := fn(ev, resolveLazy(v), a, kw)
	if err != nil {
		return nil, err
	}
	return res != t.negate, nil
}

// missing marks an argument that was not given.
type missingArg struct{}

var missing = missingArg{}

// bind maps positional and keyword arguments onto parameter names; absent ones are `missing`.
func bind(fname string, a []any, kw *value.Dict, names ...string) ([]any, error) {
	out := make([]any, len(names))
	for i := range out {
		out[i] = missing
	}
	if len(a) > len(names) {
		return nil, fmt.Errorf("%s() takes at most %d arguments (%d given)", fname, len(names)+1, len(a)+1)
	}
	copy(out, a)
	for _, k := range kw.Keys() {
		found := false
		for i, n := range names {
			if n == k {
				v, _ := kw.Get(k)
				out[i] = v
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%s() got an unexpected keyword argument '%s'", fname, k)
		}
	}
	return out, nil
}

func or(v, def any) any {
	if v == missing {
		return def
	}
	return v
}

func given(v any) bool { return v != missing }

func argStr(v any, def string) string {
	if v == missing || v == nil {
		return def
	}
	if s, ok := asString(v); ok {
		return s
	}
	return ToText(v)
}

func argBool(v any, def bool) bool {
	if v == missing {
		return def
	}
	b, _ := truthy(v)
	return b
}

func argInt(v any, def int) (int, error) {
	if v == missing || v == nil {
		return def, nil
	}
	if i, ok := toInt(v); ok {
		return i, nil
	}
	return 0, fmt.Errorf("'%s' object cannot be interpreted as an integer", typeName(v))
}

func register(names string, fn filterFunc) {
	for _, n := range strings.Fields(names) {
		filters[n] = fn
	}
}

func registerTest(names string, fn testFunc) {
	for _, n := range strings.Fields(names) {
		tests[n] = fn
	}
}
