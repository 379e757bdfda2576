package template

import (
	"fmt"
	"strings"

	"gorun/engine/pyre"
	"gorun/engine/value"
)

// Ansible's regex filters, with Python re semantics (gorun/engine/pyre).

func init() {
	register("regex_replace", filterRegexReplace)
	register("regex_findall", filterRegexFindall)
	register("regex_search", filterRegexSearch)
	register("regex_escape", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("regex_escape", a, kw, "re_type")
		if err != nil {
			return nil, err
		}
		switch t := argStr(p[0], "python"); t {
		case "python":
			return pyre.Escape(ToText(v)), nil
		case "posix_basic":
			re := pyre.MustCompile(`([].[^$*\\])`, 0)
			return re.Sub(`\\\1`, ToText(v), 0)
		case "posix_extended":
			return nil, fmt.Errorf("Regex type (%s) not yet implemented", t)
		default:
			return nil, fmt.Errorf("Invalid regex type (%s)", t)
		}
	})
}

func regexFlags(ignorecase, multiline any) pyre.Flags {
	var f pyre.Flags
	if argBool(ignorecase, false) {
		f |= pyre.IgnoreCase
	}
	if argBool(multiline, false) {
		f |= pyre.Multiline
	}
	return f
}

func filterRegexReplace(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("regex_replace", a, kw, "pattern", "replacement", "ignorecase", "multiline")
	if err != nil {
		return nil, err
	}
	re, err := pyre.Compile(argStr(p[0], ""), regexFlags(p[2], p[3]))
	if err != nil {
		return nil, err
	}
	s := ToText(v)
	if v == nil {
		s = "None"
	}
	return re.Sub(argStr(p[1], ""), s, 0)
}

func filterRegexFindall(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("regex_findall", a, kw, "regex", "multiline", "ignorecase")
	if err != nil {
		return nil, err
	}
	re, err := pyre.Compile(argStr(p[0], ""), regexFlags(p[2], p[1]))
	if err != nil {
		return nil, err
	}
	ms, err := re.FindAll(ToText(v))
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, m := range ms {
		g := func(i int) any {
			if i < len(m.Groups) && m.Groups[i] != nil {
				return *m.Groups[i]
			}
			return ""
		}
		switch n := re.NumGroups(); {
		case n == 0:
			out = append(out, g(0))
		case n == 1:
			out = append(out, g(1))
		default:
			t := tuple{}
			for i := 1; i <= n; i++ {
				t = append(t, g(i))
			}
			out = append(out, t)
		}
	}
	return out, nil
}

func filterRegexSearch(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("regex_search() missing required argument: 'regex'")
	}
	pattern := ToText(a[0])
	var groups []string
	for _, g := range a[1:] {
		s := ToText(g)
		switch {
		case strings.HasPrefix(s, `\g`):
			m := pyre.MustCompile(`\\g<(\S+)>`, 0)
			r, _ := m.MatchStart(s)
			if r == nil {
				return nil, fmt.Errorf("Unknown argument")
			}
			groups = append(groups, *r.Groups[1])
		case strings.HasPrefix(s, `\`):
			m := pyre.MustCompile(`\\(\d+)`, 0)
			r, _ := m.MatchStart(s)
			if r == nil {
				return nil, fmt.Errorf("Unknown argument")
			}
			groups = append(groups, *r.Groups[1])
		default:
			return nil, fmt.Errorf("Unknown argument")
		}
	}
	var ic, ml any = missing, missing
	for _, k := range kw.Keys() {
		x, _ := kw.Get(k)
		switch k {
		case "ignorecase":
			ic = x
		case "multiline":
			ml = x
		}
	}
	re, err := pyre.Compile(pattern, regexFlags(ic, ml))
	if err != nil {
		return nil, err
	}
	m, err := re.Search(ToText(v))
	if err != nil || m == nil {
		return nil, err
	}
	if len(groups) == 0 {
		return *m.Groups[0], nil
	}
	out := []any{}
	for _, g := range groups {
		s, err := m.Expand(`\g<` + g + `>`)
		if err != nil {
			return nil, err
		}
		idx := -1
		fmt.Sscanf(g, "%d", &idx)
		if n, ok := m.Names[g]; ok {
			idx = n
		}
		if idx >= 0 && idx < len(m.Groups) && m.Groups[idx] == nil {
			out = append(out, nil)
			continue
		}
		out = append(out, s)
	}
	return out, nil
}
