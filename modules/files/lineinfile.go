package files

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pyre"
)

func init() { module.Register(lineinfileModule{}) }

type lineinfileModule struct{}

func (lineinfileModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "lineinfile", Names: []string{"ansible.builtin.lineinfile"},
		Short:       "Manage lines in text files",
		Description: []string{"This module ensures a particular line is in a file, or replace an existing line using a back-referenced regular expression.", "This is primarily useful when you want to change a single line in a file only.", "See the ansible.builtin.replace module if you want to change multiple, similar lines or check ansible.builtin.blockinfile if you want to insert/update/remove a block of lines in a file. For other cases, see the ansible.builtin.copy or ansible.builtin.template modules."},
		Options: withFileOptions([]module.Option{
			{Name: "backrefs", Type: "bool", Default: false, Description: "Used with state=present. If set, line can contain backreferences (both positional and named) that will get populated if the regexp matches. This parameter changes the operation of the module slightly; insertbefore and insertafter will be ignored, and if the regexp does not match anywhere in the file, the file will be left unchanged. If the regexp does match, the last matching line will be replaced by the expanded line parameter. Mutually exclusive with search_string."},
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "create", Type: "bool", Default: false, Description: "Used with state=present. If specified, the file will be created if it does not already exist. By default it will fail if the file is missing."},
			{Name: "firstmatch", Type: "bool", Default: false, Description: "Used with insertafter or insertbefore. If set, insertafter and insertbefore will work with the first line that matches the given regular expression."},
			{Name: "insertafter", Description: "Used with state=present. If specified, the line will be inserted after the last match of specified regular expression. If the first match is required, use(firstmatch=yes). A special value is available; EOF for inserting the line at the end of the file. If specified regular expression has no matches, EOF will be used instead. If insertbefore is set, default value EOF will be ignored. If regular expressions are passed to both regexp and insertafter, insertafter is only honored if no match for regexp is found. May not be used with backrefs or insertbefore."},
			{Name: "insertbefore", Description: "Used with state=present. If specified, the line will be inserted before the last match of specified regular expression. If the first match is required, use firstmatch=yes. A value is available; BOF for inserting the line at the beginning of the file. If specified regular expression has no matches, the line will be inserted at the end of the file. If regular expressions are passed to both regexp and insertbefore, insertbefore is only honored if no match for regexp is found. May not be used with backrefs or insertafter."},
			{Name: "line", Aliases: []string{"value"}, Description: "The line to insert/replace into the file. Required for state=present. If backrefs is set, may contain backreferences that will get expanded with the regexp capture groups if the regexp matches."},
			{Name: "others", Description: "All arguments accepted by the M(ansible.builtin.file) module also work here."},
			{Name: "path", Type: "path", Aliases: []string{"dest", "destfile", "name"}, Required: true, Description: "The file to modify. Before Ansible 2.3 this option was only usable as dest, destfile and name."},
			{Name: "regexp", Aliases: []string{"regex"}, Description: "The regular expression to look for in every line of the file. For state=present, the pattern to replace if found. Only the last line found will be replaced. For state=absent, the pattern of the line(s) to remove. If the regular expression is not matched, the line will be added to the file in keeping with insertbefore or insertafter settings. When modifying a line the regexp should typically match both the initial state of the line as well as its state after replacement by line to ensure idempotence. Uses Python regular expressions. See U(https://docs.python.org/3/library/re.html)."},
			{Name: "search_string", Description: "The literal string to look for in every line of the file. This does not have to match the entire line. For state=present, the line to replace if the string is found in the file. Only the last line found will be replaced. For state=absent, the line(s) to remove if the string is in the line. If the literal expression is not matched, the line will be added to the file in keeping with insertbefore or insertafter settings. Mutually exclusive with backrefs and regexp."},
			{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the line should be there or not."},
			{Name: "validate", Description: "The validation command to run before copying the updated file into the final destination. A temporary file path is used to validate, passed in through '%s' which must be present as in the examples below. Also, the command is passed securely so shell features such as expansion and pipes will not work. For an example on how to handle more complex validation than what this option provides, see R(handling complex validation,complex_configuration_validation)."},
		}),
		Check: module.Full, Diff: module.Full, MutuallyExclusive: [][]string{{"insertbefore", "insertafter"}, {"regexp", "search_string"}, {"backrefs", "search_string"}},
		Examples: `# NOTE: Before 2.3, option 'dest', 'destfile' or 'name' was used instead of 'path'
- name: Ensure SELinux is set to enforcing mode
  ansible.builtin.lineinfile:
    path: /etc/selinux/config
    regexp: '^SELINUX='
    line: SELINUX=enforcing

- name: Make sure group wheel is not in the sudoers configuration
  ansible.builtin.lineinfile:
    path: /etc/sudoers
    state: absent
    regexp: '^%wheel'

- name: Replace a localhost entry with our own
  ansible.builtin.lineinfile:
    path: /etc/hosts
    regexp: '^127\.0\.0\.1'
    line: 127.0.0.1 localhost
    owner: root
    group: root
    mode: '0644'

- name: Replace a localhost entry searching for a literal string to avoid escaping
  ansible.builtin.lineinfile:
    path: /etc/hosts
    search_string: '127.0.0.1'
    line: 127.0.0.1 localhost
    owner: root
    group: root
    mode: '0644'

- name: Ensure the default Apache port is 8080
  ansible.builtin.lineinfile:
    path: /etc/httpd/conf/httpd.conf
    regexp: '^Listen '
    insertafter: '^#Listen '
    line: Listen 8080

- name: Ensure php extension matches new pattern
  ansible.builtin.lineinfile:
    path: /etc/httpd/conf/httpd.conf
    search_string: '<FilesMatch ".php[45]?$">'
    insertafter: '^\t<Location \/>\n'
    line: '        <FilesMatch ".php[34]?$">'

- name: Ensure we have our own comment added to /etc/services
  ansible.builtin.lineinfile:
    path: /etc/services
    regexp: '^# port for http'
    insertbefore: '^www.*80/tcp'
    line: '# port for http by default'

- name: Add a line to a file if the file does not exist, without passing regexp
  ansible.builtin.lineinfile:
    path: /tmp/testfile
    line: 192.168.1.99 foo.lab.net foo
    create: yes

# NOTE: Yaml requires escaping backslashes in double quotes but not in single quotes
- name: Ensure the JBoss memory settings are exactly as needed
  ansible.builtin.lineinfile:
    path: /opt/jboss-as/bin/standalone.conf
    regexp: '^(.*)Xms(\d+)m(.*)$'
    line: '\1Xms${xms}m\3'
    backrefs: yes

# NOTE: Fully quoted because of the ': ' on the line. See the Gotchas in the YAML docs.
- name: Validate the sudoers file before saving
  ansible.builtin.lineinfile:
    path: /etc/sudoers
    state: present
    regexp: '^%ADMIN ALL='
    line: '%ADMIN ALL=(ALL) NOPASSWD: ALL'
    validate: /usr/sbin/visudo -cf %s

# See https://docs.python.org/3/library/re.html for further details on syntax
- name: Use backrefs with alternative group syntax to avoid conflicts with variable values
  ansible.builtin.lineinfile:
    path: /tmp/config
    regexp: ^(host=).*
    line: \g<1>{{ hostname }}
    backrefs: yes`,
		Returns: []module.Return{},
	}
}

