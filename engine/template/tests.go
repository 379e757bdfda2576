package template

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gorun/engine/pyre"
	"gorun/engine/value"
)

// Jinja2's and Ansible's tests.

func init() {
	registerTest("defined", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, u := v.(*undefined)
		return !u, nil
	})
	registerTest("undefined", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, u := v.(*undefined)
		return u, nil
	})
	registerTest("none", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return v == nil, nil })
	registerTest("boolean", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, ok := v.(bool)
		return ok, nil
	})
	registerTest("true", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return v == true, nil })
	registerTest("false", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return v == false, nil })
	registerTest("integer", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, ok := v.(int)
		return ok, nil
	})
	registerTest("float", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, ok := v.(float64)
		return ok, nil
	})
	registerTest("number", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return isNumber(v), nil })
	registerTest("string", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, ok := asString(v)
		return ok, nil
	})
	registerTest("mapping", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return isMapping(v), nil })
	registerTest("sequence", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, isList := asList(v)
		_, isStr := asString(v)
		return isList || isStr || isMapping(v), nil
	})
	registerTest("iterable", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		_, err := iterate(v)
		return err == nil, nil
	})
	registerTest("callable", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		switch v.(type) {
		case fnValue, *macro, *boundMethod:
			return true, nil
		}
		return false, nil
	})
	registerTest("lower", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		s := ToText(v)
		return strings.ToLower(s) == s, nil
	})
	registerTest("upper", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		s := ToText(v)
		return strings.ToUpper(s) == s, nil
	})
	registerTest("odd", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		i, ok := v.(int)
		if !ok {
			return false, fmt.Errorf("odd test needs an integer, got %s", typeName(v))
		}
		return i%2 != 0, nil
	})
	registerTest("even", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		i, ok := v.(int)
		if !ok {
			return false, fmt.Errorf("even test needs an integer, got %s", typeName(v))
		}
		return i%2 == 0, nil
	})
	registerTest("divisibleby", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if len(a) != 1 {
			return false, fmt.Errorf("divisibleby needs one argument")
		}
		r, err := binaryOp("%", v, a[0])
		if err != nil {
			return false, err
		}
		return equal(r, 0), nil
	})
	registerTest("eq equalto ==", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return cmpTest("eq", v, a) })
	registerTest("ne !=", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return cmpTest("ne", v, a) })
	registerTest("lt lessthan <", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return cmpTest("lt", v, a) })
	registerTest("le <=", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return cmpTest("lteq", v, a) })
	registerTest("gt greaterthan >", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return cmpTest("gt", v, a) })
	registerTest("ge >=", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return cmpTest("gteq", v, a) })
	registerTest("in", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if len(a) != 1 {
			return false, fmt.Errorf("in test needs one argument")
		}
		return contains(a[0], v)
	})
	registerTest("contains", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if len(a) != 1 {
			return false, fmt.Errorf("contains test needs one argument")
		}
		return contains(v, a[0])
	})
	registerTest("sameas", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if len(a) != 1 {
			return false, fmt.Errorf("sameas test needs one argument")
		}
		return sameObject(v, a[0]), nil
	})
	registerTest("escaped", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return false, nil })
	registerTest("filter", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		// Ansible's plugin loader raises for a name it cannot find instead
		// of answering False.
		name := ToText(v)
		if filterName(name) == "" {
			return false, fmt.Errorf("no filter named '%s'", name)
		}
		return true, nil
	})
	registerTest("test", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		return testName(ToText(v)) != "", nil
	})

	// Ansible's core tests.
	registerTest("match", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return regexTest(v, a, kw, "match") })
	registerTest("search", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		return regexTest(v, a, kw, "search")
	})
	registerTest("regex", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		p, err := bind("regex", a, kw, "pattern", "ignorecase", "multiline", "match_type")
		if err != nil {
			return false, err
		}
		return regexTest(v, []any{p[0], or(p[1], false), or(p[2], false)}, value.NewDict(), argStr(p[3], "search"))
	})
	registerTest("truthy", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		p, err := bind("truthy", a, kw, "convert_bool")
		if err != nil {
			return false, err
		}
		if argBool(p[0], false) {
			if b, err := toBool(v); err == nil {
				bb, _ := b.(bool)
				return bb, nil
			}
		}
		return truthy(v)
	})
	registerTest("falsy", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		t, err := tests["truthy"](ev, v, a, kw)
		return !t, err
	})
	registerTest("vault_encrypted", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if x, ok := v.(value.Vaulted); ok {
			if x.Detached {
				return false, errTestNone
			}
			return true, nil
		}
		s, _ := asString(v)
		return strings.HasPrefix(s, "$ANSIBLE_VAULT;"), nil
	})
	registerTest("success succeeded successful", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if err := needResult(v, "success"); err != nil {
			return false, err
		}
		f, _ := mapGet(v, "failed")
		t, _ := truthy(f)
		if t {
			return false, nil
		}
		rc, ok := mapGet(v, "rc")
		if ok && !equal(rc, 0) && rc != nil {
			return false, nil
		}
		return true, nil
	})
	registerTest("failed failure", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		ok, err := tests["success"](ev, v, a, kw)
		return !ok, err
	})
	registerTest("changed change", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if err := needResult(v, "changed"); err != nil {
			return false, err
		}
		if c, ok := mapGet(v, "changed"); ok {
			return truthy(c)
		}
		if rs, ok := mapGet(v, "results"); ok {
			if l, ok := asList(rs); ok {
				for _, r := range l {
					if c, ok := mapGet(r, "changed"); ok {
						if t, _ := truthy(c); t {
							return true, nil
						}
					}
				}
			}
		}
		return false, nil
	})
	registerTest("skipped skip", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if err := needResult(v, "skipped"); err != nil {
			return false, err
		}
		s, _ := mapGet(v, "skipped")
		return truthy(s)
	})
	registerTest("unreachable", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if err := needResult(v, "unreachable"); err != nil {
			return false, err
		}
		s, _ := mapGet(v, "unreachable")
		return truthy(s)
	})
	registerTest("reachable", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		u, err := tests["unreachable"](ev, v, a, kw)
		return !u, err
	})
	registerTest("finished", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if err := needResult(v, "finished"); err != nil {
			return false, err
		}
		f, ok := mapGet(v, "finished")
		if !ok {
			return true, nil
		}
		return equal(f, 1) || f == true, nil
	})
	registerTest("started", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		if err := needResult(v, "started"); err != nil {
			return false, err
		}
		f, ok := mapGet(v, "started")
		if !ok {
			return true, nil
		}
		return equal(f, 1) || f == true, nil
	})
	registerTest("version_compare version", testVersion)
	registerTest("subset issubset", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return subsetTest(v, first(a)) })
	registerTest("superset issuperset", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		return subsetTest(first(a), v)
	})
	registerTest("any", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		items, err := iterate(v)
		if err != nil {
			return false, err
		}
		for _, it := range items {
			if t, _ := truthy(it); t {
				return true, nil
			}
		}
		return false, nil
	})
	registerTest("all", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		items, err := iterate(v)
		if err != nil {
			return false, err
		}
		for _, it := range items {
			if t, _ := truthy(it); !t {
				return false, nil
			}
		}
		return true, nil
	})
	registerTest("nan isnan", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		f, ok := v.(float64)
		return ok && math.IsNaN(f), nil
	})
	registerTest("abs is_abs", pathTest(func(p string) bool { return filepath.IsAbs(p) }))
	registerTest("directory is_dir", pathTest(func(p string) bool { st, err := os.Stat(p); return err == nil && st.IsDir() }))
	registerTest("file is_file", pathTest(func(p string) bool { st, err := os.Stat(p); return err == nil && st.Mode().IsRegular() }))
	registerTest("link is_link", pathTest(func(p string) bool { st, err := os.Lstat(p); return err == nil && st.Mode()&os.ModeSymlink != 0 }))
	registerTest("exists", pathTest(func(p string) bool { _, err := os.Stat(p); return err == nil }))
	registerTest("link_exists", pathTest(func(p string) bool { _, err := os.Lstat(p); return err == nil }))
	registerTest("mount is_mount", pathTest(isMount))
	registerTest("same_file is_same_file", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		s1, err1 := os.Stat(ToText(v))
		s2, err2 := os.Stat(ToText(first(a)))
		return err1 == nil && err2 == nil && os.SameFile(s1, s2), nil
	})
	// uri, url and urn are ansible-core's test/uri.py over Python's urlparse:
	// every string parses, so uri only checks the scheme against schemes.
	registerTest("uri", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		return uriTest("is_uri", v, a, kw, false)
	})
	registerTest("url", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		return uriTest("is_url", v, a, kw, true)
	})
	registerTest("urn", func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
		return uriTest("is_urn", v, []any{[]any{"urn"}}, value.NewDict(), false)
	})
}

