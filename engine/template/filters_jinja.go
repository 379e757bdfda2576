package template

import (
	"errors"
	"fmt"
	"html"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"gorun/engine/value"
)

// Jinja2's builtin filters.

func init() {
	register("default d", filterDefault)
	register("abs", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		switch n := v.(type) {
		case int:
			if n < 0 {
				return -n, nil
			}
			return n, nil
		case float64:
			return math.Abs(n), nil
		case bool:
			return b2i(n), nil
		}
		return nil, fmt.Errorf("bad operand type for abs(): '%s'", typeName(v))
	})
	register("attr", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if len(a) != 1 {
			return nil, fmt.Errorf("attr() takes exactly one argument")
		}
		// Jinja's attr looks up attributes only, never items.
		name := ToText(a[0])
		if hasMethod(v, name) {
			return &boundMethod{recv: v, name: name}, nil
		}
		switch v.(type) {
		case *value.Dict, map[string]any, []any, string, tuple:
			return &undefined{hint: fmt.Sprintf("'%s' has no attribute '%s'", objName(v), name)}, nil
		}
		return ev.getattr(v, name)
	})
	register("batch", filterBatch)
	register("capitalize", strFilter(pyCapitalize))
	register("upper", strFilter(strings.ToUpper))
	register("lower", strFilter(strings.ToLower))
	register("title", strFilter(pyTitle))
	register("trim", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("trim", a, kw, "chars")
		if err != nil {
			return nil, err
		}
		s := ToText(v)
		if given(p[0]) && p[0] != nil {
			return strings.Trim(s, argStr(p[0], "")), nil
		}
		return strings.TrimSpace(s), nil
	})
	register("center", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("center", a, kw, "width")
		if err != nil {
			return nil, err
		}
		w, err := argInt(p[0], 80)
		if err != nil {
			return nil, err
		}
		return strMethod(ToText(v), "center", []any{w}, value.NewDict())
	})
	register("dictsort", filterDictsort)
	register("escape e forceescape", strFilter(func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&#34;", "'", "&#39;").Replace(s)
	}))
	register("safe", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return ToText(v), nil })
	register("filesizeformat", filterFilesizeformat)
	register("first", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return &undefined{hint: "No first item, sequence was empty."}, nil
		}
		return items[0], nil
	})
	register("last", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return &undefined{hint: "No last item, sequence was empty."}, nil
		}
		return items[len(items)-1], nil
	})
	register("float", filterFloat)
	register("int", filterInt)
	register("format", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if kw.Len() > 0 && len(a) > 0 {
			return nil, fmt.Errorf("can't handle positional and keyword arguments at the same time")
		}
		if kw.Len() > 0 {
			return pyPercent(ToText(v), kw)
		}
		return pyPercent(ToText(v), tuple(a))
	})
	register("groupby", filterGroupby)
	register("indent", filterIndent)
	register("items", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if !isMapping(v) {
			return nil, fmt.Errorf("Can only get item pairs from a mapping.")
		}
		return dictMethod(v, "items", nil, nil)
	})
	register("join", filterJoin)
	register("length count", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		switch x := v.(type) {
		case string:
			return len([]rune(x)), nil
		case value.Unsafe:
			return len([]rune(string(x))), nil
		}
		if isMapping(v) {
			return mapLen(v), nil
		}
		if l, ok := asList(v); ok {
			return len(l), nil
		}
		return nil, fmt.Errorf("object of type '%s' has no len()", typeName(v))
	})
	register("list", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		return deepCopyList(items), nil
	})
	register("map", filterMap)
	register("max", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return minMax(ev, v, a, kw, 1) })
	register("min", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return minMax(ev, v, a, kw, -1) })
	register("pprint", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return pyRepr(v), nil })
	register("reject", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return selectReject(ev, v, a, kw, false, false)
	})
	register("select", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return selectReject(ev, v, a, kw, true, false)
	})
	register("rejectattr", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return selectReject(ev, v, a, kw, false, true)
	})
	register("selectattr", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return selectReject(ev, v, a, kw, true, true)
	})
	register("replace", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("replace", a, kw, "old", "new", "count")
		if err != nil {
			return nil, err
		}
		n, err := argInt(p[2], -1)
		if err != nil {
			return nil, err
		}
		return strings.Replace(ToText(v), argStr(p[0], ""), argStr(p[1], ""), n), nil
	})
	register("reverse", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if s, ok := asString(v); ok {
			r := []rune(s)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return string(r), nil
		}
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(items))
		for i, it := range items {
			out[len(items)-1-i] = it
		}
		return out, nil
	})
	register("round", filterRound)
	register("slice", filterSlice)
	register("sort", filterSort)
	register("string", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return ToText(v), nil })
	register("striptags", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s := ToText(v)
		var b strings.Builder
		in := false
		for _, r := range s {
			switch {
			case r == '<':
				in = true
			case r == '>' && in:
				in = false
			case !in:
				b.WriteRune(r)
			}
		}
		return strings.Join(strings.Fields(html.UnescapeString(b.String())), " "), nil
	})
	register("sum", filterSum)
	register("tojson", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s, err := toJSON(v, -1, true, false)
		if err != nil {
			return nil, err
		}
		return strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`).Replace(s), nil
	})
	register("truncate", filterTruncate)
	register("unique", filterUnique)
	register("urlencode", filterURLEncode)
	register("wordcount", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return len(strings.FieldsFunc(ToText(v), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' })), nil
	})
	register("wordwrap", filterWordwrap)
	register("xmlattr", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		var parts []string
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			if x == nil {
				continue
			}
			if _, u := x.(*undefined); u {
				continue
			}
			parts = append(parts, fmt.Sprintf(`%s="%s"`, k, html.EscapeString(ToText(x))))
		}
		s := strings.Join(parts, " ")
		if len(parts) > 0 && argBool(or(first(a), true), true) {
			s = " " + s
		}
		return s, nil
	})
}

func first(a []any) any {
	if len(a) == 0 {
		return missing
	}
	return a[0]
}

func strFilter(fn func(string) string) filterFunc {
	return func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return fn(ToText(v)), nil }
}

func filterDefault(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("default", a, kw, "default_value", "boolean")
	if err != nil {
		return nil, err
	}
	def := or(p[0], "")
	if _, undef := v.(*undefined); undef {
		return def, nil
	}
	if argBool(p[1], false) {
		t, err := truthy(v)
		if err != nil {
			return nil, err
		}
		if !t {
			return def, nil
		}
	}
	return v, nil
}

func filterBatch(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("batch", a, kw, "linecount", "fill_with")
	if err != nil {
		return nil, err
	}
	n, err := argInt(p[0], 1)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, fmt.Errorf("batch size must be positive")
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for i := 0; i < len(items); i += n {
		chunk := deepCopyList(items[i:min(i+n, len(items))])
		if len(chunk) < n && given(p[1]) && p[1] != nil {
			for len(chunk) < n {
				chunk = append(chunk, p[1])
			}
		}
		out = append(out, chunk)
	}
	return out, nil
}

func filterDictsort(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("dictsort", a, kw, "case_sensitive", "by", "reverse")
	if err != nil {
		return nil, err
	}
	if !isMapping(v) {
		return nil, fmt.Errorf("You can only sort by either \"key\" or \"value\"")
	}
	by := argStr(p[1], "key")
	if by != "key" && by != "value" {
		return nil, fmt.Errorf("You can only sort by either \"key\" or \"value\"")
	}
	cs := argBool(p[0], false)
	var items []any
	for _, k := range mapKeys(v) {
		x, _ := mapGet(v, k)
		items = append(items, tuple{k, x})
	}
	idx := 0
	if by == "value" {
		idx = 1
	}
	var serr error
	sort.SliceStable(items, func(i, j int) bool {
		x, y := items[i].(tuple)[idx], items[j].(tuple)[idx]
		if !cs {
			x, y = lowerIfStr(x), lowerIfStr(y)
		}
		c, err := compare(x, y)
		if err != nil {
			serr = err
		}
		if argBool(p[2], false) {
			return c > 0
		}
		return c < 0
	})
	if items == nil {
		items = []any{}
	}
	return items, serr
}

func lowerIfStr(v any) any {
	if s, ok := asString(v); ok {
		return strings.ToLower(s)
	}
	return v
}

func filterFilesizeformat(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("filesizeformat", a, kw, "binary")
	if err != nil {
		return nil, err
	}
	f, ok := toFloat(v)
	if !ok {
		s, _ := asString(v)
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Errorf("could not convert string to float: %s", pyRepr(v))
		}
	}
	binary := argBool(p[0], false)
	base := 1000.0
	prefixes := []string{"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"}
	if binary {
		base = 1024
		prefixes = []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"}
	}
	if f == 1 {
		return "1 Byte", nil
	}
	if f < base {
		return fmt.Sprintf("%d Bytes", int(f)), nil
	}
	unit := base
	for i, pre := range prefixes {
		unit = math.Pow(base, float64(i+2))
		if f < unit {
			return fmt.Sprintf("%.1f %s", base*f/unit, pre), nil
		}
	}
	return fmt.Sprintf("%.1f %s", base*f/unit, prefixes[len(prefixes)-1]), nil
}

func filterFloat(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("float", a, kw, "default")
	if err != nil {
		return nil, err
	}
	def := or(p[0], 0.0)
	switch x := plain(v).(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	case bool:
		return float64(b2i(x)), nil
	case string:
		s := strings.TrimSpace(strings.ReplaceAll(x, "_", ""))
		switch strings.ToLower(s) {
		case "inf", "+inf", "infinity":
			return math.Inf(1), nil
		case "-inf", "-infinity":
			return math.Inf(-1), nil
		case "nan":
			return math.NaN(), nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, nil
		}
	}
	return def, nil
}

func filterInt(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("int", a, kw, "default", "base")
	if err != nil {
		return nil, err
	}
	def := or(p[0], 0)
	base, err := argInt(p[1], 10)
	if err != nil {
		return nil, err
	}
	if s, ok := asString(v); ok {
		s = strings.TrimSpace(strings.ReplaceAll(s, "_", ""))
		if base != 10 {
			t := strings.ToLower(s)
			for _, pre := range []string{"0x", "0o", "0b"} {
				if strings.HasPrefix(t, pre) {
					t = t[2:]
				}
			}
			if i, err := strconv.ParseInt(t, base, 64); err == nil {
				return int(i), nil
			}
			return def, nil
		}
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return int(i), nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return int(f), nil
		}
		return def, nil
	}
	if i, ok := toInt(v); ok {
		return i, nil
	}
	return def, nil
}

// attrGetter builds Jinja's make_attrgetter: dotted attribute paths, numeric parts as indexes.
func (ev *evaluator) attrGetter(attr string, def any) func(v any) (any, error) {
	parts := strings.Split(attr, ".")
	return func(v any) (any, error) {
		cur := v
		for _, p := range parts {
			var key any = p
			if i, err := strconv.Atoi(p); err == nil {
				key = i
			}
			var err error
			if cur, err = ev.getitem(cur, key); err != nil {
				return nil, err
			}
			if _, ok := cur.(*undefined); ok && def != missing {
				return def, nil
			}
		}
		return cur, nil
	}
}

func filterGroupby(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("groupby", a, kw, "attribute", "default", "case_sensitive")
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	get := ev.attrGetter(argStr(p[0], ""), p[1])
	type kv struct{ k, v any }
	keyed := make([]kv, 0, len(items))
	for _, it := range items {
		k, err := get(it)
		if err != nil {
			return nil, err
		}
		if u, ok := k.(*undefined); ok {
			return nil, u.err()
		}
		keyed = append(keyed, kv{k, it})
	}
	cs := argBool(p[2], false)
	norm := func(x any) any {
		if !cs {
			return lowerIfStr(x)
		}
		return x
	}
	var serr error
	sort.SliceStable(keyed, func(i, j int) bool {
		c, err := compare(norm(keyed[i].k), norm(keyed[j].k))
		if err != nil {
			serr = err
		}
		return c < 0
	})
	if serr != nil {
		return nil, serr
	}
	out := []any{}
	for i := 0; i < len(keyed); {
		j := i
		var group []any
		for j < len(keyed) && equal(norm(keyed[j].k), norm(keyed[i].k)) {
			group = append(group, keyed[j].v)
			j++
		}
		out = append(out, tuple{keyed[i].k, group})
		i = j
	}
	return out, nil
}

func filterIndent(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("indent", a, kw, "width", "first", "blank")
	if err != nil {
		return nil, err
	}
	ind := "    "
	if given(p[0]) {
		if s, ok := asString(p[0]); ok {
			ind = s
		} else {
			n, err := argInt(p[0], 4)
			if err != nil {
				return nil, err
			}
			ind = strings.Repeat(" ", n)
		}
	}
	s := ToText(v)
	s += "\n"
	lines := strings.Split(s, "\n")
	lines = lines[:len(lines)-1]
	blank := argBool(p[2], false)
	for i := 1; i < len(lines); i++ {
		if blank || strings.TrimSpace(lines[i]) != "" {
			lines[i] = ind + lines[i]
		}
	}
	if argBool(p[1], false) && len(lines) > 0 && (blank || strings.TrimSpace(lines[0]) != "") {
		lines[0] = ind + lines[0]
	}
	return strings.Join(lines, "\n"), nil
}

func filterJoin(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("join", a, kw, "d", "attribute")
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if given(p[1]) && p[1] != nil {
		get := ev.attrGetter(ToText(p[1]), missing)
		for i, it := range items {
			if items[i], err = get(it); err != nil {
				return nil, err
			}
		}
	}
	parts := make([]string, len(items))
	for i, it := range items {
		if parts[i], err = outputText(it); err != nil {
			return nil, err
		}
		if it == nil {
			parts[i] = "None"
		}
	}
	return strings.Join(parts, argStr(p[0], "")), nil
}

func filterMap(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	if len(a) == 0 {
		if attr, ok := kw.Get("attribute"); ok {
			def := any(missing)
			if d, ok := kw.Get("default"); ok {
				def = d
			}
			get := ev.attrGetter(ToText(attr), def)
			for _, it := range items {
				x, err := get(it)
				if err != nil {
					return nil, err
				}
				out = append(out, x)
			}
			return out, nil
		}
		return nil, fmt.Errorf("map requires a filter argument")
	}
	name := ToText(a[0])
	fn, ok := filters[filterName(name)]
	if !ok {
		return nil, fmt.Errorf("No filter named '%s'.", name)
	}
	for _, it := range items {
		if u, ok := it.(*undefined); ok && !undefinedOK[filterName(name)] {
			return nil, u.err()
		}
		x, err := fn(ev, it, a[1:], kw)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func minMax(ev *evaluator, v any, a []any, kw *value.Dict, sign int) (any, error) {
	p, err := bind("max", a, kw, "case_sensitive", "attribute")
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return &undefined{hint: "No aggregated item, sequence was empty."}, nil
	}
	key := func(x any) (any, error) { return x, nil }
	if given(p[1]) && p[1] != nil {
		key = ev.attrGetter(ToText(p[1]), missing)
	}
	cs := argBool(p[0], false)
	best := items[0]
	bk, err := key(best)
	if err != nil {
		return nil, err
	}
	for _, it := range items[1:] {
		k, err := key(it)
		if err != nil {
			return nil, err
		}
		x, y := k, bk
		if !cs {
			x, y = lowerIfStr(x), lowerIfStr(y)
		}
		c, err := compare(x, y)
		if err != nil {
			return nil, err
		}
		if c*sign > 0 {
			best, bk = it, k
		}
	}
	return best, nil
}

func selectReject(ev *evaluator, v any, a []any, kw *value.Dict, keep, byAttr bool) (any, error) {
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	get := func(x any) (any, error) { return x, nil }
	if byAttr {
		if len(a) == 0 {
			return nil, fmt.Errorf("Missing parameter for attribute name")
		}
		get = ev.attrGetter(ToText(a[0]), missing)
		a = a[1:]
	}
	var test testFunc
	if len(a) > 0 {
		name := ToText(a[0])
		t, ok := tests[testName(name)]
		if !ok {
			return nil, fmt.Errorf("No test named '%s'.", name)
		}
		test = t
		a = a[1:]
	}
	out := []any{}
	for _, it := range items {
		x, err := get(it)
		if err != nil {
			return nil, err
		}
		var ok bool
		if test == nil {
			if ok, err = truthy(x); err != nil {
				return nil, err
			}
		} else {
			// A test returning None (errTestNone) selects like False.
			if ok, err = test(ev, x, a, kw); err != nil && !errors.Is(err, errTestNone) {
				return nil, err
			}
		}
		if ok == keep {
			out = append(out, it)
		}
	}
	return out, nil
}

func filterRound(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("round", a, kw, "precision", "method")
	if err != nil {
		return nil, err
	}
	prec, err := argInt(p[0], 0)
	if err != nil {
		return nil, err
	}
	method := argStr(p[1], "common")
	f, ok := toFloat(plain(v))
	if !ok {
		return nil, fmt.Errorf("type %s doesn't define __round__ method", typeName(v))
	}
	m := math.Pow(10, float64(prec))
	switch method {
	case "common":
		if prec < 0 {
			d := math.Pow(10, float64(-prec))
			return math.RoundToEven(f/d) * d, nil
		}
		// Python's round() is round-half-even on the exact binary value.
		s := strconv.FormatFloat(f, 'f', prec, 64)
		r, _ := strconv.ParseFloat(s, 64)
		return r, nil
	case "ceil":
		return math.Ceil(f*m) / m, nil
	case "floor":
		return math.Floor(f*m) / m, nil
	}
	return nil, fmt.Errorf("method must be common, ceil or floor")
}

func filterSlice(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("slice", a, kw, "slices", "fill_with")
	if err != nil {
		return nil, err
	}
	n, err := argInt(p[0], 1)
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, fmt.Errorf("slices must be positive")
	}
	per := len(items) / n
	extra := len(items) % n
	offset := 0
	out := []any{}
	for i := 0; i < n; i++ {
		start := offset + i*per
		if i < extra {
			offset++
		}
		end := offset + (i+1)*per
		chunk := deepCopyList(items[start:end])
		if given(p[1]) && p[1] != nil && i >= extra {
			chunk = append(chunk, p[1])
		}
		out = append(out, chunk)
	}
	return out, nil
}

func filterSort(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("sort", a, kw, "reverse", "case_sensitive", "attribute")
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	items = deepCopyList(items)
	var getters []func(any) (any, error)
	if given(p[2]) && p[2] != nil {
		for _, attr := range strings.Split(ToText(p[2]), ",") {
			getters = append(getters, ev.attrGetter(strings.TrimSpace(attr), missing))
		}
	} else {
		getters = append(getters, func(x any) (any, error) { return x, nil })
	}
	cs := argBool(p[1], false)
	rev := argBool(p[0], false)
	var serr error
	sort.SliceStable(items, func(i, j int) bool {
		for _, g := range getters {
			x, e1 := g(items[i])
			y, e2 := g(items[j])
			if e1 != nil || e2 != nil {
				serr = fmt.Errorf("sort: %v %v", e1, e2)
				return false
			}
			if !cs {
				x, y = lowerIfStr(x), lowerIfStr(y)
			}
			c, err := compare(x, y)
			if err != nil {
				serr = err
				return false
			}
			if c != 0 {
				if rev {
					return c > 0
				}
				return c < 0
			}
		}
		return false
	})
	return items, serr
}

func filterSum(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("sum", a, kw, "attribute", "start")
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	var total any = or(p[1], 0)
	get := func(x any) (any, error) { return x, nil }
	if given(p[0]) && p[0] != nil {
		get = ev.attrGetter(ToText(p[0]), missing)
	}
	for _, it := range items {
		x, err := get(it)
		if err != nil {
			return nil, err
		}
		if total, err = binaryOp("+", total, x); err != nil {
			return nil, err
		}
	}
	return total, nil
}

func filterTruncate(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("truncate", a, kw, "length", "killwords", "end", "leeway")
	if err != nil {
		return nil, err
	}
	s := []rune(ToText(v))
	length, err := argInt(p[0], 255)
	if err != nil {
		return nil, err
	}
	end := argStr(p[2], "...")
	leeway, err := argInt(p[3], 5)
	if err != nil {
		return nil, err
	}
	if len(s) <= length+leeway {
		return string(s), nil
	}
	cut := max(length-len([]rune(end)), 0)
	if argBool(p[1], false) {
		return string(s[:cut]) + end, nil
	}
	res := string(s[:cut])
	if i := strings.LastIndex(res, " "); i >= 0 {
		res = res[:i]
	}
	return res + end, nil
}

func filterUnique(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("unique", a, kw, "case_sensitive", "attribute")
	if err != nil {
		return nil, err
	}
	items, err := iterate(v)
	if err != nil {
		return nil, err
	}
	get := func(x any) (any, error) { return x, nil }
	if given(p[1]) && p[1] != nil {
		get = ev.attrGetter(ToText(p[1]), missing)
	}
	cs := argBool(p[0], false)
	out := []any{}
	var seen []any
	for _, it := range items {
		k, err := get(it)
		if err != nil {
			return nil, err
		}
		if !cs {
			k = lowerIfStr(k)
		}
		dup := false
		for _, s := range seen {
			if equal(s, k) {
				dup = true
				break
			}
		}
		if !dup {
			seen = append(seen, k)
			out = append(out, it)
		}
	}
	return out, nil
}

func filterURLEncode(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	quote := func(x any) string {
		return strings.ReplaceAll(url.QueryEscape(ToText(x)), "%2F", "/")
	}
	if s, ok := asString(v); ok {
		return strings.ReplaceAll(url.QueryEscape(s), "+", "%20"), nil
	}
	var parts []string
	if isMapping(v) {
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			parts = append(parts, quote(k)+"="+quote(x))
		}
	} else {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			pair, _ := asList(it)
			if len(pair) == 2 {
				parts = append(parts, quote(pair[0])+"="+quote(pair[1]))
			}
		}
	}
	return strings.Join(parts, "&"), nil
}

func filterWordwrap(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("wordwrap", a, kw, "width", "break_long_words", "wrapstring", "break_on_hyphens")
	if err != nil {
		return nil, err
	}
	width, err := argInt(p[0], 79)
	if err != nil {
		return nil, err
	}
	wrap := argStr(p[2], "\n")
	var out []string
	for _, para := range strings.Split(ToText(v), "\n") {
		words := strings.Fields(para)
		line := ""
		var lines []string
		for _, w := range words {
			switch {
			case line == "":
				line = w
			case len([]rune(line))+1+len([]rune(w)) <= width:
				line += " " + w
			default:
				lines = append(lines, line)
				line = w
			}
		}
		if line != "" || len(lines) == 0 {
			lines = append(lines, line)
		}
		out = append(out, strings.Join(lines, wrap))
	}
	return strings.Join(out, wrap), nil
}
