package system

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/engine/value"
	"gorun/modules/facts"
	"gorun/modules/internal/remotecmd"
)

// serviceModule is ansible.builtin.service: its action plugin's choice of
// service manager, and a port of the Linux part of ansible/modules/service.py
// (SysV init scripts through `service` and update-rc.d, and OpenRC).
//
// With use: auto the module follows the service_mgr fact, as Ansible's
// action does: systemd or sysvinit run those modules, anything else the
// service module. (On hosts where systemd is installed but not running,
// such as gorun's lab hosts, the fact says systemd and the task fails as
// Ansible's does; use: service picks the init scripts there.)
type serviceModule struct{}

func init() { module.Register(serviceModule{}) }

func (serviceModule) Doc() *module.Doc { return serviceDoc }

// systemdUnusedParams are the options the action plugin drops (with a
// warning) when it hands the task to the systemd module.
var systemdUnusedParams = []string{"pattern", "runlevel", "sleep", "arguments"}

func (serviceModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	a := call.Args
	use := strings.ToLower(a.String("use"))
	if use == "auto" {
		mgr, err := serviceMgr(ctx, call)
		if err != nil {
			return nil, err
		}
		// The action runs the module named by the fact when there is
		// one, the service module otherwise.
		use = "service"
		if mgr == "systemd" || mgr == "sysvinit" {
			use = mgr
		}
	}
	switch use {
	case "sysvinit", "ansible.builtin.sysvinit", "ansible.legacy.sysvinit":
		m, ok := module.Lookup("sysvinit")
		if !ok {
			return module.Failed("the sysvinit module is not available"), nil
		}
		sa := module.Args{}
		for k, v := range a {
			// The action passes the task's own arguments, not service's
			// defaults.
			if k != "use" && v != nil && !(k == "runlevel" && v == "default") && !(k == "arguments" && v == "") {
				sa[k] = v
			}
		}
		args, err := m.Doc().Validate(sa)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		sub := *call
		sub.Args = args
		return m.Run(ctx, &sub)
	case "systemd", "ansible.builtin.systemd", "ansible.legacy.systemd":
		sa := module.Args{"scope": "system", "daemon_reload": false, "daemon_reexec": false, "no_block": false}
		for _, k := range []string{"name", "state", "enabled"} {
			sa[k] = a[k]
		}
		for _, k := range systemdUnusedParams {
			if v, ok := a[k]; ok && v != nil && !(k == "runlevel" && v == "default") && !(k == "arguments" && v == "") && call.Warn != nil {
				call.Warn(fmt.Sprintf(`Ignoring "%s" as it is not used in "systemd"`, k))
			}
		}
		return runSystemd(t, sa, call.Check, call.Warn)
	case "service", "ansible.builtin.service", "ansible.legacy.service":
		s := &linuxService{t: t, a: a, check: call.Check, name: a.String("name")}
		return s.main()
	}
	return module.Failed(fmt.Sprintf("gorun's service module cannot use the service manager %q yet (it knows systemd and service)", use)), nil
}

// serviceMgr is the service_mgr fact, as the service action reads it: from
// the host's gathered facts, or else by gathering just that fact.
func serviceMgr(ctx context.Context, call *module.Call) (string, error) {
	if f := value.ToDict(call.Vars["ansible_facts"]); f != nil {
		if v, ok := f.Get("service_mgr"); ok {
			return fmt.Sprint(v), nil
		}
	}
	got, err := facts.Gather(ctx, call.Conn, []string{"!all"}, []string{"ansible_service_mgr"}, 0)
	if err != nil {
		return "", err
	}
	mgr, _ := got["ansible_service_mgr"].(string)
	return mgr, nil
}

// systemdRunning is service.py's check_systemd: systemctl is there and
// systemd booted the host (its runtime directories exist, or it is PID 1).
func systemdRunning(t *target) (bool, error) {
	o, err := t.Sh(nil, `PATH="$PATH:/sbin:/usr/sbin"; command -v systemctl >/dev/null || exit 1
for c in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do test -e $c && exit 0; done
grep -q systemd /proc/1/comm 2>/dev/null`)
	return err == nil && o.RC == 0, err
}

// linuxService is service.py's LinuxService without systemd and upstart.
type linuxService struct {
	t     *target
	a     module.Args
	check bool
	name  string

	initScript string // /etc/init.d/NAME when it is a file
	svcCmd     string // service or rc-service
	enableCmd  string // update-rc.d, rc-update, insserv or chkconfig
	running    *bool
	crashed    bool
	changed    bool
}

