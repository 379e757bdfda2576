package module

import (
	"fmt"
	"sort"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// ValidationError lists everything wrong with a task's arguments, worded as
// Ansible's ArgumentSpecValidator words it.
type ValidationError struct {
	Module string
	Msgs   []string
}

func (e *ValidationError) Error() string {
	return strings.Join(e.Msgs, ", ")
}

// Validate checks raw task arguments against the spec and returns them
// converted to their declared types, with aliases resolved to option names and
// defaults filled in. Its checks and messages follow Ansible's
// module_utils/common/arg_spec.py, in the same order.
func (d *Doc) Validate(raw map[string]any) (Args, error) {
	v := validator{module: d.Name}
	known := raw
	var extra map[string]any
	if d.AnyArgs {
		known, extra = map[string]any{}, map[string]any{}
		for k, val := range raw {
			if d.Option(k) != nil {
				known[k] = val
			} else {
				extra[k] = val
			}
		}
	}
	args := v.validate(d.Options, optionConstraints{d.MutuallyExclusive, d.RequiredTogether, d.RequiredOneOf, d.RequiredIf, d.RequiredBy}, known, "", d.FreeForm)
	for k, val := range extra {
		args[k] = val
	}
	if len(v.errs) > 0 {
		return nil, &ValidationError{Module: d.Name, Msgs: v.errs}
	}
	return args, nil
}

type optionConstraints struct {
	mutuallyExclusive, requiredTogether, requiredOneOf [][]string
	requiredIf                                         []RequiredIf
	requiredBy                                         map[string][]string
}

type validator struct {
	module string
	errs   []string
	// specMode collects unknown parameters (with the supported names of
	// the last level that had some) for ValidateSpec to report at the end,
	// as Ansible's ArgumentSpecValidator does, instead of failing at once.
	specMode    bool
	unsupported []string
	supported   string
}

func (v *validator) fail(format string, a ...any) {
	v.errs = append(v.errs, fmt.Sprintf(format, a...))
}

func (v *validator) validate(opts []Option, cons optionConstraints, raw map[string]any, prefix string, freeForm bool) Args {
	params := make(map[string]any, len(raw))
	for k, val := range raw {
		params[k] = val
	}

	// Aliases: an alias sets its option unless the option itself is given.
	legal := map[string]bool{}
	for _, o := range opts {
		legal[o.Name] = true
		for _, a := range o.Aliases {
			legal[a] = true
			if val, ok := params[a]; ok {
				if _, has := params[o.Name]; !has {
					params[o.Name] = val
				}
				delete(params, a)
			}
		}
	}

	var unsupported []string
	for k := range params {
		if !legal[k] && !(freeForm && k == "_raw_params") && !internalArg(k) {
			unsupported = append(unsupported, prefix+k)
		}
	}
	if len(unsupported) > 0 {
		sort.Strings(unsupported)
		var names, aliases []string
		for _, o := range opts {
			names = append(names, o.Name)
			aliases = append(aliases, o.Aliases...)
		}
		sort.Strings(names)
		sort.Strings(aliases)
		supported := strings.Join(names, ", ")
		if len(aliases) > 0 {
			supported += " (" + strings.Join(aliases, ", ") + ")"
		}
		if v.specMode {
			v.unsupported = append(v.unsupported, unsupported...)
			v.supported = supported
		} else {
			v.fail("Unsupported parameters for (%s) module: %s. Supported parameters include: %s.", v.module, strings.Join(unsupported, ", "), supported)
		}
	}

	for _, set := range cons.mutuallyExclusive {
		if n := countPresent(set, params); n > 1 {
			v.fail("parameters are mutually exclusive: %s", strings.Join(set, "|"))
		}
	}

	var missing []string
	for _, o := range opts {
		if val, ok := params[o.Name]; o.Required && (!ok || val == nil) {
			missing = append(missing, o.Name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		if prefix != "" {
			v.fail("missing required arguments: %s found in %s", strings.Join(missing, ", "), strings.TrimSuffix(prefix, "."))
		} else {
			v.fail("missing required arguments: %s", strings.Join(missing, ", "))
		}
	}

	args := Args{}
	for _, o := range opts {
		val, ok := params[o.Name]
		if !ok || val == nil {
			args[o.Name] = o.Default
			continue
		}
		converted, err := convert(o.Type, val)
		if err != nil {
			v.fail("argument '%s' is of type %s and we were unable to convert to %s: %v", prefix+o.Name, pytext.Class(val), typeName(o.Type), err)
			continue
		}
		if o.Type == "list" && o.Elements != "" {
			list := converted.([]any)
			for i, el := range list {
				if len(o.Suboptions) > 0 {
					continue
				}
				c, err := convert(o.Elements, el)
				if err != nil {
					v.fail("Elements value for option '%s' is of type %s and we were unable to convert to %s: %v", prefix+o.Name, pytext.Class(el), typeName(o.Elements), err)
					break
				}
				list[i] = c
			}
		}
		if len(o.Choices) > 0 {
			v.checkChoices(o, prefix, converted)
		}
		args[o.Name] = converted
	}
	if freeForm {
		if raw, ok := params["_raw_params"]; ok {
			args["_raw_params"] = raw
		}
	}
	for k, val := range params {
		if internalArg(k) {
			args[k] = val
		}
	}

	// Ansible runs these checks after setting the defaults that are not
	// None (ArgumentSpecValidator.validate): an option with a default
	// counts as given.
	given := make(map[string]any, len(params))
	for k, val := range params {
		given[k] = val
	}
	for _, o := range opts {
		if _, ok := given[o.Name]; !ok && o.Default != nil {
			given[o.Name] = o.Default
		}
	}
	for _, set := range cons.requiredTogether {
		if n := countPresent(set, given); n > 0 && n < len(set) {
			v.fail("parameters are required together: %s", strings.Join(set, ", "))
		}
	}
	for _, set := range cons.requiredOneOf {
		if countPresent(set, given) == 0 {
			v.fail("one of the following is required: %s", strings.Join(set, ", "))
		}
	}
	for _, ri := range cons.requiredIf {
		if !equalLoose(args[ri.Key], ri.Value) {
			continue
		}
		var miss []string
		for _, r := range ri.Requires {
			if val, ok := args[r]; !ok || val == nil {
				miss = append(miss, r)
			}
		}
		if (ri.Any && len(miss) == len(ri.Requires)) || (!ri.Any && len(miss) > 0) {
			kind := "all"
			if ri.Any {
				kind = "any"
			}
			v.fail("%s is %v but %s of the following are missing: %s", ri.Key, pytext.Str(ri.Value), kind, strings.Join(miss, ", "))
		}
	}
	for _, key := range sortedKeys(cons.requiredBy) {
		if val, ok := params[key]; !ok || val == nil {
			continue
		}
		var miss []string
		for _, r := range cons.requiredBy[key] {
			if val, ok := args[r]; !ok || val == nil {
				miss = append(miss, r)
			}
		}
		if len(miss) > 0 {
			v.fail("missing parameter(s) required by '%s': %s", key, strings.Join(miss, ", "))
		}
	}

	// Suboptions.
	for _, o := range opts {
		if len(o.Suboptions) == 0 || args[o.Name] == nil {
			continue
		}
		sub := optionConstraints{o.MutuallyExclusive, o.RequiredTogether, o.RequiredOneOf, o.RequiredIf, nil}
		switch val := args[o.Name].(type) {
		case []any:
			for i, el := range val {
				m, ok := asMap(el)
				if !ok {
					v.fail("Elements value for option '%s' is of type %s and we were unable to convert to dict", prefix+o.Name, pytext.Class(el))
					continue
				}
				val[i] = map[string]any(v.validate(o.Suboptions, sub, m, prefix+o.Name+".", false))
			}
		default:
			if m, ok := asMap(val); ok {
				args[o.Name] = map[string]any(v.validate(o.Suboptions, sub, m, prefix+o.Name+".", false))
			}
		}
	}
	return args
}

// internalArg reports arguments the engine passes to every module, as Ansible
// passes _ansible_* keys.
func internalArg(k string) bool { return strings.HasPrefix(k, "_ansible_") }

func (v *validator) checkChoices(o Option, prefix string, val any) {
	choices := make([]string, len(o.Choices))
	for i, c := range o.Choices {
		choices[i] = pytext.Str(c)
	}
	in := func(x any) bool {
		for _, c := range o.Choices {
			if equalLoose(x, c) {
				return true
			}
		}
		return false
	}
	if list, ok := val.([]any); ok {
		var bad []string
		for _, x := range list {
			if !in(x) {
				bad = append(bad, pytext.Str(x))
			}
		}
		if len(bad) > 0 {
			v.fail("value of %s must be one or more of: %s. Got no match for: %s", prefix+o.Name, strings.Join(choices, ", "), strings.Join(bad, ", "))
		}
		return
	}
	if !in(val) {
		v.fail("value of %s must be one of: %s, got: %s", prefix+o.Name, strings.Join(choices, ", "), pytext.Str(val))
	}
}

func countPresent(set []string, params map[string]any) int {
	n := 0
	for _, k := range set {
		if val, ok := params[k]; ok && val != nil {
			n++
		}
	}
	return n
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case *value.Dict:
		return m.Map(), true
	}
	return nil, false
}

// equalLoose compares an argument with a choice the way Python's `in` does for
// the types arguments arrive as (so 1 matches 1.0 and "yes" does not match true).
func equalLoose(a, b any) bool {
	if af, ok := toFloat(a); ok {
		if bf, ok := toFloat(b); ok {
			return af == bf
		}
	}
	return a == b
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func typeName(t string) string {
	if t == "" {
		return "str"
	}
	return t
}
