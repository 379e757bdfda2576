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

type pendingDecl struct {
	line    int
	state   string
	name    string
	parents []string
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
	pending := map[string]*pendingDecl{}
	var pendingOrder []string
	addPending := func(d *pendingDecl) {
		pending[d.name] = d
		pendingOrder = append(pendingOrder, d.name)
	}
	group, state := "ungrouped", "hosts"
	for i, raw := range lines {
		lineno := i + 1
		fail := func(format string, args ...any) error {
			return &iniError{File: path, Line: lineno, Msg: fmt.Sprintf(format, args...)}
		}
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if m := iniSection.FindStringSubmatch(line); m != nil {
			group, state = m[1], m[2]
			if state == "" {
				state = "hosts"
			}
			if state != "hosts" && state != "children" && state != "vars" {
				return fail("Section [%s:%s] has unknown type: %s", m[1], m[2], state)
			}
			if inv.groups[group] == nil {
				if state == "vars" && pending[group] == nil {
					addPending(&pendingDecl{line: lineno, state: state, name: group})
				}
				inv.addGroup(group)
			}
			if d := pending[group]; d != nil && state != "vars" {
				if d.state == "children" {
					if err := inv.addPendingChildren(group, pending); err != nil {
						return err
					}
				} else if d.state == "vars" {
					delete(pending, group)
				}
			}
			continue
		} else if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			return fail("Invalid section entry: '%s'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters", line)
		}
		switch state {
		case "hosts":
			hosts, port, vars, err := iniHostDefinition(line, fail)
			if err != nil {
				return err
			}
			for _, h := range hosts {
				if _, err := inv.addHost(h, group, port); err != nil {
					return err
				}
				for _, kv := range vars {
					if err := inv.setVariable(h, kv.key, kv.val); err != nil {
						return err
					}
				}
			}
		case "vars":
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return fail("Expected key=value, got: %s", line)
			}
			if err := inv.setVariable(group, strings.TrimSpace(k), iniValue(strings.TrimSpace(v))); err != nil {
				return err
			}
		case "children":
			m := iniGroupName.FindStringSubmatch(line)
			if m == nil {
				return fail("Expected group name, got: %s", line)
			}
			child := m[1]
			if inv.groups[child] == nil {
				if d := pending[child]; d == nil {
					addPending(&pendingDecl{line: lineno, state: state, name: child, parents: []string{group}})
				} else {
					d.parents = append(d.parents, group)
				}
			} else if err := inv.addChild(group, child); err != nil {
				return err
			}
		}
	}
	// Any declaration still pending is an undefined group; Ansible reports the first.
	for _, name := range pendingOrder {
		d := pending[name]
		if d == nil {
			continue
		}
		switch d.state {
		case "vars":
			return &iniError{File: path, Line: d.line, Msg: fmt.Sprintf("Section [%s:vars] not valid for undefined group: %s", d.name, d.name)}
		case "children":
			return &iniError{File: path, Line: d.line, Msg: fmt.Sprintf("Section [%s:children] includes undefined group: %s", d.parents[len(d.parents)-1], d.name)}
		}
	}
	return nil
}

func (inv *Inventory) addPendingChildren(group string, pending map[string]*pendingDecl) error {
	for _, parent := range pending[group].parents {
		if err := inv.addChild(parent, group); err != nil {
			return err
		}
		if d := pending[parent]; d != nil && d.state == "children" {
			if err := inv.addPendingChildren(parent, pending); err != nil {
				return err
			}
		}
	}
	delete(pending, group)
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
