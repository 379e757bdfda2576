package inventory

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"unicode"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// errNotLiteral means the text is not a Python literal; the INI parser then
// keeps it as a string, as Ansible does when ast.literal_eval fails.
var errNotLiteral = errors.New("not a Python literal")

// pyLiteral is ast.literal_eval for the values of INI inventories: numbers,
// strings (with prefixes, escapes, implicit concatenation), True/False/None,
// lists, tuples and sets (as lists), dicts, unary +/-, comments and
// parentheses. Complex numbers are not supported and stay strings.
func pyLiteral(s string) (any, error) {
	p := &pyParser{src: []rune(strings.TrimLeft(s, " \t"))}
	v, err := p.exprList(true)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, errNotLiteral
	}
	return v, nil
}

type pyParser struct {
	src   []rune
	pos   int
	depth int // bracket depth: newlines are whitespace inside brackets
}

func (p *pyParser) skipSpace() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			p.pos++
		case c == '\\' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n':
			p.pos += 2
		case (c == '\n' || c == '\r') && p.depth > 0:
			p.pos++
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		case (c == '\n' || c == '\r') && p.depth == 0:
			// A trailing newline ends the expression; more code after it is an error.
			rest := strings.TrimSpace(string(p.src[p.pos:]))
			if rest == "" || strings.HasPrefix(rest, "#") {
				p.pos = len(p.src)
			}
			return
		default:
			return
		}
	}
}

func (p *pyParser) peek() rune {
	p.skipSpace()
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// exprList parses "a" or a tuple "a, b," (top level or inside parentheses).
func (p *pyParser) exprList(top bool) (any, error) {
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek() != ',' {
		return first, nil
	}
	items := []any{first}
	for p.peek() == ',' {
		p.pos++
		c := p.peek()
		if c == 0 || (!top && c == ')') {
			break
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return items, nil
}

// expr is one literal, optionally with a sign directly on a number
// (literal_eval accepts "-1" but not "--1" or "-True").
func (p *pyParser) expr() (any, error) {
	sign := p.peek()
	if sign == '+' || sign == '-' {
		p.pos++
		if c := p.peek(); c != '.' && !unicode.IsDigit(c) {
			return nil, errNotLiteral
		}
	}
	v, err := p.atom()
	if err != nil {
		return nil, err
	}
	if sign == '-' {
		switch n := v.(type) {
		case int:
			v = -n
		case float64:
			v = -n
		default:
			return nil, errNotLiteral // a big int kept as digits
		}
	}
	if c := p.peek(); c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '(' || c == '[' || c == '.' {
		return nil, errNotLiteral // binary operations, calls, subscripts
	}
	return v, nil
}

func (p *pyParser) atom() (any, error) {
	c := p.peek()
	switch {
	case c == 0:
		return nil, errNotLiteral
	case c == '[':
		p.pos++
		return p.sequence(']')
	case c == '(':
		p.pos++
		p.depth++
		if p.peek() == ')' {
			p.pos++
			p.depth--
			return []any{}, nil
		}
		v, err := p.exprList(false)
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, errNotLiteral
		}
		p.pos++
		p.depth--
		return v, nil
	case c == '{':
		p.pos++
		return p.dict()
	case c == '.' || unicode.IsDigit(c):
		return p.number()
	case c == '\'' || c == '"':
		return p.strings()
	case unicode.IsLetter(c) || c == '_':
		start := p.pos
		for p.pos < len(p.src) && (unicode.IsLetter(p.src[p.pos]) || unicode.IsDigit(p.src[p.pos]) || p.src[p.pos] == '_') {
			p.pos++
		}
		word := string(p.src[start:p.pos])
		if p.pos < len(p.src) && (p.src[p.pos] == '\'' || p.src[p.pos] == '"') && isStringPrefix(word) {
			p.pos = start
			return p.strings()
		}
		switch word {
		case "True":
			return true, nil
		case "False":
			return false, nil
		case "None":
			return nil, nil
		}
		return nil, errNotLiteral
	}
	return nil, errNotLiteral
}

func isStringPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "br", "rb":
		return true
	}
	return false
}

