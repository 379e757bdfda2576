// Package shell builds POSIX shell command lines safely: every argument is
// quoted so that the shell passes it to the command unchanged, whatever bytes
// it contains.
package shell

import (
	"regexp"
	"strings"
)

// safe matches words that need no quoting at all, so common command lines
// stay readable in logs (`ls -l /tmp` rather than `'ls' '-l' '/tmp'`).
var safe = regexp.MustCompile(`^[A-Za-z0-9@%+=:,./_-]+$`)

// Quote returns s quoted for a POSIX shell, like Python's shlex.quote: the
// empty string becomes ”, a word of only safe characters is returned as is,
// anything else is put in single quotes with each ' written as '"'"'.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	if safe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// Join quotes every element of argv and joins them with spaces, giving a
// command line that the shell splits back into exactly argv.
func Join(argv []string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = Quote(a)
	}
	return strings.Join(quoted, " ")
}
