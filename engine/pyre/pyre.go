// Package pyre provides regular expressions with Python `re` semantics
// (backreferences, lookarounds, (?P<name>...), re.sub replacement templates)
// on top of github.com/dlclark/regexp2.
package pyre

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
)

// Flags are Python's re flags.
type Flags int

// Python re flags.
const (
	IgnoreCase Flags = 1 << iota
	Multiline
	DotAll
	Verbose
	ASCII
)

// Regexp is a compiled Python-style regular expression.
type Regexp struct {
	re, anchored, full *regexp2.Regexp
	pattern            string
}

// Match is one match: Groups[0] is the whole match; a group that did not
// participate is nil.
type Match struct {
	Start, End int // rune offsets of the whole match
	Groups     []*string
	Names      map[string]int
}

// Compile compiles a Python regular expression.
func Compile(pattern string, flags Flags) (*Regexp, error) {
	opts := regexp2.RegexOptions(0)
	if flags&IgnoreCase != 0 {
		opts |= regexp2.IgnoreCase
	}
	if flags&Multiline != 0 {
		opts |= regexp2.Multiline
	}
	if flags&DotAll != 0 {
		opts |= regexp2.Singleline
	}
	if flags&Verbose != 0 {
		opts |= regexp2.IgnorePatternWhitespace
	}
	re, err := regexp2.Compile(translate(pattern), opts)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %v", pattern, err)
	}
	anchored, err := regexp2.Compile(`\A(?:`+translate(pattern)+`)`, opts)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %v", pattern, err)
	}
	full, err := regexp2.Compile(`\A(?:`+translate(pattern)+`)\z`, opts)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %v", pattern, err)
	}
	for _, x := range []*regexp2.Regexp{re, anchored, full} {
		x.MatchTimeout = 10 * time.Second
	}
	return &Regexp{re: re, anchored: anchored, full: full, pattern: pattern}, nil
}

// MustCompile is Compile that panics on error (for patterns in code).
func MustCompile(pattern string, flags Flags) *Regexp {
	re, err := Compile(pattern, flags)
	if err != nil {
		panic(err)
	}
	return re
}