func (p *pyParser) sequence(closer rune) (any, error) {
	p.depth++
	items := []any{}
	for {
		if p.peek() == closer {
			p.pos++
			p.depth--
			return items, nil
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		switch p.peek() {
		case ',':
			p.pos++
		case closer:
		default:
			return nil, errNotLiteral
		}
	}
}

func (p *pyParser) dict() (any, error) {
	p.depth++
	d := value.NewDict()
	if p.peek() == '}' {
		p.pos++
		p.depth--
		return d, nil
	}
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek() != ':' {
		// A set literal: Ansible would keep a Python set; gorun uses a list.
		items := []any{first}
		for p.peek() == ',' {
			p.pos++
			if p.peek() == '}' {
				break
			}
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
		if p.peek() != '}' {
			return nil, errNotLiteral
		}
		p.pos++
		p.depth--
		return items, nil
	}
	key := first
	for {
		if p.peek() != ':' {
			return nil, errNotLiteral
		}
		p.pos++
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		if _, ok := key.([]any); ok {
			return nil, errNotLiteral // unhashable key
		}
		d.Set(pytext.Str(key), v) // the data model's keys are strings: Python's str() of the key
		switch p.peek() {
		case ',':
			p.pos++
			if p.peek() == '}' {
				p.pos++
				p.depth--
				return d, nil
			}
			if key, err = p.expr(); err != nil {
				return nil, err
			}
		case '}':
			p.pos++
			p.depth--
			return d, nil
		default:
			return nil, errNotLiteral
		}
	}
}

func (p *pyParser) number() (any, error) {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if unicode.IsDigit(c) || unicode.IsLetter(c) || c == '_' || c == '.' {
			p.pos++
			continue
		}
		if (c == '+' || c == '-') && p.pos > start && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E') && !isHexPrefix(p.src[start:p.pos]) {
			p.pos++
			continue
		}
		break
	}
	tok := string(p.src[start:p.pos])
	return pyNumber(tok)
}

func isHexPrefix(r []rune) bool {
	return len(r) > 1 && r[0] == '0' && (r[1] == 'x' || r[1] == 'X')
}

// pyNumber converts a Python numeric literal.
func pyNumber(tok string) (any, error) {
	if strings.HasPrefix(tok, "_") || strings.HasSuffix(tok, "_") || strings.Contains(tok, "__") {
		return nil, errNotLiteral
	}
	lower := strings.ToLower(tok)
	clean := strings.ReplaceAll(lower, "_", "")
	base := 10
	digits := clean
	switch {
	case strings.HasPrefix(clean, "0x"):
		base, digits = 16, clean[2:]
	case strings.HasPrefix(clean, "0o"):
		base, digits = 8, clean[2:]
	case strings.HasPrefix(clean, "0b"):
		base, digits = 2, clean[2:]
	}
	if strings.Contains(lower, "_.") || strings.Contains(lower, "._") || strings.Contains(lower, "_e") || strings.Contains(lower, "e_") {
		return nil, errNotLiteral
	}
	if base != 10 {
		return pyIntValue(digits, base) // Python allows "0x_1f"
	}
	if strings.ContainsAny(clean, ".e") {
		if strings.ContainsAny(clean, "abcdfghijklmnopqrstuvwxyz") {
			return nil, errNotLiteral // includes complex "1.5j"
		}
		f, err := strconv.ParseFloat(clean, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, errNotLiteral
		}
		return f, nil
	}
	if len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
		return nil, errNotLiteral // leading zeros in a decimal literal
	}
	return pyIntValue(clean, 10)
}

func pyIntValue(digits string, base int) (any, error) {
	if digits == "" {
		return nil, errNotLiteral
	}
	if n, err := strconv.ParseInt(digits, base, 64); err == nil {
		return int(n), nil
	}
	b, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return nil, errNotLiteral
	}
	// Python ints are unbounded; gorun's are 64-bit. Keep the digits rather
	// than silently changing the number.
	return b.String(), nil
}

