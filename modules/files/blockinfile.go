package files

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pyre"
)

func init() { module.Register(blockinfileModule{}) }

type blockinfileModule struct{}

func (blockinfileModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "blockinfile", Names: []string{"ansible.builtin.blockinfile"},
		Short:       "Insert/update/remove a text block surrounded by marker lines",
		Description: []string{"This module will insert/update/remove a block of multi-line text surrounded by customizable marker lines."},
		Options: withFileOptions([]module.Option{
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "block", Aliases: []string{"content"}, Default: "", Description: "The text to insert inside the marker lines. If it is missing or an empty string, the block will be removed as if state were specified to absent."},
			{Name: "create", Type: "bool", Default: false, Description: "Create a new file if it does not exist."},
			{Name: "insertafter", Description: "If specified and no begin/ending marker lines are found, the block will be inserted after the last match of specified regular expression. A special value is available; EOF for inserting the block at the end of the file. If specified regular expression has no matches, EOF will be used instead. The presence of the multiline flag (?m) in the regular expression controls whether the match is done line by line or with multiple lines. This behaviour was added in ansible-core 2.14."},
			{Name: "insertbefore", Description: "If specified and no begin/ending marker lines are found, the block will be inserted before the last match of specified regular expression. A special value is available; BOF for inserting the block at the beginning of the file. If specified regular expression has no matches, the block will be inserted at the end of the file. The presence of the multiline flag (?m) in the regular expression controls whether the match is done line by line or with multiple lines. This behaviour was added in ansible-core 2.14."},
			{Name: "marker", Default: "# {mark} ANSIBLE MANAGED BLOCK", Description: "The marker line template. {mark} will be replaced with the values in marker_begin (default=\"BEGIN\") and marker_end (default=\"END\"). Using a custom marker without the {mark} variable may result in the block being repeatedly inserted on subsequent playbook runs. Multi-line markers are not supported and will result in the block being repeatedly inserted on subsequent playbook runs. A newline is automatically appended by the module to marker_begin and marker_end."},
			{Name: "marker_begin", Default: "BEGIN", Description: "This will be inserted at {mark} in the opening ansible block marker."},
			{Name: "marker_end", Default: "END", Description: "This will be inserted at {mark} in the closing ansible block marker."},
			{Name: "path", Type: "path", Aliases: []string{"dest", "destfile", "name"}, Required: true, Description: "The file to modify. Before Ansible 2.3 this option was only usable as dest, destfile and name."},
			{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the block should be there or not."},
			{Name: "validate", Description: "The validation command to run before copying the updated file into the final destination. A temporary file path is used to validate, passed in through '%s' which must be present as in the examples below. Also, the command is passed securely so shell features such as expansion and pipes will not work. For an example on how to handle more complex validation than what this option provides, see R(handling complex validation,complex_configuration_validation)."},
		}),
		Check: module.Full, Diff: module.Full, MutuallyExclusive: [][]string{{"insertbefore", "insertafter"}},
		Examples: `# Before Ansible 2.3, option 'dest' or 'name' was used instead of 'path'
- name: Insert/Update "Match User" configuration block in /etc/ssh/sshd_config
  ansible.builtin.blockinfile:
    path: /etc/ssh/sshd_config
    block: |
      Match User ansible-agent
      PasswordAuthentication no

- name: Insert/Update eth0 configuration stanza in /etc/network/interfaces
        (it might be better to copy files into /etc/network/interfaces.d/)
  ansible.builtin.blockinfile:
    path: /etc/network/interfaces
    block: |
      iface eth0 inet static
          address 192.0.2.23
          netmask 255.255.255.0

- name: Insert/Update configuration using a local file and validate it
  ansible.builtin.blockinfile:
    block: "{{ lookup('ansible.builtin.file', './local/sshd_config') }}"
    path: /etc/ssh/sshd_config
    backup: yes
    validate: /usr/sbin/sshd -T -f %s

- name: Insert/Update HTML surrounded by custom markers after <body> line
  ansible.builtin.blockinfile:
    path: /var/www/html/index.html
    marker: "<!-- {mark} ANSIBLE MANAGED BLOCK -->"
    insertafter: "<body>"
    block: |
      <h1>Welcome to {{ ansible_hostname }}</h1>
      <p>Last updated on {{ ansible_date_time.iso8601 }}</p>

- name: Remove HTML as well as surrounding markers
  ansible.builtin.blockinfile:
    path: /var/www/html/index.html
    marker: "<!-- {mark} ANSIBLE MANAGED BLOCK -->"
    block: ""

- name: Add mappings to /etc/hosts
  ansible.builtin.blockinfile:
    path: /etc/hosts
    block: |
      {{ item.ip }} {{ item.name }}
    marker: "# {mark} ANSIBLE MANAGED BLOCK {{ item.name }}"
  loop:
    - { name: host1, ip: 10.10.1.10 }
    - { name: host2, ip: 10.10.1.11 }
    - { name: host3, ip: 10.10.1.12 }

- name: Search with a multiline search flags regex and if found insert after
  blockinfile:
    path: listener.ora
    block: "{{ listener_line | indent(width=8, first=True) }}"
    insertafter: '(?m)SID_LIST_LISTENER_DG =\n.*\(SID_LIST ='
    marker: "    <!-- {mark} ANSIBLE MANAGED BLOCK -->"`,
		Returns: []module.Return{},
	}
}