func uriTest(fname string, v any, a []any, kw *value.Dict, needHost bool) (bool, error) {
	p, err := bind(fname, a, kw, "schemes")
	if err != nil {
		return false, err
	}
	s, ok := asString(v)
	if !ok {
		return false, nil // urlparse fails on non-strings: the test says False
	}
	u := pyURLSplit(s)
	scheme, _ := u.Get("scheme")
	if given(p[0]) && p[0] != nil {
		schemes, err := iterate(p[0])
		if err != nil {
			return false, err
		}
		if len(schemes) > 0 && !listHas(schemes, scheme) {
			return false, nil
		}
	}
	if needHost {
		netloc, _ := u.Get("netloc")
		return netloc != "" || scheme == "file", nil
	}
	return true, nil
}

func cmpTest(op string, v any, a []any) (bool, error) {
	if len(a) != 1 {
		return false, fmt.Errorf("comparison test needs one argument")
	}
	return compareOp2(op, v, a[0])
}

func needResult(v any, name string) error {
	if !isMapping(v) {
		return fmt.Errorf("The '%s' test expects a dictionary", name)
	}
	return nil
}

func pathTest(fn func(string) bool) testFunc {
	return func(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) { return fn(ToText(v)), nil }
}

func isMount(p string) bool {
	st, err := os.Stat(p)
	if err != nil || !st.IsDir() {
		return false
	}
	data, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		return false
	}
	clean := filepath.Clean(p)
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && f[1] == clean {
			return true
		}
	}
	return false
}

