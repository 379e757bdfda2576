package template

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorun/engine/value"
)

// Ansible's mathstuff filters, comment, strftime.

func init() {
	register("log", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		x, ok := toFloat(plain(v))
		if !ok {
			return nil, fmt.Errorf("log() can only be used on numbers")
		}
		if len(a) == 0 {
			return math.Log(x), nil
		}
		base, ok := toFloat(a[0])
		if !ok {
			return nil, fmt.Errorf("log() can only be used on numbers")
		}
		if base == 10 {
			return math.Log10(x), nil
		}
		return math.Log(x) / math.Log(base), nil
	})
	register("pow", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		x, ok1 := toFloat(plain(v))
		y, ok2 := toFloat(first(a))
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("pow() can only be used on numbers")
		}
		return pyPow(x, y), nil
	})
	register("root", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		x, ok := toFloat(plain(v))
		if !ok {
			return nil, fmt.Errorf("root() can only be used on numbers")
		}
		base := 2.0
		if len(a) > 0 {
			base, _ = toFloat(a[0])
		}
		if base == 2 {
			return math.Sqrt(x), nil
		}
		return pyPow(x, 1/base), nil
	})
	register("intersect", setOp(func(a, b []any) []any {
		var out []any
		for _, x := range a {
			if listHas(b, x) && !listHas(out, x) {
				out = append(out, x)
			}
		}
		return out
	}))
	register("difference", setOp(func(a, b []any) []any {
		var out []any
		for _, x := range a {
			if !listHas(b, x) && !listHas(out, x) {
				out = append(out, x)
			}
		}
		return out
	}))
	register("symmetric_difference", setOp(func(a, b []any) []any {
		var out []any
		for _, x := range append(deepCopyList(a), b...) {
			if listHas(a, x) && listHas(b, x) || listHas(out, x) {
				continue
			}
			out = append(out, x)
		}
		return out
	}))
	register("union", setOp(func(a, b []any) []any {
		var out []any
		for _, x := range append(deepCopyList(a), b...) {
			if !listHas(out, x) {
				out = append(out, x)
			}
		}
		return out
	}))
	register("product", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		lists := [][]any{}
		for _, x := range append([]any{v}, a...) {
			l, err := iterate(x)
			if err != nil {
				return nil, err
			}
			lists = append(lists, l)
		}
		if r, ok := kw.Get("repeat"); ok {
			n, _ := toInt(r)
			base := lists
			lists = nil
			for i := 0; i < n; i++ {
				lists = append(lists, base...)
			}
		}
		out := []any{tuple{}}
		for _, l := range lists {
			var next []any
			for _, prefix := range out {
				for _, x := range l {
					next = append(next, append(append(tuple{}, prefix.(tuple)...), x))
				}
			}
			out = next
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	})
	register("permutations", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		r := len(items)
		if len(a) > 0 && a[0] != nil {
			r, _ = toInt(a[0])
		}
		out := []any{}
		var rec func(prefix tuple, used []bool)
		rec = func(prefix tuple, used []bool) {
			if len(prefix) == r {
				out = append(out, append(tuple{}, prefix...))
				return
			}
			for i, x := range items {
				if !used[i] {
					used[i] = true
					rec(append(prefix, x), used)
					used[i] = false
				}
			}
		}
		if r <= len(items) {
			rec(tuple{}, make([]bool, len(items)))
		}
		return out, nil
	})
	register("combinations", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		items, err := iterate(v)
		if err != nil {
			return nil, err
		}
		r, err := argInt(first(a), 0)
		if err != nil {
			return nil, err
		}
		out := []any{}
		var rec func(start int, prefix tuple)
		rec = func(start int, prefix tuple) {
			if len(prefix) == r {
				out = append(out, append(tuple{}, prefix...))
				return
			}
			for i := start; i < len(items); i++ {
				rec(i+1, append(prefix, items[i]))
			}
		}
		rec(0, tuple{})
		return out, nil
	})
	register("zip", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return zipLists(v, a, false, nil) })
	register("zip_longest", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		fill, _ := kw.Get("fillvalue")
		return zipLists(v, a, true, fill)
	})
	register("human_readable", filterHumanReadable)
	register("human_to_bytes", filterHumanToBytes)
	register("rekey_on_member", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("rekey_on_member", a, kw, "key", "duplicates")
		if err != nil {
			return nil, err
		}
		dup := argStr(p[1], "error")
		if dup != "error" && dup != "overwrite" {
			return nil, fmt.Errorf("duplicates parameter to rekey_on_member has unknown value: %s", dup)
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
			return nil, fmt.Errorf("Type is not a valid list, set, or dict")
		}
		key := argStr(p[0], "")
		out := value.NewDict()
		for _, it := range items {
			if !isMapping(it) {
				return nil, fmt.Errorf("List item is not a valid dict")
			}
			kv, ok := mapGet(it, key)
			if !ok {
				return nil, fmt.Errorf("Key %s was not found", key)
			}
			k := keyString(kv)
			if prev, ok := out.Get(k); ok && prev != nil && dup == "error" {
				return nil, fmt.Errorf("Key %s is not unique, cannot correctly turn into dict", k)
			}
			out.Set(k, it)
		}
		return out, nil
	})
}

