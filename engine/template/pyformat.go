package template

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// pyPercent is Python's `format % args`.
func pyPercent(format string, arg any) (any, error) {
	var args []any
	var named any
	switch a := arg.(type) {
	case tuple:
		args = a
	case *value.Dict, map[string]any, Mapping:
		named = a
		args = []any{a}
	default:
		args = []any{a}
	}
	var b strings.Builder
	ai := 0
	next := func() (any, error) {
		if ai >= len(args) {
			return nil, fmt.Errorf("not enough arguments for format string")
		}
		ai++
		return args[ai-1], nil
	}
	usedNamed := false
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			return nil, fmt.Errorf("incomplete format")
		}
		var key string
		hasKey := false
		if format[i] == '(' {
			j := strings.IndexByte(format[i:], ')')
			if j < 0 {
				return nil, fmt.Errorf("incomplete format key")
			}
			key = format[i+1 : i+j]
			hasKey = true
			i += j + 1
		}
		spec := fmtSpec{}
		for i < len(format) && strings.IndexByte("-+ #0", format[i]) >= 0 {
			spec.flags += string(format[i])
			i++
		}
		for i < len(format) && (format[i] >= '0' && format[i] <= '9' || format[i] == '*') {
			if format[i] == '*' {
				v, err := next()
				if err != nil {
					return nil, err
				}
				spec.width, _ = toInt(v)
			} else {
				spec.width = spec.width*10 + int(format[i]-'0')
			}
			i++
		}
		spec.prec = -1
		if i < len(format) && format[i] == '.' {
			i++
			spec.prec = 0
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				spec.prec = spec.prec*10 + int(format[i]-'0')
				i++
			}
		}
		for i < len(format) && strings.IndexByte("hlL", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			return nil, fmt.Errorf("incomplete format")
		}
		verb := format[i]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		var v any
		if hasKey {
			if named == nil {
				return nil, fmt.Errorf("format requires a mapping")
			}
			x, ok := mapGet(named, key)
			if !ok {
				return nil, fmt.Errorf("KeyError: '%s'", key)
			}
			v = x
			usedNamed = true
		} else {
			x, err := next()
			if err != nil {
				return nil, err
			}
			v = x
		}
		if u, ok := v.(*undefined); ok {
			return nil, u.err()
		}
		s, err := formatPercentVerb(verb, v, spec)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	if !usedNamed && ai < len(args) && named == nil {
		return nil, fmt.Errorf("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

type fmtSpec struct {
	flags string
	width int
	prec  int
}

func (s fmtSpec) pad(text string, numeric bool) string {
	n := len([]rune(text))
	if n >= s.width {
		return text
	}
	fill := s.width - n
	switch {
	case strings.Contains(s.flags, "-"):
		return text + strings.Repeat(" ", fill)
	case numeric && strings.Contains(s.flags, "0"):
		sign := ""
		if strings.HasPrefix(text, "-") || strings.HasPrefix(text, "+") {
			sign, text = text[:1], text[1:]
		}
		return sign + strings.Repeat("0", fill) + text
	}
	return strings.Repeat(" ", fill) + text
}

func formatPercentVerb(verb byte, v any, spec fmtSpec) (string, error) {
	switch verb {
	case 's':
		s := ToText(v)
		if spec.prec >= 0 && spec.prec < len([]rune(s)) {
			s = string([]rune(s)[:spec.prec])
		}
		return spec.pad(s, false), nil
	case 'r', 'a':
		return spec.pad(pyRepr(v), false), nil
	case 'd', 'i', 'u':
		f, ok := toFloat(plain(v))
		if !ok {
			return "", fmt.Errorf("%%%c format: a number is required, not %s", verb, typeName(v))
		}
		s := strconv.FormatInt(int64(f), 10)
		if strings.Contains(spec.flags, "+") && f >= 0 {
			s = "+" + s
		}
		return spec.pad(s, true), nil
	case 'f', 'F', 'e', 'E', 'g', 'G':
		f, ok := toFloat(plain(v))
		if !ok {
			return "", fmt.Errorf("must be real number, not %s", typeName(v))
		}
		prec := spec.prec
		if prec < 0 {
			prec = 6
		}
		s := formatFloatVerb(f, verb, prec, strings.Contains(spec.flags, "#"))
		if strings.Contains(spec.flags, "+") && f >= 0 {
			s = "+" + s
		}
		return spec.pad(s, true), nil
	case 'x', 'X', 'o':
		i, ok := v.(int)
		if !ok {
			if b, isB := v.(bool); isB {
				i, ok = b2i(b), true
			}
		}
		if !ok {
			return "", fmt.Errorf("%%%c format: an integer is required, not %s", verb, typeName(v))
		}
		base := 16
		if verb == 'o' {
			base = 8
		}
		s := strconv.FormatInt(int64(i), base)
		if verb == 'X' {
			s = strings.ToUpper(s)
		}
		if strings.Contains(spec.flags, "#") {
			s = map[byte]string{'x': "0x", 'X': "0X", 'o': "0o"}[verb] + s
		}
		return spec.pad(s, true), nil
	case 'c':
		if i, ok := v.(int); ok {
			return string(rune(i)), nil
		}
		return ToText(v), nil
	}
	return "", fmt.Errorf("unsupported format character '%c'", verb)
}

func formatFloatVerb(f float64, verb byte, prec int, alt bool) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := pytext.FloatRepr(f)
		if verb >= 'A' && verb <= 'Z' {
			s = strings.ToUpper(s)
		}
		return s
	}
	switch verb {
	case 'f', 'F':
		return strconv.FormatFloat(f, 'f', prec, 64)
	case 'e', 'E':
		s := strconv.FormatFloat(f, byte(verb), prec, 64)
		return s
	}
	if prec == 0 {
		prec = 1
	}
	s := strconv.FormatFloat(f, 'g', prec, 64)
	if verb == 'G' {
		s = strings.ToUpper(s)
	}
	return s
}

