package facts

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorun/engine/value"
)

// localFacts is system/local.py: every fact_path/*.fact file, read as JSON or
// INI, or run when executable, becomes ansible_local[NAME].
func localFacts(r *raw, f map[string]any, warn func(string)) {
	local := map[string]any{}
	for _, lf := range r.local {
		base := strings.ReplaceAll(path.Base(lf.path), ".fact", "")
		if lf.exec && lf.rc != 0 {
			msg := fmt.Sprintf("Failure executing fact script (%s), rc: %d, err: %s", lf.path, lf.rc, lf.stderr)
			local[base] = msg
			warn(msg)
			continue
		}
		if !utf8.ValidString(lf.out) {
			msg := fmt.Sprintf(`error loading fact - output of running "%s" was not utf-8`, lf.path)
			local[base] = msg
			warn(msg)
			continue
		}
		if v, err := value.FromJSON([]byte(lf.out)); err == nil {
			local[base] = v
			continue
		}
		ini, err := parseINI(lf.out)
		if err != nil {
			msg := "error loading facts as JSON or ini - please check content: " + lf.path
			warn(msg)
			local[base] = msg
			continue
		}
		local[base] = ini
	}
	f["local"] = local
}

var (
	reINISection = regexp.MustCompile(`^\[(.+)\]`)
	reINIOption  = regexp.MustCompile(`^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$`)
	reINIInterp  = regexp.MustCompile(`%\(([^)]+)\)s`)
)

// parseINI reads text as Python's configparser.ConfigParser does with its
// defaults (strict, option names lower-cased, DEFAULT values inherited,
// continuation lines, %(name)s interpolation) and returns section -> option -> value.
func parseINI(text string) (*value.Dict, error) {
	type section struct {
		name string
		opts *value.Dict
	}
	defaults := value.NewDict()
	var sections []*section
	byName := map[string]*section{}
	var cur *value.Dict
	var lastKey string
	for n, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";") {
			lastKey = ""
			continue
		}
		if cur != nil && lastKey != "" && (line[0] == ' ' || line[0] == '\t') {
			old, _ := cur.Get(lastKey)
			cur.Set(lastKey, old.(string)+"\n"+trimmed)
			continue
		}
		if m := reINISection.FindStringSubmatch(trimmed); m != nil {
			if m[1] == "DEFAULT" {
				cur = defaults
			} else {
				if _, dup := byName[m[1]]; dup {
					return nil, fmt.Errorf("line %d: section %q already exists", n+1, m[1])
				}
				s := &section{name: m[1], opts: value.NewDict()}
				sections = append(sections, s)
				byName[m[1]] = s
				cur = s.opts
			}
			lastKey = ""
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("line %d: file contains no section headers", n+1)
		}
		m := reINIOption.FindStringSubmatch(trimmed)
		if m == nil {
			return nil, fmt.Errorf("line %d: cannot parse %q", n+1, line)
		}
		key := strings.ToLower(strings.TrimSpace(m[1]))
		if cur.Has(key) {
			return nil, fmt.Errorf("line %d: option %q already exists", n+1, key)
		}
		cur.Set(key, m[2])
		lastKey = key
	}
	out := value.NewDict()
	for _, s := range sections {
		merged := value.NewDict()
		for _, k := range s.opts.Keys() {
			v, _ := s.opts.Get(k)
			merged.Set(k, v)
		}
		for _, k := range defaults.Keys() {
			if !merged.Has(k) {
				v, _ := defaults.Get(k)
				merged.Set(k, v)
			}
		}
		final := value.NewDict()
		for _, k := range merged.Keys() {
			v, _ := merged.Get(k)
			final.Set(k, interpolate(v.(string), merged, 0))
		}
		out.Set(s.name, final)
	}
	return out, nil
}

// interpolate expands %(name)s and %% as configparser's BasicInterpolation does.
func interpolate(v string, opts *value.Dict, depth int) string {
	if depth > 10 || !strings.Contains(v, "%") {
		return v
	}
	v = reINIInterp.ReplaceAllStringFunc(v, func(m string) string {
		name := strings.ToLower(reINIInterp.FindStringSubmatch(m)[1])
		if x, ok := opts.Get(name); ok {
			return interpolate(x.(string), opts, depth+1)
		}
		return m
	})
	return strings.ReplaceAll(v, "%%", "%")
}
