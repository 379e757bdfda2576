package main

import (
	"strings"
	"unicode"
)

// wrapText wraps s into lines of at most width columns exactly as Python's
// textwrap.wrap does with its default options, which Ansible's Display uses
// for warnings: white space collapses at line ends, words break after
// hyphens inside words, and words longer than a line are split.
func wrapText(s string, width int) string {
	chunks := wrapChunks(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, expandTabs(s)))
	var lines []string
	for len(chunks) > 0 {
		var line []string
		n := 0
		if len(lines) > 0 && strings.TrimSpace(chunks[0]) == "" {
			chunks = chunks[1:] // drop white space at the start of a line
		}
		for len(chunks) > 0 && n+runeLen(chunks[0]) <= width {
			line = append(line, chunks[0])
			n += runeLen(chunks[0])
			chunks = chunks[1:]
		}
		if len(chunks) > 0 && runeLen(chunks[0]) > width {
			// _handle_long_word: split it, preferably after a hyphen.
			c := []rune(chunks[0])
			end := max(width-n, 1)
			if hy := lastIndex(c[:min(end, len(c))], '-'); hy > 0 && strings.Trim(string(c[:hy]), "-") != "" {
				end = hy + 1
			}
			line = append(line, string(c[:end]))
			chunks[0] = string(c[end:])
		}
		if len(line) > 0 && strings.TrimSpace(line[len(line)-1]) == "" {
			line = line[:len(line)-1]
		}
		if len(line) > 0 {
			lines = append(lines, strings.Join(line, ""))
		}
	}
	return strings.Join(lines, "\n")
}

// wrapChunks splits text into runs of spaces and words, and words after
// hyphens that join letters, like textwrap's wordsep_re.
func wrapChunks(s string) []string {
	var chunks []string
	r := []rune(s)
	for i := 0; i < len(r); {
		j := i
		if r[i] == ' ' {
			for j < len(r) && r[j] == ' ' {
				j++
			}
			chunks = append(chunks, string(r[i:j]))
			i = j
			continue
		}
		for j < len(r) && r[j] != ' ' {
			j++
			if j < len(r) && r[j-1] == '-' && hyphenBreak(r, j-1) {
				break
			}
		}
		chunks = append(chunks, string(r[i:j]))
		i = j
	}
	return chunks
}

// hyphenBreak reports whether a word may break after the hyphen at r[h]:
// two letters (or letter-hyphen-letter) before it, and a letter, an
// optional hyphen and a letter after it.
func hyphenBreak(r []rune, h int) bool {
	isLetter := func(i int) bool {
		return i >= 0 && i < len(r) && (unicode.IsLetter(r[i]) || r[i] == '_') // [^\d\W]
	}
	before := (isLetter(h-1) && isLetter(h-2)) || (isLetter(h-1) && h >= 2 && r[h-2] == '-' && isLetter(h-3))
	after := isLetter(h+1) && (isLetter(h+2) || (h+2 < len(r) && r[h+2] == '-' && isLetter(h+3)))
	return before && after
}

func runeLen(s string) int { return len([]rune(s)) }

func lastIndex(r []rune, c rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == c {
			return i
		}
	}
	return -1
}

// expandTabs is Python's str.expandtabs(8).
func expandTabs(s string) string {
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
