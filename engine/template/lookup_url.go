package template

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// The url lookup (ansible.builtin.url, plugins/lookup/url.py) fetches each
// term from the controller, as Ansible's open_url does, and returns its
// lines (split_lines, the default) or its whole text.

// urlOption is one option of the url lookup: its type, default and the
// variable and environment variable that set it when the call does not.
type urlOption struct {
	typ, def string // def "" and typ "string" mean None
	hasDef   bool
	vars     string
	env      string
}

// urlOptions are url.py's DOCUMENTATION options. force_basic_auth reads
// ansible_lookup_url_agent and ANSIBLE_LOOKUP_URL_AGENT as url.py declares
// it (a copy-paste slip in Ansible, kept for the same results).
var urlOptions = map[string]urlOption{
	"validate_certs":       {typ: "boolean", def: "True", hasDef: true},
	"split_lines":          {typ: "boolean", def: "True", hasDef: true},
	"use_proxy":            {typ: "boolean", def: "True", hasDef: true},
	"username":             {typ: "string"},
	"password":             {typ: "string"},
	"headers":              {typ: "dictionary", hasDef: true},
	"force":                {typ: "boolean", def: "False", hasDef: true, vars: "ansible_lookup_url_force", env: "ANSIBLE_LOOKUP_URL_FORCE"},
	"timeout":              {typ: "float", def: "10", hasDef: true, vars: "ansible_lookup_url_timeout", env: "ANSIBLE_LOOKUP_URL_TIMEOUT"},
	"http_agent":           {typ: "string", def: "ansible-httpget", hasDef: true, vars: "ansible_lookup_url_agent", env: "ANSIBLE_LOOKUP_URL_AGENT"},
	"force_basic_auth":     {typ: "boolean", def: "False", hasDef: true, vars: "ansible_lookup_url_agent", env: "ANSIBLE_LOOKUP_URL_AGENT"},
	"follow_redirects":     {typ: "string", def: "urllib2", hasDef: true, vars: "ansible_lookup_url_follow_redirects", env: "ANSIBLE_LOOKUP_URL_FOLLOW_REDIRECTS"},
	"use_gssapi":           {typ: "boolean", def: "False", hasDef: true, vars: "ansible_lookup_url_use_gssapi", env: "ANSIBLE_LOOKUP_URL_USE_GSSAPI"},
	"use_netrc":            {typ: "boolean", def: "True", hasDef: true, vars: "ansible_lookup_url_use_netrc", env: "ANSIBLE_LOOKUP_URL_USE_NETRC"},
	"unix_socket":          {typ: "string", vars: "ansible_lookup_url_unix_socket", env: "ANSIBLE_LOOKUP_URL_UNIX_SOCKET"},
	"ca_path":              {typ: "string", vars: "ansible_lookup_url_ca_path", env: "ANSIBLE_LOOKUP_URL_CA_PATH"},
	"unredirected_headers": {typ: "list", vars: "ansible_lookup_url_unredir_headers", env: "ANSIBLE_LOOKUP_URL_UNREDIR_HEADERS"},
	"ciphers":              {typ: "list", vars: "ansible_lookup_url_ciphers", env: "ANSIBLE_LOOKUP_URL_CIPHERS"},
}

// lookupException is a lookup failure that is not an AnsibleError in
// Ansible: the message names the Python exception class.
type lookupException struct{ class, msg string }

func (e *lookupException) Error() string { return e.msg }

func lookupURL(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	opts := map[string]any{}
	for name, o := range urlOptions {
		v, err := ev.urlOption(name, o, kw)
		if err != nil {
			return nil, err
		}
		opts[name] = v
	}
	out := []any{}
	for _, t := range terms {
		term := ToText(t)
		body, err := openURL(term, opts)
		if err != nil {
			return nil, err
		}
		if !opts["split_lines"].(bool) {
			out = append(out, string(body))
			continue
		}
		for _, l := range splitLinesBytes(body) {
			out = append(out, l)
		}
	}
	return out, nil
}

// urlOption resolves one option as Ansible's config does: the call's
// keyword, then the variable, then the environment, then the default,
// converted to the option's type.
func (ev *evaluator) urlOption(name string, o urlOption, kw *value.Dict) (any, error) {
	v, ok := kw.Get(name)
	origin := "Direct"
	if !ok && o.vars != "" {
		if _, isVar := ev.sess.ctx.Vars[o.vars]; isVar {
			x, err := ev.lookupName(o.vars, newFrame(nil))
			if err != nil {
				return nil, err
			}
			if _, undef := x.(*undefined); !undef {
				v, ok, origin = plainValue(x), true, "var: "+o.vars
			}
		}
	}
	if !ok && o.env != "" {
		if s, isEnv := os.LookupEnv(o.env); isEnv {
			v, ok, origin = s, true, "env: "+o.env
		}
	}
	if !ok {
		switch {
		case !o.hasDef:
			return nil, nil
		case o.typ == "dictionary":
			return value.NewDict(), nil
		}
		v = o.def
	}
	bad := func(msg string) error {
		return &lookupError{fmt.Sprintf("Invalid type for configuration option plugin_type: lookup plugin: url setting: %s (from %s): %s", name, origin, msg)}
	}
	switch o.typ {
	case "boolean":
		return value.Bool(v), nil
	case "float":
		switch x := v.(type) {
		case int:
			return float64(x), nil
		case float64:
			return x, nil
		case bool:
			return float64(b2i(x)), nil
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(ToText(v)), 64)
		if err != nil {
			return nil, bad(fmt.Sprintf("could not convert string to float: %s", pyRepr(ToText(v))))
		}
		return f, nil
	case "string":
		if v == nil {
			return nil, nil
		}
		switch v.(type) {
		case string, value.Unsafe, bool, int, float64:
			return ToText(v), nil
		}
		return nil, bad(fmt.Sprintf("Invalid type provided for \"string\": %s", pyRepr(v)))
	case "dictionary":
		if !isMapping(v) {
			return nil, bad(fmt.Sprintf("Invalid type provided for \"dictionary\": %s", ToText(v)))
		}
		return v, nil
	case "list":
		if v == nil {
			return nil, nil
		}
		if s, isStr := asString(v); isStr {
			var l []string
			for _, p := range strings.Split(s, ",") {
				l = append(l, unquote(strings.TrimSpace(p)))
			}
			return l, nil
		}
		items, ok := asList(v)
		if !ok {
			return nil, bad(fmt.Sprintf("Invalid type provided for \"list\": %s", ToText(v)))
		}
		l := make([]string, len(items))
		for i, it := range items {
			l[i] = ToText(it)
		}
		return l, nil
	}
	return v, nil
}

// unquote drops one pair of matching quotes, as Ansible's config does for list items.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// splitLinesBytes is Python's bytes.splitlines: \n, \r\n and \r end lines.
func splitLinesBytes(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i]))
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
		b = b[i+1:]
	}
	return out
}
