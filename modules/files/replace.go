package files

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pyre"
)

func init() { module.Register(replaceModule{}) }

type replaceModule struct{}

func (replaceModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "replace", Names: []string{"ansible.builtin.replace"},
		Short:       "Replace all instances of a particular string in a file using a back-referenced regular expression",
		Description: []string{"This module will replace all instances of a pattern within a file.", "It is up to the user to maintain idempotence by ensuring that the same pattern would never match any replacements made."},
		Options: withFileOptions([]module.Option{
			{Name: "after", Description: "If specified, only content after this match will be replaced/removed. Can be used in combination with before. Uses Python regular expressions; see U(https://docs.python.org/3/library/re.html). Uses DOTALL, which means the . special character can match newlines."},
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "before", Description: "If specified, only content before this match will be replaced/removed. Can be used in combination with after. Uses Python regular expressions; see U(https://docs.python.org/3/library/re.html). Uses DOTALL, which means the . special character can match newlines."},
			{Name: "encoding", Default: "utf-8", Description: "The character encoding for reading and writing the file."},
			{Name: "others", Description: "All arguments accepted by the M(ansible.builtin.file) module also work here."},
			{Name: "path", Type: "path", Aliases: []string{"dest", "destfile", "name"}, Required: true, Description: "The file to modify. Before Ansible 2.3 this option was only usable as dest, destfile and name."},
			{Name: "regexp", Required: true, Description: "The regular expression to look for in the contents of the file. Uses Python regular expressions; see U(https://docs.python.org/3/library/re.html). Uses MULTILINE mode, which means ^ and $ match the beginning and end of the file, as well as the beginning and end respectively of each line of the file. Does not use DOTALL, which means the . special character matches any character except newlines. A common mistake is to assume that a negated character set like [^#] will also not match newlines. In order to exclude newlines, they must be added to the set like [^#\\n]. Note that, as of Ansible 2.0, short form tasks should have any escape sequences backslash-escaped in order to prevent them being parsed as string literal escapes. See the examples."},
			{Name: "replace", Description: "The string to replace regexp matches. May contain backreferences that will get expanded with the regexp capture groups if the regexp matches. If not set, matches are removed entirely. Backreferences can be used ambiguously like \\1, or explicitly like \\g<1>."},
			{Name: "validate", Description: "The validation command to run before copying the updated file into the final destination. A temporary file path is used to validate, passed in through '%s' which must be present as in the examples below. Also, the command is passed securely so shell features such as expansion and pipes will not work. For an example on how to handle more complex validation than what this option provides, see R(handling complex validation,complex_configuration_validation)."},
		}),
		Check: module.Full, Diff: module.Full,
		Examples: `- name: Replace old hostname with new hostname (requires Ansible >= 2.4)
  ansible.builtin.replace:
    path: /etc/hosts
    regexp: '(\s+)old\.host\.name(\s+.*)?$'
    replace: '\1new.host.name\2'

- name: Replace after the expression till the end of the file (requires Ansible >= 2.4)
  ansible.builtin.replace:
    path: /etc/apache2/sites-available/default.conf
    after: 'NameVirtualHost [*]'
    regexp: '^(.+)$'
    replace: '# \1'

- name: Replace before the expression till the begin of the file (requires Ansible >= 2.4)
  ansible.builtin.replace:
    path: /etc/apache2/sites-available/default.conf
    before: '# live site config'
    regexp: '^(.+)$'
    replace: '# \1'

# Prior to Ansible 2.7.10, using before and after in combination did the opposite of what was intended.
# see https://github.com/ansible/ansible/issues/31354 for details.
- name: Replace between the expressions (requires Ansible >= 2.4)
  ansible.builtin.replace:
    path: /etc/hosts
    after: '<VirtualHost [*]>'
    before: '</VirtualHost>'
    regexp: '^(.+)$'
    replace: '# \1'

- name: Supports common file attributes
  ansible.builtin.replace:
    path: /home/jdoe/.ssh/known_hosts
    regexp: '^old\.host\.name[^\n]*\n'
    owner: jdoe
    group: jdoe
    mode: '0644'

- name: Supports a validate command
  ansible.builtin.replace:
    path: /etc/apache/ports
    regexp: '^(NameVirtualHost|Listen)\s+80\s*$'
    replace: '\1 127.0.0.1:8080'
    validate: '/usr/sbin/apache2ctl -f %s -t'

- name: Short form task (in ansible 2+) necessitates backslash-escaped sequences
  ansible.builtin.replace: path=/etc/hosts regexp='\\b(localhost)(\\d*)\\b' replace='\\1\\2.localdomain\\2 \\1\\2'

- name: Long form task does not
  ansible.builtin.replace:
    path: /etc/hosts
    regexp: '\b(localhost)(\d*)\b'
    replace: '\1\2.localdomain\2 \1\2'

- name: Explicitly specifying positional matched groups in replacement
  ansible.builtin.replace:
    path: /etc/ssh/sshd_config
    regexp: '^(ListenAddress[ ]+)[^\n]+$'
    replace: '\g<1>0.0.0.0'

- name: Explicitly specifying named matched groups
  ansible.builtin.replace:
    path: /etc/ssh/sshd_config
    regexp: '^(?P<dctv>ListenAddress[ ]+)(?P<host>[^\n]+)$'
    replace: '#\g<dctv>\g<host>\n\g<dctv>0.0.0.0'`,
		Returns: []module.Return{},
	}
}

