package template

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"gorun/engine/value"
)

// Python methods on str, list and dict values, as templates call them
// ("a,b".split(","), d.items(), l.index(x), ...).

var strMethods = map[string]bool{
	"split": true, "rsplit": true, "strip": true, "lstrip": true, "rstrip": true, "startswith": true,
	"endswith": true, "replace": true, "upper": true, "lower": true, "title": true, "capitalize": true,
	"format": true, "join": true, "find": true, "rfind": true, "index": true, "rindex": true, "count": true,
	"splitlines": true, "isdigit": true, "isalpha": true, "isalnum": true, "isspace": true, "islower": true,
	"isupper": true, "isnumeric": true, "isdecimal": true, "zfill": true, "center": true, "ljust": true,
	"rjust": true, "partition": true, "rpartition": true, "swapcase": true, "casefold": true,
	"removeprefix": true, "removesuffix": true, "encode": true, "decode": true, "istitle": true,
	"expandtabs": true,
}

var listMethods = map[string]bool{
	"index": true, "count": true, "append": true, "extend": true, "insert": true, "pop": true,
	"remove": true, "reverse": true, "sort": true, "copy": true, "clear": true,
}

var dictMethods = map[string]bool{
	"items": true, "keys": true, "values": true, "get": true, "copy": true, "update": true,
	"pop": true, "setdefault": true, "clear": true,
}

func hasMethod(obj any, name string) bool {
	switch obj.(type) {
	case string, value.Unsafe:
		return strMethods[name]
	case []any:
		return listMethods[name]
	case tuple:
		return name == "index" || name == "count"
	case *value.Dict, map[string]any, Mapping:
		return dictMethods[name]
	}
	return false
}

// mutated is the result of a list method that changes the list: the caller stores list back.
type mutated struct {
	list []any
	ret  any
}

func callMethod(recv any, name string, a []any, kw *value.Dict) (any, error) {
	for _, x := range a {
		if u, ok := x.(*undefined); ok {
			return nil, u.err()
		}
	}
	switch r := recv.(type) {
	case string:
		return strMethod(r, name, a, kw)
	case value.Unsafe:
		return strMethod(string(r), name, a, kw)
	case []any:
		return listMethod(r, name, a)
	case tuple:
		return listMethod([]any(r), name, a)
	}
	if isMapping(recv) {
		return dictMethod(recv, name, a, kw)
	}
	return nil, fmt.Errorf("'%s' object has no attribute '%s'", typeName(recv), name)
}

func strArg(a []any, i int, method string) (string, error) {
	if i >= len(a) {
		return "", fmt.Errorf("%s() missing required argument", method)
	}
	s, ok := asString(a[i])
	if !ok {
		return "", fmt.Errorf("%s() argument must be str, not %s", method, typeName(a[i]))
	}
	return s, nil
}