// pyFormat is Python's str.format.
func pyFormat(format string, a []any, kw *value.Dict) (any, error) {
	var b strings.Builder
	auto := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '}' {
			if i+1 < len(format) && format[i+1] == '}' {
				i++
			}
			b.WriteByte('}')
			continue
		}
		if c != '{' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		j := strings.IndexByte(format[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("Single '{' encountered in format string")
		}
		field := format[i+1 : i+j]
		i += j
		name, spec, _ := strings.Cut(field, ":")
		conv := ""
		if k := strings.IndexByte(name, '!'); k >= 0 {
			name, conv = name[:k], name[k+1:]
		}
		// split name into first part and accessors
		first := name
		rest := ""
		if k := strings.IndexAny(name, ".["); k >= 0 {
			first, rest = name[:k], name[k:]
		}
		var v any
		if first == "" {
			if auto >= len(a) {
				return nil, fmt.Errorf("Replacement index %d out of range for positional args tuple", auto)
			}
			v = a[auto]
			auto++
		} else if n, err := strconv.Atoi(first); err == nil {
			if n >= len(a) {
				return nil, fmt.Errorf("Replacement index %d out of range for positional args tuple", n)
			}
			v = a[n]
		} else {
			x, ok := kw.Get(first)
			if !ok {
				return nil, fmt.Errorf("KeyError: '%s'", first)
			}
			v = x
		}
		for rest != "" {
			if rest[0] == '.' {
				k := strings.IndexAny(rest[1:], ".[")
				attr := rest[1:]
				if k >= 0 {
					attr, rest = rest[1:k+1], rest[k+1:]
				} else {
					rest = ""
				}
				x, _ := mapGet(v, attr)
				v = x
			} else {
				k := strings.IndexByte(rest, ']')
				if k < 0 {
					return nil, fmt.Errorf("Missing ']' in format string")
				}
				key := rest[1:k]
				rest = rest[k+1:]
				if n, err := strconv.Atoi(key); err == nil {
					if l, ok := asList(v); ok && n < len(l) {
						v = l[n]
						continue
					}
				}
				x, _ := mapGet(v, key)
				v = x
			}
		}
		if u, ok := v.(*undefined); ok {
			return nil, u.err()
		}
		switch conv {
		case "r":
			v = pyRepr(v)
		case "s":
			v = ToText(v)
		}
		s, err := formatSpec(v, spec)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// formatSpec applies a format-spec mini-language spec ("<10", ".2f", "03d", ",").
func formatSpec(v any, spec string) (string, error) {
	if spec == "" {
		return ToText(v), nil
	}
	fill, align := " ", byte(0)
	r := []rune(spec)
	if len(r) >= 2 && strings.ContainsRune("<>^=", r[1]) {
		fill, align = string(r[0]), byte(r[1])
		spec = string(r[2:])
	} else if len(spec) >= 1 && strings.IndexByte("<>^=", spec[0]) >= 0 {
		align = spec[0]
		spec = spec[1:]
	}
	sign := ""
	if spec != "" && strings.IndexByte("+- ", spec[0]) >= 0 {
		sign = spec[:1]
		spec = spec[1:]
	}
	alt := false
	if strings.HasPrefix(spec, "#") {
		alt = true
		spec = spec[1:]
	}
	if strings.HasPrefix(spec, "0") {
		if align == 0 {
			fill, align = "0", '='
		}
		spec = spec[1:]
	}
	width := 0
	for spec != "" && spec[0] >= '0' && spec[0] <= '9' {
		width = width*10 + int(spec[0]-'0')
		spec = spec[1:]
	}
	comma := false
	if strings.HasPrefix(spec, ",") || strings.HasPrefix(spec, "_") {
		comma = true
		spec = spec[1:]
	}
	prec := -1
	if strings.HasPrefix(spec, ".") {
		spec = spec[1:]
		prec = 0
		for spec != "" && spec[0] >= '0' && spec[0] <= '9' {
			prec = prec*10 + int(spec[0]-'0')
			spec = spec[1:]
		}
	}
	typ := byte(0)
	if spec != "" {
		typ = spec[0]
	}
	var s string
	numeric := false
	v = plain(v)
	switch typ {
	case 0, 's':
		if f, ok := v.(float64); ok && prec >= 0 {
			s = strconv.FormatFloat(f, 'g', prec, 64)
			numeric = true
		} else {
			s = ToText(v)
			if prec >= 0 && prec < len([]rune(s)) {
				s = string([]rune(s)[:prec])
			}
			_, numeric = v.(int)
			if _, isF := v.(float64); isF {
				numeric = true
			}
			if i, isInt := v.(int); isInt && comma {
				s = groupThousands(strconv.Itoa(i))
			}
		}
	case 'd', 'n':
		i, ok := v.(int)
		if !ok {
			if bb, isB := v.(bool); isB {
				i, ok = b2i(bb), true
			}
		}
		if !ok {
			return "", fmt.Errorf("Unknown format code 'd' for object of type '%s'", typeName(v))
		}
		s = strconv.Itoa(i)
		if comma {
			s = groupThousands(s)
		}
		numeric = true
	case 'f', 'F', 'e', 'E', 'g', 'G', '%':
		f, ok := toFloat(v)
		if !ok {
			return "", fmt.Errorf("Unknown format code '%c' for object of type '%s'", typ, typeName(v))
		}
		if prec < 0 {
			prec = 6
		}
		if typ == '%' {
			s = strconv.FormatFloat(f*100, 'f', prec, 64) + "%"
		} else {
			s = formatFloatVerb(f, typ, prec, alt)
		}
		if comma {
			intPart, frac, _ := strings.Cut(s, ".")
			s = groupThousands(intPart)
			if frac != "" {
				s += "." + frac
			}
		}
		numeric = true
	case 'x', 'X', 'o', 'b':
		i, ok := v.(int)
		if !ok {
			return "", fmt.Errorf("Unknown format code '%c' for object of type '%s'", typ, typeName(v))
		}
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'b': 2}[typ]
		s = strconv.FormatInt(int64(i), base)
		if typ == 'X' {
			s = strings.ToUpper(s)
		}
		if alt {
			s = map[byte]string{'x': "0x", 'X': "0X", 'o': "0o", 'b': "0b"}[typ] + s
		}
		numeric = true
	default:
		return "", fmt.Errorf("Unknown format code '%c'", typ)
	}
	if numeric && sign == "+" && !strings.HasPrefix(s, "-") {
		s = "+" + s
	} else if numeric && sign == " " && !strings.HasPrefix(s, "-") {
		s = " " + s
	}
	if align == 0 {
		if numeric {
			align = '>'
		} else {
			align = '<'
		}
	}
	n := len([]rune(s))
	if n >= width {
		return s, nil
	}
	pad := width - n
	switch align {
	case '<':
		return s + strings.Repeat(fill, pad), nil
	case '>':
		return strings.Repeat(fill, pad) + s, nil
	case '^':
		return strings.Repeat(fill, pad/2) + s + strings.Repeat(fill, pad-pad/2), nil
	case '=':
		sg := ""
		if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
			sg, s = s[:1], s[1:]
		}
		return sg + strings.Repeat(fill, pad) + s, nil
	}
	return s, nil
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
