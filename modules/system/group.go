package system

import (
	"context"
	"strconv"

	"gorun/engine/module"
	"gorun/modules/internal/remotecmd"
)

// groupModule is ansible.builtin.group for Linux: groupadd, groupmod and
// groupdel as group.py's generic Group class runs them.
type groupModule struct{}

func init() { module.Register(groupModule{}) }

func (groupModule) Doc() *module.Doc { return groupDoc }

func (groupModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	if r := unsupported(call, "local"); r != nil {
		return r, nil
	}
	t := newTarget(ctx, call)
	name := a.String("name")
	find := func() (*groupEntry, error) {
		acct, err := readAccounts(t, "")
		if err != nil {
			return nil, err
		}
		for i := range acct.groups {
			if acct.groups[i].name == name {
				return &acct.groups[i], nil
			}
		}
		return nil, nil
	}
	g, err := find()
	if err != nil {
		return nil, err
	}
	result := module.Result{"name": name, "state": a.String("state")}
	var o *remotecmd.Output
	run := func(argv ...string) error {
		out, err := t.Run(nil, argv...)
		o = &out
		return err
	}
	if a.String("state") == "absent" {
		if g != nil {
			if call.Check {
				return module.Result{"changed": true}, nil
			}
			if err := run("groupdel", name); err != nil {
				return nil, err
			}
		}
	} else if g == nil {
		if call.Check {
			return module.Result{"changed": true}, nil
		}
		argv := []string{"groupadd"}
		if a.Has("gid") {
			argv = append(argv, "-g", strconv.Itoa(a.Int("gid")))
			if a.Bool("non_unique") {
				argv = append(argv, "-o")
			}
		}
		if a.Bool("system") {
			argv = append(argv, "-r")
		}
		if err := run(append(argv, name)...); err != nil {
			return nil, err
		}
	} else if a.Has("gid") && g.gid != a.Int("gid") {
		argv := []string{"groupmod", "-g", strconv.Itoa(a.Int("gid"))}
		if a.Bool("non_unique") {
			argv = append(argv, "-o")
		}
		if call.Check {
			o = &remotecmd.Output{}
		} else if err := run(append(argv, name)...); err != nil {
			return nil, err
		}
	}
	if o != nil && o.RC != 0 {
		return module.Result{"failed": true, "changed": false, "name": name, "msg": o.Stderr}, nil
	}
	result["changed"] = o != nil
	if o != nil && o.Stdout != "" {
		result["stdout"] = o.Stdout
	}
	if o != nil && o.Stderr != "" {
		result["stderr"] = o.Stderr
	}
	if g, err = find(); err != nil {
		return nil, err
	}
	if g != nil {
		result["system"] = a.Bool("system")
		result["gid"] = g.gid
	}
	return result, nil
}

var groupDoc = &module.Doc{
	Name:  "group",
	Names: []string{"ansible.builtin.group"},
	Short: "Add or remove groups",
	Description: []string{
		"Manage presence of groups on a host.",
		"For Windows targets, use the ansible.windows.win_group module instead.",
	},
	Options: []module.Option{
		{Name: "gid", Type: "int", Description: "Optional GID to set for the group."},
		{Name: "local", Type: "bool", Default: false, Description: "Forces the use of \"local\" command alternatives on platforms that implement it. This is useful in environments that use centralized authentication when you want to manipulate the local groups. (for example, it uses lgroupadd instead of groupadd). This requires that these commands exist on the targeted host, otherwise it will be a fatal error."},
		{Name: "name", Required: true, Description: "Name of the group to manage."},
		{Name: "non_unique", Type: "bool", Default: false, Description: "This option allows to change the group ID to a non-unique value. Requires gid. Not supported on macOS or BusyBox distributions."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the group should be present or not on the remote host."},
		{Name: "system", Type: "bool", Default: false, Description: "If yes, indicates that the group created is a system group."},
	},
	RequiredIf: []module.RequiredIf{{Key: "non_unique", Value: true, Requires: []string{"gid"}}},
	Check:      module.Full,
	Notes:      []string{"Linux only. Not supported yet (a clear error): local (lgroupadd)."},
	Diff:       module.None,
	Examples: `- name: Ensure group "somegroup" exists
  ansible.builtin.group:
    name: somegroup
    state: present

- name: Ensure group "docker" exists with correct gid
  ansible.builtin.group:
    name: docker
    state: present
    gid: 1750`,
	Returns: []module.Return{
		{Name: "gid", Description: "Group ID of the group.", Returned: "When C(state) is 'present'", Type: "int"},
		{Name: "name", Description: "Group name.", Returned: "always", Type: "str"},
		{Name: "state", Description: "Whether the group is present or not.", Returned: "always", Type: "str"},
		{Name: "system", Description: "Whether the group is a system group or not.", Returned: "When C(state) is 'present'", Type: "bool"},
	},
}
