package control

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/engine/value"
)

func init() { module.Register(setFact{}) }

type setFact struct{}

func (setFact) Doc() *module.Doc {
	return &module.Doc{
		Name:  "set_fact",
		Names: []string{"ansible.builtin.set_fact"},
		Short: "Set host variable(s) and fact(s).",
		Description: []string{"This action allows setting variables associated to the current host.",
			"These variables will be available to subsequent plays during an ansible-playbook run via the host they were set on.",
			"Set cacheable to true to save variables across executions using a fact cache."},
		Options: []module.Option{
			{Name: "key_value", Type: "raw", Description: "The set_fact module takes key=value pairs or key: value (YAML notation) as variables to set in the playbook scope. The 'key' is the resulting variable name and the value is, of course, the value of said variable."},
			{Name: "cacheable", Type: "bool", Default: false, Description: "This boolean converts the variable into an actual 'fact' which will also be added to the fact cache."},
		},
		AnyArgs: true, Check: module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Setting host facts using key=value pairs
  ansible.builtin.set_fact: one_fact="something" other_fact="{{ local_var }}"

- name: Setting host facts using complex arguments
  ansible.builtin.set_fact:
    one_fact: something
    other_fact: "{{ local_var * 2 }}"`,
	}
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (setFact) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	facts := value.NewDict()
	for _, k := range value.Keys(map[string]any(c.Args)) {
		if k == "cacheable" || k == "key_value" || strings.HasPrefix(k, "_ansible_") {
			continue
		}
		if !identifier.MatchString(k) {
			return module.Failed(fmt.Sprintf("The variable name '%s' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.", k)), nil
		}
		v := c.Args[k]
		// Without jinja2_native, string booleans become booleans.
		if s, ok := v.(string); ok {
			switch strings.ToLower(s) {
			case "true", "yes":
				v = true
			case "false", "no":
				v = false
			}
		}
		facts.Set(k, v)
	}
	if facts.Len() == 0 {
		return module.Failed("No key/value pairs provided, at least one is required for this action to succeed"), nil
	}
	return module.Result{"ansible_facts": facts, "_ansible_facts_cacheable": c.Args.Bool("cacheable"), "changed": false}, nil
}
