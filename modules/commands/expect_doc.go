package commands

import "gorun/engine/module"

var expectDoc = &module.Doc{
	Name:        "expect",
	Names:       []string{"ansible.builtin.expect"},
	Short:       "Executes a command and responds to prompts",
	Description: []string{"The C(expect) module executes a command and responds to prompts.", "The given command will be executed on all selected nodes. It will not be processed through the shell, so variables like C($HOME) and operations like C(\"<\"), C(\">\"), C(\"|\"), and C(\"&\") will not work."},
	Options: []module.Option{
		{Name: "command", Required: true, Description: "The command module takes command to run."},
		{Name: "creates", Type: "path", Description: "A filename, when it already exists, this step will B(not) be run."},
		{Name: "removes", Type: "path", Description: "A filename, when it does not exist, this step will B(not) be run."},
		{Name: "chdir", Type: "path", Description: "Change into this directory before running the command."},
		{Name: "responses", Type: "dict", Required: true, Description: "Mapping of expected string/regex and string to respond with. If the response is a list, successive matches return successive responses. List functionality is new in 2.1."},
		{Name: "timeout", Type: "int", Default: 30, Description: "Amount of time in seconds to wait for the expected strings. Use C(null) to disable timeout."},
		{Name: "echo", Type: "bool", Default: false, Description: "Whether or not to echo out your response strings."},
	},
	Check: module.None,
	Diff:  module.None,
	Examples: `- name: Case insensitive password string match
  ansible.builtin.expect:
    command: passwd username
    responses:
      (?i)password: "MySekretPa$$word"
  # you don't want to show passwords in your logs
  no_log: true

- name: Generic question with multiple different responses
  ansible.builtin.expect:
    command: /path/to/custom/command
    responses:
      Question:
        - response1
        - response2
        - response3`,
	Notes: []string{"If you want to run a command through the shell (say you are using C(<), C(>), C(|), and so on), you must specify a shell in the command such as C(/bin/bash -c \"/path/to/something | grep else\").", "The question, or key, under I(responses) is a python regex match. Case insensitive searches are indicated with a prefix of C(?i).", "The C(pexpect) library used by this module operates with a search window of 2000 bytes, and does not use a multiline regex match. To perform a start of line bound match, use a pattern like ``(?m)^pattern``", "By default, if a question is encountered multiple times, its string response will be repeated. If you need different responses for successive question matches, instead of a string response, use a list of strings as the response. The list functionality is new in 2.1.", "The M(ansible.builtin.expect) module is designed for simple scenarios. For more complex needs, consider the use of expect code with the M(ansible.builtin.shell) or M(ansible.builtin.script) modules. (An example is part of the M(ansible.builtin.shell) module documentation).", "gorun: the command runs on a pty made by util-linux's script on the target (no Python, no pexpect needed); the questions are Go regular expressions (RE2), which read Python's usual prompt patterns alike but have no lookarounds or backreferences."},
}
