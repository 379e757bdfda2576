package module

// Doc is a module's argument spec and documentation, modelled on Ansible's
// DOCUMENTATION/EXAMPLES/RETURN blocks and argument_spec, so one declaration
// drives validation, `gorun doc` and the syntax check.
type Doc struct {
	// Name is the short name ("copy").
	Name string
	// Names are the other names that reach the module: its fully qualified name
	// ("ansible.builtin.copy") first, then redirects and legacy names.
	Names []string
	// Short is a one-line description.
	Short string
	// Description is the longer description, in paragraphs.
	Description []string
	// Options is the argument spec.
	Options []Option
	// FreeForm means the module takes free-form text (command, shell, raw), which
	// arrives as the option "_raw_params".
	FreeForm bool
	// Option constraints, as Ansible's AnsibleModule arguments of the same names.
	MutuallyExclusive [][]string
	RequiredTogether  [][]string
	RequiredOneOf     [][]string
	RequiredIf        []RequiredIf
	RequiredBy        map[string][]string
	// Check and Diff say how the module supports check mode and diff mode.
	Check, Diff Support
	// Examples is YAML, as in Ansible's EXAMPLES.
	Examples string
	// Returns documents the keys of the result.
	Returns []Return
	// Notes are shown after the options.
	Notes []string
	// AnyArgs accepts arguments the spec does not list and passes them through
	// untouched (set_fact's variable names, add_host's host variables).
	AnyArgs bool
	// Controller marks actions that run on the controller only (debug, set_fact, ...):
	// they need no connection.
	Controller bool
}

// Support is how much of a mode a module supports.
type Support string

// Degrees of support, as Ansible's attributes list them.
const (
	Full    Support = "full"
	Partial Support = "partial"
	None    Support = "none"
)

// Option is one argument of a module.
type Option struct {
	Name string
	// Type is one of Ansible's: str, bool, int, float, path, raw, list, dict,
	// bytes, bits, jsonarg, json. Empty means str.
	Type string
	// Elements is the element type for lists.
	Elements    string
	Aliases     []string
	Required    bool
	Default     any
	Choices     []any
	NoLog       bool
	Description string
	// Suboptions validate the elements of a list of dicts or a dict.
	Suboptions []Option
	// Suboption constraints.
	MutuallyExclusive [][]string
	RequiredTogether  [][]string
	RequiredOneOf     [][]string
	RequiredIf        []RequiredIf
}

// RequiredIf is Ansible's required_if: when Key equals Value, Requires must be
// set (all of them, or one of them when Any).
type RequiredIf struct {
	Key      string
	Value    any
	Requires []string
	Any      bool
}

// Return documents one key of a module's result.
type Return struct {
	Name        string
	Description string
	Returned    string // when it is returned ("always", "success", "changed", ...)
	Type        string
	Sample      any
}

// Option returns the option called name (or with name as alias), or nil.
func (d *Doc) Option(name string) *Option {
	for i := range d.Options {
		o := &d.Options[i]
		if o.Name == name {
			return o
		}
		for _, a := range o.Aliases {
			if a == name {
				return o
			}
		}
	}
	return nil
}
