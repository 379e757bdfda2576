package system

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/value"
)

// packageModule is ansible.builtin.package: it hands the task to the module of
// the host's package manager, from the pkg_mgr fact or, without facts, from the
// package manager found on the target (as Ansible gathers ansible_pkg_mgr).
type packageModule struct{}

func init() { module.Register(packageModule{}) }

func (packageModule) Doc() *module.Doc { return packageDoc }

// pkgMgrs are the package managers detected on the target, in Ansible's
// order of preference (module_utils/facts/system/pkg_mgr.py, Linux ones).
var pkgMgrs = []struct{ path, name string }{
	{"/usr/bin/dnf", "dnf"}, {"/usr/bin/yum", "yum"}, {"/usr/bin/apt-get", "apt"},
	{"/usr/bin/zypper", "zypper"}, {"/sbin/apk", "apk"}, {"/usr/bin/pacman", "pacman"},
}

func (packageModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	use := call.Args.String("use")
	if use == "auto" {
		use = factString(call.Vars, "pkg_mgr")
	}
	if use == "" || use == "auto" {
		detected, err := detectPkgMgr(newTarget(ctx, call))
		if err != nil {
			return nil, err
		}
		use = detected
	}
	if use == "" || use == "unknown" {
		return module.Failed("Could not detect which package manager to use. Try gathering facts or setting the \"use\" option."), nil
	}
	backend, ok := module.Lookup(use)
	if !ok {
		return module.Failed(fmt.Sprintf("Could not find a module for %s.", use)), nil
	}
	raw := map[string]any{}
	for k, v := range call.Args {
		if k != "use" && v != nil {
			raw[k] = v
		}
	}
	args, err := backend.Doc().Validate(raw)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	sub := *call
	sub.Module, sub.Args = use, args
	return backend.Run(ctx, &sub)
}

// factString reads ansible_facts.NAME, or ansible_NAME, from the task's variables.
func factString(vars map[string]any, name string) string {
	if facts, ok := vars["ansible_facts"]; ok {
		if v, ok := value.Lookup(facts, name); ok {
			if s, ok := v.(string); ok {
				return s
			}
		}
	}
	if s, ok := vars["ansible_"+name].(string); ok {
		return s
	}
	return ""
}

// detectPkgMgr finds the package manager as Ansible's pkg_mgr fact does:
// apt on Debian-family hosts whatever else is installed there (Debian has
// dnf, yum and zypper packages), else the first of pkgMgrs present, with
// dnf only when it is not a yum shim.
func detectPkgMgr(t *target) (string, error) {
	tests := []string{"test -e /etc/debian_version && test -x /usr/bin/apt-get && echo apt"}
	for _, m := range pkgMgrs {
		tests = append(tests, fmt.Sprintf("test -x %s && echo %s", m.path, m.name))
	}
	o, err := t.Sh(nil, strings.Join(tests, "; ")+"; true")
	if err != nil {
		return "", err
	}
	found := strings.Fields(o.Stdout)
	if len(found) == 0 {
		return "unknown", nil
	}
	return found[0], nil
}

var packageDoc = &module.Doc{
	Name:  "package",
	Names: []string{"ansible.builtin.package"},
	Short: "Generic OS package manager",
	Description: []string{
		"This modules manages packages on a target without specifying a package manager module (like ansible.builtin.yum, ansible.builtin.apt, ...). It is convenient to use in an heterogeneous environment of machines without having to create a specific task for each package manager. package calls behind the module for the package manager used by the operating system discovered by the module ansible.builtin.setup.  If setup was not yet run, package will run it.",
		"This module acts as a proxy to the underlying package manager module. While all arguments will be passed to the underlying module, not all modules support the same arguments. This documentation only covers the minimum intersection of module arguments that all packaging modules support.",
		"For Windows targets, use the ansible.windows.win_package module instead.",
	},
	Options: []module.Option{
		{Name: "name", Type: "raw", Required: true, Description: "Package name, or package specifier with version. Syntax varies with package manager. For example name-1.0 or name=1.0. Package names also vary with package manager; this module will not \"translate\" them per distro. For example libyaml-dev, libyaml-devel."},
		{Name: "state", Description: "Whether to install (present), or remove (absent) a package. You can use other states like latest ONLY if they are supported by the underlying package module(s) executed."},
		{Name: "use", Default: "auto", Description: "The required package manager module to use (yum, apt, and so on). The default 'auto' will use existing facts or try to autodetect it. You should only use this field if the automatic selection is not working for some reason."},
	},
	AnyArgs: true,
	Check:   module.Full,
	Diff:    module.None,
	Examples: `- name: Install ntpdate
  ansible.builtin.package:
    name: ntpdate
    state: present

# This uses a variable as this changes per distribution.
- name: Remove the apache package
  ansible.builtin.package:
    name: "{{ apache }}"
    state: absent

- name: Install the latest version of Apache and MariaDB
  ansible.builtin.package:
    name:
      - httpd
      - mariadb-server
    state: latest`,
}
