package config

import (
	"fmt"
	"math"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// convert gives a raw value (a string from env or ini, or a default from
// the definitions) the type Ansible's ensure_type gives it. basedir is the
// directory relative paths are resolved against ("" for the cwd).
func convert(v any, typ, basedir string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch strings.ToLower(typ) {
	case "boolean", "bool":
		return value.Bool(v), nil
	case "integer", "int":
		return toInt(v)
	case "float":
		return toFloat(v)
	case "list":
		if s, ok := v.(string); ok {
			parts := strings.Split(s, ",")
			for i, p := range parts {
				parts[i] = unquote(strings.TrimSpace(p))
			}
			return parts, nil
		}
		return listValue(v)
	case "none":
		if v == "None" {
			return nil, nil
		}
		return nil, fmt.Errorf("Invalid type provided for \"None\": %s", pytext.Str(v))
	case "path", "tmp", "temppath", "tmppath":
		// tmppath: Ansible also creates a private ansible-local-* directory
		// inside; gorun returns the base directory and leaves creating to
		// whoever needs it.
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("Invalid type provided for \"%s\": %s", typ, pytext.Str(v))
		}
		return resolvePath(s, basedir), nil
	case "pathspec", "pathlist":
		var parts []string
		if s, ok := v.(string); ok {
			if typ == "pathspec" {
				parts = strings.Split(s, string(os.PathListSeparator))
			} else {
				parts = strings.Split(s, ",")
				for i := range parts {
					parts[i] = strings.TrimSpace(parts[i])
				}
			}
		} else {
			var err error
			if parts, err = toStrings(v, typ); err != nil {
				return nil, err
			}
		}
		for i, p := range parts {
			parts[i] = resolvePath(p, basedir)
		}
		return parts, nil
	case "dict", "dictionary":
		if value.IsMapping(v) {
			return v, nil
		}
		return nil, fmt.Errorf("Invalid type provided for \"dictionary\": %s", pytext.Str(v))
	case "str", "string":
		switch x := v.(type) {
		case string:
			return unquote(x), nil
		case bool, int, float64:
			return unquote(pytext.Str(x)), nil
		}
		return nil, fmt.Errorf("Invalid type provided for \"string\": %s", pytext.Str(v))
	}
	if s, ok := v.(string); ok {
		return unquote(s), nil
	}
	return v, nil
}

// toInt is Python's int() for the values a setting can have.
func toInt(v any) (any, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		return int(math.Trunc(x)), nil
	case string:
		s := strings.TrimSpace(x)
		if !strings.HasPrefix(s, "_") && !strings.HasSuffix(s, "_") && !strings.Contains(s, "__") {
			if n, err := strconv.Atoi(strings.ReplaceAll(s, "_", "")); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("invalid literal for int() with base 10: %s", pytext.ReprString(x))
	}
	return nil, fmt.Errorf("int() argument must be a string, a bytes-like object or a real number, not '%T'", v)
}

// toFloat is Python's float() for the values a setting can have.
func toFloat(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	case string:
		s := strings.TrimSpace(x)
		if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, "+-")), "0x") {
			return f, nil
		}
		return nil, fmt.Errorf("could not convert string to float: %s", pytext.ReprString(x))
	}
	return nil, fmt.Errorf("float() argument must be a string or a real number, not '%T'", v)
}

// toStrings turns a YAML list default into []string.
func toStrings(v any, typ string) ([]string, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("Invalid type provided for \"%s\": %s", typ, pytext.Str(v))
	}
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = pytext.Str(e)
	}
	return out, nil
}

// listValue is a list setting's value: []string when every item is a
// string (always so for lists read from env or ini), else the list as is
// (shell.sh.environment defaults to a list of mappings).
func listValue(v any) (any, error) {
	l, ok := v.([]any)
	if !ok {
		if s, ok := v.([]string); ok {
			return s, nil
		}
		return nil, fmt.Errorf("Invalid type provided for \"list\": %s", pytext.Str(v))
	}
	for _, e := range l {
		if _, ok := e.(string); !ok {
			return l, nil
		}
	}
	return toStrings(v, "list")
}

// unquote removes one pair of matching surrounding quotes, like
// ansible.parsing.quoting.unquote.
func unquote(s string) string {
	if len(s) > 1 && s[0] == s[len(s)-1] && (s[0] == '"' || s[0] == '\'') && s[len(s)-2] != '\\' {
		return s[1 : len(s)-1]
	}
	return s
}

// resolvePath is Ansible's resolve_path: "{{CWD}}" is the working
// directory; environment variables and "~" are expanded; a relative path is
// taken relative to basedir (the cwd when ""); symlinks are not followed.
func resolvePath(p, basedir string) string {
	if strings.Contains(p, "{{CWD}}") {
		wd, _ := os.Getwd()
		p = strings.ReplaceAll(p, "{{CWD}}", wd)
	}
	return Unfrack(p, basedir)
}

// Unfrack makes a path absolute the way Ansible's unfrackpath(follow=False)
// does: $VARS (unset ones are left as written) and ~ are expanded, a
// relative path is joined to basedir (the cwd when ""), and the result is
// cleaned.
func Unfrack(p, basedir string) string {
	p = ExpandUser(ExpandVars(p))
	if !filepath.IsAbs(p) {
		if basedir == "" {
			basedir, _ = os.Getwd()
		}
		p = filepath.Join(basedir, p)
	}
	return filepath.Clean(p)
}

var varRe = regexp.MustCompile(`\$(\w+|\{[^}]*\})`)

// ExpandVars is Python's os.path.expandvars: $NAME and ${NAME} are replaced
// by the variable's value; references to unset variables stay as they are.
func ExpandVars(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	return varRe.ReplaceAllStringFunc(s, func(ref string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(ref, "$"), "{"), "}")
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		return ref
	})
}

// ExpandUser is Python's os.path.expanduser: "~" and "~/..." use $HOME,
// "~user/..." that user's home directory.
func ExpandUser(p string) string {
	if !strings.HasPrefix(p, "~") {
		return p
	}
	name, rest, _ := strings.Cut(p[1:], "/")
	var home string
	if name == "" {
		home = os.Getenv("HOME")
		if home == "" {
			if u, err := user.Current(); err == nil {
				home = u.HomeDir
			}
		}
	} else if u, err := user.Lookup(name); err == nil {
		home = u.HomeDir
	}
	if home == "" {
		return p
	}
	if rest == "" && !strings.Contains(p, "/") {
		return home
	}
	return strings.TrimRight(home, "/") + "/" + rest
}
