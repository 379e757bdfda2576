package inventory

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The section and group-name expressions of Ansible's ini plugin.
var (
	iniSection   = regexp.MustCompile(`^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$`)
	iniGroupName = regexp.MustCompile(`^([^:\]\s]+)\s*(?:#.*)?$`)
)

// iniError is an error at a line of an INI inventory, printed as Ansible
// prints it ("path:line: message").
type iniError struct {
	File string
	Line int
	Msg  string
}

func (e *iniError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// pendingDecl is a group named by [g:vars] or in [parent:children] before
// the group itself was declared.
type pendingDecl struct {
	line    int
	state   string
	name    string
	parents []string
}

// iniParser holds the state of one INI file being read.
type iniParser struct {
	inv     *Inventory
	path    string
	lineno  int
	group   string // the current section's group
	state   string // hosts, vars or children
	pending []*pendingDecl
}

// parseINI is the ini inventory plugin. Like Ansible it changes the
// inventory as it reads, so a file that fails half way leaves the hosts and
// groups read so far.
func (inv *Inventory) parseINI(path string) error {
	data, err := inv.readSource(path)
	if err != nil {
		return err
	}
	lines := iniLines(data)
	if lines == nil {
		return fmt.Errorf("'utf-8' codec can't decode %s: invalid UTF-8 outside comments", path)
	}
	p := &iniParser{inv: inv, path: path, group: "ungrouped", state: "hosts"}
	for i, raw := range lines {
		p.lineno = i + 1
		if err := p.line(strings.TrimSpace(raw)); err != nil {
			return err
		}
	}
	// Any declaration still pending is an undefined group; Ansible reports the first.
	for _, d := range p.pending {
		if d.state == "vars" {
			return &iniError{File: path, Line: d.line, Msg: fmt.Sprintf("Section [%s:vars] not valid for undefined group: %s", d.name, d.name)}
		}
		return &iniError{File: path, Line: d.line, Msg: fmt.Sprintf("Section [%s:children] includes undefined group: %s", d.parents[len(d.parents)-1], d.name)}
	}
	return nil
}

func (p *iniParser) fail(format string, args ...any) error {
	return &iniError{File: p.path, Line: p.lineno, Msg: fmt.Sprintf(format, args...)}
}

func (p *iniParser) line(line string) error {
	if line == "" || line[0] == ';' || line[0] == '#' {
		return nil
	}
	if m := iniSection.FindStringSubmatch(line); m != nil {
		return p.section(m[1], m[2])
	}
	if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
		return p.fail("Invalid section entry: '%s'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters", line)
	}
	switch p.state {
	case "hosts":
		return p.hostLine(line)
	case "vars":
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return p.fail("Expected key=value, got: %s", line)
		}
		return p.inv.setVariable(p.group, strings.TrimSpace(k), iniValue(strings.TrimSpace(v)))
	default:
		return p.childLine(line)
	}
}

// section starts [group], [group:vars] or [group:children].
func (p *iniParser) section(group, state string) error {
	title := group + ":" + state
	if state == "" {
		state = "hosts"
	}
	if state != "hosts" && state != "children" && state != "vars" {
		return p.fail("Section [%s] has unknown type: %s", title, state)
	}
	p.group, p.state = group, state
	if p.inv.groups[group] == nil {
		// [g:vars] may come before [g]; Ansible checks at the end that g exists.
		if state == "vars" && p.pendingFor(group) == nil {
			p.addPending(&pendingDecl{line: p.lineno, state: state, name: group})
		}
		p.inv.addGroup(group)
	}
	if d := p.pendingFor(group); d != nil && state != "vars" {
		if d.state == "children" {
			return p.addPendingChildren(group)
		}
		p.removePending(group)
	}
	return nil
}

