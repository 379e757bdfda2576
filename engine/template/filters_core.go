package template

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/blake2s"
	"golang.org/x/crypto/sha3"

	"gorun/engine/pyre"
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
		r, _, err := yamlx.Load([]byte(s), "<string>")
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
			r, _, err := yamlx.Load([]byte(doc), "<string>")
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
		return Tuple{d, rest}
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
		return os.Expand(p, func(k string) string {
			if v, ok := os.LookupEnv(k); ok {
				return v
			}
			return "${" + k + "}"
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
			return Tuple{p, ""}
		}
		cut := len(p) - len(base) + i
		return Tuple{p[:cut], p[cut:]}
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
	register("quote", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if v == nil {
			v = ""
		}
		return shellQuote(ToText(v)), nil
	})
	register("b64encode", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return base64.StdEncoding.EncodeToString([]byte(ToText(v))), nil
	})
	register("b64decode", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s := ToText(v)
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
				return nil, fmt.Errorf("b64decode: %v", err)
			}
		}
		return string(b), nil
	})
	register("md5", hashFilter("md5"))
	register("sha1 checksum", hashFilter("sha1"))
	register("hash", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("hash", a, kw, "hashtype")
		if err != nil {
			return nil, err
		}
		return hashFilter(argStr(p[0], "sha1"))(ev, v, nil, value.NewDict())
	})
	register("to_uuid", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("to_uuid", a, kw, "namespace")
		if err != nil {
			return nil, err
		}
		ns, err := uuid.Parse(argStr(p[0], "361E6D51-FAEC-444A-9079-341386DA8E2E"))
		if err != nil {
			return nil, fmt.Errorf("Invalid value '%s' for 'namespace': %v", argStr(p[0], ""), err)
		}
		return uuid.NewSHA1(ns, []byte(ToText(v))).String(), nil
	})
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
		if u, ok := v.(*Undefined); ok {
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
	register("combine", filterCombine)
	register("dict2items", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("dict2items", a, kw, "key_name", "value_name")
		if err != nil {
			return nil, err
		}
		if !isMapping(v) {
			return nil, fmt.Errorf("dict2items requires a dictionary, got %s instead.", pyClass(v))
		}
		kn, vn := argStr(p[0], "key"), argStr(p[1], "value")
		out := []any{}
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			out = append(out, value.DictOf(kn, k, vn, x))
		}
		return out, nil
	})
	register("items2dict", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("items2dict", a, kw, "key_name", "value_name")
		if err != nil {
			return nil, err
		}
		items, ok := asList(v)
		if !ok {
			return nil, fmt.Errorf("items2dict requires a list, got %s instead.", pyClass(v))
		}
		kn, vn := argStr(p[0], "key"), argStr(p[1], "value")
		d := value.NewDict()
		for _, it := range items {
			if !isMapping(it) {
				return nil, fmt.Errorf("items2dict requires a list of dictionaries, got %s instead.", pyClass(it))
			}
			k, ok1 := mapGet(it, kn)
			x, ok2 := mapGet(it, vn)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("items2dict requires each dictionary in the list to contain the keys '%s' and '%s', got %s instead.", kn, vn, ToText(it)+"")
			}
			d.Set(keyString(k), x)
		}
		return d, nil
	})
	register("flatten", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("flatten", a, kw, "levels", "skip_nulls")
		if err != nil {
			return nil, err
		}
		items, ok := asList(v)
		if !ok {
			return nil, fmt.Errorf("flatten expects a list")
		}
		levels := -1
		if given(p[0]) && p[0] != nil {
			levels, _ = toInt(p[0])
		}
		return flatten(items, levels, argBool(p[1], true)), nil
	})
	register("extract", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("extract", a, kw, "container", "morekeys")
		if err != nil {
			return nil, err
		}
		r, err := ev.getitem(p[0], v)
		if err != nil {
			return nil, err
		}
		if given(p[1]) && p[1] != nil {
			keys := []any{p[1]}
			if l, ok := asList(p[1]); ok {
				keys = l
			}
			for _, k := range keys {
				if r, err = ev.getitem(r, k); err != nil {
					return nil, err
				}
			}
		}
		return r, nil
	})
	register("subelements", filterSubelements)
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
	register("to_datetime", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return nil, fmt.Errorf("to_datetime is not supported by gorun (Python datetime objects)")
	})
	register("urldecode", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s, err := url.QueryUnescape(ToText(v))
		if err != nil {
			return ToText(v), nil
		}
		return s, nil
	})
	register("urlsplit", filterURLSplit)
	register("vault", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return nil, fmt.Errorf("the vault filter (encryption) is not supported by gorun yet")
	})
	register("unvault", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if ev.e.opts.Vault == nil {
			return nil, fmt.Errorf("Unable to decrypt: no vault secrets available")
		}
		s := ToText(v)
		if vv, ok := v.(value.Vaulted); ok {
			s = vv.Ciphertext
		}
		if !strings.HasPrefix(s, "$ANSIBLE_VAULT;") {
			return s, nil
		}
		b, err := ev.e.opts.Vault.Decrypt([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("Unable to decrypt: %v", err)
		}
		return string(b), nil
	})
	register("password_hash", filterPasswordHash)
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