func (blockinfileModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	p := c.Args.String("path")
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
	exists := f.info.Exists
	if !exists && !c.Args.Bool("create") {
		return module.Result{"failed": true, "rc": 257, "msg": fmt.Sprintf("Path %s does not exist !", p)}, nil
	}
	original := f.content()
	lines := splitLines(original)
	diff := contentDiffDict(p)
	if c.Diff && len(original) > 0 {
		diff["before"] = string(original)
	}
	present := c.Args.String("state") == "present"
	if !present && !exists {
		return module.Result{"changed": false, "msg": fmt.Sprintf("File %s not present", p)}, nil
	}
	insAfter, insBefore := c.Args.String("insertafter"), c.Args.String("insertbefore")
	hasAfter, hasBefore := c.Args.Has("insertafter"), c.Args.Has("insertbefore")
	if !hasAfter && !hasBefore {
		insAfter, hasAfter = "EOF", true
	}
	var insRe *pyre.Regexp
	switch {
	case hasAfter && insAfter != "EOF":
		insRe, err = pyre.Compile(insAfter, 0)
	case hasBefore && insBefore != "BOF":
		insRe, err = pyre.Compile(insBefore, 0)
	}
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	marker := c.Args.String("marker")
	marker0 := []byte(strings.ReplaceAll(marker, "{mark}", c.Args.String("marker_begin")) + "\n")
	marker1 := []byte(strings.ReplaceAll(marker, "{mark}", c.Args.String("marker_end")) + "\n")
	block := c.Args.String("block")
	var blockLines [][]byte
	if present && block != "" {
		if !strings.HasSuffix(block, "\n") {
			block += "\n"
		}
		blockLines = append(append([][]byte{marker0}, splitLines([]byte(block))...), marker1)
	}
	n0, n1 := -1, -1
	for i, l := range lines {
		if bytes.Equal(l, marker0) {
			n0 = i
		}
		if bytes.Equal(l, marker1) {
			n1 = i
		}
	}
	switch {
	case n0 < 0 || n1 < 0:
		n0 = -1
		switch {
		case insRe != nil:
			if strings.Contains(insRe.String(), "(?m)") {
				m, err := insRe.Search(string(original))
				if err != nil {
					return module.Failed(err.Error()), nil
				}
				if m != nil {
					runes := []rune(string(original))
					if hasAfter {
						n0 = strings.Count(string(runes[:m.End]), "\n")
					} else {
						n0 = strings.Count(string(runes[:m.Start]), "\n")
					}
				}
			} else {
				for i, l := range lines {
					if m, _ := insRe.Search(string(l)); m != nil {
						n0 = i
					}
				}
			}
			if n0 < 0 {
				n0 = len(lines)
			} else if hasAfter {
				n0++
			}
		case hasBefore:
			n0 = 0
		default:
			n0 = len(lines)
		}
	case n0 < n1:
		lines = append(lines[:n0], lines[n1+1:]...)
	default:
		lines = append(lines[:n1], lines[n0+1:]...)
		n0 = n1
	}
	if n0 > 0 && !bytes.HasSuffix(lines[n0-1], []byte("\n")) {
		lines[n0-1] = append(append([]byte(nil), lines[n0-1]...), '\n')
	}
	lines = append(lines[:n0], append(blockLines, lines[n0:]...)...)
	result := bytes.Join(lines, nil)
	if c.Diff {
		diff["after"] = string(result)
	}
	msg, changed := "", false
	switch {
	case exists && bytes.Equal(original, result):
	case !exists:
		msg, changed = "File created", true
	case blockLines == nil:
		msg, changed = "Block removed", true
	default:
		msg, changed = "Block inserted", true
	}
	backup := ""
	if changed && !c.Check {
		b, err := f.write(ctx, c, result, c.Args.Bool("backup"))
		if err != nil {
			return failure(p, err)
		}
		backup = b
	}
	if c.Check && !exists {
		return module.Result{"changed": changed, "msg": msg, "diff": diff}, nil
	}
	ad := newAttrDiff()
	changed, msg, err = f.fileAttrs(ctx, c, changed, msg, ad)
	if err != nil {
		return failure(p, err)
	}
	res := module.Result{"changed": changed, "msg": msg, "diff": []any{diff, attrDiff(p, ad)}}
	if backup != "" {
		res["backup_file"] = backup
	}
	return res, nil
}
