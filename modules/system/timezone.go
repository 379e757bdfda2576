package system

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/engine/value"
	"gorun/modules/internal/remotecmd"
)

// timezoneModule is community.general.timezone for Linux: timedatectl where
// it works, else the files (/etc/timezone and /etc/localtime with
// dpkg-reconfigure on Debian, /etc/sysconfig/clock elsewhere) and hwclock,
// as the Python module's SystemdTimezone and NosystemdTimezone do.
type timezoneModule struct{}

func init() { module.Register(timezoneModule{}) }

func (timezoneModule) Doc() *module.Doc { return timezoneDoc }

// tzAbort is Timezone.abort.
type tzAbort struct{ msg string }

func (a *tzAbort) Error() string { return a.msg }

// tzRun is one timezone task.
type tzRun struct {
	t        *target
	msgs     []string
	systemd  string // timedatectl's path when it works
	status   map[string]string
	nameFile string         // /etc/timezone or /etc/sysconfig/clock
	nameRE   *regexp.Regexp // the zone in nameFile
	tzLine   string         // format of nameFile's zone line
	hwFile   string         // where UTC=yes|no goes ("" for none)
	updateTZ []string       // commands run after nameFile is written
	hwclock  string
}

var (
	tzSystemdRE = map[string]*regexp.Regexp{
		"hwclock": regexp.MustCompile(`(?m)^\s*RTC in local TZ\s*:\s*(\S+)`),
		"name":    regexp.MustCompile(`(?m)^\s*Time ?zone\s*:\s*(\S+)`),
	}
	tzHwclockRE = regexp.MustCompile(`(?m)^UTC\s*=\s*(\S+)`)
	tzAdjtimeRE = regexp.MustCompile(`(?m)^(UTC|LOCAL)$`)
	tzLinkRE    = regexp.MustCompile(`(?:/(?:usr/share|etc)/zoneinfo/)(.*)`)
)

func (r *tzRun) abort(msg string) error {
	text := "Error message:\n" + msg
	if len(r.msgs) > 0 {
		text += "\nOther message(s):\n" + strings.Join(r.msgs, "\n")
	}
	return &tzAbort{text}
}

// execute is Timezone.execute: a command that must succeed.
func (r *tzRun) execute(log bool, cmd string) (string, error) {
	o, err := r.t.Sh(nil, cmd)
	if err != nil {
		return "", err
	}
	if o.RC != 0 {
		return "", remotecmd.CommandFailed(cmd, o)
	}
	if log {
		r.msgs = append(r.msgs, "executed `"+cmd+"`")
	}
	return o.Stdout, nil
}

// need is get_bin_path(name, required=True).
func (r *tzRun) need(name string) (string, error) {
	p, err := r.t.Which(name)
	if err == nil && p == "" {
		err = &remotecmd.Exit{Result: module.Failed(fmt.Sprintf("Failed to find required executable \"%s\" in paths: %s", name, "/sbin:/usr/sbin:/usr/local/sbin"))}
	}
	return p, err
}