func setOp(fn func(a, b []any) []any) filterFunc {
	return func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		if len(a) != 1 {
			return nil, fmt.Errorf("this filter takes exactly one argument")
		}
		la, err := iterate(v)
		if err != nil {
			return nil, err
		}
		lb, err := iterate(a[0])
		if err != nil {
			return nil, err
		}
		out := fn(la, lb)
		if out == nil {
			out = []any{}
		}
		return out, nil
	}
}

func zipLists(v any, a []any, longest bool, fill any) (any, error) {
	var lists [][]any
	for _, x := range append([]any{v}, a...) {
		l, err := iterate(x)
		if err != nil {
			return nil, err
		}
		lists = append(lists, l)
	}
	n := len(lists[0])
	for _, l := range lists {
		if longest {
			n = max(n, len(l))
		} else {
			n = min(n, len(l))
		}
	}
	out := []any{}
	for i := 0; i < n; i++ {
		t := tuple{}
		for _, l := range lists {
			if i < len(l) {
				t = append(t, l[i])
			} else {
				t = append(t, fill)
			}
		}
		out = append(out, t)
	}
	return out, nil
}

var sizeUnits = []string{"Y", "Z", "E", "P", "T", "G", "M", "K", "B"}
var sizeFactor = map[string]float64{"Y": 1 << 80, "Z": 1 << 70, "E": 1 << 60, "P": 1 << 50, "T": 1 << 40, "G": 1 << 30, "M": 1 << 20, "K": 1 << 10, "B": 1}

func filterHumanReadable(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("human_readable", a, kw, "isbits", "unit")
	if err != nil {
		return nil, err
	}
	f, ok := toFloat(plain(v))
	if !ok {
		s := ToText(v)
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Errorf("human_readable() can't interpret following string: %s", s)
		}
	}
	isbits := argBool(p[0], false)
	suffix, base := "Bytes", "B"
	if isbits {
		suffix, base = "bits", "b"
	}
	unit := strings.ToUpper(argStr(p[1], ""))
	for _, u := range sizeUnits {
		limit := sizeFactor[u]
		if (unit == "" && f >= limit) || (unit != "" && strings.HasPrefix(unit, u)) || u == "B" {
			if u == "B" {
				return fmt.Sprintf("%.2f %s", f, suffix), nil
			}
			return fmt.Sprintf("%.2f %s%s", f/limit, u, base), nil
		}
	}
	return fmt.Sprintf("%.2f %s", f, suffix), nil
}

var humanRe = regexp.MustCompile(`^\s*(\d*\.?\d*)\s*([A-Za-z]+)?\s*$`)

func filterHumanToBytes(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("human_to_bytes", a, kw, "default_unit", "isbits")
	if err != nil {
		return nil, err
	}
	s := ToText(v)
	m := humanRe.FindStringSubmatch(s)
	if m == nil || m[1] == "" {
		return nil, fmt.Errorf("human_to_bytes() can't interpret following string: %s", s)
	}
	num, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return nil, fmt.Errorf("human_to_bytes() can't interpret following string: %s", s)
	}
	unit := m[2]
	if unit == "" {
		unit = argStr(p[0], "B")
	}
	u := strings.ToUpper(unit[:1])
	f, ok := sizeFactor[u]
	if !ok {
		return nil, fmt.Errorf("human_to_bytes() failed to convert %s. Value is not a valid string (expect one of Y, Z, E, P, T, G, M, K, B)", s)
	}
	return int(math.Round(num * f)), nil
}

