package system

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// serviceFactsModule is ansible.builtin.service_facts for Linux: the
// services that SysV's service --status-all, upstart's initctl,
// chkconfig, OpenRC and systemd know, in the fact "services".
type serviceFactsModule struct{}

func init() { module.Register(serviceFactsModule{}) }

func (serviceFactsModule) Doc() *module.Doc { return serviceFactsDoc }

var (
	sysvStatusRE  = regexp.MustCompile(`(?m)^\s*\[ (\+|\-) \]\s+(.+)$`)
	upstartRE     = regexp.MustCompile(`^\s?(.*)\s(\w+)/(\w+)(,\sprocess\s([0-9]+))?\s*$`)
	chkconfigRE   = regexp.MustCompile(`^(.*?)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)\s+[0-9]:(on|off)`)
	chkSimpleRE   = regexp.MustCompile(`^(.*?)\s+(on|off)`)
	systemdBadSet = []string{"not-found", "masked", "failed"}
)

// svcScan gathers services on one target.
type svcScan struct {
	t        *target
	env      map[string]string
	services map[string]any
	warn     func(string)
}

func (s *svcScan) sh(line string) remotecmd.Output {
	o, err := s.t.Sh(s.env, line)
	if err != nil {
		o.RC = -1
	}
	return o
}

func (s *svcScan) sysv(service string) {
	o := s.sh(shell.Quote(service) + " --status-all")
	if o.RC == 4 {
		if ok, _ := s.t.Exists("/etc/init.d"); !ok {
			return
		}
	}
	if o.RC != 0 {
		s.warn("Unable to query 'service' tool (" + strconv.Itoa(o.RC) + "): " + o.Stderr)
	}
	for _, m := range sysvStatusRE.FindAllStringSubmatch(o.Stdout, -1) {
		state := "stopped"
		if m[1] == "+" {
			state = "running"
		}
		s.services[m[2]] = map[string]any{"name": m[2], "state": state, "source": "sysv"}
	}
}

func (s *svcScan) upstart(initctl string) {
	o := s.sh(shell.Quote(initctl) + " list")
	if o.RC != 0 {
		s.warn("Unable to query upstart for service data: " + o.Stderr)
		return
	}
	for _, l := range strings.Split(strings.ReplaceAll(o.Stdout, "\r", ""), "\n") {
		if m := upstartRE.FindStringSubmatch(l); m != nil {
			s.services[m[1]] = map[string]any{"name": m[1], "state": m[3], "goal": m[2], "source": "upstart"}
		}
	}
}

func (s *svcScan) chkconfig(chkconfig, service string) {
	o := s.sh(shell.Quote(chkconfig))
	anyMatch := func(re *regexp.Regexp, out string) bool {
		for _, l := range strings.Split(out, "\n") {
			if re.MatchString(l) {
				return true
			}
		}
		return false
	}
	if !anyMatch(chkconfigRE, o.Stdout) {
		if anyMatch(chkSimpleRE, o.Stdout) {
			o = s.sh(shell.Quote(chkconfig) + " -l --allservices")
		} else if strings.Contains(o.Stderr, "--list") {
			o = s.sh(shell.Quote(chkconfig) + " --list")
		}
	}
	for _, l := range strings.Split(o.Stdout, "\n") {
		m := chkconfigRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		name, status := m[1], "disabled"
		if m[5] == "on" {
			status = "enabled"
		}
		so := s.sh(shell.Quote(service) + " " + name + " status")
		var state any = "stopped"
		if so.RC == 0 {
			state = "running"
		} else {
			low := strings.ToLower(so.Stderr)
			for _, x := range []string{"root", "permission", "not in sudoers"} {
				if strings.Contains(low, x) {
					s.warn("Insufficient permissions to query sysV service \"" + name + "\" and their states")
					state = so.RC
					break
				}
			}
		}
		s.services[name] = map[string]any{"name": name, "state": state, "status": status, "source": "sysv"}
	}
}

func (s *svcScan) openrc(rcStatus, rcUpdate string) {
	o := s.sh(shell.Quote(rcStatus) + " -a -s -m 2>&1 | grep '^ ' | tr -d '[]'")
	u := s.sh(shell.Quote(rcUpdate) + " show -v 2>&1 | grep '|'")
	runlevels := map[string]any{}
	for _, l := range strings.Split(u.Stdout, "\n") {
		d := strings.Split(l, "|")
		if len(d) < 2 {
			continue
		}
		name, levels := strings.TrimSpace(d[0]), strings.TrimSpace(d[1])
		if levels == "" {
			runlevels[name] = nil
		} else {
			var l []any
			for _, f := range strings.Fields(levels) {
				l = append(l, f)
			}
			runlevels[name] = l
		}
	}
	for _, l := range strings.Split(o.Stdout, "\n") {
		d := strings.Fields(l)
		if len(d) < 2 {
			continue
		}
		s.services[d[0]] = map[string]any{"name": d[0], "runlevels": runlevels[d[0]], "state": d[1], "source": "openrc"}
	}
}