// setup is the platform choice of Timezone.__new__ and the subclasses' __init__.
func (r *tzRun) setup(name string) error {
	if p, err := r.t.Which("timedatectl"); err != nil {
		return err
	} else if p != "" {
		if o, err := r.t.Run(nil, p); err != nil {
			return err
		} else if o.RC == 0 {
			r.systemd, r.status = p, map[string]string{}
			if name != "" {
				return r.verify(name)
			}
			return nil
		}
	}
	tzfile := ""
	if name != "" {
		if err := r.verify(name); err != nil {
			return err
		}
		tzfile = "/usr/share/zoneinfo/" + name
		cp, err := r.need("cp")
		if err != nil {
			return err
		}
		r.updateTZ = []string{cp + " --remove-destination " + tzfile + " /etc/localtime"}
	}
	var err error
	if r.hwclock, err = r.need("hwclock"); err != nil {
		return err
	}
	r.nameFile, r.nameRE, r.tzLine = "/etc/timezone", regexp.MustCompile(`(?m)^(\S+)`), "%s\n"
	reconfigure, err := r.t.Which("dpkg-reconfigure")
	if err != nil {
		return err
	}
	if reconfigure != "" {
		if name != "" {
			ln, err := r.need("ln")
			if err != nil {
				return err
			}
			r.updateTZ = []string{ln + " -sf " + tzfile + " /etc/localtime", reconfigure + " --frontend noninteractive tzdata"}
		}
		r.hwFile = "/etc/default/rcS"
		return nil
	}
	if o, err := r.t.Sh(nil, "test -e /etc/alpine-release || test -e /etc/gentoo-release"); err != nil {
		return err
	} else if o.RC == 0 {
		return &remotecmd.Exit{Result: module.Failed("gorun's timezone module does not support Alpine or Gentoo without systemd yet")}
	}
	if tzu, err := r.t.Which("tzdata-update"); err != nil {
		return err
	} else if tzu != "" {
		if o, _ := r.t.Sh(nil, "test -L /etc/localtime"); o.RC != 0 {
			r.updateTZ = []string{tzu}
		}
	}
	r.nameFile, r.hwFile = "/etc/sysconfig/clock", "/etc/sysconfig/clock"
	clock, exists, err := r.t.readFile(r.nameFile)
	if err != nil {
		return err
	}
	suse := regexp.MustCompile(`(?m)^TIMEZONE\s*=`).MatchString(clock)
	if !exists {
		o, _ := r.t.Sh(nil, "grep -qi suse /etc/os-release")
		suse = o.RC == 0
	}
	if suse {
		r.nameRE, r.tzLine = regexp.MustCompile(`(?m)^TIMEZONE\s*=\s*"?([^"\s]+)"?`), "TIMEZONE=\"%s\"\n"
	} else {
		r.nameRE, r.tzLine = regexp.MustCompile(`(?m)^ZONE\s*=\s*"?([^"\s]+)"?`), "ZONE=\"%s\"\n"
	}
	return nil
}

// verify is _verify_timezone.
func (r *tzRun) verify(name string) error {
	o, err := r.t.Sh(nil, "test -f "+shell.Quote("/usr/share/zoneinfo/"+name))
	if err == nil && o.RC != 0 {
		err = r.abort(fmt.Sprintf("given timezone \"%s\" is not available", name))
	}
	return err
}

// get is the subclasses' get: the setting's current value.
func (r *tzRun) get(key, planned, phase string) (string, error) {
	if r.systemd != "" {
		status, ok := r.status[phase]
		if !ok {
			s, err := r.execute(false, r.systemd+" status")
			if err != nil {
				return "", err
			}
			status, r.status[phase] = s, s
		}
		m := tzSystemdRE[key].FindStringSubmatch(status)
		if m == nil {
			return "", fmt.Errorf("timedatectl status: no %s in %q", key, status)
		}
		if key == "hwclock" {
			if value.Bool(m[1]) {
				return "local", nil
			}
			return "UTC", nil
		}
		return m[1], nil
	}
	value, err := r.fromConfig(key, phase)
	if err != nil || value != planned {
		return value, err
	}
	if key == "hwclock" {
		return r.fromConfig("adjtime", phase)
	}
	o, err := r.t.Sh(nil, `if test -L /etc/localtime; then if test -e /etc/localtime; then echo link; readlink /etc/localtime; else echo broken; fi
elif cmp -s /etc/localtime `+shell.Quote("/usr/share/zoneinfo/"+planned)+`; then echo same; else echo differs; fi`)
	if err != nil {
		return "", err
	}
	kind, target, _ := strings.Cut(strings.TrimSpace(o.Stdout), "\n")
	switch kind {
	case "link":
		if m := tzLinkRE.FindStringSubmatch(target); m == nil {
			return "n/a", nil
		} else if m[1] != planned {
			return m[1], nil
		}
	case "broken", "differs":
		return "n/a", nil
	}
	return value, nil
}