func regexTest(v any, a []any, kw *value.Dict, kind string) (bool, error) {
	p, err := bind(kind, a, kw, "pattern", "ignorecase", "multiline")
	if err != nil {
		return false, err
	}
	s, ok := asString(v)
	if !ok {
		if v == nil || isNumber(v) {
			return false, fmt.Errorf("expected string or bytes-like object")
		}
		s = ToText(v)
	}
	var flags pyre.Flags
	if argBool(p[1], false) {
		flags |= pyre.IgnoreCase
	}
	if argBool(p[2], false) {
		flags |= pyre.Multiline
	}
	re, err := pyre.Compile(argStr(p[0], ""), flags)
	if err != nil {
		return false, err
	}
	var m *pyre.Match
	switch kind {
	case "match":
		m, err = re.MatchStart(s)
	case "fullmatch":
		m, err = re.FullMatch(s)
	default:
		m, err = re.Search(s)
	}
	return m != nil, err
}

func subsetTest(a, b any) (bool, error) {
	la, err := iterate(a)
	if err != nil {
		return false, err
	}
	lb, err := iterate(b)
	if err != nil {
		return false, err
	}
	for _, x := range la {
		found := false
		for _, y := range lb {
			if equal(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false, nil
		}
	}
	return true, nil
}

// sameObject is Python's `is` as far as gorun's values can tell: None and the
// booleans are singletons, small ints are cached, and lists and dicts are the
// same object when they share their storage (a variable read twice).
func sameObject(x, y any) bool {
	switch a := x.(type) {
	case nil, bool:
		return x == y
	case int:
		b, ok := y.(int)
		return ok && a == b && a >= -5 && a <= 256
	case []any:
		b, ok := y.([]any)
		return ok && len(a) == len(b) && (len(a) == 0 && cap(a) == 0 && cap(b) == 0 || len(a) > 0 && &a[0] == &b[0])
	case *value.Dict:
		b, ok := y.(*value.Dict)
		return ok && a == b
	}
	return false
}
