package template

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// Ansible's core filters (lib/ansible/plugins/filter/core.py).

func init() {
	register("bool", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if v == nil {
			return nil, nil
		}
		return toBool(v)
	})
	register("to_json", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		indent := -1
		if i, ok := kw.Get("indent"); ok && i != nil {
			indent, _ = toInt(i)
		}
		sk := false
		if s, ok := kw.Get("sort_keys"); ok {
			sk = argBool(s, false)
		}
		ascii := true
		if s, ok := kw.Get("ensure_ascii"); ok {
			ascii = argBool(s, true)
		}
		return toJSON(v, indent, sk, ascii)
	})
	register("to_nice_json", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		indent := 4
		if len(a) > 0 {
			indent, _ = toInt(a[0])
		}
		if i, ok := kw.Get("indent"); ok {
			indent, _ = toInt(i)
		}
		sk := true
		if s, ok := kw.Get("sort_keys"); ok {
			sk = argBool(s, true)
		}
		ascii := true
		if s, ok := kw.Get("ensure_ascii"); ok {
			ascii = argBool(s, true)
		}
		return toJSON(v, indent, sk, ascii)
	})
	register("from_json", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s, ok := asString(v)
		if !ok {
			return nil, fmt.Errorf("the JSON object must be str, bytes or bytearray, not %s", typeName(v))
		}
		r, err := value.FromJSON([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("from_json: %v", err)
		}
		return r, nil
	})
	register("from_yaml", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s, ok := asString(v)
		if !ok {
			return v, nil
		}
		r, _, err := yamlx.LoadPyYAML([]byte(s), "<string>")
		if err != nil {
			return nil, err
		}
		return untagged(r), nil
	})
	register("from_yaml_all", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s, ok := asString(v)
		if !ok {
			return v, nil
		}
		var out []any
		for _, doc := range splitYAMLDocs(s) {
			r, _, err := yamlx.LoadPyYAML([]byte(doc), "<string>")
			if err != nil {
				return nil, err
			}
			out = append(out, untagged(r))
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	})
	register("to_yaml", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		indent := 4
		if i, ok := kw.Get("indent"); ok {
			indent, _ = toInt(i)
		}
		flow := true
		if f, ok := kw.Get("default_flow_style"); ok {
			flow = argBool(f, false) || f == nil
			if f == nil {
				flow = true
			}
		}
		if !kw.Has("indent") {
			indent = 2
		}
		return toYAML(v, indent, flow, kw)
	})
	register("to_nice_yaml", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		indent := 4
		if len(a) > 0 {
			indent, _ = toInt(a[0])
		}
		if i, ok := kw.Get("indent"); ok {
			indent, _ = toInt(i)
		}
		return toYAML(v, indent, false, kw)
	})
	register("quote", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if v == nil {
			v = ""
		}
		return shellQuote(ToText(v)), nil
	})
	register("ternary", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("ternary", a, kw, "true_val", "false_val", "none_val")
		if err != nil {
			return nil, err
		}
		if !given(p[0]) || !given(p[1]) {
			return nil, fmt.Errorf("ternary() missing required positional argument")
		}
		if v == nil && given(p[2]) && p[2] != nil {
			return p[2], nil
		}
		t, err := truthy(v)
		if err != nil {
			return nil, err
		}
		if t {
			return p[0], nil
		}
		return p[1], nil
	})
	register("mandatory", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("mandatory", a, kw, "msg")
		if err != nil {
			return nil, err
		}
		if u, ok := v.(*undefined); ok {
			if given(p[0]) && p[0] != nil {
				return nil, fmt.Errorf("%s", ToText(p[0]))
			}
			name := ""
			if u.name != "" && !u.hasO {
				name = "'" + u.name + "' "
			} else if u.hasO {
				name = "'" + u.attr + "' "
			}
			return nil, fmt.Errorf("Mandatory variable %s not defined.", name)
		}
		return v, nil
	})
	register("type_debug", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return typeName(v), nil })
	register("split", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return strMethod(ToText(v), "split", a, kw)
	})
	register("comment", filterComment)
	register("random", filterRandom)
	register("shuffle", filterShuffle)
	register("strftime", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("strftime", a, kw, "second", "utc")
		if err != nil {
			return nil, err
		}
		t := time.Now()
		if given(p[0]) && p[0] != nil {
			f, ok := toFloat(p[0])
			if !ok {
				if fv, err := filterFloat(ev, p[0], []any{"x"}, value.NewDict()); err == nil {
					f, ok = toFloat(fv)
				}
			}
			if !ok {
				return nil, fmt.Errorf("Invalid value for epoch value (%s)", ToText(p[0]))
			}
			sec := int64(f)
			t = time.Unix(sec, int64((f-float64(sec))*1e9))
		}
		if argBool(p[1], false) {
			t = t.UTC()
		} else {
			t = t.Local()
		}
		return strftime(ToText(v), t), nil
	})
	register("to_datetime", filterToDatetime)
	register("urldecode", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s, err := url.QueryUnescape(ToText(v))
		if err != nil {
			return ToText(v), nil
		}
		return s, nil
	})
	register("urlsplit", filterURLSplit)
}

