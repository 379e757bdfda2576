package facts

import (
	"context"

	"gorun/engine/module"
	"gorun/engine/value"
)

// gatherFacts is ansible.builtin.gather_facts: the action behind a play's
// fact gathering, usable as a task. It runs the fact modules (for SSH and
// local connections, setup) with the task's other arguments.
type gatherFacts struct{}

func init() { module.Register(gatherFacts{}) }

func (gatherFacts) Doc() *module.Doc {
	return &module.Doc{
		Name:  "gather_facts",
		Names: []string{"ansible.builtin.gather_facts"},
		Short: "Gathers facts about remote hosts",
		Description: []string{
			"This module takes care of executing the configured facts modules, the default is to use the setup module.",
			"This module is automatically called by playbooks to gather useful variables about remote hosts that can be used in playbooks.",
			"Arguments other than parallel are passed to setup (gather_subset, gather_timeout, filter, fact_path) and checked against its options.",
		},
		Options: []module.Option{
			{Name: "parallel", Type: "bool", Description: "A toggle that controls if the fact modules are executed in parallel or serially and in order. gorun runs one fact module (setup), so both are the same."},
		},
		AnyArgs: true,
		Check:   module.Full,
		Diff:    module.None,
		Examples: `# Display facts from all hosts and store them indexed by hostname at /tmp/facts.
# gorun all -m ansible.builtin.gather_facts --tree /tmp/facts

- name: Gather facts again after a package changed them
  ansible.builtin.gather_facts:
    gather_subset: [min, hardware]`,
	}
}

// Run validates the setup arguments, runs setup and marks the facts as
// gathered, hiding them from -v output as Ansible does.
func (gatherFacts) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	raw := map[string]any{}
	for k, v := range call.Args {
		if k != "parallel" && v != nil {
			raw[k] = v
		}
	}
	// Ansible runs setup as ansible.legacy.setup, and its messages say so.
	named := *setupDoc
	named.Name = "ansible.legacy.setup"
	args, err := named.Validate(raw)
	if err != nil {
		invocation := map[string]any{}
		for _, o := range setupDoc.Options {
			invocation[o.Name] = o.Default
		}
		for k, v := range raw {
			invocation[k] = v
		}
		return setupFailed(module.Result{"failed": true, "msg": err.Error(),
			"invocation": map[string]any{"module_args": invocation}}), nil
	}
	sub := *call
	sub.Args = args
	res, err := setup{}.Run(ctx, &sub)
	if err != nil {
		return nil, err
	}
	if res["failed"] == true {
		return setupFailed(res), nil
	}
	switch f := res["ansible_facts"].(type) {
	case map[string]any:
		f["_ansible_facts_gathered"] = true
	case *value.Dict:
		f.Set("_ansible_facts_gathered", true)
	}
	res["_ansible_verbose_override"] = true
	return res, nil
}

// setupFailed is the action's result when setup failed: setup's result
// under failed_modules.
func setupFailed(res module.Result) module.Result {
	return module.Result{
		"ansible_facts":  map[string]any{},
		"changed":        false,
		"failed":         true,
		"failed_modules": map[string]any{"ansible.legacy.setup": map[string]any(res)},
		"msg":            "The following modules failed to execute: ansible.legacy.setup\n",
	}
}
