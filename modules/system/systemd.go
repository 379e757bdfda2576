package system

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// systemdModule is ansible.builtin.systemd_service (and its older name
// systemd), a port of ansible/modules/systemd_service.py: the same systemctl
// commands in the same order, so that it fails as Ansible does on hosts where
// systemd is not running.
type systemdModule struct{}

func init() { module.Register(systemdModule{}) }

func (systemdModule) Doc() *module.Doc { return systemdDoc }

// systemdEnabledStates are the states `systemctl is-enabled` prints for a unit
// systemd knows (man systemctl, systemd 244).
var systemdEnabledStates = map[string]bool{
	"enabled": true, "enabled-runtime": true, "linked": true, "linked-runtime": true,
	"masked": true, "masked-runtime": true, "static": true, "indirect": true,
	"disabled": true, "generated": true, "transient": true,
}

func (systemdModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	return runSystemd(newTarget(ctx, call), call.Args, call.Check, call.Warn)
}

// runSystemd is the systemd module's main(); the service module calls it too
// when the host runs systemd.
func runSystemd(t *target, a module.Args, check bool, warn func(string)) (module.Result, error) {
	unit := a.String("name")
	for _, g := range []string{"*", "?", "["} {
		if strings.Contains(unit, g) {
			return module.Failed(fmt.Sprintf("This module does not currently support using glob patterns, found '%s' in service name: %s", g, unit)), nil
		}
	}
	systemctl, err := t.Which("systemctl")
	if err != nil {
		return nil, err
	}
	if systemctl == "" {
		return module.Failed("Failed to find required executable \"systemctl\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), nil
	}
	if s := a.String("scope"); s != "system" {
		systemctl += " --" + s
	}
	if a.Bool("no_block") {
		systemctl += " --no-block"
	}
	if a.Bool("force") {
		systemctl += " --force"
	}
	// Ansible sets XDG_RUNTIME_DIR for user-scope units when it is unset.
	env := map[string]string{}
	run := func(args string) (remotecmd.Output, error) {
		return t.Sh(env, `XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}" `+systemctl+" "+args)
	}
	q := shell.Quote(unit)
	status := map[string]any{}
	result := module.Result{"name": nilIfEmpty(unit), "changed": false, "status": status}

	for _, op := range []string{"daemon_reload", "daemon_reexec"} {
		if a.Bool(op) && !check {
			cmd := strings.ReplaceAll(op, "_", "-")
			o, err := run(cmd)
			if err != nil {
				return nil, err
			}
			if o.RC != 0 {
				return module.Failed(fmt.Sprintf("failure %d during %s: %s", o.RC, cmd, o.Stderr)), nil
			}
		}
	}
	if unit == "" {
		return result, nil
	}

	isInitd, err := t.Exists("/etc/init.d/" + unit)
	if err != nil {
		return nil, err
	}
	isSystemd := false
	o, err := run("show " + q)
	if err != nil {
		return nil, err
	}
	switch {
	case o.RC == 0 && !requestIgnored(o.Stdout) && !requestIgnored(o.Stderr):
		if o.Stdout != "" {
			for k, v := range parseSystemctlShow(o.Stdout) {
				status[k] = v
			}
			load, hasLoad := status["LoadState"].(string)
			isSystemd = hasLoad && load != "not-found"
			if le, ok := status["LoadError"]; isSystemd && load != "masked" && ok {
				return module.Failed(fmt.Sprintf("Error loading unit file '%s': %s", unit, le)), nil
			}
		}
	case o.RC == 1 && strings.Contains(o.Stderr, "Failed to parse bus message"):
		for k, v := range parseSystemctlShow(o.Stdout) {
			status[k] = v
		}
		base, _, hasAt := strings.Cut(unit, "@")
		search := base
		if hasAt {
			search += "@"
		}
		o, err = run("list-unit-files " + shell.Quote(search+"*"))
		if err != nil {
			return nil, err
		}
		isSystemd = strings.Contains(o.Stdout, search)
		o, err = run("is-active " + q)
		if err != nil {
			return nil, err
		}
		status["ActiveState"] = strings.TrimRight(o.Stdout, "\n")
	default:
		o, err = run("is-enabled " + q)
		if err != nil {
			return nil, err
		}
		if systemdEnabledStates[strings.TrimSpace(o.Stdout)] {
			isSystemd = true
		} else {
			o, err = run("list-unit-files " + q)
			if err != nil {
				return nil, err
			}
			if o.RC == 0 {
				isSystemd = true
			} else if o, err = run(""); err != nil {
				return nil, err
			} else if o.RC != 0 {
				// run_command(systemctl, check_rc=True): its failure names
				// the command.
				r := remotecmd.FailRun(strings.TrimSpace(o.Stderr), o)
				r["cmd"] = systemctl
				return remotecmd.WithLines(r), nil
			}
		}
	}

	found := isSystemd || isInitd
	if isInitd && !isSystemd && warn != nil {
		warn(fmt.Sprintf("The service (%s) is actually an init script but the system is managed by systemd", unit))
	}
	missing := module.Failed(fmt.Sprintf("Could not find the requested service %s: host", unit))

	if a.Has("masked") {
		o, err := run("is-enabled " + q)
		if err != nil {
			return nil, err
		}
		masked := strings.TrimSpace(o.Stdout) == "masked"
		if masked != a.Bool("masked") {
			result["changed"] = true
			action := "unmask"
			if a.Bool("masked") {
				action = "mask"
			}
			if !check {
				if o, err := run(action + " " + q); err != nil {
					return nil, err
				} else if o.RC != 0 && !found {
					return missing, nil
				}
			}
		}
	}

	if a.Has("enabled") {
		want := a.Bool("enabled")
		action := "disable"
		if want {
			action = "enable"
		}
		if !found {
			return missing, nil
		}
		enabled := false
		o, err := run("is-enabled " + q + " -l")
		if err != nil {
			return nil, err
		}
		switch o.RC {
		case 0:
			lines := strings.Split(strings.TrimRight(o.Stdout, "\n"), "\n")
			enabled = !(len(lines) == 1 && (lines[0] == "indirect" || lines[0] == "alias"))
		case 1:
			if a.String("scope") == "system" && isInitd && !strings.HasSuffix(strings.TrimSpace(o.Stdout), "disabled") {
				enabled, err = sysvEnabled(t, unit)
				if err != nil {
					return nil, err
				}
			}
		}
		result["enabled"] = enabled
		if enabled != want {
			result["changed"] = true
			if !check {
				o, err := run(action + " " + q)
				if err != nil {
					return nil, err
				}
				if o.RC != 0 {
					return module.Failed(fmt.Sprintf("Unable to %s service %s: %s", action, unit, o.Stdout+o.Stderr)), nil
				}
			}
			result["enabled"] = !enabled
		}
	}

	if a.Has("state") {
		state := a.String("state")
		if !found {
			return missing, nil
		}
		result["state"] = state
		active, known := status["ActiveState"].(string)
		switch {
		case known:
			running := active == "active" || active == "activating"
			action := ""
			switch state {
			case "started":
				if !running {
					action = "start"
				}
			case "stopped":
				if running || active == "deactivating" {
					action = "stop"
				}
			default:
				action = strings.TrimSuffix(state, "ed")
				if !running {
					action = "start"
				}
				result["state"] = "started"
			}
			if action != "" {
				result["changed"] = true
				if !check {
					o, err := run(action + " " + q)
					if err != nil {
						return nil, err
					}
					if o.RC != 0 {
						return module.Failed(fmt.Sprintf("Unable to %s service %s: %s", action, unit, o.Stderr)), nil
					}
				}
			}
		default:
			offline, err := chrootOrOffline(t)
			if err != nil {
				return nil, err
			}
			if !offline {
				return module.Result{"failed": true, "changed": false, "msg": "Service is in unknown state", "status": status}, nil
			}
			if warn != nil {
				warn("Target is a chroot or systemd is offline. This can lead to false positives or prevent the init system tools from working.")
			}
		}
	}
	return result, nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// requestIgnored is Ansible's request_was_ignored.
func requestIgnored(out string) bool {
	return !strings.Contains(out, "=") && (strings.Contains(out, "ignoring request") || strings.Contains(out, "ignoring command"))
}

// parseSystemctlShow is Ansible's parse_systemctl_show: key=value lines, with
// multi-line values only for Exec* keys in braces.
func parseSystemctlShow(out string) map[string]any {
	parsed := map[string]any{}
	var multi []string
	key := ""
	for _, line := range strings.Split(out, "\n") {
		if key == "" {
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			if strings.HasPrefix(k, "Exec") && strings.HasPrefix(strings.TrimLeft(v, " \t"), "{") && !strings.HasSuffix(strings.TrimRight(v, " \t"), "}") {
				key = k
				multi = append(multi, v)
				continue
			}
			parsed[k] = strings.TrimSpace(v)
			continue
		}
		multi = append(multi, line)
		if strings.HasSuffix(strings.TrimRight(line, " \t"), "}") {
			parsed[key] = strings.TrimSpace(strings.Join(multi, "\n"))
			multi, key = nil, ""
		}
	}
	return parsed
}

// sysvEnabled reports whether an init script has start links in /etc/rc?.d
// (Ansible's sysv_is_enabled).
func sysvEnabled(t *target, name string) (bool, error) {
	o, err := t.Sh(nil, "ls /etc/rc?.d/S??"+shell.Quote(name)+" >/dev/null 2>&1")
	return err == nil && o.RC == 0, err
}

// chrootOrOffline is Ansible's is_chroot (/ is not init's root) or
// SYSTEMD_OFFLINE=1 in the target's environment.
func chrootOrOffline(t *target) (bool, error) {
	o, err := t.Sh(nil, `test "$SYSTEMD_OFFLINE" = 1 && exit 0; test "$(stat -Lc %d:%i /)" != "$(stat -Lc %d:%i /proc/1/root/. 2>/dev/null || stat -Lc %d:%i /)"`)
	return err == nil && o.RC == 0, err
}

var systemdDoc = &module.Doc{
	Name:  "systemd_service",
	Names: []string{"ansible.builtin.systemd_service", "systemd", "ansible.builtin.systemd"},
	Short: "Manage systemd units",
	Description: []string{
		"Controls systemd units (services, timers, and so on) on remote hosts.",
	},
	Options: []module.Option{
		{Name: "daemon_reexec", Type: "bool", Aliases: []string{"daemon-reexec"}, Default: false, Description: "Run daemon_reexec command before doing any other operations, the systemd manager will serialize the manager state."},
		{Name: "daemon_reload", Type: "bool", Aliases: []string{"daemon-reload"}, Default: false, Description: "Run daemon-reload before doing any other operations, to make sure systemd has read any changes. When set to true, runs daemon-reload even if the module does not start or stop anything."},
		{Name: "enabled", Type: "bool", Description: "Whether the unit should start on boot. At least one of state and enabled are required."},
		{Name: "force", Type: "bool", Description: "Whether to override existing symlinks."},
		{Name: "masked", Type: "bool", Description: "Whether the unit should be masked or not, a masked unit is impossible to start."},
		{Name: "name", Aliases: []string{"service", "unit"}, Description: "Name of the unit. This parameter takes the name of exactly one unit to work with. When no extension is given, it is implied to a .service as systemd. When using in a chroot environment you always need to specify the name of the unit with the extension. For example, crond.service."},
		{Name: "no_block", Type: "bool", Default: false, Description: "Do not synchronously wait for the requested operation to finish. Enqueued job will continue without Ansible blocking on its completion."},
		{Name: "scope", Default: "system", Choices: []any{"system", "user", "global"}, Description: "Run systemctl within a given service manager scope, either as the default system scope system, the current user's scope user, or the scope of all users global. For systemd to work with 'user', the executing user must have its own instance of dbus started and accessible (systemd requirement). The user dbus process is normally started during normal login, but not during the run of Ansible tasks. Otherwise you will probably get a 'Failed to connect to bus: no such file or directory' error. The user must have access, normally given via setting the XDG_RUNTIME_DIR variable, see example below."},
		{Name: "state", Choices: []any{"reloaded", "restarted", "started", "stopped"}, Description: "started/stopped are idempotent actions that will not run commands unless necessary. restarted will always bounce the unit. reloaded will always reload."},
	},
	RequiredOneOf: [][]string{{"state", "enabled", "masked", "daemon_reload", "daemon_reexec"}},
	RequiredBy:    map[string][]string{"state": {"name"}, "enabled": {"name"}, "masked": {"name"}},
	Check:         module.Full,
	Diff:          module.None,
	Examples: `- name: Make sure a service unit is running
  ansible.builtin.systemd:
    state: started
    name: httpd

- name: Stop service cron on debian, if running
  ansible.builtin.systemd:
    name: cron
    state: stopped

- name: Restart service cron on centos, in all cases, also issue daemon-reload to pick up config changes
  ansible.builtin.systemd:
    state: restarted
    daemon_reload: true
    name: crond

- name: Reload service httpd, in all cases
  ansible.builtin.systemd:
    name: httpd.service
    state: reloaded

- name: Enable service httpd and ensure it is not masked
  ansible.builtin.systemd:
    name: httpd
    enabled: true
    masked: no

- name: Enable a timer unit for dnf-automatic
  ansible.builtin.systemd:
    name: dnf-automatic.timer
    state: started
    enabled: true

- name: Just force systemd to reread configs (2.4 and above)
  ansible.builtin.systemd:
    daemon_reload: true

- name: Just force systemd to re-execute itself (2.8 and above)
  ansible.builtin.systemd:
    daemon_reexec: true

- name: Run a user service when XDG_RUNTIME_DIR is not set on remote login
  ansible.builtin.systemd:
    name: myservice
    state: started
    scope: user
  environment:
    XDG_RUNTIME_DIR: "/run/user/{{ myuid }}"`,
	Returns: []module.Return{
		{Name: "status", Description: "A dictionary with the key=value pairs returned from systemctl show.", Returned: "success", Type: "complex"},
	},
}
