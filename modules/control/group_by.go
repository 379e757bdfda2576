package control

import (
	"context"
	"strings"

	"gorun/engine/module"
)

func init() { module.Register(groupBy{}) }

type groupBy struct{}

func (groupBy) Doc() *module.Doc {
	return &module.Doc{
		Name:        "group_by",
		Names:       []string{"ansible.builtin.group_by"},
		Short:       "Create Ansible groups based on facts",
		Description: []string{"Use facts to create ad-hoc groups that can be used later in a playbook."},
		Options: []module.Option{
			{Name: "key", Type: "str", Required: true, Description: "The variables whose values will be used as groups."},
			{Name: "parents", Type: "list", Elements: "str", Default: []any{"all"}, Description: "The list of the parent groups."},
		},
		Check: module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Create groups based on the machine architecture
  ansible.builtin.group_by:
    key: machine_{{ ansible_machine }}`,
	}
}

func (groupBy) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	group := strings.ReplaceAll(c.Args.String("key"), " ", "-")
	parents := []any{}
	for _, p := range c.Args.Strings("parents") {
		parents = append(parents, strings.ReplaceAll(p, " ", "-"))
	}
	return module.Result{"changed": false, "add_group": group, "parent_groups": parents}, nil
}