func (lineinfileModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	p := c.Args.String("path")
	regexp, hasRegexp := c.Args.String("regexp"), c.Args.Has("regexp")
	search, hasSearch := c.Args.String("search_string"), c.Args.Has("search_string")
	if (hasRegexp && regexp == "") || (hasSearch && search == "") {
		msg := "The %s is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending."
		name := "search string"
		if hasRegexp && regexp == "" {
			name = "regular expression"
			msg += " If this is desired, use '^' to match every line in the file and avoid this warning."
		}
		c.Warn(fmt.Sprintf(msg, name))
	}
	if v := c.Args.String("validate"); v != "" && !strings.Contains(v, "%s") {
		return module.Failed("validate must contain %s: " + v), nil
	}
	f, err := readText(ctx, c, p)
	if err != nil {
		return failure(p, err)
	}
	if f.info.IsDir() {
		return module.Result{"failed": true, "rc": 256, "msg": fmt.Sprintf("Path %s is a directory !", p)}, nil
	}
	var re *pyre.Regexp
	if hasRegexp {
		if re, err = pyre.Compile(regexp, 0); err != nil {
			return module.Failed(err.Error()), nil
		}
	}
	if c.Args.String("state") == "present" {
		if c.Args.Bool("backrefs") && !hasRegexp {
			return module.Failed("regexp is required with backrefs=true"), nil
		}
		if !c.Args.Has("line") {
			return module.Failed("line is required with state=present"), nil
		}
		return lineinfilePresent(ctx, c, f, re, search, hasSearch)
	}
	if !hasRegexp && !hasSearch && !c.Args.Has("line") {
		return module.Failed("one of line, search_string, or regexp is required with state=absent"), nil
	}
	return lineinfileAbsent(ctx, c, f, re, search, hasSearch)
}

