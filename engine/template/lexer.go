package template

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenType is the kind of a lexed token.
type tokenType int

const (
	tData tokenType = iota
	tVarBegin
	tVarEnd
	tBlockBegin
	tBlockEnd
	tName
	tString
	tInt
	tFloat
	tOp
	tEOF
)

// token is one lexical unit of a template.
type token struct {
	typ  tokenType
	val  string
	num  any // int or float64 for number tokens
	line int
}

func (t token) String() string {
	switch t.typ {
	case tEOF:
		return "end of template"
	case tString:
		return "'" + t.val + "'"
	case tVarEnd, tBlockEnd:
		return "end of print statement"
	}
	return "'" + t.val + "'"
}

// syntax is the lexer configuration: delimiters and whitespace rules.
type syntax struct {
	varStart, varEnd         string
	blockStart, blockEnd     string
	commentStart, commentEnd string
	trimBlocks               bool
	lstripBlocks             bool
	keepTrailingNewline      bool
	newline                  string
	// rawStrings keeps backslashes of string literals inside {{ }} as
	// written, as Ansible's _escape_backslashes does for playbook strings.
	rawStrings bool
}

func defaultSyntax() syntax {
	return syntax{"{{", "}}", "{%", "%}", "{#", "#}", false, false, false, "\n", false}
}

// TemplateSyntaxError is a template that cannot be parsed.
type TemplateSyntaxError struct {
	Msg  string
	Line int
}

func (e *TemplateSyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s (line %d)", e.Msg, e.Line)
	}
	return e.Msg
}

type lexer struct {
	src  string
	pos  int
	line int
	syn  syntax
	toks []token
	// stripNext asks that the next data token lose its leading whitespace (after "-%}").
	stripNext bool
}

// lex splits src into tokens following Jinja2's lexer rules.
func lex(src string, syn syntax) ([]token, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	if !syn.keepTrailingNewline && strings.HasSuffix(src, "\n") {
		src = src[:len(src)-1]
	}
	l := &lexer{src: src, line: 1, syn: syn}
	if err := l.run(); err != nil {
		return nil, err
	}
	l.toks = append(l.toks, token{typ: tEOF, line: l.line})
	return l.toks, nil
}

func (l *lexer) errorf(format string, args ...any) error {
	return &TemplateSyntaxError{Msg: fmt.Sprintf(format, args...), Line: l.line}
}

// nextStart finds the next tag start at or after pos: its offset and kind.
func (l *lexer) nextStart() (int, string) {
	best, kind := -1, ""
	for _, d := range []struct{ s, k string }{{l.syn.commentStart, "comment"}, {l.syn.blockStart, "block"}, {l.syn.varStart, "var"}} {
		if i := strings.Index(l.src[l.pos:], d.s); i >= 0 && (best < 0 || i < best) {
			best, kind = i, d.k
		}
	}
	if best < 0 {
		return -1, ""
	}
	return l.pos + best, kind
}

func (l *lexer) advance(n int) {
	l.line += strings.Count(l.src[l.pos:l.pos+n], "\n")
	l.pos += n
}

