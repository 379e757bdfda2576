// Package control holds the actions that run on the controller and steer the
// play rather than change a host: debug, set_fact, assert, fail, add_host,
// group_by, include_vars, pause, and the documentation of the engine's own
// actions (include_tasks, import_role, meta, ...).
package control

import (
	"context"
	"errors"
	"fmt"

	"gorun/engine/module"
	"gorun/engine/template"
)

func init() { module.Register(debug{}) }

type debug struct{}

func (debug) Doc() *module.Doc {
	return &module.Doc{
		Name:  "debug",
		Names: []string{"ansible.builtin.debug"},
		Short: "Print statements during execution",
		Description: []string{"This module prints statements during execution and can be useful for debugging variables or expressions without necessarily halting the playbook.",
			"Useful for debugging together with the 'when:' directive."},
		Options: []module.Option{
			// No Default here: Run tells an explicit msg (incompatible with var)
			// from none, and supplies "Hello world!" itself.
			{Name: "msg", Type: "raw", Description: "The customized message that is printed. If omitted, prints a generic message (default: Hello world!)."},
			{Name: "var", Type: "str", Description: "A variable name to debug. Mutually exclusive with the msg option. Be aware that this option already runs in Jinja2 context and has an implicit {{ }} wrapping, so you should not be using Jinja2 delimiters unless you are looking for double interpolation."},
			{Name: "verbosity", Type: "int", Default: 0, Description: "A number that controls when the debug is run, if you set to 3 it will only run debug when -vvv or above."},
		},
		// msg and var exclude each other, checked in Run with Ansible's message.
		Check: module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Print the gateway for each host when defined
  ansible.builtin.debug:
    msg: System {{ inventory_hostname }} has gateway {{ ansible_default_ipv4.gateway }}
  when: ansible_default_ipv4.gateway is defined

- name: Display all variables/facts known for a host
  ansible.builtin.debug:
    var: hostvars[inventory_hostname]
    verbosity: 4`,
		Returns: []module.Return{{Name: "msg", Description: "The message printed.", Returned: "when var is not set", Type: "raw"}},
	}
}

func (debug) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if c.Args.Has("var") && c.Args.Has("msg") {
		return module.Result{"failed": true, "msg": "'msg' and 'var' are incompatible options"}, nil
	}
	verbosity, _ := c.Vars["ansible_verbosity"].(int)
	if c.Args.Int("verbosity") > verbosity {
		return module.Result{"skipped_reason": "Verbosity threshold not met.", "skipped": true, "failed": false}, nil
	}
	res := module.Result{"_ansible_verbose_always": true, "failed": false}
	if !c.Args.Has("var") {
		res["msg"] = "Hello world!"
		if c.Args.Has("msg") {
			res["msg"] = c.Args["msg"]
		}
		return res, nil
	}
	name := c.Args.String("var")
	val, err := c.Templar.Template(name)
	if err == nil && val == name {
		val, err = c.Templar.Expr(name)
	}
	if err != nil {
		var ue *template.UndefinedError
		if !errors.As(err, &ue) {
			return nil, err
		}
		msg := "VARIABLE IS NOT DEFINED!"
		if verbosity > 0 {
			msg += fmt.Sprintf(": %v", err)
		}
		val = msg
	}
	res[name] = val
	return res, nil
}