func contentDiffDict(p string) map[string]any {
	return map[string]any{"before": "", "after": "", "before_header": p + " (content)", "after_header": p + " (content)"}
}

func lineinfilePresent(ctx context.Context, c *module.Call, f *textFile, re *pyre.Regexp, search string, hasSearch bool) (module.Result, error) {
	p := f.path
	diff := contentDiffDict(p)
	if !f.info.Exists && !c.Args.Bool("create") {
		return module.Result{"failed": true, "rc": 257, "msg": fmt.Sprintf("Destination %s does not exist !", p)}, nil
	}
	lines := readLines(f.content())
	if c.Diff {
		diff["before"] = string(f.content())
	}
	insAfter, insBefore := c.Args.String("insertafter"), c.Args.String("insertbefore")
	if !c.Args.Has("insertafter") && !c.Args.Has("insertbefore") {
		insAfter = "EOF"
	}
	var insRe *pyre.Regexp
	var err error
	switch {
	case insAfter != "" && insAfter != "BOF" && insAfter != "EOF":
		insRe, err = pyre.Compile(insAfter, 0)
	case insBefore != "" && insBefore != "BOF":
		insRe, err = pyre.Compile(insBefore, 0)
	}
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	line := c.Args.String("line")
	firstmatch := c.Args.Bool("firstmatch")
	index := [2]int{-1, -1}
	var match *pyre.Match
	matched := false
	if re != nil {
		for i, l := range lines {
			m, err := re.Search(string(l))
			if err != nil {
				return module.Failed(err.Error()), nil
			}
			if m != nil {
				index[0], match, matched = i, m, true
				if firstmatch {
					break
				}
			}
		}
	}
	if hasSearch {
		for i, l := range lines {
			if strings.Contains(string(l), search) {
				index[0], matched = i, true
				if firstmatch {
					break
				}
			}
		}
	}
	if !matched {
		for i, l := range lines {
			if string(bytes.TrimRight(l, "\r\n")) == line {
				index[0] = i
			} else if insRe != nil {
				if m, _ := insRe.Search(string(l)); m != nil {
					if insAfter != "" {
						index[1] = i + 1
						if firstmatch {
							break
						}
					}
					if insBefore != "" {
						index[1] = i
						if firstmatch {
							break
						}
					}
				}
			}
		}
	}
	msg, changed := "", false
	nl := []byte(line + "\n")
	insert := func(at int) {
		lines = append(lines[:at], append([][]byte{nl}, lines[at:]...)...)
		msg, changed = "line added", true
	}
	trimmed := func(i int) string { return string(bytes.TrimRight(lines[i], "\r\n")) }
	endsOpen := func() bool {
		if len(lines) == 0 {
			return false
		}
		last := lines[len(lines)-1]
		return last[len(last)-1] != '\n' && last[len(last)-1] != '\r'
	}
	switch {
	case index[0] != -1:
		newLine := line
		if c.Args.Bool("backrefs") && match != nil {
			if newLine, err = match.Expand(line); err != nil {
				return module.Failed(err.Error()), nil
			}
		}
		if !strings.HasSuffix(newLine, "\n") {
			newLine += "\n"
		}
		// index[0] is set only by a match or an exact line, so Ansible's
		// insertafter/insertbefore branch here is never taken.
		if string(lines[index[0]]) != newLine {
			lines[index[0]] = []byte(newLine)
			msg, changed = "line replaced", true
		}
	case c.Args.Bool("backrefs"):
	case insBefore == "BOF" || insAfter == "BOF":
		insert(0)
	case insAfter == "EOF" || index[1] == -1:
		if endsOpen() {
			lines = append(lines, []byte("\n"))
		}
		lines = append(lines, nl)
		msg, changed = "line added", true
	case insAfter != "" && index[1] != -1:
		if len(lines) == index[1] {
			if trimmed(index[1]-1) != line {
				lines = append(lines, nl)
				msg, changed = "line added", true
			}
		} else if line != trimmed(index[1]) {
			insert(index[1])
		}
	default:
		insert(index[1])
	}
	after := bytes.Join(lines, nil)
	if c.Diff {
		diff["after"] = string(after)
	}
	backup := ""
	if changed && !c.Check {
		b, err := f.write(ctx, c, after, c.Args.Bool("backup"))
		if err != nil {
			return failure(p, err)
		}
		backup = b
	}
	if c.Check && !f.info.Exists {
		return module.Result{"changed": changed, "msg": msg, "backup": backup, "diff": diff}, nil
	}
	ad := newAttrDiff()
	changed, msg, err = f.fileAttrs(ctx, c, changed, msg, ad)
	if err != nil {
		return failure(p, err)
	}
	return module.Result{"changed": changed, "msg": msg, "backup": backup, "diff": []any{diff, attrDiff(p, ad)}}, nil
}