func pyClass(v any) string { return "<class '" + typeName(v) + "'>" }

// toBool is Ansible's bool filter.
func toBool(v any) (any, error) {
	switch x := plain(v).(type) {
	case nil:
		return nil, nil
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "yes", "on", "1", "true":
			return true, nil
		}
		return false, nil
	case int:
		return x == 1, nil
	case float64:
		return x == 1, nil
	}
	return false, nil
}

// shellQuote is Python's shlex.quote.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./-_", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// filterURLSplit is Python's urllib.parse.urlsplit as a dict (or one component).
func filterURLSplit(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("urlsplit", a, kw, "query")
	if err != nil {
		return nil, err
	}
	d := pyURLSplit(ToText(v))
	if q := argStr(p[0], ""); q != "" {
		x, ok := d.Get(q)
		if !ok {
			return nil, fmt.Errorf("urlsplit: unknown URL component: %s", q)
		}
		return x, nil
	}
	return d, nil
}

// pyURLSplit splits a URL without decoding anything, as Python's urlsplit does.
func pyURLSplit(s string) *value.Dict {
	scheme, rest := "", s
	if i := strings.IndexByte(s, ':'); i > 0 {
		valid := true
		for j, r := range s[:i] {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || j > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
				valid = false
				break
			}
		}
		if valid {
			scheme, rest = strings.ToLower(s[:i]), s[i+1:]
		}
	}
	netloc := ""
	if strings.HasPrefix(rest, "//") {
		rest = rest[2:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		netloc, rest = rest[:end], rest[end:]
	}
	fragment := ""
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, fragment = rest[:i], rest[i+1:]
	}
	query := ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i+1:]
	}
	var user, pass, host, port any
	hostport := netloc
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		userinfo := netloc[:i]
		hostport = netloc[i+1:]
		if u, pw, ok := strings.Cut(userinfo, ":"); ok {
			user, pass = u, pw
		} else {
			user = userinfo
		}
	}
	h := hostport
	if strings.HasPrefix(h, "[") {
		if j := strings.IndexByte(h, ']'); j >= 0 {
			if rest := h[j+1:]; strings.HasPrefix(rest, ":") && rest[1:] != "" {
				n, _ := strconv.Atoi(rest[1:])
				port = n
			}
			h = h[1:j]
		}
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 {
		if ps := h[i+1:]; ps != "" {
			n, _ := strconv.Atoi(ps)
			port = n
		}
		h = h[:i]
	}
	if h != "" {
		host = strings.ToLower(h)
	}
	return value.DictOf("fragment", fragment, "hostname", host, "netloc", netloc, "password", pass,
		"path", rest, "port", port, "query", query, "scheme", scheme, "username", user)
}

// untagged converts yamlx output (Unsafe, Vaulted markers) to plain values for from_yaml.
func untagged(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = untagged(x[i])
		}
	case *value.Dict:
		for _, k := range x.Keys() {
			it, _ := x.Get(k)
			x.Set(k, untagged(it))
		}
	}
	return v
}

func splitYAMLDocs(s string) []string {
	var docs []string
	var cur []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "---") && (len(line) == 3 || line[3] == ' ') {
			if len(cur) > 0 && strings.TrimSpace(strings.Join(cur, "")) != "" {
				docs = append(docs, strings.Join(cur, "\n"))
			}
			cur = []string{strings.TrimPrefix(line[3:], " ")}
			continue
		}
		cur = append(cur, line)
	}
	if strings.TrimSpace(strings.Join(cur, "")) != "" {
		docs = append(docs, strings.Join(cur, "\n"))
	}
	return docs
}
