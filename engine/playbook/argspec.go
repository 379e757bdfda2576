package playbook

import (
	"fmt"

	"gorun/engine/value"
)

// prependValidation puts a validate_argument_spec task in front of a role's
// tasks when the role's argument specs have an entry for its entry point,
// as Ansible's Role._prepend_validation_task does: named after the entry
// point (and its short_description), tagged always, checking the role's
// parameters and the variables the spec names against the entry point's
// options.
func prependValidation(role *Role, tasks []*Block) []*Block {
	if role.ArgumentSpecs == nil {
		return tasks
	}
	raw, ok := role.ArgumentSpecs.Get(role.EntryPoint)
	spec := value.ToDict(raw)
	if !ok || spec == nil || spec.Len() == 0 {
		return tasks
	}
	name := fmt.Sprintf("Validating arguments against arg spec '%s'", role.EntryPoint)
	if sd, ok := spec.Get("short_description"); ok {
		name += " - " + fmt.Sprint(sd)
	}
	options, _ := spec.Get("options")
	if options == nil {
		options = value.NewDict()
	}
	context := value.NewDict()
	context.Set("type", "role")
	context.Set("name", role.Name)
	context.Set("argument_spec_name", role.EntryPoint)
	context.Set("path", role.Path)
	// The task is made, not read, so it has no place of its own: Ansible
	// reports it at the play's (the runner fills that in).
	var pos Pos
	b := &Block{Pos: pos, Attrs: Attrs{}, Role: role, Implicit: true}
	b.Block = []Item{&Task{
		Pos:    pos,
		Attrs:  Attrs{"name": name, "tags": []any{"always"}},
		Action: "ansible.builtin.validate_argument_spec",
		Args: map[string]any{
			"argument_spec":         options,
			"provided_arguments":    role.Params,
			"validate_args_context": context,
		},
		Parent: b,
		Role:   role,
	}}
	return append([]*Block{b}, tasks...)
}
