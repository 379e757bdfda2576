package runner

import (
	"gorun/engine/playbook"
	"gorun/engine/template"
)

// Text Ansible read from YAML is AnsibleUnicode, and type_debug, method
// reprs and missing-attribute messages show that class (the template
// engine's Context.FromYAML). Which top-level variables hold such text
// depends on the precedence level that supplied each one's value: play,
// block and task vars, vars_files, role defaults, vars and parameters,
// include_vars, set_fact literals and -e @file (or YAML that is not JSON)
// are read from YAML; inventory vars (here: INI-style values, which
// Ansible parses into str), facts, registered results, prompted values,
// -e k=v and JSON extra vars are not.

// yamlOriginKey is the entry of a task's variable map (Runner.vars) that
// holds its yamlOrigin. A NUL byte starts it, so no template can name it;
// code that lists variables skips it (hostvars, the varnames lookup).
const yamlOriginKey = "\x00yaml-origin"

// yamlOrigin holds the names of the variables whose value was read from
// YAML.
type yamlOrigin map[string]bool

// originOf is the yamlOrigin of a task's variables, or nil.
func originOf(vars map[string]any) yamlOrigin {
	o, _ := vars[yamlOriginKey].(yamlOrigin)
	return o
}

// has reports whether name's value was read from YAML.
func (o yamlOrigin) has(name string) bool { return o[name] }

// without is a copy of o without names, for variables set over a map that
// shares o (loop variables).
func (o yamlOrigin) without(names ...string) yamlOrigin {
	c := make(yamlOrigin, len(o))
	for k := range o {
		c[k] = true
	}
	for _, n := range names {
		delete(c, n)
	}
	return c
}

// fromYAMLFunc is o as template.Context.FromYAML wants it.
func (o yamlOrigin) fromYAMLFunc() func(string) bool {
	if o == nil {
		return nil
	}
	return o.has
}

// setFactFromYAML reports whether set_fact's key was a literal of the
// task's YAML: Ansible keeps such a value's class, while a rendered
// template is str.
func setFactFromYAML(t *playbook.Task, key string) bool {
	s, ok := t.Args[key].(string)
	return ok && !template.IsTemplate(s) && !t.Pos.JSON
}