// strings parses one or more adjacent string literals and joins them.
func (p *pyParser) strings() (any, error) {
	var out strings.Builder
	kind := ""
	for {
		p.skipSpace()
		start := p.pos
		for p.pos < len(p.src) && unicode.IsLetter(p.src[p.pos]) {
			p.pos++
		}
		prefix := strings.ToLower(string(p.src[start:p.pos]))
		if p.pos >= len(p.src) || (p.src[p.pos] != '\'' && p.src[p.pos] != '"') || (prefix != "" && !isStringPrefix(prefix)) {
			if out.Len() == 0 && kind == "" {
				return nil, errNotLiteral
			}
			p.pos = start
			break
		}
		isBytes := strings.Contains(prefix, "b")
		k := "str"
		if isBytes {
			k = "bytes"
		}
		if kind != "" && kind != k {
			return nil, errNotLiteral // cannot mix bytes and nonbytes literals
		}
		kind = k
		s, err := p.stringBody(strings.Contains(prefix, "r"), isBytes)
		if err != nil {
			return nil, err
		}
		out.WriteString(s)
		next := p.peek()
		if next != '\'' && next != '"' && !unicode.IsLetter(next) {
			break
		}
	}
	return out.String(), nil
}

func (p *pyParser) stringBody(raw, isBytes bool) (string, error) {
	q := p.src[p.pos]
	triple := p.pos+2 < len(p.src) && p.src[p.pos+1] == q && p.src[p.pos+2] == q
	if triple {
		p.pos += 3
	} else {
		p.pos++
	}
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == q {
			if !triple {
				p.pos++
				return b.String(), nil
			}
			if p.pos+2 < len(p.src) && p.src[p.pos+1] == q && p.src[p.pos+2] == q {
				p.pos += 3
				return b.String(), nil
			}
		}
		if c == '\n' && !triple {
			return "", errNotLiteral
		}
		if c == '\\' && p.pos+1 < len(p.src) {
			if raw {
				b.WriteRune(c)
				b.WriteRune(p.src[p.pos+1])
				p.pos += 2
				continue
			}
			if err := p.escape(&b, isBytes); err != nil {
				return "", err
			}
			continue
		}
		if isBytes && c > 127 {
			return "", errNotLiteral // bytes can only contain ASCII literal characters
		}
		b.WriteRune(c)
		p.pos++
	}
	return "", errNotLiteral
}

func (p *pyParser) escape(b *strings.Builder, isBytes bool) error {
	p.pos++ // the backslash
	c := p.src[p.pos]
	p.pos++
	simple := map[rune]string{'\n': "", '\\': "\\", '\'': "'", '"': "\"", 'a': "\a", 'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t", 'v': "\v"}
	if s, ok := simple[c]; ok {
		b.WriteString(s)
		return nil
	}
	hexN := map[rune]int{'x': 2, 'u': 4, 'U': 8}
	if n, ok := hexN[c]; ok && (c == 'x' || !isBytes) {
		if p.pos+n > len(p.src) {
			return errNotLiteral
		}
		v, err := strconv.ParseUint(string(p.src[p.pos:p.pos+n]), 16, 32)
		if err != nil || v > unicode.MaxRune {
			return errNotLiteral
		}
		p.pos += n
		if isBytes {
			// A byte; decoded later as UTF-8 by to_text. Bytes above 0x7f
			// that do not form UTF-8 would fail there too.
			b.WriteByte(byte(v))
			return nil
		}
		b.WriteRune(rune(v))
		return nil
	}
	if c >= '0' && c <= '7' {
		end := p.pos - 1
		for end < len(p.src) && end < p.pos+2 && p.src[end] >= '0' && p.src[end] <= '7' {
			end++
		}
		v, _ := strconv.ParseUint(string(p.src[p.pos-1:end]), 8, 32)
		p.pos = end
		if isBytes {
			b.WriteByte(byte(v))
		} else {
			b.WriteRune(rune(v))
		}
		return nil
	}
	// Unknown escapes keep their backslash (Python only warns).
	b.WriteRune('\\')
	b.WriteRune(c)
	return nil
}
