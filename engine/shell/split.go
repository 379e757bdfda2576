package shell

import (
	"errors"
	"strings"
)

// Split splits s into words as Python's shlex.split(s) does (POSIX mode,
// no comments): words are separated by blanks, single quotes keep everything
// literally, double quotes keep everything except that a backslash escapes
// `"` and `\`, and outside quotes a backslash escapes any character. Ansible
// splits the command module's free-form text this way, so gorun must too.
func Split(s string) ([]string, error) {
	var (
		words  []string
		word   strings.Builder
		inWord bool // a word has started, even if it is still empty ('')
		quote  rune // the open quote, or 0
	)
	runes := []rune(s)
	for i := 0; i < len(runes); i++ {
		c := runes[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				word.WriteRune(c)
			}
		case quote == '"':
			switch c {
			case '"':
				quote = 0
			case '\\':
				if i+1 == len(runes) {
					return nil, errors.New("No escaped character")
				}
				i++
				if n := runes[i]; n != '"' && n != '\\' {
					word.WriteRune('\\')
				}
				word.WriteRune(runes[i])
			default:
				word.WriteRune(c)
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 == len(runes) {
				return nil, errors.New("No escaped character")
			}
			i++
			word.WriteRune(runes[i])
			inWord = true
		case c == '\'' || c == '"':
			quote = c
			inWord = true
		default:
			word.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("No closing quotation")
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}
