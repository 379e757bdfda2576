package system

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// sysvinitModule is ansible.builtin.sysvinit: SysV init scripts started,
// stopped and enabled per runlevel with the same heuristics and commands
// as the Python module (service NAME status, update-rc.d or chkconfig).
type sysvinitModule struct{}

func init() { module.Register(sysvinitModule{}) }

func (sysvinitModule) Doc() *module.Doc { return sysvinitDoc }

// sysvRunlevelEnabled is sysv_is_enabled: an S??NAME link in the runlevel's rc
// directory (any runlevel when runlevel is "").
func sysvRunlevelEnabled(t *target, name, runlevel string) (bool, error) {
	rl := runlevel
	if rl == "" {
		rl = "?"
	}
	q := shell.Quote(name)
	o, err := t.Sh(nil, fmt.Sprintf(`if test -d /etc/rc0.d/; then set -- /etc/rc%[1]s.d/S??%[2]s; else set -- /etc/init.d/rc%[1]s.d/S??%[2]s; fi; test -e "$1" || test -L "$1"`, rl, q))
	return err == nil && o.RC == 0, err
}

// psHas is get_ps: is pattern in a line of ps auxww?
func psHas(t *target, pattern string) (bool, error) {
	o, err := t.Run(nil, "ps", "auxww")
	if err != nil || o.RC != 0 {
		return false, err
	}
	for _, line := range strings.Split(o.Stdout, "\n") {
		if strings.Contains(line, pattern) {
			return true, nil
		}
	}
	return false, nil
}

// daemonized runs cmd detached from the session (setsid, stdin from
// /dev/null, output through files), as service.py's daemonize does, and
// returns its exit status and output.
func daemonized(t *target, cmd string) (remotecmd.Output, error) {
	o, err := t.Sh(nil, `out=$(mktemp) && err=$(mktemp) || exit 99
setsid sh -c `+shell.Quote(cmd)+` </dev/null >"$out" 2>"$err"; rc=$?
printf '%s\n' "$rc"; cat "$out"; printf '\000'; cat "$err"; rm -f "$out" "$err"`)
	if err != nil {
		return o, err
	}
	rcText, rest, _ := strings.Cut(o.Stdout, "\n")
	stdout, stderr, _ := strings.Cut(rest, "\x00")
	rc, convErr := strconv.Atoi(rcText)
	if convErr != nil {
		return o, fmt.Errorf("daemonize %s: %s", cmd, strings.TrimSpace(o.Stderr))
	}
	return remotecmd.Output{RC: rc, Stdout: stdout, Stderr: stderr}, nil
}

var sysvActionRE = regexp.MustCompile(`p?ed$`)

