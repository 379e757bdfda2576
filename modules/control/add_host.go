package control

import (
	"context"
	"strings"

	"gorun/engine/module"
	"gorun/engine/value"
)

func init() { module.Register(addHost{}) }

type addHost struct{}

func (addHost) Doc() *module.Doc {
	return &module.Doc{
		Name:  "add_host",
		Names: []string{"ansible.builtin.add_host"},
		Short: "Add a host (and alternatively a group) to the ansible-playbook in-memory inventory",
		Description: []string{"Use variables to create new hosts and groups in inventory for use in later plays of the same playbook.",
			"Takes variables so you can define the new hosts more fully."},
		Options: []module.Option{
			{Name: "name", Type: "str", Required: true, Aliases: []string{"host", "hostname"}, Description: "The hostname/ip of the host to add to the inventory, can include a colon and a port number."},
			{Name: "groups", Type: "list", Elements: "str", Aliases: []string{"group", "groupname"}, Description: "The groups to add the hostname to."},
		},
		AnyArgs: true, Check: module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Add host to group 'just_created' with variable foo=42
  ansible.builtin.add_host:
    name: '{{ ip_from_ec2 }}'
    groups: just_created
    foo: 42`,
	}
}

func (addHost) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	name := c.Args.String("name")
	port := ""
	if h, p, ok := strings.Cut(name, ":"); ok && !strings.Contains(p, ":") {
		name, port = h, p
	}
	vars := value.NewDict()
	for _, k := range value.Keys(map[string]any(c.Args)) {
		if k == "name" || k == "groups" || strings.HasPrefix(k, "_ansible_") {
			continue
		}
		vars.Set(k, c.Args[k])
	}
	if port != "" {
		vars.Set("ansible_ssh_port", port)
	}
	groups := []any{}
	for _, g := range c.Args.Strings("groups") {
		groups = append(groups, strings.TrimSpace(g))
	}
	return module.Result{"changed": true, "add_host": value.DictOf("host_name", name, "groups", groups, "host_vars", vars)}, nil
}
