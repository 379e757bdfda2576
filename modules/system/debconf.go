package system

import (
	"context"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
)

// debconfModule is ansible.builtin.debconf: it reads a package's answers with
// debconf-show and sets one with debconf-set-selections.
type debconfModule struct{}

func init() { module.Register(debconfModule{}) }

func (debconfModule) Doc() *module.Doc { return debconfDoc }

func (debconfModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	pkg, question, vtype, value := a.String("name"), a.String("question"), a.String("vtype"), a.String("value")
	// debconf-show gets its command as one string, as Ansible runs it.
	o, err := t.Sh(nil, "debconf-show "+pkg)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Failed(o.Stderr), nil
	}
	prev := map[string]any{}
	for _, line := range pytext.SplitLines(o.Stdout) {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return module.Failed("cannot parse debconf-show output line: " + line), nil
		}
		prev[strings.TrimSpace(strings.Trim(k, "*"))] = strings.TrimSpace(v)
	}
	changed := false
	if a.Has("question") {
		if !a.Has("vtype") || !a.Has("value") {
			return module.Failed("when supplying a question you must supply a valid vtype and value"), nil
		}
		if existing, ok := prev[question].(string); !ok {
			changed = true
		} else {
			if vtype == "boolean" {
				value, existing = strings.ToLower(value), strings.ToLower(existing)
			}
			changed = value != existing
		}
	}
	if !changed {
		return module.Result{"changed": false, "msg": "", "current": prev}, nil
	}
	msg := ""
	if !call.Check {
		argv := []string{"debconf-set-selections"}
		if a.Bool("unseen") {
			argv = append(argv, "-u")
		}
		v := value
		if vtype == "boolean" {
			v = map[string]string{"True": "true", "False": "false"}[a.String("value")]
			if v == "" {
				v = a.String("value")
			}
		}
		o, err := t.ShIn(shell.Join(argv), []byte(strings.Join([]string{pkg, question, vtype, v}, " ")))
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Failed(o.Stderr), nil
		}
		msg = o.Stdout
	}
	cur := map[string]any{question: value}
	if old, ok := prev[question]; ok {
		prev = map[string]any{question: old}
	} else {
		prev[question] = ""
	}
	diff := map[string]any{}
	if call.Diff {
		after := map[string]any{}
		for k, v := range prev {
			after[k] = v
		}
		after[question] = value
		diff = map[string]any{"before": prev, "after": after}
	}
	return module.Result{"changed": true, "msg": msg, "current": cur, "previous": prev, "diff": diff}, nil
}

var debconfDoc = &module.Doc{
	Name:  "debconf",
	Names: []string{"ansible.builtin.debconf"},
	Short: "Configure a .deb package",
	Description: []string{
		"Configure a .deb package using debconf-set-selections.",
		"Or just query existing selections.",
	},
	Options: []module.Option{
		{Name: "name", Aliases: []string{"pkg"}, Required: true, Description: "Name of package to configure."},
		{Name: "question", Aliases: []string{"selection", "setting"}, Description: "A debconf configuration setting."},
		{Name: "unseen", Type: "bool", Default: false, Description: "Do not set 'seen' flag when pre-seeding."},
		{Name: "value", Aliases: []string{"answer"}, Description: "Value to set the configuration to."},
		{Name: "vtype", Choices: []any{"boolean", "error", "multiselect", "note", "password", "seen", "select", "string", "text", "title"}, Description: "The type of the value supplied. It is highly recommended to add no_log=True to task while specifying vtype=password. seen was added in Ansible 2.2."},
	},
	RequiredTogether: [][]string{{"question", "vtype", "value"}},
	Check:            module.Full,
	Diff:             module.Full,
	Examples: `- name: Set default locale to fr_FR.UTF-8
  ansible.builtin.debconf:
    name: locales
    question: locales/default_environment_locale
    value: fr_FR.UTF-8
    vtype: select

- name: Set to generate locales
  ansible.builtin.debconf:
    name: locales
    question: locales/locales_to_be_generated
    value: en_US.UTF-8 UTF-8, fr_FR.UTF-8 UTF-8
    vtype: multiselect

- name: Accept oracle license
  ansible.builtin.debconf:
    name: oracle-java7-installer
    question: shared/accepted-oracle-license-v1-1
    value: 'true'
    vtype: select

- name: Specifying package you can register/return the list of questions and current values
  ansible.builtin.debconf:
    name: tzdata

- name: Pre-configure tripwire site passphrase
  ansible.builtin.debconf:
    name: tripwire
    question: tripwire/site-passphrase
    value: "{{ site_passphrase }}"
    vtype: password
  no_log: True`,
}
