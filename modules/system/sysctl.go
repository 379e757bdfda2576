package system

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
)

// sysctlModule is ansible.posix.sysctl for Linux, a port of its SysctlModule:
// the value in sysctl_file, and with reload or sysctl_set the kernel's.
type sysctlModule struct{}

func init() { module.Register(sysctlModule{}) }

func (sysctlModule) Doc() *module.Doc { return sysctlDoc }

// sysctlEnv is the module's LANG_ENV.
var sysctlEnv = map[string]string{"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C"}

var sysctlErrRE = regexp.MustCompile(`(?m)^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$`)

// sysctlValue is _parse_value: booleans become 1 and 0.
func sysctlValue(v string) string {
	switch strings.ToLower(v) {
	case "y", "yes", "on", "1", "true", "t", "1.0":
		return "1"
	case "n", "no", "off", "0", "false", "f", "0.0":
		return "0"
	}
	return strings.TrimSpace(v)
}

// sameWords is _values_is_equal: the same whitespace-separated words.
func sameWords(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

func (sysctlModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	name, state := strings.TrimSpace(a.String("name")), a.String("state")
	switch {
	case name == "":
		return module.Failed("name cannot be blank"), nil
	case state == "present" && a.String("value") == "":
		return module.Failed("value cannot be blank"), nil
	}
	value := sysctlValue(a.String("value"))
	file := a.String("sysctl_file")

	cur, err := t.Run(sysctlEnv, "sysctl", "-e", "-n", name)
	if err != nil {
		return nil, err
	}
	procKnown, proc := cur.RC == 0, cur.Stdout

	content, _, err := t.readFile(file)
	if err != nil {
		return nil, err
	}
	var lines []string
	fileValues := map[string]string{}
	for _, line := range strings.SplitAfter(content, "\n") {
		if line == "" {
			continue
		}
		line = strings.TrimSpace(line)
		lines = append(lines, line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") || !strings.Contains(line, "=") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		fileValues[k] = strings.TrimSpace(v)
	}
	fileValue, inFile := fileValues[name]

	// fix_lines: the file with the first occurrence of each key kept (the
	// name's replaced or dropped), later duplicates dropped.
	var fixed []string
	seen := map[string]bool{}
	for _, line := range lines {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") || !strings.Contains(line, "=") {
			fixed = append(fixed, line)
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if seen[k] {
			continue
		}
		seen[k] = true
		if k != name {
			fixed = append(fixed, k+"="+v)
		} else if state == "present" {
			fixed = append(fixed, k+"="+value)
		}
	}
	if !seen[name] && state == "present" {
		fixed = append(fixed, name+"="+value)
	}

	changed, writeFile, setProc := false, false, false
	switch {
	case !inFile && state == "present":
		changed, writeFile = true, true
	case !inFile && state == "absent":
	case fileValue != "" && state == "absent":
		changed, writeFile = true, true
	case fileValue != value:
		changed, writeFile = true, true
	case a.Bool("reload"):
		changed = !procKnown || !sameWords(proc, value)
	}
	if a.Bool("sysctl_set") && state == "present" {
		if !procKnown {
			changed = true
		} else if !sameWords(proc, value) {
			changed, setProc = true, true
		}
	}
	if !call.Check {
		if setProc {
			argv := []string{"sysctl"}
			if a.Bool("ignoreerrors") {
				argv = append(argv, "-e")
			}
			o, err := t.Run(sysctlEnv, append(argv, "-w", name+"="+value)...)
			if err != nil {
				return nil, err
			}
			if o.RC != 0 || sysctlErrRE.MatchString(o.Stderr) {
				return module.Failed(fmt.Sprintf("setting %s failed: %s", name, o.Stdout+o.Stderr)), nil
			}
		}
		if writeFile {
			var b strings.Builder
			for _, l := range fixed {
				b.WriteString(strings.TrimSpace(l) + "\n")
			}
			if err := t.writeFile(file, b.String(), "0644"); err != nil {
				return nil, err
			}
		}
		if changed && a.Bool("reload") {
			argv := []string{"sysctl", "-p", file}
			if a.Bool("ignoreerrors") {
				argv = []string{"sysctl", "-e", "-p", file}
			}
			o, err := t.Run(sysctlEnv, argv...)
			if err != nil {
				return nil, err
			}
			if o.RC != 0 || sysctlErrRE.MatchString(o.Stderr) {
				return module.Failed("Failed to reload sysctl: " + o.Stdout + o.Stderr), nil
			}
		}
	}
	return module.Result{"changed": changed}, nil
}

var sysctlDoc = &module.Doc{
	Name:  "sysctl",
	Names: []string{"ansible.posix.sysctl"},
	Short: "Manage entries in sysctl.conf.",
	Description: []string{
		"This module manipulates sysctl entries and optionally performs a /sbin/sysctl -p after changing them.",
	},
	Options: []module.Option{
		{Name: "ignoreerrors", Type: "bool", Default: false, Description: "Use this option to ignore errors about unknown keys."},
		{Name: "name", Aliases: []string{"key"}, Required: true, Description: "The dot-separated path (also known as key) specifying the sysctl variable."},
		{Name: "reload", Type: "bool", Default: true, Description: "If true, performs a /sbin/sysctl -p if the sysctl_file is updated. If false, does not reload sysctl even if the sysctl_file is updated."},
		{Name: "state", Default: "present", Choices: []any{"present", "absent"}, Description: "Whether the entry should be present or absent in the sysctl file."},
		{Name: "sysctl_file", Type: "path", Default: "/etc/sysctl.conf", Description: "Specifies the absolute path to sysctl.conf, if not /etc/sysctl.conf."},
		{Name: "sysctl_set", Type: "bool", Default: false, Description: "Verify token value with the sysctl command and set with -w if necessary."},
		{Name: "value", Aliases: []string{"val"}, Description: "Desired value of the sysctl key."},
	},
	RequiredIf: []module.RequiredIf{{Key: "state", Value: "present", Requires: []string{"value"}}},
	Check:      module.Full,
	Diff:       module.None,
	Examples: `# Set vm.swappiness to 5 in /etc/sysctl.conf
- ansible.posix.sysctl:
    name: vm.swappiness
    value: '5'
    state: present

# Remove kernel.panic entry from /etc/sysctl.conf
- ansible.posix.sysctl:
    name: kernel.panic
    state: absent
    sysctl_file: /etc/sysctl.conf

# Set kernel.panic to 3 in /tmp/test_sysctl.conf
- ansible.posix.sysctl:
    name: kernel.panic
    value: '3'
    sysctl_file: /tmp/test_sysctl.conf
    reload: false

# Set ip forwarding on in /proc and verify token value with the sysctl command
- ansible.posix.sysctl:
    name: net.ipv4.ip_forward
    value: '1'
    sysctl_set: true

# Set ip forwarding on in /proc and in the sysctl file and reload if necessary
- ansible.posix.sysctl:
    name: net.ipv4.ip_forward
    value: '1'
    sysctl_set: true
    state: present
    reload: true`,
}