// translate rewrites Python-only syntax into the .NET syntax regexp2 reads.
func translate(p string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n == 'Z' && !inClass:
				b.WriteString(`\z`)
			default:
				b.WriteByte(c)
				b.WriteByte(n)
			}
			i++
			continue
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// a ']' right after '[' or '[^' is literal
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
			continue
		case strings.HasPrefix(p[i:], "(?P<"):
			b.WriteString("(?<")
			i += 3
			continue
		case strings.HasPrefix(p[i:], "(?P="):
			j := strings.IndexByte(p[i:], ')')
			if j > 0 {
				b.WriteString(`\k<` + p[i+4:i+j] + `>`)
				i += j
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (r *Regexp) String() string { return r.pattern }

func (r *Regexp) convert(m *regexp2.Match) *Match {
	out := &Match{Start: m.Index, End: m.Index + m.Length, Names: map[string]int{}}
	for _, g := range m.Groups() {
		n, err := strconv.Atoi(g.Name)
		if err != nil {
			n = r.re.GroupNumberFromName(g.Name)
			out.Names[g.Name] = n
		}
		for len(out.Groups) <= n {
			out.Groups = append(out.Groups, nil)
		}
		if len(g.Captures) > 0 {
			s := g.String()
			out.Groups[n] = &s
		}
	}
	return out
}

// Search finds the first match anywhere in s (re.search), or nil.
func (r *Regexp) Search(s string) (*Match, error) {
	m, err := r.re.FindStringMatch(s)
	if err != nil || m == nil {
		return nil, err
	}
	return r.convert(m), nil
}

// MatchStart matches at the start of s only (re.match), or nil.
func (r *Regexp) MatchStart(s string) (*Match, error) {
	m, err := r.anchored.FindStringMatch(s)
	if err != nil || m == nil {
		return nil, err
	}
	return r.convert(m), nil
}

// FullMatch matches the whole of s (re.fullmatch), or nil.
func (r *Regexp) FullMatch(s string) (*Match, error) {
	m, err := r.full.FindStringMatch(s)
	if err != nil || m == nil {
		return nil, err
	}
	return r.convert(m), nil
}

// FindAll returns every non-overlapping match (re.finditer).
func (r *Regexp) FindAll(s string) ([]*Match, error) {
	var out []*Match
	m, err := r.re.FindStringMatch(s)
	for m != nil && err == nil {
		out = append(out, r.convert(m))
		m, err = r.re.FindNextMatch(m)
	}
	return out, err
}

// NumGroups is the number of capturing groups.
func (r *Regexp) NumGroups() int { return len(r.re.GetGroupNumbers()) - 1 }

// Sub replaces matches as re.sub does; repl may use \1, \g<1>, \g<name> and
// escapes such as \n. count 0 means all.
func (r *Regexp) Sub(repl, s string, count int) (string, error) {
	runes := []rune(s)
	var b strings.Builder
	last := 0
	n := 0
	m, err := r.re.FindStringMatch(s)
	for m != nil && err == nil {
		if count > 0 && n >= count {
			break
		}
		pm := r.convert(m)
		b.WriteString(string(runes[last:pm.Start]))
		exp, err := expand(repl, pm)
		if err != nil {
			return "", err
		}
		b.WriteString(exp)
		last = pm.End
		n++
		m, err = r.re.FindNextMatch(m)
	}
	if err != nil {
		return "", err
	}
	b.WriteString(string(runes[last:]))
	return b.String(), nil
}

// Expand fills a replacement template with m's groups.
func (m *Match) Expand(repl string) (string, error) { return expand(repl, m) }

func expand(repl string, m *Match) (string, error) {
	var b strings.Builder
	group := func(ref string) (string, error) {
		n, err := strconv.Atoi(ref)
		if err != nil {
			var ok bool
			if n, ok = m.Names[ref]; !ok {
				return "", fmt.Errorf("unknown group name '%s'", ref)
			}
		}
		if n >= len(m.Groups) {
			return "", fmt.Errorf("invalid group reference %d", n)
		}
		if m.Groups[n] == nil {
			return "", nil
		}
		return *m.Groups[n], nil
	}
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' || i+1 >= len(repl) {
			b.WriteByte(c)
			continue
		}
		i++
		n := repl[i]
		switch {
		case n >= '0' && n <= '9':
			j := i + 1
			if j < len(repl) && repl[j] >= '0' && repl[j] <= '9' {
				j++
			}
			g, err := group(repl[i:j])
			if err != nil {
				return "", err
			}
			b.WriteString(g)
			i = j - 1
		case n == 'g' && i+1 < len(repl) && repl[i+1] == '<':
			end := strings.IndexByte(repl[i:], '>')
			if end < 0 {
				return "", fmt.Errorf("missing >, unterminated name")
			}
			g, err := group(repl[i+2 : i+end])
			if err != nil {
				return "", err
			}
			b.WriteString(g)
			i += end
		case n == 'n':
			b.WriteByte('\n')
		case n == 't':
			b.WriteByte('\t')
		case n == 'r':
			b.WriteByte('\r')
		case n == '\\':
			b.WriteByte('\\')
		case n == 'a':
			b.WriteByte('\a')
		case n == 'f':
			b.WriteByte('\f')
		case n == 'v':
			b.WriteByte('\v')
		case n == 'b':
			b.WriteByte('\b')
		default:
			if (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') {
				return "", fmt.Errorf("bad escape \\%c", n)
			}
			b.WriteByte('\\')
			b.WriteByte(n)
		}
	}
	return b.String(), nil
}

// special are the characters Python 3.7+'s re.escape escapes.
const special = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"

// Escape is Python's re.escape.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(special, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