func strMethod(s, name string, a []any, kw *value.Dict) (any, error) {
	switch name {
	case "upper":
		return strings.ToUpper(s), nil
	case "lower", "casefold":
		return strings.ToLower(s), nil
	case "title":
		return pyTitle(s), nil
	case "capitalize":
		return pyCapitalize(s), nil
	case "swapcase":
		return strings.Map(func(r rune) rune {
			if unicode.IsUpper(r) {
				return unicode.ToLower(r)
			}
			return unicode.ToUpper(r)
		}, s), nil
	case "strip", "lstrip", "rstrip":
		cut := " \t\n\r\v\f"
		if len(a) > 0 && a[0] != nil {
			c, err := strArg(a, 0, name)
			if err != nil {
				return nil, err
			}
			cut = c
		}
		switch name {
		case "strip":
			if len(a) == 0 || a[0] == nil {
				return strings.TrimSpace(s), nil
			}
			return strings.Trim(s, cut), nil
		case "lstrip":
			if len(a) == 0 || a[0] == nil {
				return strings.TrimLeftFunc(s, unicode.IsSpace), nil
			}
			return strings.TrimLeft(s, cut), nil
		}
		if len(a) == 0 || a[0] == nil {
			return strings.TrimRightFunc(s, unicode.IsSpace), nil
		}
		return strings.TrimRight(s, cut), nil
	case "split", "rsplit":
		p, err := bind(name, a, kw, "sep", "maxsplit")
		if err != nil {
			return nil, err
		}
		maxsplit, err := argInt(p[1], -1)
		if err != nil {
			return nil, err
		}
		var parts []string
		if p[0] == missing || p[0] == nil {
			parts = pyWhitespaceSplit(s, maxsplit, name == "rsplit")
		} else {
			sep := argStr(p[0], "")
			if sep == "" {
				return nil, fmt.Errorf("empty separator")
			}
			switch {
			case maxsplit < 0:
				parts = strings.Split(s, sep)
			case name == "split":
				parts = strings.SplitN(s, sep, maxsplit+1)
			default:
				parts = rsplitN(s, sep, maxsplit)
			}
		}
		out := make([]any, len(parts))
		for i, x := range parts {
			out[i] = x
		}
		return out, nil
	case "splitlines":
		keep := len(a) > 0 && argBool(a[0], false)
		return pySplitlines(s, keep), nil
	case "startswith", "endswith":
		if len(a) == 0 {
			return nil, fmt.Errorf("%s() takes at least 1 argument (0 given)", name)
		}
		cands := []any{a[0]}
		if l, ok := a[0].(tuple); ok {
			cands = l
		}
		for _, c := range cands {
			cs, ok := asString(c)
			if !ok {
				return nil, fmt.Errorf("%s first arg must be str or a tuple of str, not %s", name, typeName(c))
			}
			if name == "startswith" && strings.HasPrefix(s, cs) || name == "endswith" && strings.HasSuffix(s, cs) {
				return true, nil
			}
		}
		return false, nil
	case "replace":
		old, err := strArg(a, 0, name)
		if err != nil {
			return nil, err
		}
		nw, err := strArg(a, 1, name)
		if err != nil {
			return nil, err
		}
		n := -1
		if len(a) > 2 {
			if n, err = argInt(a[2], -1); err != nil {
				return nil, err
			}
		}
		return strings.Replace(s, old, nw, n), nil
	case "find", "rfind", "index", "rindex", "count":
		sub, err := strArg(a, 0, name)
		if err != nil {
			return nil, err
		}
		runes := []rune(s)
		start, end := 0, len(runes)
		if len(a) > 1 && a[1] != nil {
			start, _ = argInt(a[1], 0)
			start, _ = sliceBounds(len(runes), start, 0, 1, true, false)
		}
		if len(a) > 2 && a[2] != nil {
			end, _ = argInt(a[2], len(runes))
			_, end = sliceBounds(len(runes), 0, end, 1, false, true)
		}
		if start > end {
			start = end
		}
		hay := string(runes[start:end])
		if name == "count" {
			if sub == "" {
				return len([]rune(hay)) + 1, nil
			}
			return strings.Count(hay, sub), nil
		}
		var i int
		if name == "find" || name == "index" {
			i = strings.Index(hay, sub)
		} else {
			i = strings.LastIndex(hay, sub)
		}
		if i < 0 {
			if name == "index" || name == "rindex" {
				return nil, fmt.Errorf("substring not found")
			}
			return -1, nil
		}
		return start + len([]rune(hay[:i])), nil
	case "join":
		if len(a) != 1 {
			return nil, fmt.Errorf("join() takes exactly one argument")
		}
		items, err := iterate(a[0])
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		for i, it := range items {
			p, ok := asString(it)
			if !ok {
				return nil, fmt.Errorf("sequence item %d: expected str instance, %s found", i, typeName(it))
			}
			parts[i] = p
		}
		return strings.Join(parts, s), nil
	case "format":
		return pyFormat(s, a, kw)
	case "isdigit", "isnumeric", "isdecimal":
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0, nil
	case "isalpha":
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) < 0, nil
	case "isalnum":
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) < 0, nil
	case "isspace":
		return s != "" && strings.TrimSpace(s) == "", nil
	case "islower":
		return strings.ToLower(s) == s && strings.ToUpper(s) != s, nil
	case "isupper":
		return strings.ToUpper(s) == s && strings.ToLower(s) != s, nil
	case "istitle":
		return s != "" && pyTitle(s) == s, nil
	case "zfill":
		w, err := argInt(a[0], 0)
		if err != nil {
			return nil, err
		}
		n := len([]rune(s))
		if n >= w {
			return s, nil
		}
		sign := ""
		if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
			sign, s = s[:1], s[1:]
		}
		return sign + strings.Repeat("0", w-n) + s, nil
	case "center", "ljust", "rjust":
		w, err := argInt(a[0], 0)
		if err != nil {
			return nil, err
		}
		fill := " "
		if len(a) > 1 {
			fill, _ = asString(a[1])
		}
		n := len([]rune(s))
		if n >= w {
			return s, nil
		}
		pad := w - n
		switch name {
		case "ljust":
			return s + strings.Repeat(fill, pad), nil
		case "rjust":
			return strings.Repeat(fill, pad) + s, nil
		}
		left := pad / 2
		if pad%2 == 1 && w%2 == 1 {
			left++
		}
		return strings.Repeat(fill, left) + s + strings.Repeat(fill, pad-left), nil
	case "partition", "rpartition":
		sep, err := strArg(a, 0, name)
		if err != nil {
			return nil, err
		}
		var i int
		if name == "partition" {
			i = strings.Index(s, sep)
		} else {
			i = strings.LastIndex(s, sep)
		}
		if i < 0 {
			if name == "partition" {
				return tuple{s, "", ""}, nil
			}
			return tuple{"", "", s}, nil
		}
		return tuple{s[:i], sep, s[i+len(sep):]}, nil
	case "removeprefix":
		p, err := strArg(a, 0, name)
		if err != nil {
			return nil, err
		}
		return strings.TrimPrefix(s, p), nil
	case "removesuffix":
		p, err := strArg(a, 0, name)
		if err != nil {
			return nil, err
		}
		return strings.TrimSuffix(s, p), nil
	case "encode", "decode":
		return s, nil
	case "expandtabs":
		return strings.ReplaceAll(s, "\t", "        "), nil
	}
	return nil, fmt.Errorf("'str' object has no attribute '%s'", name)
}