func lineinfileAbsent(ctx context.Context, c *module.Call, f *textFile, re *pyre.Regexp, search string, hasSearch bool) (module.Result, error) {
	p := f.path
	if !f.info.Exists {
		return module.Result{"changed": false, "msg": "file not present"}, nil
	}
	diff := contentDiffDict(p)
	if c.Diff {
		diff["before"] = string(f.content())
	}
	line := c.Args.String("line")
	var kept [][]byte
	found := 0
	for _, l := range readLines(f.content()) {
		var hit bool
		switch {
		case re != nil:
			m, err := re.Search(string(l))
			if err != nil {
				return module.Failed(err.Error()), nil
			}
			hit = m != nil
		case hasSearch:
			hit = strings.Contains(string(l), search)
		default:
			hit = string(bytes.TrimRight(l, "\r\n")) == line
		}
		if hit {
			found++
		} else {
			kept = append(kept, l)
		}
	}
	changed := found > 0
	after := bytes.Join(kept, nil)
	if c.Diff {
		diff["after"] = string(after)
	}
	backup, msg := "", ""
	if changed && !c.Check {
		b, err := f.write(ctx, c, after, c.Args.Bool("backup"))
		if err != nil {
			return failure(p, err)
		}
		backup = b
	}
	if changed {
		msg = fmt.Sprintf("%d line(s) removed", found)
	}
	ad := newAttrDiff()
	changed, msg, err := f.fileAttrs(ctx, c, changed, msg, ad)
	if err != nil {
		return failure(p, err)
	}
	return module.Result{"changed": changed, "found": found, "msg": msg, "backup": backup, "diff": []any{diff, attrDiff(p, ad)}}, nil
}