func hashFilter(kind string) filterFunc {
	return func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		var h hash.Hash
		switch kind {
		case "md5":
			h = md5.New()
		case "sha1":
			h = sha1.New()
		case "sha224":
			h = sha256.New224()
		case "sha256":
			h = sha256.New()
		case "sha384":
			h = sha512.New384()
		case "sha512":
			h = sha512.New()
		case "sha512_224":
			h = sha512.New512_224()
		case "sha512_256":
			h = sha512.New512_256()
		case "sha3_224":
			h = sha3.New224()
		case "sha3_256":
			h = sha3.New256()
		case "sha3_384":
			h = sha3.New384()
		case "sha3_512":
			h = sha3.New512()
		case "blake2b":
			h, _ = blake2b.New512(nil)
		case "blake2s":
			h, _ = blake2s.New256(nil)
		default:
			return nil, fmt.Errorf("unsupported hash type %s", kind)
		}
		h.Write([]byte(ToText(v)))
		return hex.EncodeToString(h.Sum(nil)), nil
	}
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
			t := Tuple{}
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

func filterCombine(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	recursive := false
	listMerge := "replace"
	for _, k := range kw.Keys() {
		x, _ := kw.Get(k)
		switch k {
		case "recursive":
			recursive = argBool(x, false)
		case "list_merge":
			listMerge = ToText(x)
		default:
			return nil, fmt.Errorf("'recursive' and 'list_merge' are the only valid keyword arguments")
		}
	}
	terms := append([]any{v}, a...)
	var dicts []any
	for _, t := range terms {
		if l, ok := asList(t); ok {
			dicts = append(dicts, l...)
		} else {
			dicts = append(dicts, t)
		}
	}
	for _, d := range dicts {
		if u := findUndefined(d); u != nil {
			return nil, u.err()
		}
		if !isMapping(d) {
			return nil, fmt.Errorf("failed to combine variables, expected dicts but got a '%s' and a '%s': \n%s\n%s", typeName(dicts[0]), typeName(d), ToText(dicts[0]), ToText(d))
		}
	}
	if len(dicts) == 0 {
		return value.NewDict(), nil
	}
	result := toDict(dicts[0])
	for _, d := range dicts[1:] {
		var err error
		if result, err = mergeHash(result, d, recursive, listMerge); err != nil {
			return nil, err
		}
	}
	return result, nil
}

// mergeHash is Ansible's merge_hash: b's entries win over a's.
func mergeHash(a *value.Dict, b any, recursive bool, listMerge string) (*value.Dict, error) {
	switch listMerge {
	case "replace", "keep", "append", "prepend", "append_rp", "prepend_rp":
	default:
		return nil, fmt.Errorf("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'")
	}
	out := a.Copy()
	for _, k := range mapKeys(b) {
		bv, _ := mapGet(b, k)
		av, exists := out.Get(k)
		if !exists {
			out.Set(k, bv)
			continue
		}
		if recursive && isMapping(av) && isMapping(bv) {
			m, err := mergeHash(toDict(av), bv, recursive, listMerge)
			if err != nil {
				return nil, err
			}
			out.Set(k, m)
			continue
		}
		al, aok := asList(av)
		bl, bok := asList(bv)
		if aok && bok {
			switch listMerge {
			case "keep":
				continue
			case "append":
				out.Set(k, append(deepCopyList(al), bl...))
				continue
			case "prepend":
				out.Set(k, append(deepCopyList(bl), al...))
				continue
			case "append_rp":
				var kept []any
				for _, x := range al {
					if !listHas(bl, x) {
						kept = append(kept, x)
					}
				}
				out.Set(k, append(kept, bl...))
				continue
			case "prepend_rp":
				res := deepCopyList(bl)
				for _, x := range al {
					if !listHas(bl, x) {
						res = append(res, x)
					}
				}
				out.Set(k, res)
				continue
			}
		}
		out.Set(k, bv)
	}
	return out, nil
}

