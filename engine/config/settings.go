package config

import "strings"

//go:generate go run ./internal/gen settings_gen.go

// Setting is the definition of one Ansible setting, generated from
// ansible-core's config/base.yml or from a plugin's documented options.
type Setting struct {
	// Name is the setting's name: "DEFAULT_FORKS" for base settings, the
	// option name ("ssh_args") for plugin options.
	Name string
	// Plugin is "" for base settings, else "TYPE.NAME" ("connection.ssh").
	Plugin string
	// Type is Ansible's type name: boolean, integer, float, list, path,
	// pathlist, pathspec, tmppath, string, dict, raw... ("" is a string).
	Type string
	// Default is the default as Ansible's YAML gives it; strings of the form
	// {{ SETTING ~ "suffix" }} are templated from another setting.
	Default any
	// Env lists the environment variables, lowest precedence first: the
	// last one that is set wins.
	Env []string
	// Ini lists the ansible.cfg keys; the last one present wins.
	Ini []IniKey
	// Vars lists the inventory/play variables that override the setting
	// per host, lowest precedence first (see Config.Resolve).
	Vars []string
	// Keywords lists the play/task keywords that set it (remote_user...).
	Keywords []string
	// CLI lists the command-line options (their argparse dest names, like
	// "private_key_file") that set it.
	CLI []string
	// Choices, when set, are the only valid values.
	Choices []any
	// Deprecations maps what Ansible warns about when it is used to why: the
	// setting's name (the setting itself), an env variable, or "[section]key".
	Deprecations map[string]*Deprecation
}

// Deprecation says why a setting or one of its sources is deprecated.
type Deprecation struct {
	Why, Version, Alternatives string
}

// message is Ansible's deprecation warning for source (without the
// "[DEPRECATION WARNING]: " prefix), as Display.get_deprecation_message
// writes it.
func (d *Deprecation) message(source string, builtin bool) string { // builtin: a base setting, from ansible-core
	msg := source + " option, " + d.Why
	if d.Alternatives != "" {
		msg += ", use " + d.Alternatives + " instead"
	}
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "!") && !strings.HasSuffix(msg, "?") {
		msg += "."
	}
	msg += " This feature will be removed"
	if builtin {
		msg += " from ansible-core"
	}
	if d.Version != "" {
		msg += " in version " + d.Version + "."
	} else {
		msg += " in a future release."
	}
	return msg + " Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg."
}

// IniKey is where a setting lives in ansible.cfg.
type IniKey struct{ Section, Key string }

// FullName is how Config looks the setting up: Name for base settings,
// "TYPE.PLUGIN.OPTION" ("connection.ssh.ssh_args") for plugin options.
func (s *Setting) FullName() string {
	if s.Plugin == "" {
		return s.Name
	}
	return s.Plugin + "." + s.Name
}

// Settings returns every known setting definition: the base settings in
// base.yml order, then the plugin options.
func Settings() []*Setting {
	return append(append([]*Setting(nil), baseSettings...), pluginSettings...)
}

// Definition returns the definition of a setting by the name Config uses,
// or nil.
func Definition(name string) *Setting {
	return definitions[name]
}

// definitions indexes every setting by FullName.
var definitions = func() map[string]*Setting {
	m := map[string]*Setting{}
	for _, s := range Settings() {
		m[s.FullName()] = s
	}
	return m
}()