func (l *lexer) run() error {
	for l.pos < len(l.src) {
		start, kind := l.nextStart()
		if start < 0 {
			l.emitDataAt(l.src[l.pos:], false, false)
			l.advance(len(l.src) - l.pos)
			return nil
		}
		var delim string
		switch kind {
		case "comment":
			delim = l.syn.commentStart
		case "block":
			delim = l.syn.blockStart
		default:
			delim = l.syn.varStart
		}
		mod := byte(0)
		if start+len(delim) < len(l.src) {
			mod = l.src[start+len(delim)]
		}
		data := l.src[l.pos:start]
		lstrip := l.syn.lstripBlocks && kind != "var" && mod != '+'
		l.emitDataAt(data, mod == '-', lstrip)
		l.advance(start - l.pos)
		l.advance(len(delim))
		if mod == '-' || mod == '+' {
			l.advance(1)
		}
		var err error
		switch kind {
		case "comment":
			err = l.lexComment()
		case "block":
			err = l.lexTag(tBlockBegin, tBlockEnd, l.syn.blockEnd)
		default:
			err = l.lexTag(tVarBegin, tVarEnd, l.syn.varEnd)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *lexer) emitDataAt(data string, rstrip, lstrip bool) {
	// atLineStart needs l.pos at the data start, which it is.
	if l.stripNext {
		data = strings.TrimLeftFunc(data, unicode.IsSpace)
		l.stripNext = false
	}
	if rstrip {
		data = strings.TrimRightFunc(data, unicode.IsSpace)
	} else if lstrip {
		i := strings.LastIndexByte(data, '\n')
		tail := data[i+1:]
		if strings.Trim(tail, " \t") == "" && (i >= 0 || l.pos == 0 || l.src[l.pos-1] == '\n') {
			data = data[:i+1]
		}
	}
	if data == "" {
		return
	}
	if l.syn.newline != "\n" {
		data = strings.ReplaceAll(data, "\n", l.syn.newline)
	}
	l.toks = append(l.toks, token{typ: tData, val: data, line: l.line})
}

// afterBlockEnd applies trim_blocks and "-%}" after a block or comment end.
func (l *lexer) afterBlockEnd(mod byte) {
	switch {
	case mod == '-':
		l.stripNext = true
	case mod != '+' && l.syn.trimBlocks && l.pos < len(l.src) && l.src[l.pos] == '\n':
		l.advance(1)
	}
}

func (l *lexer) lexComment() error {
	end := strings.Index(l.src[l.pos:], l.syn.commentEnd)
	if end < 0 {
		return l.errorf("Missing end of comment tag")
	}
	mod := byte(0)
	if end > 0 {
		if c := l.src[l.pos+end-1]; c == '-' || c == '+' {
			mod = c
		}
	}
	l.advance(end + len(l.syn.commentEnd))
	l.afterBlockEnd(mod)
	return nil
}

// endAt reports whether the tag end (optionally with a -/+ modifier) starts at pos.
func (l *lexer) endAt(end string) (int, byte, bool) {
	rest := l.src[l.pos:]
	if strings.HasPrefix(rest, end) {
		return len(end), 0, true
	}
	if len(rest) > 1 && (rest[0] == '-' || rest[0] == '+') && strings.HasPrefix(rest[1:], end) {
		return len(end) + 1, rest[0], true
	}
	return 0, 0, false
}

var operators = []string{"//", "**", "==", "!=", "<=", ">=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"}

func (l *lexer) lexTag(begin, endType tokenType, end string) error {
	l.toks = append(l.toks, token{typ: begin, line: l.line})
	if begin == tBlockBegin {
		if done, err := l.maybeRaw(end); done || err != nil {
			return err
		}
	}
	var stack []byte
	for {
		if l.pos >= len(l.src) {
			if begin == tVarBegin {
				return l.errorf("unexpected end of template, expected 'end of print statement'.")
			}
			return l.errorf("unexpected end of template, expected 'end of statement block'.")
		}
		if len(stack) == 0 {
			if n, mod, ok := l.endAt(end); ok {
				if mod == '+' && begin == tVarBegin {
					// "+}}" is not a modifier for variables; let the operator lexer handle '+'.
				} else {
					l.advance(n)
					l.toks = append(l.toks, token{typ: endType, line: l.line})
					if begin == tBlockBegin {
						l.afterBlockEnd(mod)
					} else if mod == '-' {
						l.stripNext = true
					}
					return nil
				}
			}
		}
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.advance(1)
		case c == '\'' || c == '"':
			if err := l.lexString(c, begin == tVarBegin); err != nil {
				return err
			}
		case c >= '0' && c <= '9':
			l.lexNumber()
		case c == '_' || c >= 0x80 || unicode.IsLetter(rune(c)):
			start := l.pos
			for l.pos < len(l.src) {
				r, size := utf8.DecodeRuneInString(l.src[l.pos:])
				if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
					l.pos += size
					continue
				}
				break
			}
			if l.pos == start {
				return l.errorf("unexpected char %q", l.src[l.pos:l.pos+1])
			}
			l.toks = append(l.toks, token{typ: tName, val: l.src[start:l.pos], line: l.line})
		default:
			op := ""
			for _, o := range operators {
				if strings.HasPrefix(l.src[l.pos:], o) {
					op = o
					break
				}
			}
			if op == "" {
				return l.errorf("unexpected char %q at %d", l.src[l.pos:l.pos+1], l.pos)
			}
			switch op {
			case "(", "[", "{":
				stack = append(stack, op[0])
			case ")", "]", "}":
				want := map[string]byte{")": '(', "]": '[', "}": '{'}[op]
				if len(stack) == 0 {
					return l.errorf("unexpected '%s'", op)
				}
				if stack[len(stack)-1] != want {
					return l.errorf("unexpected '%s', expected '%s'", op, string(map[byte]byte{'(': ')', '[': ']', '{': '}'}[stack[len(stack)-1]]))
				}
				stack = stack[:len(stack)-1]
			}
			l.advance(len(op))
			l.toks = append(l.toks, token{typ: tOp, val: op, line: l.line})
		}
	}
}