func listHas(l []any, x any) bool {
	for _, y := range l {
		if equal(x, y) {
			return true
		}
	}
	return false
}

func flatten(items []any, levels int, skipNulls bool) []any {
	out := []any{}
	for _, it := range items {
		if skipNulls && (it == nil || it == "None") {
			continue
		}
		if l, ok := asList(it); ok {
			if levels == 0 {
				out = append(out, it)
			} else {
				next := levels - 1
				if levels < 0 {
					next = -1
				}
				out = append(out, flatten(l, next, skipNulls)...)
			}
			continue
		}
		out = append(out, it)
	}
	return out
}

func filterSubelements(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("subelements", a, kw, "subelements", "skip_missing")
	if err != nil {
		return nil, err
	}
	var items []any
	if isMapping(v) {
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			items = append(items, x)
		}
	} else if l, ok := asList(v); ok {
		items = l
	} else {
		return nil, fmt.Errorf("obj must be a list of dicts or a nested dict")
	}
	var keys []string
	if s, ok := asString(p[0]); ok {
		keys = strings.Split(s, ".")
	} else if l, ok := asList(p[0]); ok {
		for _, x := range l {
			keys = append(keys, ToText(x))
		}
	} else {
		return nil, fmt.Errorf("subelements must be a list or a string")
	}
	skip := argBool(p[1], false)
	out := []any{}
	for _, el := range items {
		cur := el
		ok := true
		for i, k := range keys {
			x, found := mapGet(cur, k)
			if !found {
				if skip {
					ok = false
					break
				}
				return nil, fmt.Errorf("could not find '%s' key in iterated item '%s'", k, ToText(cur))
			}
			cur = x
			_ = i
		}
		if !ok {
			continue
		}
		sub, isList := asList(cur)
		if !isList {
			return nil, fmt.Errorf("the key %s should point to a list, got '%s'", keys[len(keys)-1], ToText(cur))
		}
		for _, s := range sub {
			out = append(out, Tuple{el, s})
		}
	}
	return out, nil
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

var saltChars = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func filterPasswordHash(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("password_hash", a, kw, "hashtype", "salt", "salt_size", "rounds", "ident")
	if err != nil {
		return nil, err
	}
	kind := argStr(p[0], "sha512")
	kind = map[string]string{"md5": "md5_crypt", "blowfish": "bcrypt", "sha256": "sha256_crypt", "sha512": "sha512_crypt"}[kind] + ""
	if kind == "" {
		kind = argStr(p[0], "")
	}
	type algo struct {
		id       string
		saltSize int
		implicit int
	}
	algos := map[string]algo{"md5_crypt": {"1", 8, 0}, "bcrypt": {"2b", 22, 12}, "sha256_crypt": {"5", 16, 535000}, "sha512_crypt": {"6", 16, 656000}}
	al, ok := algos[kind]
	if !ok {
		return nil, fmt.Errorf("crypt.crypt does not support '%s' algorithm", kind)
	}
	saltSize := al.saltSize
	if given(p[2]) && p[2] != nil {
		saltSize, _ = toInt(p[2])
	}
	salt := ""
	if given(p[1]) && p[1] != nil {
		salt = ToText(p[1])
	} else if kind != "bcrypt" {
		for i := 0; i < saltSize; i++ {
			salt += string(saltChars[sysRandbelow(len(saltChars))])
		}
	}
	for _, r := range salt {
		if !strings.ContainsRune(saltChars, r) {
			return nil, fmt.Errorf("invalid characters in salt")
		}
	}
	rounds := 0
	if given(p[3]) && p[3] != nil {
		rounds, _ = toInt(p[3])
	}
	if rounds == 0 && kind != "bcrypt" {
		// Ansible passes the implicit rounds explicitly, so they appear in the hash.
		rounds = al.implicit
	}
	return cryptHash(kind, ToText(v), salt, rounds, argStr(p[4], ""))
}
