package system

import (
	"context"

	"gorun/engine/module"
)

// rebootModule is ansible.builtin.reboot's argument spec without its action:
// gorun does not reboot hosts yet, and says so when a task would. Declaring the
// module lets playbooks that only reboot conditionally pass the syntax check.
type rebootModule struct{}

func init() { module.Register(rebootModule{}) }

func (rebootModule) Doc() *module.Doc { return rebootDoc }

func (rebootModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	if call.Check {
		// Ansible's reboot action only reports that it would reboot in check mode.
		return module.Result{"changed": true, "elapsed": 0, "rebooted": true}, nil
	}
	return module.Failed("gorun does not implement the reboot module yet: reboot the host another way (for example a command task with async, then wait_for_connection)"), nil
}

var rebootDoc = &module.Doc{
	Name:  "reboot",
	Names: []string{"ansible.builtin.reboot"},
	Short: "Reboot a machine",
	Description: []string{
		"Reboot a machine, wait for it to go down, come back up, and respond to commands.",
		"For Windows targets, use the ansible.windows.win_reboot module instead.",
	},
	Options: []module.Option{
		{Name: "boot_time_command", Default: "cat /proc/sys/kernel/random/boot_id", Description: "Command to run that returns a unique string indicating the last time the system was booted. Setting this to a command that has different output each time it is run will cause the task to fail."},
		{Name: "connect_timeout", Type: "int", Description: "Maximum seconds to wait for a successful connection to the managed hosts before trying again. If unspecified, the default setting for the underlying connection plugin is used."},
		{Name: "msg", Default: "Reboot initiated by Ansible", Description: "Message to display to users before reboot."},
		{Name: "post_reboot_delay", Type: "int", Default: 0, Description: "Seconds to wait after the reboot command was successful before attempting to validate the system rebooted successfully. This is useful if you want wait for something to settle despite your connection already working."},
		{Name: "pre_reboot_delay", Type: "int", Default: 0, Description: "Seconds to wait before reboot. Passed as a parameter to the reboot command. On Linux, macOS and OpenBSD, this is converted to minutes and rounded down. If less than 60, it will be set to 0. On Solaris and FreeBSD, this will be seconds."},
		{Name: "reboot_command", Default: "[determined based on target OS]", Description: "Command to run that reboots the system, including any parameters passed to the command. Can be an absolute path to the command or just the command name. If an absolute path to the command is not given, search_paths on the target system will be searched to find the absolute path. This will cause pre_reboot_delay, post_reboot_delay, and msg to be ignored."},
		{Name: "reboot_timeout", Type: "int", Default: 600, Description: "Maximum seconds to wait for machine to reboot and respond to a test command. This timeout is evaluated separately for both reboot verification and test command success so the maximum execution time for the module is twice this amount."},
		{Name: "search_paths", Type: "list", Elements: "str", Default: []any{"/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin"}, Description: "Paths to search on the remote machine for the shutdown command. Only these paths will be searched for the shutdown command. PATH is ignored in the remote node when searching for the shutdown command."},
		{Name: "test_command", Default: "whoami", Description: "Command to run on the rebooted host and expect success from to determine the machine is ready for further tasks."},
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Unconditionally reboot the machine with all defaults
  ansible.builtin.reboot:

- name: Reboot a slow machine that might have lots of updates to apply
  ansible.builtin.reboot:
    reboot_timeout: 3600

- name: Reboot a machine with shutdown command in unusual place
  ansible.builtin.reboot:
    search_paths:
     - '/lib/molly-guard'

- name: Reboot machine using a custom reboot command
  ansible.builtin.reboot:
    reboot_command: launchctl reboot userspace
    boot_time_command: uptime | cut -d ' ' -f 5`,
	Returns: []module.Return{
		{Name: "elapsed", Description: "The number of seconds that elapsed waiting for the system to be rebooted.", Returned: "always", Type: "int"},
		{Name: "rebooted", Description: "true if the machine was rebooted", Returned: "always", Type: "bool"},
	},
}
