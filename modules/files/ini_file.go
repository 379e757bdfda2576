package files

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pyre"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(iniFileModule{}) }

type iniFileModule struct{}

func (iniFileModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "ini_file", Names: []string{"community.general.ini_file"},
		Short:       "Tweak settings in INI files",
		Description: []string{"Manage (add, remove, change) individual settings in an INI-style file without having to manage the file as a whole with, say, ansible.builtin.template or ansible.builtin.assemble.", "Adds missing sections if they don't exist.", "Before Ansible 2.0, comments are discarded when the source file is read, and therefore will not show up in the destination file.", "Since Ansible 2.3, this module adds missing ending newlines to files to keep in line with the POSIX standard, even when no other modifications need to be applied."},
		Options: withFileOptions([]module.Option{
			{Name: "allow_no_value", Type: "bool", Default: false, Description: "Allow option without value and without '=' symbol."},
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "create", Type: "bool", Default: true, Description: "If set to false, the module will fail if the file does not already exist. By default it will create the file if it is missing."},
			{Name: "exclusive", Type: "bool", Default: true, Description: "If set to true (default), all matching option lines are removed when state=absent, or replaced when state=present. If set to false, only the specified value(s) are added when state=present, or removed when state=absent, and existing ones are not modified."},
			{Name: "no_extra_spaces", Type: "bool", Default: false, Description: "Do not insert spaces before and after '=' symbol."},
			{Name: "option", Description: "If set (required for changing a value), this is the name of the option. May be omitted if adding/removing a whole section."},
			{Name: "path", Type: "path", Aliases: []string{"dest"}, Required: true, Description: "Path to the INI-style file; this file is created if required. Before Ansible 2.3 this option was only usable as dest."},
			{Name: "section", Description: "Section name in INI file. This is added if state=present automatically when a single value is being set. If left empty, being omitted, or being set to null, the option will be placed before the first section. Using null is also required if the config format does not support sections."},
			{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "If set to absent and exclusive set to true all matching option lines are removed. If set to absent and exclusive set to false the specified option=value lines are removed, but the other options with the same name are not touched. If set to present and exclusive set to false the specified option=values lines are added, but the other options with the same name are not touched. If set to present and exclusive set to true all given option=values lines will be added and the other options with the same name are removed."},
			{Name: "value", Description: "The string value to be associated with an option. May be omitted when removing an option. Mutually exclusive with values. value=v is equivalent to values=[v]."},
			{Name: "values", Type: "list", Elements: "str", Description: "The string value to be associated with an option. May be omitted when removing an option. Mutually exclusive with value. value=v is equivalent to values=[v]."},
		}),
		Check: module.Full, Diff: module.Full, MutuallyExclusive: [][]string{{"value", "values"}},
		Examples: `# Before Ansible 2.3, option 'dest' was used instead of 'path'
- name: Ensure "fav=lemonade is in section "[drinks]" in specified file
  community.general.ini_file:
    path: /etc/conf
    section: drinks
    option: fav
    value: lemonade
    mode: '0600'
    backup: true

- name: Ensure "temperature=cold is in section "[drinks]" in specified file
  community.general.ini_file:
    path: /etc/anotherconf
    section: drinks
    option: temperature
    value: cold
    backup: true

- name: Add "beverage=lemon juice" is in section "[drinks]" in specified file
  community.general.ini_file:
    path: /etc/conf
    section: drinks
    option: beverage
    value: lemon juice
    mode: '0600'
    state: present
    exclusive: false

- name: Ensure multiple values "beverage=coke" and "beverage=pepsi" are in section "[drinks]" in specified file
  community.general.ini_file:
    path: /etc/conf
    section: drinks
    option: beverage
    values:
      - coke
      - pepsi
    mode: '0600'
    state: present`,
		Returns: []module.Return{},
	}
}

func (iniFileModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	a := c.Args
	p := a.String("path")
	state := a.String("state")
	allowNoValue := a.Bool("allow_no_value")
	if state == "present" && !allowNoValue && !a.Has("value") && len(a.Strings("values")) == 0 {
		return module.Failed("Parameter 'value(s)' must be defined if state=present and allow_no_value=False."), nil
	}
	values := a.Strings("values")
	if a.Has("value") {
		values = []string{a.String("value")}
	}
	f, err := readText(ctx, c, p)
	if err != nil {
		return failure(p, err)
	}
	if !f.info.Exists && !a.Bool("create") {
		return module.Result{"failed": true, "rc": 257, "msg": fmt.Sprintf("Destination %s does not exist!", p)}, nil
	}
	ini := iniEdit{
		section: a.String("section"), option: a.String("option"), hasOption: a.Has("option"), values: values,
		state: state, exclusive: a.Bool("exclusive"), allowNoValue: allowNoValue, assign: "%s = %s\n",
	}
	if a.Bool("no_extra_spaces") {
		ini.assign = "%s=%s\n"
	}
	text := strings.TrimPrefix(string(f.content()), "\ufeff")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	result, changed, msg, err := ini.apply(text)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	diff := contentDiffDict(p)
	if c.Diff {
		diff["before"], diff["after"] = text, result
	}
	res := module.Result{"path": p, "diff": diff, "msg": msg}
	if changed && !c.Check {
		b, err := f.write(ctx, c, []byte(result), a.Bool("backup"))
		if err != nil {
			return failure(p, err)
		}
		if b != "" {
			res["backup_file"] = b
		}
	}
	if !c.Check && f.info.Exists {
		ch, _, err := f.fileAttrs(ctx, c, changed, "", nil)
		if err != nil {
			return failure(p, err)
		}
		changed = ch
		if f.info, err = statFor(ctx, c, p, remotefile.StatOptions{}); err != nil {
			return failure(p, err)
		}
	}
	res["changed"] = changed
	pathInfo(res, f.info)
	return res, nil
}

