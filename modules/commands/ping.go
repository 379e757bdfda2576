package commands

import (
	"context"

	"gorun/engine/connection"
	"gorun/engine/module"
)

// ping is ansible.builtin.ping: it proves the host is reachable and can run
// commands (Ansible's proves a usable Python; gorun needs only /bin/sh).
type ping struct{}

func init() { module.Register(ping{}) }

func (ping) Doc() *module.Doc { return pingDoc }

// Run runs a no-op command on the target and answers with data.
func (ping) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	data := call.Args.String("data")
	res, err := call.Conn.Exec(ctx, "true", connection.ExecOptions{})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return module.Result{"failed": true, "rc": res.ExitCode, "msg": "the target could not run /bin/sh -c true: " + string(res.Stderr)}, nil
	}
	if data == "crash" {
		// Ansible's ping raises an exception on purpose, to show a module failure.
		return module.Result{"failed": true, "rc": 1, "exception": "Exception: boom",
			"msg": "MODULE FAILURE\nSee stdout/stderr for the exact error"}, nil
	}
	return module.Result{"changed": false, "ping": data}, nil
}

var pingDoc = &module.Doc{
	Name:  "ping",
	Names: []string{"ansible.builtin.ping"},
	Short: "Try to connect to host, verify a usable shell and return pong on success",
	Description: []string{
		"A trivial test module, this module always returns pong on successful contact. It does not make sense in playbooks, but it is useful from /usr/bin/ansible to verify the ability to login and that the target can run commands.",
		"This is NOT ICMP ping, this is just a trivial test module that requires a POSIX shell on the remote node (Ansible's requires Python; gorun's modules need no Python).",
	},
	Options: []module.Option{
		{Name: "data", Type: "str", Default: "pong", Description: "Data to return for the ping return value. If this parameter is set to crash, the module will cause an exception."},
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `# Test we can logon to 'webservers' and execute commands.
# gorun webservers -m ansible.builtin.ping

- name: Example from an Ansible Playbook
  ansible.builtin.ping:

- name: Induce an exception to see what happens
  ansible.builtin.ping:
    data: crash
`,
	Returns: []module.Return{
		{Name: "ping", Description: "Value provided with the data parameter.", Returned: "success", Type: "str", Sample: "pong"},
	},
}