func (s *linuxService) main() (module.Result, error) {
	result := module.Result{"name": s.name}
	if res, err := s.findTools(); res != nil || err != nil {
		return res, err
	}
	if s.a.Has("enabled") {
		if res, err := s.enable(); res != nil || err != nil {
			return res, err
		}
		result["enabled"] = s.a.Bool("enabled")
	}
	state := s.a.String("state")
	if state == "" {
		result["changed"] = s.changed
		return result, nil
	}

	var err error
	if p := s.a.String("pattern"); p != "" {
		err = s.checkPS(p)
	} else {
		_, err = s.status()
	}
	if err != nil {
		return nil, err
	}
	if s.running == nil {
		return module.Failed("failed determining service state, possible typo of service name?"), nil
	}
	running := *s.running
	change := !running && (state == "reloaded" || state == "started") ||
		running && (state == "reloaded" || state == "stopped") || state == "restarted"
	if s.check && change {
		return module.Result{"changed": true, "msg": "service state changed"}, nil
	}
	if change {
		action := map[string]string{"started": "start", "stopped": "stop", "reloaded": "reload", "restarted": "restart"}[state]
		if !running && state == "reloaded" {
			action = "start"
		}
		o, err := s.control(action)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 && !strings.Contains(o.Stderr, "Job is already running") {
			msg := o.Stderr
			if msg == "" {
				msg = o.Stdout
			}
			return module.Failed(msg), nil
		}
	}
	result["changed"] = s.changed || change
	result["state"] = "started"
	if state == "stopped" {
		result["state"] = "stopped"
	}
	return result, nil
}

// findTools is LinuxService.get_service_tools for hosts without systemd.
func (s *linuxService) findTools() (module.Result, error) {
	o, err := s.t.Sh(nil, `PATH="$PATH:/sbin:/usr/sbin:/bin:/usr/bin"
for b in service chkconfig update-rc.d rc-service rc-update initctl insserv; do printf '%s=%s\n' $b "$(command -v $b)"; done
test -f /etc/init.d/`+shell.Quote(s.name)+` && echo initscript=/etc/init.d/`+shell.Quote(s.name)+`
test -e /etc/init/`+shell.Quote(s.name)+`.conf && echo upstart=1
true`)
	if err != nil {
		return nil, err
	}
	loc := map[string]string{}
	for _, l := range strings.Split(o.Stdout, "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			loc[k] = v
		}
	}
	s.initScript = loc["initscript"]
	switch {
	case loc["initctl"] != "" && loc["upstart"] != "":
		return module.Failed(fmt.Sprintf("gorun's service module does not manage upstart jobs yet (%s)", s.name)), nil
	case loc["rc-service"] != "":
		s.svcCmd, s.enableCmd = loc["rc-service"], loc["rc-update"]
		return nil, nil
	case s.initScript != "":
		for _, tool := range []string{"update-rc.d", "insserv", "chkconfig"} {
			if loc[tool] != "" {
				s.enableCmd = loc[tool]
				break
			}
		}
	}
	if s.enableCmd == "" {
		return module.Failed(fmt.Sprintf("Could not find the requested service %s: host", s.name)), nil
	}
	s.svcCmd = loc["service"]
	if s.svcCmd == "" && s.initScript == "" {
		return module.Failed("cannot find 'service' binary or init script for service,  possible typo in service name?, aborting"), nil
	}
	return nil, nil
}

