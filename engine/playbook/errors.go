package playbook

import (
	"fmt"
	"os"
	"strings"
)

// Pos is a place in a file, 1-based, as Ansible's ansible_pos.
type Pos struct {
	File      string
	Line, Col int
	// JSON marks a place in a file Ansible read as JSON: its data has no
	// ansible_pos, so Ansible shows no excerpt and no task path, and
	// searches a task's relative files from the working directory. File
	// is kept for gorun's own uses (the file's directory at load time).
	JSON bool
}

// Known reports whether Ansible knows the place: a file, not read as JSON.
func (p Pos) Known() bool { return p.File != "" && !p.JSON }

func (p Pos) String() string {
	if !p.Known() {
		return ""
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Error is a problem found in a playbook, role or tasks file. Its Error text is
// Ansible's: the message, where it appears, and the offending line.
type Error struct {
	Pos Pos
	Msg string
	// NotFound marks a role or tasks file that does not exist: Ansible
	// raises those as a plain AnsibleError, for which ansible-playbook
	// exits 1, not 4 as for a parse error.
	NotFound bool
}

// ExitCode is ansible-playbook's exit status for the error: 1 for a role or
// file that was not found, 4 for a playbook it could not parse.
func (e *Error) ExitCode() int {
	if e.NotFound {
		return 1
	}
	return 4
}

func (e *Error) Error() string {
	if !e.Pos.Known() {
		return e.Msg
	}
	return e.Msg + "\n\n" + Excerpt(e.Pos)
}

func errorf(p Pos, format string, args ...any) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// ErrorContext is what Ansible's AnsibleError adds to a message about the
// data at p: the excerpt of the file, or where the data has no position
// (JSON) ". " and the error it wraps (orig, "" for none).
func ErrorContext(p Pos, orig string) string {
	if p.Known() {
		return "\n\n" + Excerpt(p)
	}
	if orig != "" {
		return ". " + orig
	}
	return ""
}

// noExcerpt is AnsibleError's excerpt for a YAML object without a
// position.
const noExcerpt = "The error appears to be in 'None': line 0, column 0, but may\nbe elsewhere in the file depending on the exact syntax problem.\n\n(could not open file to display line)"

// Excerpt shows where p is, as Ansible's AnsibleError._get_extended_error does:
// the position, then the line before and the offending line with a caret.
func Excerpt(p Pos) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The error appears to be in '%s': line %d, column %d, but may\nbe elsewhere in the file depending on the exact syntax problem.\n", p.File, p.Line, p.Col)
	data, err := os.ReadFile(p.File)
	if err != nil {
		b.WriteString("\n(could not open file to display line)")
		return b.String()
	}
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	n := p.Line - 1
	if n >= len(lines) {
		n = len(lines) - 1
	}
	for n > 0 && strings.TrimSpace(lines[n]) == "" {
		n--
	}
	if n < 0 {
		return b.String()
	}
	prev := ""
	if n > 0 {
		prev = lines[n-1]
	}
	col := p.Col
	if col < 1 {
		col = 1
	}
	target := strings.TrimSuffix(lines[n], "\n")
	if shorthandLine.MatchString(prev) {
		// k=v shorthand on the line before: Ansible points there instead.
		prev = strings.TrimRight(prev, " \t\r\n")
		at := strings.Index(prev, "=")
		b.Reset()
		fmt.Fprintf(&b, "The error appears to be in '%s': line %d, column %d, but may\nbe elsewhere in the file depending on the exact syntax problem.\n", p.File, p.Line-1, at+1)
		fmt.Fprintf(&b, "\nThe offending line appears to be:\n\n%s\n%s^ here\n\n%s", prev, strings.Repeat(" ", max(at, 0)), shorthandHelp)
	} else {
		fmt.Fprintf(&b, "\nThe offending line appears to be:\n\n%s\n%s\n%s^ here\n",
			strings.TrimRight(prev, " \t\r\n"), strings.TrimRight(lines[n], " \t\r\n"), strings.Repeat(" ", col-1))
	}
	if strings.Contains(lines[n], "\t") {
		b.WriteString(leadingTabHelp)
	}
	b.WriteString(remediation(target, p.Col))
	return b.String()
}

// leadingTabHelp is Ansible's YAML_COMMON_LEADING_TAB_ERROR, which it
// appends right after the caret when the offending line holds a tab.
const leadingTabHelp = `There appears to be a tab character at the start of the line.

YAML does not use tabs for formatting. Tabs should be replaced with spaces.

For example:
    - name: update tooling
      vars:
        version: 1.2.3
#    ^--- there is a tab there.

Should be written as:
    - name: update tooling
      vars:
        version: 1.2.3
# ^--- all spaces here.
`
