package config

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
	// per host (resolved by the runner, not here).
	Vars []string
	// Choices, when set, are the only valid values.
	Choices []any
	// Deprecated marks settings Ansible plans to remove.
	Deprecated bool
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