// enable is LinuxService.service_enable for update-rc.d and rc-update.
func (s *linuxService) enable() (module.Result, error) {
	want := s.a.Bool("enabled")
	q := shell.Quote(s.name)
	switch {
	case strings.HasSuffix(s.enableCmd, "update-rc.d"):
		o, err := s.t.Sh(nil, "ls /etc/rc?.d/S??"+q+" >/dev/null 2>&1 && echo S; ls /etc/rc?.d/K??"+q+" >/dev/null 2>&1 && echo K; true")
		if err != nil {
			return nil, err
		}
		enabled, klinks := strings.Contains(o.Stdout, "S"), strings.Contains(o.Stdout, "K")
		if enabled == want {
			return nil, nil
		}
		s.changed = true
		action := "disable"
		if want {
			action = "enable"
			if !klinks && !s.check {
				o, err := s.t.Run(nil, s.enableCmd, s.name, "defaults")
				if err != nil {
					return nil, err
				}
				if o.RC != 0 {
					return module.Failed(firstNonEmpty(o.Stderr, o.Stdout)), nil
				}
			}
		}
		if !s.check {
			o, err := s.t.Run(nil, s.enableCmd, s.name, action)
			if err != nil {
				return nil, err
			}
			if o.RC != 0 {
				return module.Failed(firstNonEmpty(o.Stderr, o.Stdout)), nil
			}
		}
		return nil, nil
	case strings.HasSuffix(s.enableCmd, "rc-update"):
		runlevel := s.a.String("runlevel")
		o, err := s.t.Run(nil, s.enableCmd, "show")
		if err != nil {
			return nil, err
		}
		enabled := false
		for _, line := range strings.Split(o.Stdout, "\n") {
			name, levels, ok := strings.Cut(line, "|")
			if ok && strings.TrimSpace(name) == s.name && strings.Contains(levels, runlevel) {
				enabled = true
			}
		}
		if enabled == want {
			return nil, nil
		}
		s.changed = true
		if s.check {
			return module.Result{"changed": true}, nil
		}
		action := "delete"
		if want {
			action = "add"
		}
		o, err = s.t.Run(nil, s.enableCmd, action, s.name, runlevel)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			if o.Stderr != "" {
				return module.Failed(fmt.Sprintf("Error when trying to %s %s: rc=%d %s", action, s.name, o.RC, o.Stderr)), nil
			}
			return module.Failed(fmt.Sprintf("Failure for %s %s: rc=%d %s", action, s.name, o.RC, o.Stdout)), nil
		}
		return nil, nil
	}
	return module.Failed(fmt.Sprintf("gorun's service module cannot enable services with %s yet", s.enableCmd)), nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// status is LinuxService.get_service_status without upstart: the status
// action's exit code, then keywords in one-line output.
func (s *linuxService) status() (*bool, error) {
	o, err := s.control("status")
	if err != nil {
		return nil, err
	}
	set := func(b bool) { s.running = &b }
	if strings.HasSuffix(s.svcCmd, "rc-service") && s.running == nil {
		oo, err := s.t.Run(nil, s.svcCmd, s.name, "status")
		if err != nil {
			return nil, err
		}
		set(strings.Contains(oo.Stdout, "started"))
		s.crashed = strings.Contains(oo.Stderr, "crashed")
	}
	if s.running == nil && (o.RC >= 1 && o.RC <= 4 || o.RC == 69) {
		set(false)
	}
	if s.running == nil && strings.Count(o.Stdout, "\n") <= 1 {
		clean := strings.ReplaceAll(strings.ToLower(o.Stdout), strings.ToLower(s.name), "")
		switch {
		case strings.Contains(clean, "stop"):
			set(false)
		case strings.Contains(clean, "run"):
			set(!strings.Contains(clean, "not "))
		case strings.Contains(clean, "start") && !strings.Contains(clean, "not "):
			set(true)
		case strings.Contains(clean, "could not access pid file"), strings.Contains(clean, "is dead and pid file exists"),
			strings.Contains(clean, "dead but subsys locked"), strings.Contains(clean, "dead but pid file exists"):
			set(false)
		}
	}
	if s.running == nil && o.RC == 0 {
		set(true)
	}
	if s.running == nil && s.name == "iptables" && strings.Contains(o.Stdout, "ACCEPT") {
		set(true)
	}
	return s.running, nil
}

// checkPS is Service.check_ps: is pattern in the output of ps auxww?
func (s *linuxService) checkPS(pattern string) error {
	o, err := s.t.Run(nil, "ps", "auxww")
	if err != nil || o.RC != 0 {
		return err
	}
	running := false
	for _, line := range strings.Split(o.Stdout, "\n") {
		if strings.Contains(line, pattern) && !strings.Contains(line, "pattern=") {
			running = true
			break
		}
	}
	s.running = &running
	return nil
}

// control is LinuxService.service_control: `service NAME ACTION ARGS`
// (restart as stop and start, as not every init script has restart).
func (s *linuxService) control(action string) (remotecmd.Output, error) {
	base := s.initScript
	if s.svcCmd != "" {
		base = shell.Join([]string{s.svcCmd, s.name})
	} else {
		base = shell.Quote(base)
	}
	args := s.a.String("arguments")
	one := func(act string) (remotecmd.Output, error) {
		return s.t.Sh(nil, daemonize(base+" "+act+" "+args))
	}
	if s.crashed && action == "start" && strings.HasSuffix(s.svcCmd, "rc-service") {
		if _, err := one("zap"); err != nil {
			return remotecmd.Output{}, err
		}
	}
	if action != "restart" || strings.HasSuffix(s.svcCmd, "rc-service") {
		return one(action)
	}
	o1, err := one("stop")
	if err != nil {
		return remotecmd.Output{}, err
	}
	if n := s.a.Int("sleep"); n > 0 {
		time.Sleep(time.Duration(n) * time.Second)
	}
	o2, err := one("start")
	if err != nil {
		return remotecmd.Output{}, err
	}
	if o1.RC != 0 && o2.RC == 0 {
		return o2, nil
	}
	return remotecmd.Output{RC: o1.RC + o2.RC, Stdout: o1.Stdout + o2.Stdout, Stderr: o1.Stderr + o2.Stderr}, nil
}