func (p *iniParser) hostLine(line string) error {
	hosts, port, vars, err := iniHostDefinition(line, p.fail)
	if err != nil {
		return err
	}
	for _, h := range hosts {
		if _, err := p.inv.addHost(h, p.group, port); err != nil {
			return err
		}
		for _, kv := range vars {
			if err := p.inv.setVariable(h, kv.key, kv.val); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *iniParser) childLine(line string) error {
	m := iniGroupName.FindStringSubmatch(line)
	if m == nil {
		return p.fail("Expected group name, got: %s", line)
	}
	child := m[1]
	if p.inv.groups[child] != nil {
		return p.inv.addChild(p.group, child)
	}
	if d := p.pendingFor(child); d != nil {
		d.parents = append(d.parents, p.group)
	} else {
		p.addPending(&pendingDecl{line: p.lineno, state: "children", name: child, parents: []string{p.group}})
	}
	return nil
}

// The pending declarations keep the order of a Python dict: a name removed
// and added again goes to the end.
func (p *iniParser) pendingFor(name string) *pendingDecl {
	for _, d := range p.pending {
		if d.name == name {
			return d
		}
	}
	return nil
}

func (p *iniParser) addPending(d *pendingDecl) { p.pending = append(p.pending, d) }

func (p *iniParser) removePending(name string) {
	for i, d := range p.pending {
		if d.name == name {
			p.pending = append(p.pending[:i:i], p.pending[i+1:]...)
			return
		}
	}
}

// addPendingChildren links a newly declared group to the parents that named
// it earlier, and those parents to theirs if they were pending too.
func (p *iniParser) addPendingChildren(group string) error {
	for _, parent := range p.pendingFor(group).parents {
		if err := p.inv.addChild(parent, group); err != nil {
			return err
		}
		if d := p.pendingFor(parent); d != nil && d.state == "children" {
			if err := p.addPendingChildren(parent); err != nil {
				return err
			}
		}
	}
	p.removePending(group)
	return nil
}

// iniLines splits the file as Python's str.splitlines does. Lines that are
// not UTF-8 are allowed only when they are comments (they become empty), as
// in Ansible; otherwise iniLines returns nil.
func iniLines(data []byte) []string {
	text := string(data)
	if !utf8.Valid(data) {
		var out []string
		for _, l := range splitLines(text) {
			if l != "" && (l[0] == '#' || l[0] == ';') {
				out = append(out, "")
			} else if !utf8.ValidString(l) {
				return nil
			} else {
				out = append(out, l)
			}
		}
		return out
	}
	return splitLines(text)
}

// splitLines is str.splitlines for the line breaks files use.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

type keyVal struct {
	key string
	val any
}

// iniHostDefinition parses "name[:port] key=value ..." into host names
// (ranges expanded), a port (-1 if none) and typed variables.
func iniHostDefinition(line string, fail func(string, ...any) error) ([]string, int, []keyVal, error) {
	tokens, err := shlexSplit(line)
	if err != nil {
		return nil, -1, nil, fail("Error parsing host definition '%s': %s", line, err)
	}
	if len(tokens) == 0 {
		return nil, -1, nil, fail("list index out of range")
	}
	pattern := tokens[0]
	hosts, port, err := expandHostPattern(pattern)
	if err != nil {
		return nil, -1, nil, err // Ansible reports range errors without a line number
	}
	if strings.HasSuffix(strings.TrimSpace(pattern), ":") && port < 0 {
		return nil, -1, nil, fmt.Errorf("Invalid host pattern '%s' supplied, ending in ':' is not allowed, this character is reserved to provide a port.", pattern)
	}
	for _, h := range hosts {
		if strings.TrimSpace(h) == "---" {
			return nil, -1, nil, fmt.Errorf("Invalid host pattern '%s' supplied, '---' is normally a sign this is a YAML file.", pattern)
		}
	}
	var vars []keyVal
	for _, t := range tokens[1:] {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return nil, -1, nil, fail("Expected key=value host variable assignment, got: %s", t)
		}
		vars = append(vars, keyVal{k, iniValue(v)})
	}
	return hosts, port, vars, nil
}

// iniValue is the ini plugin's _parse_value: a Python literal if
// ast.literal_eval accepts it, else the text itself.
func iniValue(v string) any {
	x, err := pyLiteral(v)
	if err != nil {
		return v
	}
	if s, ok := x.(string); ok && !utf8.ValidString(s) {
		return v
	}
	return x
}
