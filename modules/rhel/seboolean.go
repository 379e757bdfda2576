package rhel

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/modules/internal/remotecmd"
)

// sebooleanModule is ansible.posix.seboolean: an SELinux boolean, in the
// running policy (getsebool, setsebool) or also persistently (semanage
// boolean, setsebool -P). Ansible's module uses libselinux and libsemanage
// from Python; gorun runs their command-line tools.
type sebooleanModule struct{}

func init() { module.Register(sebooleanModule{}) }

func (sebooleanModule) Doc() *module.Doc { return sebooleanDoc }

// sebooleanLineRE parses getsebool's "name --> on" (with an optional
// "pending: off" suffix while a change is not committed).
var sebooleanLineRE = regexp.MustCompile(`^(\S+) --> (on|off)`)

// semanageBooleanRE parses `semanage boolean -l -n`: the name, the
// running value and the persistent (default) value.
var semanageBooleanRE = regexp.MustCompile(`^(\S+)\s+\(\s*(on|off)\s*,\s*(on|off)\s*\)`)

func (sebooleanModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	name, persistent, state := a.String("name"), a.Bool("persistent"), a.Bool("state")
	t := remotecmd.New(ctx, call)
	if !a.Bool("ignore_selinux_state") {
		o, err := t.Sh(nil, "selinuxenabled")
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Failed("SELinux is disabled on this host."), nil
		}
	}
	res := module.Result{"name": name, "persistent": persistent, "state": state}
	o, err := t.Run(nil, "getsebool", "-a")
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Failed("Failed to get list of boolean names"), nil
	}
	running := map[string]bool{}
	for _, line := range pytext.SplitLines(o.Stdout) {
		if m := sebooleanLineRE.FindStringSubmatch(line); m != nil {
			running[m[1]] = m[2] == "on"
		}
	}
	current, ok := running[name]
	if !ok {
		return module.Failed(fmt.Sprintf("SELinux boolean %s does not exist.", name)), nil
	}
	if persistent {
		var fail module.Result
		if current, fail, err = persistentBoolean(t, name); fail != nil || err != nil {
			return fail, err
		}
	}
	res["changed"] = current != state
	if current != state && !call.Check {
		if fail, err := setsebool(t, name, state, persistent); fail != nil || err != nil {
			return fail, err
		}
	}
	return res, nil
}

// persistentBoolean is semanage_get_boolean_value: the value of the
// boolean in the persistent policy.
func persistentBoolean(t *remotecmd.Target, name string) (bool, module.Result, error) {
	o, err := t.Run(nil, "semanage", "boolean", "-l", "-n")
	if err != nil {
		return false, nil, err
	}
	if o.RC != 0 {
		return false, module.Failed(fmt.Sprintf("Failed to manage policy for boolean %s: %s", name, strings.TrimSpace(o.Stderr))), nil
	}
	for _, line := range pytext.SplitLines(o.Stdout) {
		if m := semanageBooleanRE.FindStringSubmatch(line); m != nil && m[1] == name {
			return m[3] == "on", nil, nil
		}
	}
	return false, module.Failed(fmt.Sprintf("SELinux boolean %s is not defined in persistent policy", name)), nil
}

// setseboolArgs is the command line that sets a boolean: -P also writes
// the persistent policy (semanage_set_boolean_value sets both).
func setseboolArgs(name string, state, persistent bool) []string {
	argv := []string{"setsebool"}
	if persistent {
		argv = append(argv, "-P")
	}
	value := "off"
	if state {
		value = "on"
	}
	return append(argv, name, value)
}

// setsebool runs setseboolArgs and fails as Ansible's module does.
func setsebool(t *remotecmd.Target, name string, state, persistent bool) (module.Result, error) {
	o, err := t.Run(nil, setseboolArgs(name, state, persistent)...)
	if err != nil {
		return nil, err
	}
	if o.RC == 0 {
		return nil, nil
	}
	if persistent {
		return module.Failed(fmt.Sprintf("Failed to manage policy for boolean %s: %s", name, strings.TrimSpace(o.Stderr))), nil
	}
	return module.Failed(fmt.Sprintf("Failed to set boolean %s to %s", name, pytext.Str(state))), nil
}

var sebooleanDoc = &module.Doc{
	Name:  "seboolean",
	Names: []string{"ansible.posix.seboolean"},
	Short: "Toggles SELinux booleans",
	Description: []string{
		"Toggles SELinux booleans.",
		"gorun runs getsebool and setsebool on the target, and semanage (policycoreutils-python-utils) for persistent booleans.",
	},
	Options: []module.Option{
		{Name: "ignore_selinux_state", Type: "bool", Default: false, Description: "Useful for scenarios (chrooted environment) that you can't get the real SELinux state."},
		{Name: "name", Required: true, Description: "Name of the boolean to configure."},
		{Name: "persistent", Type: "bool", Default: false, Description: "Set to true if the boolean setting should survive a reboot."},
		{Name: "state", Type: "bool", Required: true, Description: "Desired boolean value"},
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Set httpd_can_network_connect flag on and keep it persistent across reboots
  ansible.posix.seboolean:
    name: httpd_can_network_connect
    state: true
    persistent: true`,
	Returns: []module.Return{
		{Name: "name", Description: "The boolean's name.", Returned: "always", Type: "str", Sample: "httpd_can_network_connect"},
		{Name: "persistent", Description: "Whether the persistent policy was set too.", Returned: "always", Type: "bool", Sample: true},
		{Name: "state", Description: "The boolean's wanted value.", Returned: "always", Type: "bool", Sample: true},
	},
}
