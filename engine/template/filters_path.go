package template

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gorun/engine/value"
)

// Ansible's path filters (basename, dirname, win_*, path_join, ...).

var envVarRef = regexp.MustCompile(`\$(\w+|\{[^}]*\})`)

func init() {
	register("basename", pathFilter(func(p string) any { return p[strings.LastIndex(p, "/")+1:] }))
	register("dirname", pathFilter(func(p string) any {
		i := strings.LastIndex(p, "/") + 1
		head := p[:i]
		if head != "" && strings.Trim(head, "/") != "" {
			head = strings.TrimRight(head, "/")
		}
		return head
	}))
	register("win_basename", pathFilter(func(p string) any {
		_, p = winSplitDrive(p)
		return p[strings.LastIndexAny(p, `\/`)+1:]
	}))
	register("win_dirname", pathFilter(func(p string) any {
		d, rest := winSplitDrive(p)
		i := strings.LastIndexAny(rest, `\/`) + 1
		head := rest[:i]
		if head != "" && strings.Trim(head, `\/`) != "" {
			head = strings.TrimRight(head, `\/`)
		}
		return d + head
	}))
	register("win_splitdrive", pathFilter(func(p string) any {
		d, rest := winSplitDrive(p)
		return tuple{d, rest}
	}))
	register("expanduser", pathFilter(func(p string) any {
		if p == "~" || strings.HasPrefix(p, "~/") {
			if h, err := os.UserHomeDir(); err == nil {
				return h + p[1:]
			}
		}
		return p
	}))
	register("expandvars", pathFilter(func(p string) any {
		// posixpath.expandvars: $NAME or ${NAME}; unknown names stay as written.
		return envVarRef.ReplaceAllStringFunc(p, func(ref string) string {
			k := strings.Trim(ref[1:], "{}")
			if v, ok := os.LookupEnv(k); ok {
				return v
			}
			return ref
		})
	}))
	register("realpath", pathFilter(func(p string) any {
		abs, _ := filepath.Abs(p)
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			return r
		}
		return abs
	}))
	register("relpath", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("relpath", a, kw, "start")
		if err != nil {
			return nil, err
		}
		start := argStr(p[0], ".")
		absStart, _ := filepath.Abs(start)
		absP, _ := filepath.Abs(ToText(v))
		return filepath.Rel(absStart, absP)
	})
	register("splitext", pathFilter(func(p string) any {
		base := p[strings.LastIndex(p, "/")+1:]
		i := strings.LastIndex(base, ".")
		if i <= 0 || strings.Trim(base[:i], ".") == "" {
			return tuple{p, ""}
		}
		cut := len(p) - len(base) + i
		return tuple{p[:cut], p[cut:]}
	}))
	register("path_join", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		var parts []string
		if s, ok := asString(v); ok {
			parts = []string{s}
		} else {
			items, err := iterate(v)
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				parts = append(parts, ToText(it))
			}
		}
		out := ""
		for _, p := range parts {
			switch {
			case strings.HasPrefix(p, "/"):
				out = p
			case out == "" || strings.HasSuffix(out, "/"):
				out += p
			default:
				out += "/" + p
			}
		}
		return out, nil
	})
	register("fileglob", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		matches, _ := filepath.Glob(ToText(v))
		out := []any{}
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
				out = append(out, m)
			}
		}
		return out, nil
	})
}

func pathFilter(fn func(string) any) filterFunc {
	return func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return fn(ToText(v)), nil }
}

func winSplitDrive(p string) (string, string) {
	if len(p) >= 2 && p[1] == ':' {
		return p[:2], p[2:]
	}
	if strings.HasPrefix(p, `\\`) || strings.HasPrefix(p, "//") {
		rest := p[2:]
		i := strings.IndexAny(rest, `\/`)
		if i < 0 {
			return "", p
		}
		j := strings.IndexAny(rest[i+1:], `\/`)
		if j < 0 {
			return p, ""
		}
		return p[:2+i+1+j], p[2+i+1+j:]
	}
	return "", p
}
