package control

import (
	"context"
	"errors"
	"fmt"

	"gorun/engine/module"
	"gorun/engine/template"
)

func init() { module.Register(assertAction{}) }

type assertAction struct{}

func (assertAction) Doc() *module.Doc {
	return &module.Doc{
		Name:        "assert",
		Names:       []string{"ansible.builtin.assert"},
		Short:       "Asserts given expressions are true",
		Description: []string{"This module asserts that given expressions are true with an optional custom message."},
		Options: []module.Option{
			{Name: "that", Type: "list", Elements: "str", Required: true, Description: "A list of string expressions of the same form that can be passed to the 'when' statement."},
			{Name: "fail_msg", Type: "raw", Aliases: []string{"msg"}, Description: "The customized message used for a failing assertion."},
			{Name: "success_msg", Type: "raw", Description: "The customized message used for a successful assertion."},
			{Name: "quiet", Type: "bool", Default: false, Description: "Set this to true to avoid verbose output."},
		},
		Check: module.Full, Diff: module.None, Controller: true,
		Examples: `- ansible.builtin.assert:
    that:
      - ansible_os_family != "RedHat"
      - "'foo' in some_command_result.stdout"
    fail_msg: "'foo' must be in the output"
    success_msg: "the output mentions foo"`,
	}
}

func (assertAction) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	res := module.Result{}
	if !c.Args.Bool("quiet") {
		res["_ansible_verbose_always"] = true
	}
	failMsg := c.Args["fail_msg"]
	if failMsg == nil {
		failMsg = "Assertion failed"
	}
	successMsg := c.Args["success_msg"]
	if successMsg == nil {
		successMsg = "All assertions passed"
	}
	for _, that := range c.Args.List("that") {
		ok, err := c.Templar.Condition(that)
		if err != nil {
			// Ansible's Conditional raises: the task fails without
			// "changed", with its text for an undefined variable.
			msg := err.Error()
			var ue *template.UndefinedError
			if errors.As(err, &ue) {
				msg = fmt.Sprintf("error while evaluating conditional (%v): %s. %s", that, ue.Error(), ue.Error())
			}
			return module.Result{"failed": true, "msg": fmt.Sprintf("The conditional check '%v' failed. The error was: %s", that, msg), module.ExceptionKey: true}, nil
		}
		if !ok {
			res["failed"] = true
			res["evaluated_to"] = false
			res["assertion"] = that
			res["msg"] = failMsg
			return res, nil
		}
	}
	res["changed"] = false
	res["msg"] = successMsg
	return res, nil
}
