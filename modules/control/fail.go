package control

import (
	"context"

	"gorun/engine/module"
)

func init() { module.Register(failAction{}) }

type failAction struct{}

func (failAction) Doc() *module.Doc {
	return &module.Doc{
		Name:        "fail",
		Names:       []string{"ansible.builtin.fail"},
		Short:       "Fail with custom message",
		Description: []string{"This module fails the progress with a custom message.", "It can be useful for bailing out when a certain condition is met using when."},
		Options: []module.Option{
			{Name: "msg", Type: "str", Default: "Failed as requested from task", Description: "The customized message used for failing execution."},
		},
		Check: module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Example using fail and when together
  ansible.builtin.fail:
    msg: The system may not be provisioned according to the CMDB status.
  when: cmdb_status != "to-be-staged"`,
	}
}

func (failAction) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	return module.Result{"failed": true, "msg": c.Args.String("msg"), "changed": false}, nil
}