// maybeRaw handles {% raw %}...{% endraw %}: the content becomes one data token.
func (l *lexer) maybeRaw(end string) (bool, error) {
	rest := l.src[l.pos:]
	trimmed := strings.TrimLeft(rest, " \t\n")
	if !strings.HasPrefix(trimmed, "raw") {
		return false, nil
	}
	after := strings.TrimLeft(trimmed[3:], " \t\n")
	skip := len(rest) - len(after)
	mod := byte(0)
	if len(after) > 0 && (after[0] == '-' || after[0] == '+') && strings.HasPrefix(after[1:], end) {
		mod = after[0]
		skip++
	} else if !strings.HasPrefix(after, end) {
		return false, nil
	}
	l.toks = l.toks[:len(l.toks)-1] // drop the block begin
	l.advance(skip + len(end))
	// Jinja applies no trim_blocks after {% raw %}; only "-%}" strips.
	if mod == '-' {
		l.stripNext = true
	}
	// find {% endraw %}
	for i := l.pos; i < len(l.src); {
		j := strings.Index(l.src[i:], l.syn.blockStart)
		if j < 0 {
			break
		}
		p := i + j + len(l.syn.blockStart)
		emod := byte(0)
		if p < len(l.src) && (l.src[p] == '-' || l.src[p] == '+') {
			emod = l.src[p]
			p++
		}
		q := p
		for q < len(l.src) && (l.src[q] == ' ' || l.src[q] == '\t' || l.src[q] == '\n') {
			q++
		}
		if strings.HasPrefix(l.src[q:], "endraw") {
			q += len("endraw")
			for q < len(l.src) && (l.src[q] == ' ' || l.src[q] == '\t' || l.src[q] == '\n') {
				q++
			}
			cmod := byte(0)
			if q < len(l.src) && (l.src[q] == '-' || l.src[q] == '+') {
				cmod = l.src[q]
				q++
			}
			if strings.HasPrefix(l.src[q:], end) {
				content := l.src[l.pos : i+j]
				lstrip := l.syn.lstripBlocks && emod != '+'
				l.emitDataAt(content, emod == '-', lstrip)
				l.advance(q + len(end) - l.pos)
				l.afterBlockEnd(cmod)
				return true, nil
			}
		}
		i = i + j + 1
	}
	return true, l.errorf("Missing end of raw directive")
}

func (l *lexer) lexString(quote byte, raw bool) error {
	start := l.pos + 1
	i := start
	// In Ansible's playbook strings every backslash inside {{ }} is doubled
	// before Jinja reads it, so no quote can be escaped there.
	rawMode := raw && l.syn.rawStrings
	for i < len(l.src) && l.src[i] != quote {
		if l.src[i] == '\\' && !rawMode {
			i++
		}
		i++
	}
	if i >= len(l.src) {
		return l.errorf("unexpected char %q at %d", string(quote), l.pos)
	}
	body := l.src[start:i]
	val := body
	if !(raw && l.syn.rawStrings) {
		val = unescapePython(body)
	}
	l.advance(i + 1 - l.pos)
	l.toks = append(l.toks, token{typ: tString, val: val, line: l.line})
	return nil
}

// unescapePython decodes backslash escapes as Python's unicode-escape codec does;
// unknown escapes keep their backslash.
func unescapePython(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\n':
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+n <= len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			b.WriteRune(rune(v))
			i = j - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

func (l *lexer) lexNumber() {
	start := l.pos
	s := l.src
	i := l.pos
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' || c == '_' }
	if s[i] == '0' && i+1 < len(s) && strings.ContainsRune("xXoObB", rune(s[i+1])) {
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[i+1]]
		j := i + 2
		for j < len(s) && (isHex(s[j]) || s[j] == '_') {
			j++
		}
		v, err := strconv.ParseInt(strings.ReplaceAll(s[i+2:j], "_", ""), base, 64)
		if err == nil {
			l.pos = j
			l.toks = append(l.toks, token{typ: tInt, val: s[start:j], num: int(v), line: l.line})
			return
		}
	}
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	isFloat := false
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		isFloat = true
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
			isFloat = true
		}
	}
	text := strings.ReplaceAll(s[start:i], "_", "")
	l.pos = i
	if isFloat {
		f, _ := strconv.ParseFloat(text, 64)
		l.toks = append(l.toks, token{typ: tFloat, val: s[start:i], num: f, line: l.line})
		return
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f, _ := strconv.ParseFloat(text, 64)
		l.toks = append(l.toks, token{typ: tFloat, val: s[start:i], num: f, line: l.line})
		return
	}
	l.toks = append(l.toks, token{typ: tInt, val: s[start:i], num: int(v), line: l.line})
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