// iniEdit is one ini_file change, ported from community.general's do_ini.
type iniEdit struct {
	section, option         string
	hasOption               bool
	values                  []string
	state                   string
	exclusive, allowNoValue bool
	assign                  string
}

// fakeSection stands for the lines before the first section, as in do_ini.
const fakeSection = "ad01e11446efb704fcdbdb21f2c43757423d91c5"

func (e iniEdit) apply(text string) (string, bool, string, error) {
	var values []string
	for _, v := range e.values {
		if !containsString(values, v) {
			values = append(values, v)
		}
	}
	var lines []string
	for _, l := range strings.SplitAfter(text, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	changed := false
	if len(lines) == 0 {
		lines = append(lines, "\n")
	}
	if last := lines[len(lines)-1]; !strings.HasSuffix(last, "\n") {
		lines[len(lines)-1] += "\n"
		changed = true
	}
	lines = append(append([]string{"[" + fakeSection + "]"}, lines...), "[")
	section := e.section
	if section == "" {
		section = fakeSection
	}
	opt := pyre.Escape(e.option)
	matchOpt := pyre.MustCompile(`[#;]?( |\t)*(`+opt+`)( |\t)*(=|$)( |\t)*(.*)`, 0)
	matchActive := pyre.MustCompile(`( |\t)*(`+opt+`)( |\t)*(=|$)( |\t)*(.*)`, 0)
	blankOrComment := pyre.MustCompile(`^[ \t]*([#;].*)?$`, 0)
	optMatch := func(re *pyre.Regexp, line string) (*pyre.Match, string) {
		m, _ := re.MatchStart(line)
		if m == nil {
			return nil, ""
		}
		v := ""
		if m.Groups[6] != nil {
			v = *m.Groups[6]
		}
		return m, v
	}
	within := false
	start, end := 0, 0
	for i, l := range lines {
		if strings.HasPrefix(l, "["+section+"]") {
			within, start = true, i
		} else if strings.HasPrefix(l, "[") && within {
			end = i
			break
		}
	}
	before := append([]string(nil), lines[:start]...)
	sec := append([]string(nil), lines[start:end]...)
	after := append([]string(nil), lines[end:]...)
	changedLines := make([]bool, len(sec))
	msg := "OK"
	noValuePresent := false
	update := func(i int, newline string) {
		if sec[i] != newline {
			changed, msg = true, "option changed"
		}
		sec[i] = newline
		changedLines[i] = true
	}
	if e.state == "present" && e.hasOption && e.option != "" {
		for i := 0; i < len(sec); i++ {
			m, v := optMatch(matchOpt, sec[i])
			if m == nil {
				continue
			}
			if len(values) > 0 && containsString(values, v) {
				if v == "" && e.allowNoValue {
					update(i, e.option+"\n")
					noValuePresent = true
				} else {
					update(i, fmt.Sprintf(e.assign, e.option, v))
				}
				values = removeString(values, v)
			} else if len(values) == 0 && e.allowNoValue {
				update(i, e.option+"\n")
				noValuePresent = true
				break
			}
		}
	}
	if e.state == "present" && e.exclusive && !e.allowNoValue && e.option != "" {
		if len(values) > 0 {
			for i := range sec {
				if m, _ := optMatch(matchOpt, sec[i]); !changedLines[i] && m != nil {
					update(i, fmt.Sprintf(e.assign, e.option, values[0]))
					values = values[1:]
					if len(values) == 0 {
						break
					}
				}
			}
		}
		for i := len(sec) - 1; i > 0; i-- {
			if m, _ := optMatch(matchOpt, sec[i]); !changedLines[i] && m != nil {
				sec = append(sec[:i], sec[i+1:]...)
				changedLines = append(changedLines[:i], changedLines[i+1:]...)
				changed, msg = true, "option changed"
			}
		}
	}
	if e.state == "present" {
		for i := len(sec); i > 0; i-- {
			if m, _ := blankOrComment.MatchStart(sec[i-1]); m != nil {
				continue
			}
			var add []string
			switch {
			case e.option != "" && len(values) > 0:
				for _, v := range values {
					add = append(add, fmt.Sprintf(e.assign, e.option, v))
				}
			case e.option != "" && len(values) == 0 && e.allowNoValue && !noValuePresent:
				add = []string{e.option + "\n"}
			}
			if len(add) > 0 {
				sec = append(sec[:i], append(add, sec[i:]...)...)
				msg, changed = "option added", true
			}
			break
		}
	}
	if e.state == "absent" {
		if e.option != "" {
			var kept []string
			for _, l := range sec {
				m, v := optMatch(matchActive, l)
				drop := m != nil && (e.exclusive || containsString(values, v))
				if !e.exclusive && len(values) == 0 {
					drop = false
				}
				if !drop {
					kept = append(kept, l)
				}
			}
			if len(kept) != len(sec) {
				changed, msg, sec = true, "option changed", kept
			}
		} else if len(sec) > 0 {
			sec, msg, changed = nil, "section removed", true
		}
	}
	out := append(append(before, sec...), after...)
	out = out[1 : len(out)-1]
	if !within && e.state == "present" {
		out = append(out, "["+section+"]\n")
		msg = "section and option added"
		switch {
		case e.option != "" && len(values) > 0:
			for _, v := range values {
				out = append(out, fmt.Sprintf(e.assign, e.option, v))
			}
		case e.option != "" && len(values) == 0 && e.allowNoValue:
			out = append(out, e.option+"\n")
		default:
			msg = "only section added"
		}
		changed = true
	}
	return strings.Join(out, ""), changed, msg, nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func removeString(list []string, s string) []string {
	for i, x := range list {
		if x == s {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}
