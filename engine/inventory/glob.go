package inventory

import (
	"fmt"
	"regexp"
	"strings"
)

// compilePattern is _match_list's compilation: "~regex" is a Python regex
// matched at the start of the name, anything else a shell glob matched
// against the whole name.
func compilePattern(pattern string) (*regexp.Regexp, error) {
	var expr string
	if pattern[0] == '~' {
		expr = `^(?:` + pattern[1:] + `)`
	} else {
		expr = globToRegexp(pattern)
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("Invalid host list pattern: %s", pattern)
	}
	return re, nil
}

// globToRegexp is fnmatch.translate: * ? [seq] [!seq], anchored at both ends.
func globToRegexp(pat string) string {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch c {
		case '*':
			b.WriteString(`.*`)
			for i+1 < len(rs) && rs[i+1] == '*' {
				i++
			}
		case '?':
			b.WriteString(`.`)
		case '[':
			j := i + 1
			if j < len(rs) && rs[j] == '!' {
				j++
			}
			if j < len(rs) && rs[j] == ']' {
				j++
			}
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			if j >= len(rs) {
				b.WriteString(`\[`)
				continue
			}
			stuff := string(rs[i+1 : j])
			i = j
			if stuff == "" {
				b.WriteString(`[^\x{0}-\x{10FFFF}]`) // fnmatch: "[]" never matches
				continue
			}
			if stuff == "!" {
				b.WriteString(`.`)
				continue
			}
			neg := false
			if stuff[0] == '!' {
				neg = true
				stuff = stuff[1:]
			}
			b.WriteString(`[`)
			if neg {
				b.WriteString(`^`)
			}
			for _, r := range stuff {
				switch r {
				case '\\', '[', ']', '^':
					b.WriteRune('\\')
				}
				b.WriteRune(r)
			}
			b.WriteString(`]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	return b.String()
}
