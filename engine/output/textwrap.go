package output

import (
	"strings"
	"unicode"
)

// pyWrap splits text into lines of at most width characters the way Python's
// textwrap.wrap(text, width, drop_whitespace=drop) does with its other
// defaults: tabs expanded, whitespace turned into spaces, words broken after
// hyphens and, when longer than a line, anywhere. Ansible wraps warnings and
// deprecations this way, so line breaks must fall where Python puts them.
func pyWrap(text string, width int, drop bool) []string {
	text = expandTabs(text)
	text = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\v', '\f', '\r':
			return ' '
		}
		return r
	}, text)
	chunks := wrapChunks(text)

	var lines []string
	for len(chunks) > 0 {
		var cur []string
		curLen := 0
		if drop && len(lines) > 0 && strings.TrimSpace(chunks[0]) == "" {
			chunks = chunks[1:]
		}
		for len(chunks) > 0 {
			l := runeLen(chunks[0])
			if curLen+l > width {
				break
			}
			cur = append(cur, chunks[0])
			curLen += l
			chunks = chunks[1:]
		}
		if len(chunks) > 0 && runeLen(chunks[0]) > width {
			cur = handleLongWord(chunks, cur, curLen, width)
		}
		if drop && len(cur) > 0 && strings.TrimSpace(cur[len(cur)-1]) == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, ""))
		}
	}
	return lines
}

// handleLongWord moves the part of chunks[0] that fits into cur, preferring a
// break after a hyphen (TextWrapper._handle_long_word).
func handleLongWord(chunks []string, cur []string, curLen, width int) []string {
	spaceLeft := width - curLen
	if width < 1 {
		spaceLeft = 1
	}
	chunk := []rune(chunks[0])
	end := spaceLeft
	if len(chunk) > spaceLeft {
		hyphen := strings.LastIndex(string(chunk[:spaceLeft]), "-")
		if hyphen > 0 {
			hyphen = runeLen(string(chunk[:spaceLeft])[:hyphen])
			if strings.Trim(string(chunk[:hyphen]), "-") != "" {
				end = hyphen + 1
			}
		}
	}
	if end > len(chunk) {
		end = len(chunk)
	}
	chunks[0] = string(chunk[end:])
	return append(cur, string(chunk[:end]))
}

// wrapChunks splits text into runs of spaces and words, splitting words after
// a hyphen between letters as TextWrapper.wordsep_re does.
func wrapChunks(text string) []string {
	var chunks []string
	rs := []rune(text)
	for i := 0; i < len(rs); {
		j := i
		if rs[i] == ' ' {
			for j < len(rs) && rs[j] == ' ' {
				j++
			}
			chunks = append(chunks, string(rs[i:j]))
			i = j
			continue
		}
		for j < len(rs) && rs[j] != ' ' {
			j++
		}
		chunks = append(chunks, splitHyphens(rs[i:j])...)
		i = j
	}
	return chunks
}

// splitHyphens breaks one word after each hyphen that Python's wordsep_re
// breaks at: one preceded by two letters (or letter-hyphen-letter) and
// followed by a letter, an optional hyphen and a letter.
func splitHyphens(w []rune) []string {
	var parts []string
	start := 0
	for k := start + 1; k < len(w); k++ {
		if w[k] != '-' {
			continue
		}
		before := (k >= 2 && isLetter(w[k-1]) && isLetter(w[k-2])) ||
			(k >= 3 && isLetter(w[k-1]) && w[k-2] == '-' && isLetter(w[k-3]))
		after := k+1 < len(w) && isLetter(w[k+1]) &&
			((k+2 < len(w) && isLetter(w[k+2])) || (k+3 < len(w) && w[k+2] == '-' && isLetter(w[k+3])))
		if before && after && k+1-start > 1 {
			parts = append(parts, string(w[start:k+1]))
			start = k + 1
		}
	}
	return append(parts, string(w[start:]))
}

// isLetter is Python's [^\d\W]: a word character that is not a digit or "_".
func isLetter(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

func runeLen(s string) int { return len([]rune(s)) }

// expandTabs is str.expandtabs(8).
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n', '\r':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// WrapText is Python's textwrap.fill(text, width): how Ansible wraps
// warnings outside the callbacks (ansible-vault's, for one).
func WrapText(text string, width int) string {
	return strings.Join(pyWrap(text, width, true), "\n")
}
