package control

import (
	"context"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/value"
)

func init() { module.Register(validateArgumentSpec{}) }

// validateArgumentSpec is ansible.builtin.validate_argument_spec: it checks
// provided_arguments, and the task variables named in argument_spec, against
// argument_spec. The runner's role loading puts one in front of a role's
// tasks when the role has meta/argument_specs.yml for its entry point.
type validateArgumentSpec struct{}

func (validateArgumentSpec) Doc() *module.Doc {
	return &module.Doc{
		Name:        "validate_argument_spec",
		Names:       []string{"ansible.builtin.validate_argument_spec"},
		Short:       "Validate role argument specs.",
		Description: []string{"This module validates role arguments with a defined argument specification."},
		Options: []module.Option{
			{Name: "argument_spec", Type: "raw", Required: true, Description: "A dictionary like AnsibleModule argument_spec"},
			{Name: "provided_arguments", Type: "raw", Description: "A dictionary of the arguments that will be validated according to argument_spec"},
		},
		// validate_args_context is passed by the role loader and not documented,
		// as in Ansible's action plugin.
		AnyArgs: true,
		Check:   module.Full, Diff: module.None, Controller: true,
		Examples: `- name: verify vars needed for this task file are present when included
  ansible.builtin.validate_argument_spec:
        argument_spec: '{{required_data}}'
  vars:
    required_data:
        # unlike spec file, just put the options in directly
        stuff:
            description: stuff
            type: str
            choices: ['who', 'knows', 'what']
            default: what
        but:
            description: i guess we need one
            type: str
            required: true`,
	}
}

func (validateArgumentSpec) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	context := c.Args["validate_args_context"]
	if context == nil {
		context = map[string]any{}
	}
	res := module.Result{"validate_args_context": context}
	spec := c.Args["argument_spec"]
	if _, ok := spec.(*value.Dict); !ok {
		if _, ok := spec.(map[string]any); !ok {
			return module.Failed("Incorrect type for argument_spec, expected dict and got " + pytext.Class(spec)), nil
		}
	}
	provided := c.Args["provided_arguments"]
	if provided == nil {
		provided = map[string]any{}
	}
	if value.ToDict(provided) == nil {
		return module.Failed("Incorrect type for provided_arguments, expected dict and got " + pytext.Class(provided)), nil
	}
	opts, err := module.OptionsFromSpec(spec)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	// The task variables named by the spec (role defaults, play vars, ...)
	// count as arguments, overridden by those provided (role parameters).
	params := map[string]any{}
	for _, name := range value.Keys(spec) {
		if v, ok := c.Vars[name]; ok {
			if c.Templar != nil {
				if v, err = c.Templar.Template(v); err != nil {
					return module.Failed(err.Error()), nil
				}
			}
			params[name] = v
		}
	}
	for _, k := range value.Keys(provided) {
		params[k], _ = value.Lookup(provided, k)
	}
	if _, errs := module.ValidateSpec(opts, params); len(errs) > 0 {
		res["failed"] = true
		res["msg"] = "Validation of arguments failed:\n" + strings.Join(errs, "\n")
		res["argument_spec_data"] = spec
		errList := make([]any, len(errs))
		for i, e := range errs {
			errList[i] = e
		}
		res["argument_errors"] = errList
		return res, nil
	}
	res["changed"] = false
	res["msg"] = "The arg spec validation passed"
	return res, nil
}
