package inventory

import (
	"errors"
	"strings"
)

// shlexSplit is Python's shlex.split(s, comments=True) in POSIX mode: words
// split on whitespace, single and double quotes, backslash escapes (inside
// double quotes only before '"' or '\'), and '#' starting a comment wherever a
// new character is read outside quotes.
func shlexSplit(s string) ([]string, error) {
	var tokens []string
	var tok strings.Builder
	inWord, quoted := false, false
	emit := func() {
		if inWord || quoted {
			tokens = append(tokens, tok.String())
		}
		tok.Reset()
		inWord, quoted = false, false
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			emit()
		case c == '#':
			// The rest of the line is a comment; Python's shlex reads to the
			// end of the line and carries on with the next one.
			j := i
			for j < len(rs) && rs[j] != '\n' {
				j++
			}
			i = j
			emit()
		case c == '\\':
			if i+1 >= len(rs) {
				return nil, errors.New("No escaped character")
			}
			i++
			tok.WriteRune(rs[i])
			inWord = true
		case c == '\'' || c == '"':
			quoted, inWord = true, true
			closed := false
			for i++; i < len(rs); i++ {
				d := rs[i]
				if d == c {
					closed = true
					break
				}
				if c == '"' && d == '\\' {
					if i+1 >= len(rs) {
						return nil, errors.New("No escaped character")
					}
					if n := rs[i+1]; n != '"' && n != '\\' {
						tok.WriteRune('\\')
					}
					i++
					tok.WriteRune(rs[i])
					continue
				}
				tok.WriteRune(d)
			}
			if !closed {
				return nil, errors.New("No closing quotation")
			}
		default:
			tok.WriteRune(c)
			inWord = true
		}
	}
	emit()
	return tokens, nil
}
