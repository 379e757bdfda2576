// Package config reads Ansible's configuration as ansible-core 2.14 does:
// it finds ansible.cfg, parses it with configparser's rules and resolves
// every setting Ansible defines (config/base.yml, plus the options of the
// ssh, local, paramiko, sudo, su, sh and default-callback plugins) by
// Ansible's precedence, ANSIBLE_* environment variable > ansible.cfg >
// default, with Ansible's types.
//
// Keys in ansible.cfg that Ansible does not define are ignored, as Ansible
// ignores them.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// Config is a resolved configuration.
type Config struct {
	file         string
	values       map[string]resolved
	warnings     []string
	deprecations []string
}

// resolved is one setting's typed value and where it came from.
type resolved struct {
	value  any
	origin string
}

// Load finds the configuration file as Ansible does and resolves every
// setting from the environment, that file and the defaults.
func Load() (*Config, error) {
	file, warnings := FindFile()
	c, err := LoadFile(file)
	if err != nil {
		return nil, err
	}
	c.warnings = append(warnings, c.warnings...)
	return c, nil
}

// LoadFile resolves every setting using the given ansible.cfg ("" for
// none) and the environment.
func LoadFile(path string) (*Config, error) {
	c := &Config{file: path, values: map[string]resolved{}}
	var ini *iniFile
	if path != "" {
		var err error
		if ini, err = readINI(path); err != nil {
			return nil, err
		}
	}
	for _, s := range Settings() {
		v, origin, err := c.resolve(s, ini)
		if err != nil {
			return nil, err
		}
		c.values[s.FullName()] = resolved{v, origin}
	}
	return c, nil
}

// readINI reads and parses an ansible.cfg, checking its extension as
// Ansible's get_config_type does.
func readINI(path string) (*iniFile, error) {
	switch ext := filepath.Ext(path); ext {
	case ".ini", ".cfg":
	case ".yaml", ".yml":
		return nil, fmt.Errorf("Unsupported configuration file type: yaml")
	default:
		return nil, fmt.Errorf("Unsupported configuration file extension for %s: %s", path, ext)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("Error reading config file (%s): %v", path, err)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("Error reading config file(%s) because the config file was not utf8 encoded", path)
	}
	ini, err := parseINI(string(data))
	if err != nil {
		return nil, fmt.Errorf("Error reading config file (%s): %v", path, err)
	}
	return ini, nil
}

// resolve computes one setting like get_config_value_and_origin.
func (c *Config) resolve(s *Setting, ini *iniFile) (any, string, error) {
	var raw any
	origin := ""
	for _, name := range s.Env { // the last one set wins
		if v, ok := os.LookupEnv(name); ok {
			raw, origin = v, "env: "+name
			c.deprecated(s, name)
		}
	}
	if raw == nil {
		for _, k := range s.Ini {
			if v, ok := ini.get(k.Section, k.Key); ok {
				raw, origin = v, c.file
				c.deprecated(s, "["+k.Section+"]"+k.Key)
			}
		}
	}
	if raw == nil {
		raw, origin = c.templateDefault(s.Default), "default"
	}
	basedir := ""
	if origin == c.file && filepath.IsAbs(c.file) {
		basedir = filepath.Dir(c.file)
	}
	v, err := convert(raw, s.Type, basedir)
	if err != nil {
		if strings.HasPrefix(origin, "env:") && raw == "" {
			// An empty variable for a non-string setting means the default.
			origin = "default"
			v, err = convert(c.templateDefault(s.Default), s.Type, "")
		}
		if err != nil {
			return nil, "", fmt.Errorf("Invalid type for configuration option %s (from %s): %v", strings.TrimSpace(entry(s)), origin, err)
		}
	}
	if err := checkChoices(s, v); err != nil {
		return nil, "", err
	}
	if origin != "default" {
		c.deprecated(s, s.Name)
	}
	return v, origin, nil
}

// deprecated records Ansible's deprecation warning when source (the
// setting, one of its env variables or ini keys) is deprecated. Only base
// settings count: Ansible prints these when the CLI starts, before any
// plugin's options are read.
func (c *Config) deprecated(s *Setting, source string) {
	if d := s.Deprecations[source]; d != nil && s.Plugin == "" {
		c.deprecations = append(c.deprecations, d.message(source, true))
	}
}

// entry names a setting as Ansible's _get_entry does in messages.
func entry(s *Setting) string {
	if s.Plugin == "" {
		return "setting: " + s.Name + " "
	}
	typ, name, _ := strings.Cut(s.Plugin, ".")
	return "plugin_type: " + typ + " plugin: " + name + " setting: " + s.Name + " "
}

// defaultTemplate matches the only templated defaults base.yml has:
// {{ SETTING ~ "suffix" }}.
var defaultTemplate = regexp.MustCompile(`^\{\{\s*(\w+)\s*~\s*"([^"]*)"\s*\}\}$`)

// templateDefault renders a {{ SETTING ~ "suffix" }} default from the value
// of an earlier setting, as Ansible renders defaults with the constants
// defined so far.
func (c *Config) templateDefault(d any) any {
	s, ok := d.(string)
	if !ok {
		return d
	}
	m := defaultTemplate.FindStringSubmatch(s)
	if m == nil {
		return d
	}
	r, ok := c.values[m[1]]
	if !ok {
		return d
	}
	return pytext.Str(r.value) + m[2]
}