func (sysvinitModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	a := call.Args
	name, runlevels, pattern := a.String("name"), a.Strings("runlevels"), a.String("pattern")
	script := name
	if !strings.HasPrefix(name, "/") {
		script = "/etc/init.d/" + name
	}
	if ok, err := t.Exists(script); err != nil {
		return nil, err
	} else if !ok {
		return module.Failed(fmt.Sprintf("Could not find the requested service %s: ", name)), nil
	}
	loc := map[string]string{}
	for _, b := range []string{"chkconfig", "update-rc.d", "insserv", "service"} {
		p, err := t.Which(b)
		if err != nil {
			return nil, err
		}
		loc[b] = p
	}
	var enabledNow bool
	rlEnabled := map[string]bool{}
	var err error
	if len(runlevels) > 0 {
		for _, rl := range runlevels {
			if rlEnabled[rl], err = sysvRunlevelEnabled(t, name, rl); err != nil {
				return nil, err
			}
		}
	} else if enabledNow, err = sysvRunlevelEnabled(t, name, ""); err != nil {
		return nil, err
	}

	isStarted, worked := false, false
	if pattern != "" {
		if isStarted, err = psHas(t, pattern); err != nil {
			return nil, err
		}
		worked = isStarted
	} else {
		cmd := script + " status"
		if loc["service"] != "" {
			cmd = loc["service"] + " " + name + " status"
		}
		o, err := t.Sh(nil, cmd)
		if err != nil {
			return nil, err
		}
		if name == "iptables" && strings.Contains(o.Stdout, "ACCEPT") {
			worked, isStarted = true, true
		}
		if !worked && strings.Count(o.Stdout, "\n") <= 1 {
			clean := strings.ReplaceAll(strings.ToLower(o.Stdout), strings.ToLower(name), "")
			for _, s := range []string{"stop", "is dead ", "dead but ", "could not access pid file", "inactive"} {
				if strings.Contains(clean, s) {
					worked = true
					break
				}
			}
			if !worked {
				for _, s := range []string{"run", "start", "active"} {
					if strings.Contains(clean, s) && !strings.Contains(clean, "not ") {
						isStarted, worked = true, true
						break
					}
				}
			}
		}
		if !worked && (o.RC >= 1 && o.RC <= 4 || o.RC == 69) {
			worked = true
		}
		if !worked {
			if o.RC == 0 {
				isStarted, worked = true, true
			} else if found, err := psHas(t, name); err != nil {
				return nil, err
			} else if found {
				isStarted, worked = true, true
				warn(call, "Used ps output to match service name and determine it is up, this is very unreliable")
			}
		}
	}
	if !worked {
		warn(call, "Unable to determine if service is up, assuming it is down")
	}

	result := module.Result{"name": name, "changed": false}
	enabledStatus := map[string]any{"changed": false, "rc": nil, "stdout": nil, "stderr": nil}
	status := map[string]any{"enabled": enabledStatus}
	result["status"] = status
	var o remotecmd.Output
	ran := false
	run := func(line string) error {
		var err error
		o, err = t.Sh(nil, line)
		ran = true
		return err
	}
	if a.Has("enabled") || len(runlevels) > 0 {
		want := a.Bool("enabled")
		if len(runlevels) > 0 {
			rls := make([]any, len(runlevels))
			for i, rl := range runlevels {
				rls[i] = rl
				if want != rlEnabled[rl] {
					result["changed"], enabledStatus["changed"] = true, true
				}
			}
			enabledStatus["runlevels"] = rls
			if !call.Check && result.Changed() {
				verb, flag := "disable", "off"
				if want {
					verb, flag = "enable", "on"
				}
				switch {
				case loc["update-rc.d"] != "":
					err = run(fmt.Sprintf("%s %s %s %s", loc["update-rc.d"], name, verb, strings.Join(runlevels, " ")))
				case loc["chkconfig"] != "":
					err = run(fmt.Sprintf("%s --level %s %s %s", loc["chkconfig"], strings.Join(runlevels, ""), name, flag))
				}
			}
		} else if want != enabledNow {
			result["changed"], enabledStatus["changed"] = true, true
			if !call.Check {
				switch {
				case loc["update-rc.d"] != "" && want:
					err = run(fmt.Sprintf("%s %s defaults", loc["update-rc.d"], name))
				case loc["update-rc.d"] != "":
					err = run(fmt.Sprintf("%s %s disable", loc["update-rc.d"], name))
				case loc["chkconfig"] != "":
					err = run(fmt.Sprintf("%s %s %s", loc["chkconfig"], name, map[bool]string{true: "on", false: "off"}[want]))
				}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if !call.Check && enabledStatus["changed"] == true {
		if ran {
			enabledStatus["rc"], enabledStatus["stdout"], enabledStatus["stderr"] = o.RC, o.Stdout, o.Stderr
		} else {
			enabledStatus["rc"], enabledStatus["stdout"], enabledStatus["stderr"] = 0, "", ""
		}
		if strings.Contains(fmt.Sprint(enabledStatus["stderr"]), "illegal runlevel specified") {
			return withFailure(result, "Illegal runlevel specified for enable operation on service "+name), nil
		}
	}

	stateKey := "null"
	if a.Has("state") {
		stateKey = a.String("state")
	}
	stateStatus := map[string]any{"changed": false, "rc": nil, "stdout": nil, "stderr": nil}
	status[stateKey] = stateStatus
	if !a.Has("state") {
		return result, nil
	}
	action := sysvActionRE.ReplaceAllString(strings.ToLower(a.String("state")), "")
	runme := func(doit string) (remotecmd.Output, module.Result, error) {
		cmd := script + " " + doit + " " + a.String("arguments")
		var o remotecmd.Output
		var err error
		if a.Bool("daemonize") {
			o, err = daemonized(t, cmd)
		} else {
			o, err = t.Sh(nil, cmd)
		}
		if err != nil || o.RC == 0 {
			return o, nil, err
		}
		return o, module.Result{"failed": true, "msg": fmt.Sprintf("Failed to %s service: %s", action, name), "rc": o.RC, "stdout": o.Stdout, "stderr": o.Stderr}, nil
	}
	var last remotecmd.Output
	switch {
	case action == "restart":
		result["changed"], stateStatus["changed"] = true, true
		if !call.Check {
			for _, doit := range []string{"stop", "start"} {
				o, fail, err := runme(doit)
				if err != nil || fail != nil {
					return fail, err
				}
				last = o
				if s := a.Int("sleep"); s > 0 {
					select {
					case <-ctx.Done():
						return nil, ctx.Err()
					case <-time.After(time.Duration(s) * time.Second):
					}
				}
			}
		}
	case isStarted != (action == "start"), isStarted == (action == "stop"):
		result["changed"], stateStatus["changed"] = true, true
		if !call.Check {
			o, fail, err := runme(action)
			if err != nil || fail != nil {
				return fail, err
			}
			last = o
		}
	}
	if !call.Check && stateStatus["changed"] == true {
		stateStatus["rc"], stateStatus["stdout"], stateStatus["stderr"] = last.RC, last.Stdout, last.Stderr
	}
	return result, nil
}

var sysvinitDoc = &module.Doc{
	Name:  "sysvinit",
	Names: []string{"ansible.builtin.sysvinit"},
	Short: "Manage SysV services.",
	Description: []string{
		"Controls services on target hosts that use the SysV init system.",
	},
	Options: []module.Option{
		{Name: "arguments", Aliases: []string{"args"}, Description: "Additional arguments provided on the command line that some init scripts accept."},
		{Name: "daemonize", Type: "bool", Default: false, Description: "Have the module daemonize as the service itself might not do so properly. This is useful with badly written init scripts or daemons, which commonly manifests as the task hanging as it is still holding the tty or the service dying when the task is over as the connection closes the session."},
		{Name: "enabled", Type: "bool", Description: "Whether the service should start on boot. B(At least one of state and enabled are required.)"},
		{Name: "name", Aliases: []string{"service"}, Required: true, Description: "Name of the service."},
		{Name: "pattern", Description: "A substring to look for as would be found in the output of the I(ps) command as a stand-in for a status result. If the string is found, the service will be assumed to be running. This option is mainly for use with init scripts that don't support the 'status' option."},
		{Name: "runlevels", Type: "list", Elements: "str", Description: "The runlevels this script should be enabled/disabled from. Use this to override the defaults set by the package or init script itself."},
		{Name: "sleep", Type: "int", Default: 1, Description: "If the service is being C(restarted) or C(reloaded) then sleep this many seconds between the stop and start command. This helps to workaround badly behaving services."},
		{Name: "state", Choices: []any{"started", "stopped", "restarted", "reloaded"}, Description: "C(started)/C(stopped) are idempotent actions that will not run commands unless necessary. Not all init scripts support C(restarted) nor C(reloaded) natively, so these will both trigger a stop and start as needed."},
	},
	Examples: `- name: Make sure apache2 is started
  ansible.builtin.sysvinit:
      name: apache2
      state: started
      enabled: yes

- name: Make sure apache2 is started on runlevels 3 and 5
  ansible.builtin.sysvinit:
      name: apache2
      state: started
      enabled: yes
      runlevels:
        - 3
        - 5`,
	Returns: []module.Return{
		{Name: "results", Description: "results from actions taken", Returned: "always", Type: "complex"},
	},
	Notes: []string{"One option other than name is required.", "The service names might vary by specific OS/distribution"},
	Check: module.Full,
	Diff:  module.None,
}

// warn shows msg after the task's result, as module.warn does.
func warn(call *module.Call, msg string) {
	if call.Warn != nil {
		call.Warn(msg)
	}
}