func pyTitle(s string) string {
	var b strings.Builder
	prevLetter := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if prevLetter {
				b.WriteRune(unicode.ToLower(r))
			} else {
				b.WriteRune(unicode.ToUpper(r))
			}
			prevLetter = true
		} else {
			b.WriteRune(r)
			prevLetter = unicode.IsDigit(r) && false
		}
	}
	return b.String()
}

func pyCapitalize(s string) string {
	r := []rune(strings.ToLower(s))
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func pyWhitespaceSplit(s string, maxsplit int, fromRight bool) []string {
	fields := strings.Fields(s)
	if maxsplit < 0 || len(fields) <= maxsplit+1 {
		return fields
	}
	if !fromRight {
		// keep the remainder as written
		rest := s
		var out []string
		for i := 0; i < maxsplit; i++ {
			rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
			j := strings.IndexFunc(rest, unicode.IsSpace)
			out = append(out, rest[:j])
			rest = rest[j:]
		}
		return append(out, strings.TrimLeftFunc(rest, unicode.IsSpace))
	}
	rest := s
	var out []string
	for i := 0; i < maxsplit; i++ {
		rest = strings.TrimRightFunc(rest, unicode.IsSpace)
		j := strings.LastIndexFunc(rest, unicode.IsSpace)
		out = append([]string{rest[j+1:]}, out...)
		rest = rest[:j+1]
	}
	return append([]string{strings.TrimRightFunc(rest, unicode.IsSpace)}, out...)
}

func rsplitN(s, sep string, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		j := strings.LastIndex(s, sep)
		if j < 0 {
			break
		}
		out = append([]string{s[j+len(sep):]}, out...)
		s = s[:j]
	}
	return append([]string{s}, out...)
}

func pySplitlines(s string, keep bool) []any {
	out := []any{}
	start := 0
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85 || c == 0x2028 || c == 0x2029 {
			end := i
			if c == '\r' && i+1 < len(r) && r[i+1] == '\n' {
				i++
			}
			if keep {
				out = append(out, string(r[start:i+1]))
			} else {
				out = append(out, string(r[start:end]))
			}
			start = i + 1
		}
	}
	if start < len(r) {
		out = append(out, string(r[start:]))
	}
	return out
}

