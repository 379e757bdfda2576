package template

import (
	"errors"
	"fmt"
	"strings"

	"gorun/engine/value"
)

// filterFunc implements a filter: v is the piped value, a and kw the arguments.
type filterFunc func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error)

// testFunc implements a test (`x is name(args)`).
type testFunc func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error)

// errTestNone is what a test returns (with false) where Ansible's returns
// Python None instead of a bool (vault_encrypted on a value with no vault):
// `x is t` is then None, which prints as nothing, and `x is not t` is True.
var errTestNone = errors.New("test returned None")

var (
	filters = map[string]filterFunc{}
	tests   = map[string]testFunc{}
	// undefinedOK lists filters that receive undefined values instead of failing on them.
	undefinedOK = map[string]bool{"default": true, "d": true, "mandatory": true, "type_debug": true}
)

// collections whose plugins are reachable by fully qualified name.
var fqcnPrefixes = []string{"ansible.builtin.", "ansible.utils.", "community.general.", "ansible.netcommon.", "ansible.posix."}

// ansibleFilters and ansibleTests are ansible-core's own plugins: only these
// answer to ansible.builtin.NAME (Jinja's builtins do not).
var ansibleFilters = setOf(`b64decode b64encode to_uuid to_json to_nice_json from_json to_yaml to_nice_yaml
	from_yaml from_yaml_all basename dirname expanduser expandvars path_join realpath relpath splitext
	win_basename win_dirname win_splitdrive fileglob bool to_datetime strftime quote md5 sha1 checksum
	password_hash hash regex_replace regex_escape regex_search regex_findall ternary random shuffle
	mandatory comment type_debug combine extract flatten dict2items items2dict subelements split
	log pow root unique intersect difference symmetric_difference union product permutations
	combinations human_readable human_to_bytes rekey_on_member zip zip_longest urldecode urlsplit
	vault unvault`)

var ansibleTests = setOf(`failed failure success succeeded successful changed change skipped skip
	finished started match search regex version version_compare any all truthy falsy vault_encrypted
	unreachable reachable directory is_dir file is_file link is_link exists link_exists abs is_abs
	same_file is_same_file mount is_mount issubset subset issuperset superset isnan nan contains uri url urn`)

func setOf(names string) map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(names) {
		m[n] = true
	}
	return m
}

// filterName resolves a filter name, FQCN or short, to the registry key ("" if unknown).
func filterName(name string) string { return pluginName(name, filters, ansibleFilters) }

func testName(name string) string { return pluginName(name, tests, ansibleTests) }

// fqcnOnly are collection filters that Ansible 2.14 does not route from a short name.
var fqcnOnly = setOf("dict_kv")

func pluginName[F any](name string, reg map[string]F, builtin map[string]bool) string {
	short := shortName(name)
	if short == name && fqcnOnly[short] {
		return ""
	}
	if strings.HasPrefix(name, "ansible.builtin.") && !builtin[short] {
		return ""
	}
	if _, ok := reg[short]; !ok {
		return ""
	}
	return short
}

func shortName(name string) string {
	for _, p := range fqcnPrefixes {
		if strings.HasPrefix(name, p) {
			return name[len(p):]
		}
	}
	return name
}

func (ev *evaluator) applyFilter(fl *filterExpr, v any, f *frame) (any, error) {
	name := filterName(fl.name)
	fn, ok := filters[name]
	if !ok {
		return nil, fmt.Errorf("no filter named '%s'", fl.name)
	}
	a, kw, err := ev.evalArgs(fl.args, f)
	if err != nil {
		return nil, err
	}
	if !undefinedOK[name] {
		if u, ok := v.(*undefined); ok {
			return nil, u.err()
		}
		for _, x := range a {
			if u, ok := x.(*undefined); ok {
				return nil, u.err()
			}
		}
	}
	v = resolveLazy(v)
	res, err := fn(ev, v, a, kw)
	switch r := res.(type) {
	case string:
		if stringFilters[name] {
			return nativeText(r), err
		}
	case *rolled:
		// Ansible unrolls iterators that filters return (_unroll_iterator).
		return r.items, err
	}
	return res, err
}

func (ev *evaluator) applyTest(t *testExpr, f *frame) (any, error) {
	name := testName(t.name)
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
		if u, ok := v.(*undefined); ok {
			return nil, u.err()
		}
	}
	res, err := fn(ev, resolveLazy(v), a, kw)
	if errors.Is(err, errTestNone) {
		if t.negate {
			return true, nil
		}
		return nil, nil
	}
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
