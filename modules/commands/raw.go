package commands

import (
	"context"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// raw is ansible.builtin.raw: the free-form text goes to the target's shell
// as it is, with no wrapper and no checks.
type raw struct{}

func init() { module.Register(raw{}) }

func (raw) Doc() *module.Doc { return rawDoc }

// Run follows Ansible's raw action plugin: skipped in check mode, always changed.
func (raw) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	if call.Check {
		return module.Result{"changed": false, "skipped": true}, nil
	}
	cmd := call.Args.String("_raw_params")
	if cmd == "" {
		return module.Failed("The raw module requires arguments: the command to run"), nil
	}
	if exe := call.Args.String("executable"); exe != "" {
		cmd = exe + " -c " + shell.Quote(cmd)
	}
	res, err := call.Conn.Exec(ctx, cmd, connection.ExecOptions{})
	if err != nil {
		return nil, err
	}
	r := module.Result{"changed": true, "rc": res.ExitCode, "stdout": string(res.Stdout), "stderr": string(res.Stderr)}
	if res.ExitCode != 0 {
		r["failed"], r["msg"] = true, "non-zero return code"
	}
	return remotecmd.WithLines(r), nil
}

var rawDoc = &module.Doc{
	Name:  "raw",
	Names: []string{"ansible.builtin.raw"},
	Short: "Executes a low-down and dirty command",
	Description: []string{
		"Executes a low-down and dirty SSH command, not going through the module subsystem.",
		"Arguments given to raw are run directly through the configured remote shell.",
		"Standard output, error output and return code are returned when available.",
		"There is no change handler support for this module.",
	},
	FreeForm: true,
	Options: []module.Option{
		{Name: "executable", Description: "Change the shell used to execute the command. Should be an absolute path to the executable."},
	},
	Check: module.None,
	Diff:  module.None,
	Notes: []string{
		"If you want to execute a command securely and predictably, it may be better to use the ansible.builtin.command or ansible.builtin.shell modules instead.",
		"In check mode the task is skipped.",
	},
	Examples: `- name: Bootstrap a host without python2 installed
  ansible.builtin.raw: dnf install -y python2 python2-dnf libselinux-python

- name: Run a command that uses non-posix shell-isms (in this example /bin/sh doesn't handle redirection and wildcards together but bash does)
  ansible.builtin.raw: cat < /tmp/*txt
  args:
    executable: /bin/bash

- name: Safely use templated variables. Always use quote filter to avoid injection issues.
  ansible.builtin.raw: "{{ package_mgr|quote }} {{ pkg_flags|quote }} install {{ python|quote }}"
`,
	Returns: []module.Return{
		{Name: "rc", Description: "The command return code.", Returned: "always", Type: "int", Sample: 0},
		{Name: "stdout", Description: "The command standard output, unstripped.", Returned: "always", Type: "str", Sample: "hi\n"},
		{Name: "stderr", Description: "The command standard error.", Returned: "always", Type: "str", Sample: ""},
		{Name: "stdout_lines", Description: "The command standard output split in lines.", Returned: "always", Type: "list", Sample: []any{"hi"}},
		{Name: "stderr_lines", Description: "The command standard error split in lines.", Returned: "always", Type: "list", Sample: []any{}},
	},
}
