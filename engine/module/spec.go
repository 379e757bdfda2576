package module

import (
	"fmt"
	"sort"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// OptionsFromSpec reads an argument spec written as data, as role
// meta/argument_specs.yml entry points and validate_argument_spec's
// argument_spec carry it: option name -> {type, elements, required, default,
// choices, aliases, no_log, options, mutually_exclusive, required_together,
// required_one_of, required_if, ...}. Keys that only document (description,
// version_added, ...) are ignored, as Ansible ignores them.
func OptionsFromSpec(spec any) ([]Option, error) {
	var opts []Option
	for _, name := range value.Keys(spec) {
		raw, _ := value.Lookup(spec, name)
		o := Option{Name: name}
		if raw == nil {
			opts = append(opts, o)
			continue
		}
		if _, ok := asMap(raw); !ok {
			return nil, fmt.Errorf("the argument spec of option '%s' is a %s, not a dict", name, pytext.Class(raw))
		}
		get := func(k string) any { v, _ := value.Lookup(raw, k); return v }
		o.Type = specString(get("type"))
		o.Elements = specString(get("elements"))
		o.Required = value.Bool(get("required"))
		o.NoLog = value.Bool(get("no_log"))
		o.Default = get("default")
		if l, ok := get("choices").([]any); ok {
			o.Choices = l
		}
		for _, a := range specList(get("aliases")) {
			o.Aliases = append(o.Aliases, fmt.Sprint(a))
		}
		if sub := get("options"); sub != nil {
			var err error
			if o.Suboptions, err = OptionsFromSpec(sub); err != nil {
				return nil, err
			}
		}
		o.MutuallyExclusive = specSets(get("mutually_exclusive"))
		o.RequiredTogether = specSets(get("required_together"))
		o.RequiredOneOf = specSets(get("required_one_of"))
		for _, ri := range specList(get("required_if")) {
			l, _ := ri.([]any)
			if len(l) < 3 {
				continue
			}
			r := RequiredIf{Key: fmt.Sprint(l[0]), Value: l[1]}
			for _, x := range specList(l[2]) {
				r.Requires = append(r.Requires, fmt.Sprint(x))
			}
			r.Any = len(l) > 3 && value.Bool(l[3])
			o.RequiredIf = append(o.RequiredIf, r)
		}
		opts = append(opts, o)
	}
	return opts, nil
}

// ValidateSpec validates params against opts as Ansible's
// ArgumentSpecValidator does for roles (validate_argument_spec): the same
// checks as a module's, with unknown parameters reported last as
// "a, b. Supported parameters include: x, y." rather than a module's
// "Unsupported parameters for (m) module: ...". It returns the converted
// parameters and the error messages in Ansible's order.
func ValidateSpec(opts []Option, params map[string]any) (Args, []string) {
	v := validator{specMode: true}
	args := v.validate(opts, optionConstraints{}, params, "", false)
	if len(v.unsupported) > 0 {
		sort.Strings(v.unsupported)
		v.fail("%s. Supported parameters include: %s.", strings.Join(v.unsupported, ", "), v.supported)
	}
	return args, v.errs
}

func specString(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func specList(v any) []any {
	switch l := v.(type) {
	case []any:
		return l
	case nil:
		return nil
	}
	return []any{v}
}

func specSets(v any) [][]string {
	var out [][]string
	for _, set := range specList(v) {
		var s []string
		for _, x := range specList(set) {
			s = append(s, fmt.Sprint(x))
		}
		out = append(out, s)
	}
	return out
}
