package commands

import "gorun/engine/module"

func init() {
	module.Register(&commandModule{doc: shellDoc, useShell: true})
}

// shellDoc documents ansible.builtin.shell. Its options are those of the
// command module it is built on (Ansible accepts argv and strip_empty_ends
// for shell too), with executable meaning the shell to run.
var shellDoc = &module.Doc{
	Name:  "shell",
	Names: []string{"ansible.builtin.shell"},
	Short: "Execute shell commands on targets",
	Description: []string{
		"The shell module takes the command name followed by a list of space-delimited arguments.",
		"Either a free form command or cmd parameter is required, see the examples.",
		"It is almost exactly like the ansible.builtin.command module but runs the command through a shell (/bin/sh) on the remote node.",
	},
	FreeForm: true,
	Options: []module.Option{
		{Name: "chdir", Type: "path", Description: "Change into this directory before running the command."},
		{Name: "cmd", Type: "str", Description: "The command to run followed by optional arguments."},
		{Name: "creates", Type: "path", Description: "A filename, when it already exists, this step will not be run."},
		{Name: "removes", Type: "path", Description: "A filename, when it does not exist, this step will not be run."},
		{Name: "executable", Type: "path", Description: "Change the shell used to execute the command. This expects an absolute path to the executable."},
		{Name: "stdin", Type: "str", Description: "Set the stdin of the command directly to the specified value."},
		{Name: "stdin_add_newline", Type: "bool", Default: true, Description: "Whether to append a newline to stdin data."},
		{Name: "argv", Type: "list", Elements: "str", Description: "Accepted as by the command module the shell module is built on: the words are quoted and joined into one shell command."},
		{Name: "strip_empty_ends", Type: "bool", Default: true, Description: "Strip empty lines from the end of stdout/stderr in result (an option of the underlying command module)."},
	},
	Check: module.Partial,
	Diff:  module.None,
	Notes: []string{
		"If you want to execute a command securely and predictably, it may be better to use the ansible.builtin.command module instead.",
		"To sanitize any variables passed to the shell module, you should use {{ var | quote }} instead of just {{ var }} to make sure they do not include evil things like semicolons.",
		"An alternative to using inline shell scripts with this module is to use the ansible.builtin.script module possibly together with the ansible.builtin.template module.",
	},
	Examples: `- name: Execute the command in remote shell; stdout goes to the specified file on the remote
  ansible.builtin.shell: somescript.sh >> somelog.txt

- name: Change the working directory to somedir/ before executing the command
  ansible.builtin.shell: somescript.sh >> somelog.txt
  args:
    chdir: somedir/

# You can also use the 'args' form to provide the options.
- name: This command will change the working directory to somedir/ and will only run when somedir/somelog.txt doesn't exist
  ansible.builtin.shell: somescript.sh >> somelog.txt
  args:
    chdir: somedir/
    creates: somelog.txt

# You can also use the 'cmd' parameter instead of free form format.
- name: This command will change the working directory to somedir/
  ansible.builtin.shell:
    cmd: ls -l | grep log
    chdir: somedir/

- name: Run a command that uses non-posix shell-isms (in this example /bin/sh doesn't handle redirection and wildcards together but bash does)
  ansible.builtin.shell: cat < /tmp/*txt
  args:
    executable: /bin/bash

- name: Run a command using a templated variable (always use quote filter to avoid injection)
  ansible.builtin.shell: cat {{ myfile|quote }}
`,
	Returns: commandReturns("str", "rabbitmqctl join_cluster rabbit@master"),
}