// filterComment is core.py's comment(): decorate text as a comment block.
func filterComment(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	style := "plain"
	if len(a) > 0 {
		style = ToText(a[0])
	}
	styles := map[string]map[string]any{
		"plain":  {"decoration": "# "},
		"erlang": {"decoration": "% "},
		"c":      {"decoration": "// "},
		"cblock": {"beginning": "/*", "decoration": " * ", "end": " */"},
		"xml":    {"beginning": "<!--", "decoration": " - ", "end": "-->"},
	}
	sp, ok := styles[style]
	if !ok {
		return nil, fmt.Errorf("KeyError: '%s'", style)
	}
	prepostfix := ToText(sp["decoration"])
	if d, ok := kw.Get("decoration"); ok {
		prepostfix = ToText(d)
	}
	p := map[string]any{
		"newline": "\n", "beginning": "", "prefix": strings.TrimRight(prepostfix, " \t\n"), "prefix_count": 1,
		"decoration": "", "postfix": strings.TrimRight(prepostfix, " \t\n"), "postfix_count": 1, "end": "",
	}
	for k, x := range sp {
		p[k] = x
	}
	for _, k := range kw.Keys() {
		p[k], _ = kw.Get(k)
	}
	str := func(k string) string { return ToText(p[k]) }
	num := func(k string) int { n, _ := toInt(p[k]); return n }
	nl := str("newline")
	var b strings.Builder
	if str("beginning") != "" {
		b.WriteString(str("beginning") + nl)
	}
	if pre := str("prefix"); pre != "" {
		unit := pre + nl
		if pre == nl {
			unit = nl
		}
		b.WriteString(strings.Repeat(unit, max(num("prefix_count"), 0)))
	}
	dec := str("decoration")
	text := dec + strings.ReplaceAll(ToText(v), nl, nl+dec)
	text = strings.ReplaceAll(text, dec+nl, strings.TrimRight(dec, " \t\n")+nl)
	b.WriteString(text)
	parts := []string{""}
	for i := 0; i < num("postfix_count"); i++ {
		parts = append(parts, str("postfix"))
	}
	b.WriteString(strings.Join(parts, nl))
	if str("end") != "" {
		b.WriteString(nl + str("end"))
	}
	return b.String(), nil
}

// strftime formats t as C/Python strftime does.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'Y':
			fmt.Fprintf(&b, "%d", t.Year())
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			fmt.Fprintf(&b, "%02d", h)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'f':
			fmt.Fprintf(&b, "%06d", t.Nanosecond()/1000)
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'b', 'h':
			b.WriteString(t.Month().String()[:3])
		case 'B':
			b.WriteString(t.Month().String())
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'w':
			fmt.Fprintf(&b, "%d", int(t.Weekday()))
		case 'u':
			w := int(t.Weekday())
			if w == 0 {
				w = 7
			}
			fmt.Fprintf(&b, "%d", w)
		case 'Z':
			z, _ := t.Zone()
			b.WriteString(z)
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 's':
			fmt.Fprintf(&b, "%d", t.Unix())
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case 'D':
			b.WriteString(t.Format("01/02/06"))
		case 'R':
			b.WriteString(t.Format("15:04"))
		case 'c':
			b.WriteString(t.Format("Mon Jan _2 15:04:05 2006"))
		case 'x':
			b.WriteString(t.Format("01/02/06"))
		case 'X':
			b.WriteString(t.Format("15:04:05"))
		case 'G':
			y, _ := t.ISOWeek()
			fmt.Fprintf(&b, "%d", y)
		case 'V':
			_, w := t.ISOWeek()
			fmt.Fprintf(&b, "%02d", w)
		case 'U':
			fmt.Fprintf(&b, "%02d", (t.YearDay()+6-int(t.Weekday()))/7)
		case 'W':
			fmt.Fprintf(&b, "%02d", (t.YearDay()+6-(int(t.Weekday())+6)%7)/7)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}