func (s *svcScan) systemd() error {
	o := s.sh("grep -q systemd /proc/1/comm 2>/dev/null")
	if o.RC != 0 {
		return nil
	}
	path := s.sh(`PATH="$PATH:/usr/bin:/usr/local/bin:/sbin:/usr/sbin:/usr/local/sbin" command -v systemctl`)
	ctl := strings.TrimSpace(path.Stdout)
	if path.RC != 0 || ctl == "" {
		return nil
	}
	o = s.sh(ctl + " list-units --no-pager --type service --all")
	if o.RC != 0 {
		s.warn("Could not list units from systemd: " + o.Stderr)
	} else {
		for _, l := range strings.Split(o.Stdout, "\n") {
			if !strings.Contains(l, ".service") {
				continue
			}
			fields := strings.Fields(l)
			status := ""
			for _, bad := range systemdBadSet {
				if slices.Contains(fields, bad) {
					status, fields = bad, fields[1:]
					break
				}
			}
			if status == "" && len(fields) > 2 {
				status = fields[2]
			}
			if len(fields) < 4 {
				continue
			}
			state := "stopped"
			if fields[3] == "running" {
				state = "running"
			}
			s.services[fields[0]] = map[string]any{"name": fields[0], "state": state, "status": status, "source": "systemd"}
		}
	}
	o = s.sh(ctl + " list-unit-files --no-pager --type service --all")
	if o.RC != 0 {
		s.warn("Could not get unit files data from systemd: " + o.Stderr)
		return nil
	}
	for _, l := range strings.Split(o.Stdout, "\n") {
		if !strings.Contains(l, ".service") {
			continue
		}
		f := strings.Fields(l)
		if len(f) < 2 {
			return &remotecmd.Exit{Result: module.Failed("Malformed output discovered from systemd list-unit-files: " + l)}
		}
		name, status := f[0], f[1]
		if cur, ok := s.services[name].(map[string]any); ok {
			if !slices.Contains(systemdBadSet, fmt.Sprint(cur["status"])) {
				cur["status"] = status
			}
			continue
		}
		so := s.sh(ctl + " show " + name + " --property=ActiveState")
		state := "unknown"
		if so.RC == 0 && so.Stdout != "" {
			state = strings.TrimRight(strings.Replace(so.Stdout, "ActiveState=", "", -1), " \t\r\n")
		}
		s.services[name] = map[string]any{"name": name, "state": state, "status": status, "source": "systemd"}
	}
	return nil
}

func (serviceFactsModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	s := &svcScan{t: t, env: map[string]string{"LANG": "C", "LC_ALL": "C"}, services: map[string]any{}, warn: func(msg string) {
		if call.Warn != nil {
			call.Warn(msg)
		}
	}}
	paths := map[string]string{}
	for _, name := range []string{"service", "chkconfig", "initctl", "rc-status", "rc-update"} {
		p, err := t.Which(name)
		if err != nil {
			return nil, err
		}
		paths[name] = p
	}
	if paths["service"] != "" && paths["chkconfig"] == "" && paths["rc-status"] == "" {
		s.sysv(paths["service"])
	}
	switch {
	case paths["initctl"] != "" && paths["chkconfig"] == "":
		s.upstart(paths["initctl"])
	case paths["chkconfig"] != "":
		s.chkconfig(paths["chkconfig"], paths["service"])
	case paths["rc-status"] != "" && paths["rc-update"] != "":
		s.openrc(paths["rc-status"], paths["rc-update"])
	}
	if err := s.systemd(); err != nil {
		return err.(*remotecmd.Exit).Result, nil
	}
	if len(s.services) == 0 {
		return module.Result{"changed": false, "skipped": true, "msg": "Failed to find any services. This can be due to privileges or some other configuration issue."}, nil
	}
	return module.Result{"changed": false, "ansible_facts": map[string]any{"services": s.services}}, nil
}

var serviceFactsDoc = &module.Doc{
	Name:  "service_facts",
	Names: []string{"ansible.builtin.service_facts"},
	Short: "Return service state information as fact data",
	Description: []string{
		"Return service state information as fact data for various service management utilities.",
	},
	Options: []module.Option{},
	Examples: `- name: Populate service facts
  ansible.builtin.service_facts:

- name: Print service facts
  ansible.builtin.debug:
    var: ansible_facts.services`,
	Returns: []module.Return{
		{Name: "ansible_facts", Description: "Facts to add to ansible_facts about the services on the system", Returned: "always", Type: "complex"},
	},
	Notes: []string{"When accessing the C(ansible_facts.services) facts collected by this module, it is recommended to not use \"dot notation\" because services can have a C(-) character in their name which would result in invalid \"dot notation\", such as C(ansible_facts.services.zuul-gateway). It is instead recommended to using the string value of the service name as the key in order to obtain the fact data value like C(ansible_facts.services['zuul-gateway'])", "AIX SRC was added in version 2.11."},
	Check: module.Full,
	Diff:  module.None,
}