// daemonize wraps a command that may start a daemon so that the daemon keeps
// none of the SSH channel's pipes open (Ansible double-forks for the same
// reason): its output goes through temporary files.
func daemonize(cmd string) string {
	return `o=$(mktemp) e=$(mktemp); ( ` + cmd + ` ) </dev/null >"$o" 2>"$e"; rc=$?; cat "$o"; cat "$e" >&2; rm -f "$o" "$e"; exit $rc`
}

var serviceDoc = &module.Doc{
	Name:  "service",
	Names: []string{"ansible.builtin.service"},
	Short: "Manage services",
	Description: []string{
		"Controls services on remote hosts. Supported init systems include BSD init, OpenRC, SysV, Solaris SMF, systemd, upstart.",
		"This module acts as a proxy to the underlying service manager module. While all arguments will be passed to the underlying module, not all modules support the same arguments. This documentation only covers the minimum intersection of module arguments that all service manager modules support.",
		"This module is a proxy for multiple more specific service manager modules (such as ansible.builtin.systemd and ansible.builtin.sysvinit). This allows management of a heterogeneous environment of machines without creating a specific task for each service manager. The module to be executed is determined by the use option, which defaults to the service manager discovered by ansible.builtin.setup.  If setup was not yet run, this module may run it.",
		"For Windows targets, use the ansible.windows.win_service module instead.",
	},
	Options: []module.Option{
		{Name: "arguments", Aliases: []string{"args"}, Description: "Additional arguments provided on the command line. While using remote hosts with systemd this setting will be ignored."},
		{Name: "enabled", Type: "bool", Description: "Whether the service should start on boot. At least one of state and enabled are required."},
		{Name: "name", Required: true, Description: "Name of the service."},
		{Name: "pattern", Description: "If the service does not respond to the status command, name a substring to look for as would be found in the output of the ps command as a stand-in for a status result. If the string is found, the service will be assumed to be started. While using remote hosts with systemd this setting will be ignored."},
		{Name: "runlevel", Default: "default", Description: "For OpenRC init scripts (e.g. Gentoo) only. The runlevel that this service belongs to. While using remote hosts with systemd this setting will be ignored."},
		{Name: "sleep", Type: "int", Description: "If the service is being restarted then sleep this many seconds between the stop and start command. This helps to work around badly-behaving init scripts that exit immediately after signaling a process to stop. Not all service managers support sleep, i.e when using systemd this setting will be ignored."},
		{Name: "state", Choices: []any{"reloaded", "restarted", "started", "stopped"}, Description: "started/stopped are idempotent actions that will not run commands unless necessary. restarted will always bounce the service. reloaded will always reload. At least one of state and enabled are required. Note that reloaded will start the service if it is not already started, even if your chosen init system wouldn't normally."},
		{Name: "use", Default: "auto", Description: "The service module actually uses system specific modules, normally through auto detection, this setting can force a specific module. Normally it uses the value of the 'ansible_service_mgr' fact and falls back to the old 'service' module when none matching is found."},
	},
	RequiredOneOf: [][]string{{"state", "enabled"}},
	Check:         module.Full,
	Diff:          module.None,
	Notes: []string{
		"With use: auto, gorun follows the service_mgr fact as Ansible's action does (gathering only that fact when facts were not gathered): systemd and sysvinit run those modules, anything else the init scripts.",
		"Not supported yet (a clear error): upstart jobs, enabling with insserv or chkconfig, use: values other than auto, service and systemd.",
	},
	Examples: `- name: Start service httpd, if not started
  ansible.builtin.service:
    name: httpd
    state: started

- name: Stop service httpd, if started
  ansible.builtin.service:
    name: httpd
    state: stopped

- name: Restart service httpd, in all cases
  ansible.builtin.service:
    name: httpd
    state: restarted

- name: Reload service httpd, in all cases
  ansible.builtin.service:
    name: httpd
    state: reloaded

- name: Enable service httpd, and not touch the state
  ansible.builtin.service:
    name: httpd
    enabled: yes

- name: Start service foo, based on running process /usr/bin/foo
  ansible.builtin.service:
    name: foo
    pattern: /usr/bin/foo
    state: started

- name: Restart network service for interface eth0
  ansible.builtin.service:
    name: network
    state: restarted
    args: eth0`,
}
