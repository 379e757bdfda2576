package control

import (
	"context"
	"fmt"

	"gorun/engine/module"
)

// engineAction documents an action the runner performs itself (includes,
// imports, meta). Its Run is never reached through the runner.
type engineAction struct{ doc *module.Doc }

func (e engineAction) Doc() *module.Doc { return e.doc }

func (e engineAction) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	return nil, fmt.Errorf("%s is performed by the engine and cannot run as a module", e.doc.Name)
}

func init() {
	file := module.Option{Name: "file", Type: "str", Description: "The name of the imported file is specified directly without any other option."}
	roleOpts := []module.Option{
		{Name: "name", Type: "str", Required: true, Description: "The name of the role to be executed."},
		{Name: "tasks_from", Type: "str", Default: "main", Description: "File to load from a role's tasks/ directory."},
		{Name: "vars_from", Type: "str", Default: "main", Description: "File to load from a role's vars/ directory."},
		{Name: "defaults_from", Type: "str", Default: "main", Description: "File to load from a role's defaults/ directory."},
		{Name: "handlers_from", Type: "str", Default: "main", Description: "File to load from a role's handlers/ directory."},
		{Name: "allow_duplicates", Type: "bool", Default: true, Description: "Overrides the role's metadata setting to allow using a role more than once with the same parameters."},
		{Name: "rolespec_validate", Type: "bool", Default: true, Description: "Perform role argument spec validation if an argument spec is defined."},
	}
	for _, d := range []*module.Doc{
		{Name: "include_tasks", Names: []string{"ansible.builtin.include_tasks"}, Short: "Dynamically include a task list",
			Description: []string{"Includes a file with a list of tasks to be executed in the current playbook."},
			Options:     []module.Option{file, {Name: "apply", Type: "dict", Description: "Accepts a hash of task keywords (e.g. tags, become) that will be applied to the tasks within the include."}},
			FreeForm:    true, Examples: "- name: Include task list in play\n  ansible.builtin.include_tasks:\n    file: stuff.yaml"},
		{Name: "import_tasks", Names: []string{"ansible.builtin.import_tasks"}, Short: "Import a task list",
			Description: []string{"Imports a list of tasks to be added to the current playbook for subsequent execution."},
			Options:     []module.Option{file}, FreeForm: true, Examples: "- name: Include task list in play\n  ansible.builtin.import_tasks:\n    file: stuff.yaml"},
		{Name: "include_role", Names: []string{"ansible.builtin.include_role"}, Short: "Load and execute a role",
			Description: []string{"Dynamically loads and executes a specified role as a task."},
			Options: append(append([]module.Option{}, roleOpts...),
				module.Option{Name: "apply", Type: "dict", Description: "Accepts a hash of task keywords (e.g. tags, become) that will be applied to all tasks within the included role."},
				module.Option{Name: "public", Type: "bool", Default: false, Description: "This option dictates whether the role's vars and defaults are exposed to the play."}),
			Examples: "- name: Run tasks/other.yaml instead of 'main'\n  ansible.builtin.include_role:\n    name: myrole\n    tasks_from: other"},
		{Name: "import_role", Names: []string{"ansible.builtin.import_role"}, Short: "Import a role into a play",
			Description: []string{"Much like the roles: keyword, this task loads a role, but it allows you to control when the role tasks run in between other tasks of the play."},
			Options:     roleOpts, Examples: "- name: Run tasks/other.yaml instead of 'main'\n  ansible.builtin.import_role:\n    name: myrole\n    tasks_from: other"},
		{Name: "async_status", Names: []string{"ansible.builtin.async_status"}, Short: "Obtain status of asynchronous task",
			Description: []string{"This module gets the status of an asynchronous task."},
			Options: []module.Option{
				{Name: "jid", Type: "str", Required: true, Description: "Job or task identifier"},
				{Name: "mode", Type: "str", Default: "status", Choices: []any{"cleanup", "status"}, Description: "If C(status), obtain the status. If C(cleanup), clean up the async job cache (by default in C(~/.ansible_async/)) for the specified job I(jid), without waiting for it to finish."},
			},
			Examples: "- name: Asynchronous yum task\n  ansible.builtin.yum:\n    name: docker-io\n    state: present\n  async: 1000\n  poll: 0\n  register: yum_sleeper\n\n- name: Wait for asynchronous job to end\n  ansible.builtin.async_status:\n    jid: '{{ yum_sleeper.ansible_job_id }}'\n  register: job_result\n  until: job_result.finished\n  retries: 100\n  delay: 10"},
		{Name: "meta", Names: []string{"ansible.builtin.meta"}, Short: "Execute Ansible 'actions'",
			Description: []string{"Meta tasks are a special kind of task which can influence Ansible internal execution or state."},
			Options:     []module.Option{{Name: "free_form", Type: "str", Required: true, Choices: []any{"clear_facts", "clear_host_errors", "end_host", "end_play", "flush_handlers", "noop", "refresh_inventory", "reset_connection", "end_batch"}, Description: "This module takes a free form command, as a string."}},
			FreeForm:    true, Examples: "- name: Flush handlers\n  ansible.builtin.meta: flush_handlers"},
	} {
		d.Check, d.Diff, d.Controller = module.Full, module.None, true
		module.Register(engineAction{doc: d})
	}
}