func (replaceModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	codec, err := lookupCodec(c.Args.String("encoding"))
	if err != nil {
		return module.Failed("replace: encoding: " + err.Error()), nil
	}
	p := c.Args.String("path")
	f, err := readText(ctx, c, p)
	if err != nil {
		return failure(p, err)
	}
	switch {
	case f.info.IsDir():
		return module.Result{"failed": true, "rc": 256, "msg": fmt.Sprintf("Path %s is a directory !", p)}, nil
	case !f.info.Exists:
		return module.Result{"failed": true, "rc": 257, "msg": fmt.Sprintf("Path %s does not exist !", p)}, nil
	}
	contents, err := codec.decode(f.content())
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	res := module.Result{"rc": 0}
	after, before := c.Args.String("after"), c.Args.String("before")
	pattern := ""
	switch {
	case after != "" && before != "":
		pattern = fmt.Sprintf("%s(?P<subsection>.*?)%s", after, before)
	case after != "":
		pattern = fmt.Sprintf("%s(?P<subsection>.*)", after)
	case before != "":
		pattern = fmt.Sprintf("(?P<subsection>.*)%s", before)
	}
	section := contents
	var secStart, secEnd int // rune offsets of the section
	if pattern != "" {
		// The same pattern with `after` in a group of its own, to find where
		// the subsection starts.
		located := pattern
		if after != "" {
			located = "(?P<gorunafter>" + after + ")" + strings.TrimPrefix(pattern, after)
		}
		sre, err := pyre.Compile(located, pyre.DotAll)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		m, err := sre.Search(contents)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		if m == nil {
			res["msg"] = "Pattern for before/after params did not match the given file: " + pattern
			res["changed"] = false
			return res, nil
		}
		section = *m.Groups[m.Names["subsection"]]
		secStart = m.Start
		if i, ok := m.Names["gorunafter"]; ok && m.Groups[i] != nil {
			secStart += len([]rune(*m.Groups[i]))
		}
		secEnd = secStart + len([]rune(section))
	}
	re, err := pyre.Compile(c.Args.String("regexp"), pyre.Multiline)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	matches, err := re.FindAll(section)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	replaced, err := re.Sub(c.Args.String("replace"), section, 0)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	msg, changed := "", false
	result := replaced
	if len(matches) > 0 && section != replaced {
		if pattern != "" {
			runes := []rune(contents)
			result = string(runes[:secStart]) + replaced + string(runes[secEnd:])
		}
		msg, changed = fmt.Sprintf("%d replacements made", len(matches)), true
		if c.Diff {
			res["diff"] = map[string]any{"before_header": p, "before": contents, "after_header": p, "after": result}
		}
	}
	if changed && !c.Check {
		data, err := codec.encode(result)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		b, err := f.write(ctx, c, data, c.Args.Bool("backup"))
		if err != nil {
			return failure(p, err)
		}
		if b != "" {
			res["backup_file"] = b
		}
	}
	changed, msg, err = f.fileAttrs(ctx, c, changed, msg, nil)
	if err != nil {
		return failure(p, err)
	}
	res["msg"], res["changed"] = msg, changed
	return res, nil
}
