package template

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// testVersion is Ansible's version / version_compare test.
func testVersion(ev *evaluator, v any, a []any, kw *value.Dict) (bool, error) {
	p, err := bind("version", a, kw, "version", "operator", "strict", "version_type")
	if err != nil {
		return false, err
	}
	if !given(p[0]) || p[0] == nil || ToText(p[0]) == "" {
		return false, fmt.Errorf("Version parameter to compare against cannot be empty")
	}
	op := argStr(p[1], "eq")
	ops := map[string]string{"==": "eq", "=": "eq", "eq": "eq", "<": "lt", "lt": "lt", "<=": "le", "le": "le",
		">": "gt", "gt": "gt", ">=": "ge", "ge": "ge", "!=": "ne", "<>": "ne", "ne": "ne"}
	o, ok := ops[op]
	if !ok {
		return false, fmt.Errorf("Invalid operator type (%s)", op)
	}
	vt := argStr(p[3], "loose")
	if argBool(p[2], false) {
		vt = "strict"
	}
	x, y := ToText(v), ToText(p[0])
	var c int
	switch vt {
	case "loose":
		var err error
		if c, err = compareLoose(x, y); err != nil {
			return false, err
		}
	case "strict", "semver", "semantic", "pep440":
		var err error
		if c, err = compareStrict(x, y, vt); err != nil {
			return false, err
		}
	default:
		return false, fmt.Errorf("Invalid version type (%s). Must be one of loose, strict, semver, semantic, pep440", vt)
	}
	switch o {
	case "eq":
		return c == 0, nil
	case "ne":
		return c != 0, nil
	case "lt":
		return c < 0, nil
	case "le":
		return c <= 0, nil
	case "gt":
		return c > 0, nil
	}
	return c >= 0, nil
}

var looseComponent = regexp.MustCompile(`(\d+|[a-z]+|\.)`)

// looseParts splits a version as distutils' LooseVersion does.
func looseParts(s string) []any {
	var out []any
	for _, p := range looseComponent.FindAllString(strings.ToLower(s), -1) {
		if p == "." {
			continue
		}
		if n, err := strconv.Atoi(p); err == nil {
			out = append(out, n)
		} else {
			out = append(out, p)
		}
	}
	// LooseVersion also keeps other characters as separate components
	return out
}

func compareLoose(a, b string) (int, error) {
	pa, pb := looseParts(a), looseParts(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, y := pa[i], pb[i]
		xi, xInt := x.(int)
		yi, yInt := y.(int)
		switch {
		case xInt && yInt:
			if xi != yi {
				return compareInts(xi, yi), nil
			}
		case !xInt && !yInt:
			if c := strings.Compare(x.(string), y.(string)); c != 0 {
				return c, nil
			}
		default:
			return 0, fmt.Errorf("Version comparison failed: '<' not supported between instances of '%s' and '%s'", typeName(x), typeName(y))
		}
	}
	return compareInts(len(pa), len(pb)), nil
}

var strictRe = regexp.MustCompile(`^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-.]?([a-zA-Z]+)\.?(\d+)?)?(?:[-+].*)?$`)

func compareStrict(a, b, kind string) (int, error) {
	ma, mb := strictRe.FindStringSubmatch(a), strictRe.FindStringSubmatch(b)
	if ma == nil {
		return 0, fmt.Errorf("Version comparison failed: invalid version number '%s'", a)
	}
	if mb == nil {
		return 0, fmt.Errorf("Version comparison failed: invalid version number '%s'", b)
	}
	for i := 1; i <= 3; i++ {
		x, _ := strconv.Atoi(ma[i])
		y, _ := strconv.Atoi(mb[i])
		if x != y {
			return compareInts(x, y), nil
		}
	}
	// a pre-release sorts before the release
	switch {
	case ma[4] == "" && mb[4] == "":
		return 0, nil
	case ma[4] == "":
		return 1, nil
	case mb[4] == "":
		return -1, nil
	}
	if c := strings.Compare(ma[4], mb[4]); c != 0 {
		return c, nil
	}
	x, _ := strconv.Atoi(ma[5])
	y, _ := strconv.Atoi(mb[5])
	return compareInts(x, y), nil
}