// checkChoices enforces a setting's choices.
func checkChoices(s *Setting, v any) error {
	if v == nil || len(s.Choices) == 0 {
		return nil
	}
	valid := func(x any) bool {
		for _, ch := range s.Choices {
			if pytext.Str(ch) == pytext.Str(x) {
				return true
			}
		}
		return false
	}
	ok := true
	if l, isList := v.([]string); isList && s.Type == "list" {
		for _, e := range l {
			ok = ok && valid(e)
		}
	} else {
		ok = valid(v)
	}
	if ok {
		return nil
	}
	names := make([]string, len(s.Choices))
	for i, ch := range s.Choices {
		names[i] = pytext.Str(ch)
	}
	return fmt.Errorf("Invalid value \"%s\" for configuration option \"%s\", valid values are: %s", pytext.Str(v), entry(s), strings.Join(names, ", "))
}

// File is the configuration file in use, "" if none.
func (c *Config) File() string { return c.file }

// Warnings are the warnings Ansible prints about the configuration (such
// as an ansible.cfg ignored in a world-writable directory).
func (c *Config) Warnings() []string { return c.warnings }

// Deprecations are the deprecation warnings Ansible prints for the
// deprecated settings, variables and keys in use (without the
// "[DEPRECATION WARNING]: " prefix), unless deprecation_warnings is off.
func (c *Config) Deprecations() []string {
	if !c.Bool("DEPRECATION_WARNINGS") {
		return nil
	}
	return c.deprecations
}

// Dump lists the base settings as `ansible-config dump` prints them,
// sorted by name, one "NAME(ORIGIN) = VALUE" line each; onlyChanged keeps
// those not at their default (--only-changed). Plugin options and private
// settings are not listed, as in ansible-config.
func (c *Config) Dump(onlyChanged bool) []string {
	lines := []string{"CONFIG_FILE() = " + pytext.Str(nilIfEmpty(c.file))}
	for _, s := range baseSettings {
		if strings.HasPrefix(s.Name, "_") {
			continue
		}
		r := c.values[s.Name]
		if onlyChanged && r.origin == "default" {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s(%s) = %s", s.Name, r.origin, pytext.Str(r.value)))
	}
	sort.Strings(lines)
	return lines
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Get returns a setting's typed value: bool, int, float64, string,
// []string (list, pathlist, pathspec), map[string]any, or nil when unset.
// name is Ansible's setting name ("DEFAULT_FORKS") or, for plugin options,
// "TYPE.PLUGIN.OPTION" ("connection.ssh.ssh_args"). ok is false for names
// Ansible does not define.
func (c *Config) Get(name string) (any, bool) {
	r, ok := c.values[name]
	return r.value, ok
}

// Lookup finds a value by name in one source of per-host settings (host
// variables, task keywords, command-line options).
type Lookup func(name string) (any, bool)

// Resolve returns a setting's value for one host the way Ansible's
// get_config_value_and_origin does when a plugin asks: its variables (the
// last of s.Vars that is set wins), then keywords, then command-line
// options, then the environment, ansible.cfg and default already resolved.
// Any lookup may be nil. The origin is "var: NAME", "keyword: NAME",
// "cli: NAME" or as for Origin.
func (c *Config) Resolve(name string, vars, keywords, cli Lookup) (any, string, error) {
	s := Definition(name)
	r, ok := c.values[name]
	if s == nil || !ok {
		return nil, "", fmt.Errorf("Requested entry (setting: %s) was not defined in configuration.", name)
	}
	for _, src := range []struct {
		lookup Lookup
		names  []string
		kind   string
	}{{vars, s.Vars, "var: "}, {keywords, s.Keywords, "keyword: "}, {cli, s.CLI, "cli: "}} {
		if src.lookup == nil {
			continue
		}
		var raw any
		origin := ""
		for _, n := range src.names {
			if v, ok := src.lookup(n); ok && v != nil {
				raw, origin = v, src.kind+n
			}
		}
		if raw == nil {
			continue
		}
		v, err := convert(raw, s.Type, "")
		if err != nil {
			return nil, "", fmt.Errorf("Invalid type for configuration option %s (from %s): %v", strings.TrimSpace(entry(s)), origin, err)
		}
		if err := checkChoices(s, v); err != nil {
			return nil, "", err
		}
		return v, origin, nil
	}
	return r.value, r.origin, nil
}

// Origin says where a setting's value came from, as ansible-config dump
// shows it: "default", "env: ANSIBLE_FORKS" or the path of ansible.cfg.
func (c *Config) Origin(name string) string {
	return c.values[name].origin
}

// must returns a setting's value; asking for a setting Ansible does not
// have is a programming error.
func (c *Config) must(name string) any {
	r, ok := c.values[name]
	if !ok {
		panic("config: unknown setting " + name)
	}
	return r.value
}

// String returns a setting as a string ("" when unset; lists joined with ",").
func (c *Config) String(name string) string {
	switch v := c.must(name).(type) {
	case nil:
		return ""
	case string:
		return v
	case []string:
		return strings.Join(v, ",")
	default:
		return pytext.Str(v)
	}
}

// Bool returns a setting as a boolean, Ansible's way for non-boolean values.
func (c *Config) Bool(name string) bool {
	return value.Bool(c.must(name))
}

// Int returns a setting as an int (0 when unset or not a number).
func (c *Config) Int(name string) int {
	v := c.must(name)
	if v == nil {
		return 0
	}
	n, err := toInt(v)
	if err != nil {
		return 0
	}
	return n.(int)
}

// List returns a setting as a list of strings; a string setting is split
// at commas as Ansible's list type does.
func (c *Config) List(name string) []string {
	switch v := c.must(name).(type) {
	case nil:
		return nil
	case []string:
		return v
	default:
		l, _ := convert(pytext.Str(v), "list", "")
		return l.([]string)
	}
}