// fromConfig is _get_value_from_config.
func (r *tzRun) fromConfig(key, phase string) (string, error) {
	file, re := r.nameFile, r.nameRE
	switch key {
	case "hwclock":
		file, re = r.hwFile, tzHwclockRE
	case "adjtime":
		file, re = "/etc/adjtime", tzAdjtimeRE
	}
	missing := map[string]string{"hwclock": "n/a", "adjtime": "UTC", "name": "n/a"}[key]
	if file == "" {
		return missing, nil
	}
	content, exists, err := r.t.readFile(file)
	if err != nil || !exists {
		return missing, err
	}
	m := re.FindStringSubmatch(content)
	if m == nil {
		if key == "name" && phase != "before" {
			return "", r.abort(fmt.Sprintf("tried to configure %s using a file \"%s\", but could not find a valid value in it", key, file))
		}
		return missing, nil
	}
	switch key {
	case "hwclock":
		if value.Bool(m[1]) {
			return "UTC", nil
		}
		return "local", nil
	case "adjtime":
		if m[1] != "UTC" {
			return strings.ToLower(m[1]), nil
		}
	}
	return m[1], nil
}

// editFile is _edit_file: the first line matching re becomes value, the
// other matching lines go.
func (r *tzRun) editFile(file string, re *regexp.Regexp, value, key string) error {
	content, _, err := r.t.readFile(file)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(content, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var kept []string
	insert, matched := -1, 0
	for _, l := range lines {
		if re.MatchString(l) {
			if insert < 0 {
				insert = len(kept)
			}
			matched++
			continue
		}
		kept = append(kept, l)
	}
	if insert < 0 {
		insert = 0
	}
	kept = append(kept[:insert], append([]string{value}, kept[insert:]...)...)
	if err := r.t.writeFile(file, strings.Join(kept, ""), "0644"); err != nil {
		return r.abort(fmt.Sprintf("tried to configure %s using a file \"%s\", but could not write to it", key, file))
	}
	r.msgs = append(r.msgs, fmt.Sprintf("Added 1 line and deleted %d line(s) on %s", matched, file))
	return nil
}

// set is the subclasses' set.
func (r *tzRun) set(key, value string) error {
	if r.systemd != "" {
		if key == "hwclock" {
			value = map[bool]string{true: "yes", false: "no"}[value == "local"]
			_, err := r.execute(true, r.systemd+" set-local-rtc "+value)
			return err
		}
		_, err := r.execute(true, r.systemd+" set-timezone "+value)
		return err
	}
	if key == "name" {
		if err := r.editFile(r.nameFile, r.nameRE, fmt.Sprintf(r.tzLine, value), "name"); err != nil {
			return err
		}
		for _, cmd := range r.updateTZ {
			if _, err := r.execute(false, cmd); err != nil {
				return err
			}
		}
		return nil
	}
	option, utc := "--utc", "yes"
	if value == "local" {
		option, utc = "--localtime", "no"
	}
	if r.hwFile != "" {
		if err := r.editFile(r.hwFile, tzHwclockRE, "UTC="+utc+"\n", "hwclock"); err != nil {
			return err
		}
	}
	_, err := r.execute(true, r.hwclock+" --systohc "+option)
	return err
}

func (timezoneModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	r := &tzRun{t: newTarget(ctx, call)}
	res, err := r.run(call)
	var a *tzAbort
	var f *remotecmd.Exit
	switch {
	case errors.As(err, &a):
		return module.Failed(a.msg), nil
	case errors.As(err, &f):
		return f.Result, nil
	}
	return res, err
}

func (r *tzRun) run(call *module.Call) (module.Result, error) {
	var keys []string
	planned := map[string]string{}
	for _, k := range []string{"hwclock", "name"} {
		if call.Args.Has(k) {
			keys = append(keys, k)
			planned[k] = call.Args.String(k)
		}
	}
	if err := r.setup(planned["name"]); err != nil {
		return nil, err
	}
	check := func(phase string) (map[string]any, error) {
		values := map[string]any{}
		for _, k := range keys {
			v, err := r.get(k, planned[k], phase)
			if err != nil {
				return nil, err
			}
			values[k] = v
		}
		return values, nil
	}
	before, err := check("before")
	if err != nil {
		return nil, err
	}
	after := map[string]any{}
	for k, v := range planned {
		after[k] = v
	}
	if !call.Check {
		for _, k := range keys {
			if before[k] != planned[k] {
				if err := r.set(k, planned[k]); err != nil {
					return nil, err
				}
			}
		}
		if after, err = check("after"); err != nil {
			return nil, err
		}
		for _, k := range keys {
			if after[k] != planned[k] {
				return nil, r.abort(fmt.Sprintf("still not desired state, though changes have made - planned: %s, after: %s", pyDictRepr(keys, planned), pyDictRepr(keys, after)))
			}
		}
	}
	changed := false
	for _, k := range keys {
		changed = changed || before[k] != after[k]
	}
	res := module.Result{"changed": changed, "diff": map[string]any{"before": before, "after": after}}
	if len(r.msgs) > 0 {
		res["msg"] = strings.Join(r.msgs, "\n")
	}
	return res, nil
}

// pyDictRepr is str() of a Python dict of strings.
func pyDictRepr[V any](keys []string, m map[string]V) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("'%s': '%v'", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

var timezoneDoc = &module.Doc{
	Name:  "timezone",
	Names: []string{"community.general.timezone"},
	Short: "Configure timezone setting",
	Description: []string{
		"This module configures the timezone setting, both of the system clock and of the hardware clock. If you want to set up the NTP, use M(ansible.builtin.service) module.",
		"It is recommended to restart C(crond) after changing the timezone, otherwise the jobs may run at the wrong time.",
		"Several different tools are used depending on the OS/Distribution involved. For Linux it can use C(timedatectl) or edit C(/etc/sysconfig/clock) or C(/etc/timezone) and C(hwclock). On SmartOS, C(sm-set-timezone), for macOS, C(systemsetup), for BSD, C(/etc/localtime) is modified. On AIX, C(chtz) is used.",
		"Make sure that the zoneinfo files are installed with the appropriate OS package, like C(tzdata) (usually always installed, when not using a minimal installation like Alpine Linux).",
		"As of Ansible 2.3 support was added for SmartOS and BSDs.",
		"As of Ansible 2.4 support was added for macOS.",
		"As of Ansible 2.9 support was added for AIX 6.1+",
		"Windows and HPUX are not supported, please let us know if you find any other OS/distro in which this fails.",
	},
	Options: []module.Option{
		{Name: "hwclock", Aliases: []string{"rtc"}, Choices: []any{"local", "UTC"}, Description: "Whether the hardware clock is in UTC or in local timezone. Default is to keep current setting. Note that this option is recommended not to change and may fail to configure, especially on virtual environments such as AWS. B(At least one of name and hwclock are required.) I(Only used on Linux.)"},
		{Name: "name", Description: "Name of the timezone for the system clock. Default is to keep current setting. B(At least one of name and hwclock are required.)"},
	},
	Examples: `- name: Set timezone to Asia/Tokyo
  community.general.timezone:
    name: Asia/Tokyo`,
	Returns: []module.Return{
		{Name: "diff", Description: "The differences about the given arguments.", Returned: "success", Type: "complex"},
	},
	Notes: []string{"On SmartOS the C(sm-set-timezone) utility (part of the smtools package) is required to set the zone timezone", "On AIX only Olson/tz database timezones are useable (POSIX is not supported). - An OS reboot is also required on AIX for the new timezone setting to take effect."},
	Check: module.Full,
	Diff:  module.Full,
}