func listMethod(l []any, name string, a []any) (any, error) {
	switch name {
	case "index":
		if len(a) == 0 {
			return nil, fmt.Errorf("index expected at least 1 argument, got 0")
		}
		for i, x := range l {
			if equal(x, a[0]) {
				return i, nil
			}
		}
		return nil, fmt.Errorf("%s is not in list", pyRepr(a[0]))
	case "count":
		n := 0
		for _, x := range l {
			if len(a) > 0 && equal(x, a[0]) {
				n++
			}
		}
		return n, nil
	case "copy":
		return deepCopyList(l), nil
	case "append":
		if len(a) != 1 {
			return nil, fmt.Errorf("append() takes exactly one argument (%d given)", len(a))
		}
		return mutated{list: append(deepCopyList(l), a[0])}, nil
	case "extend":
		if len(a) != 1 {
			return nil, fmt.Errorf("extend() takes exactly one argument (%d given)", len(a))
		}
		items, err := iterate(a[0])
		if err != nil {
			return nil, err
		}
		return mutated{list: append(deepCopyList(l), items...)}, nil
	case "insert":
		if len(a) != 2 {
			return nil, fmt.Errorf("insert expected 2 arguments, got %d", len(a))
		}
		i, _ := toInt(a[0])
		if i < 0 {
			i += len(l)
		}
		i = max(0, min(i, len(l)))
		out := append(deepCopyList(l[:i]), a[1])
		return mutated{list: append(out, l[i:]...)}, nil
	case "pop":
		if len(l) == 0 {
			return nil, fmt.Errorf("pop from empty list")
		}
		i := len(l) - 1
		if len(a) > 0 {
			i, _ = toInt(a[0])
			if i < 0 {
				i += len(l)
			}
		}
		if i < 0 || i >= len(l) {
			return nil, fmt.Errorf("pop index out of range")
		}
		out := append(deepCopyList(l[:i]), l[i+1:]...)
		return mutated{list: out, ret: l[i]}, nil
	case "remove":
		for i, x := range l {
			if len(a) > 0 && equal(x, a[0]) {
				return mutated{list: append(deepCopyList(l[:i]), l[i+1:]...)}, nil
			}
		}
		return nil, fmt.Errorf("list.remove(x): x not in list")
	case "reverse":
		out := deepCopyList(l)
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return mutated{list: out}, nil
	case "sort":
		out := deepCopyList(l)
		var err error
		sort.SliceStable(out, func(i, j int) bool {
			c, e := compare(out[i], out[j])
			if e != nil {
				err = e
			}
			return c < 0
		})
		if err != nil {
			return nil, err
		}
		return mutated{list: out}, nil
	case "clear":
		return mutated{list: []any{}}, nil
	}
	return nil, fmt.Errorf("'list' object has no attribute '%s'", name)
}

func dictMethod(d any, name string, a []any, kw *value.Dict) (any, error) {
	switch name {
	case "items":
		out := []any{}
		for _, k := range mapKeys(d) {
			v, _ := mapGet(d, k)
			out = append(out, tuple{k, v})
		}
		return &rolled{items: out, typ: "dict_items"}, nil
	case "keys":
		out := []any{}
		for _, k := range mapKeys(d) {
			out = append(out, k)
		}
		return &rolled{items: out, typ: "dict_keys"}, nil
	case "values":
		out := []any{}
		for _, k := range mapKeys(d) {
			v, _ := mapGet(d, k)
			out = append(out, v)
		}
		return &rolled{items: out, typ: "dict_values"}, nil
	case "get":
		if len(a) == 0 {
			return nil, fmt.Errorf("get expected at least 1 argument, got 0")
		}
		var def any
		if len(a) > 1 {
			def = a[1]
		}
		k, ok := asString(a[0])
		if !ok {
			k = ToText(a[0])
		}
		if v, found := mapGet(d, k); found {
			return resolveLazy(v), nil
		}
		return def, nil
	case "copy":
		return toDict(d), nil
	case "update":
		dd, ok := d.(*value.Dict)
		if !ok {
			if m, isMap := d.(map[string]any); isMap {
				for _, src := range a {
					for _, k := range mapKeys(src) {
						m[k], _ = mapGet(src, k)
					}
				}
				for _, k := range kw.Keys() {
					m[k], _ = kw.Get(k)
				}
				return nil, nil
			}
			return nil, fmt.Errorf("dict is read-only")
		}
		for _, src := range a {
			if !isMapping(src) {
				return nil, fmt.Errorf("'%s' object is not iterable", typeName(src))
			}
			for _, k := range mapKeys(src) {
				v, _ := mapGet(src, k)
				dd.Set(k, v)
			}
		}
		for _, k := range kw.Keys() {
			v, _ := kw.Get(k)
			dd.Set(k, v)
		}
		return nil, nil
	case "pop", "setdefault":
		dd, ok := d.(*value.Dict)
		if !ok || len(a) == 0 {
			return nil, fmt.Errorf("dict.%s is not supported here", name)
		}
		k := keyString(a[0])
		v, found := dd.Get(k)
		if name == "setdefault" {
			if !found {
				var def any
				if len(a) > 1 {
					def = a[1]
				}
				dd.Set(k, def)
				return def, nil
			}
			return v, nil
		}
		if found {
			dd.Delete(k)
			return v, nil
		}
		if len(a) > 1 {
			return a[1], nil
		}
		return nil, fmt.Errorf("KeyError: %s", pyRepr(a[0]))
	case "clear":
		if dd, ok := d.(*value.Dict); ok {
			for _, k := range append([]string(nil), dd.Keys()...) {
				dd.Delete(k)
			}
		}
		return nil, nil
	}
	return nil, fmt.Errorf("'dict' object has no attribute '%s'", name)
}
