package rhel

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotecmd"
)

// fwSetting is one kind of zone setting (a transaction of Ansible's
// module) with its value and the messages it adds when it changes.
type fwSetting struct {
	// stem names the firewall-cmd options: --query-STEM, --add-STEM,
	// --remove-STEM; "zone" and "target" have options of their own.
	stem, value string
	// state is the wanted state: enabled or disabled, or present or absent
	// for zones and targets.
	state string
	// timed settings take the timeout of an immediate add.
	timed bool
	// permanentOnly settings (zones and zone targets) fail on immediate operations.
	permanentOnly bool
	// changedMsg is the message main() adds ("Changed service http to enabled").
	changedMsg string
	// enabledMsg and disabledMsg are the transaction's own messages.
	enabledMsg, disabledMsg string
}

// wantEnabled reports whether the setting is to be on: state enabled, or
// present for zones and targets (absent resets a target to default).
func (s *fwSetting) wantEnabled() bool {
	return s.state == "enabled" || s.state == "present" && s.permanentOnly
}

// fillMessages sets the transaction messages, which name the zone.
func (s *fwSetting) fillMessages(zone string) {
	switch s.stem {
	case "source":
		s.enabledMsg, s.disabledMsg = fmt.Sprintf("Added %s to zone %s", s.value, zone), fmt.Sprintf("Removed %s from zone %s", s.value, zone)
	case "interface":
		s.enabledMsg, s.disabledMsg = fmt.Sprintf("Changed %s to zone %s", s.value, zone), fmt.Sprintf("Removed %s from zone %s", s.value, zone)
	case "masquerade":
		s.enabledMsg, s.disabledMsg = "Added masquerade to zone "+zone, "Removed masquerade from zone "+zone
	case "target":
		s.enabledMsg, s.disabledMsg = fmt.Sprintf("Set zone %s target to %s", zone, s.value), fmt.Sprintf("Reset zone %s target to default", zone)
	case "zone":
		s.enabledMsg, s.disabledMsg = "Added zone "+zone, "Removed zone "+zone
		s.changedMsg = fmt.Sprintf("Changed zone %s to %s", zone, s.state)
	}
}

// fwRunner runs firewall-cmd (online) or firewall-offline-cmd (offline) on the target.
type fwRunner struct {
	t       *remotecmd.Target
	offline bool
	cmd     string
}

// fwProbe prints "online PATH" when firewalld runs (it needs the system
// bus, so without its socket firewall-cmd is not even asked), else
// "offline PATH" when firewall-offline-cmd is there, else "none".
const fwProbe = `PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin"
if [ -S /run/dbus/system_bus_socket ] && p=$(command -v firewall-cmd) && "$p" --state >/dev/null 2>&1; then echo "online $p"
elif p=$(command -v firewall-offline-cmd); then echo "offline $p"
else echo none; fi`

// newFwRunner finds out in one round trip whether firewalld runs; without
// the daemon it works offline with firewall-offline-cmd.
func newFwRunner(t *remotecmd.Target) (*fwRunner, module.Result, error) {
	o, err := t.Sh(nil, fwProbe)
	if err != nil {
		return nil, nil, err
	}
	mode, path, _ := strings.Cut(strings.TrimSpace(o.Stdout), " ")
	switch mode {
	case "online":
		return &fwRunner{t: t, cmd: path}, nil, nil
	case "offline":
		return &fwRunner{t: t, offline: true, cmd: path}, nil, nil
	}
	return nil, module.Failed("gorun's firewalld module needs firewall-cmd with a running firewalld, or firewall-offline-cmd (package firewalld), on the target"), nil
}

// argv is a firewall command line: firewall-cmd with --permanent for the
// permanent configuration; firewall-offline-cmd only has that one.
func (r *fwRunner) argv(permanent bool, args ...string) []string {
	argv := []string{r.cmd}
	if permanent && !r.offline {
		argv = append(argv, "--permanent")
	}
	return append(argv, args...)
}

// queryArgs is the command line that asks whether s is on in zone.
func (r *fwRunner) queryArgs(zone string, s *fwSetting, permanent bool) []string {
	switch s.stem {
	case "zone":
		return r.argv(true, "--get-zones")
	case "target":
		return r.argv(true, "--zone="+zone, "--get-target")
	case "icmp-block-inversion", "masquerade":
		return r.argv(permanent, "--zone="+zone, "--query-"+s.stem)
	}
	return r.argv(permanent, "--zone="+zone, "--query-"+s.stem+"="+s.value)
}

// setArgs is the command line that turns s on (enable) or off in zone.
func (r *fwRunner) setArgs(zone string, s *fwSetting, permanent, enable bool, timeout int) []string {
	switch s.stem {
	case "zone":
		if enable {
			return r.argv(true, "--new-zone="+zone)
		}
		return r.argv(true, "--delete-zone="+zone)
	case "target":
		if enable {
			return r.argv(true, "--zone="+zone, "--set-target="+s.value)
		}
		return r.argv(true, "--zone="+zone, "--set-target=default")
	case "interface":
		// Adding an interface moves it out of the zone it was in, as Ansible does.
		if enable {
			return r.argv(permanent, "--zone="+zone, "--change-interface="+s.value)
		}
		return r.argv(permanent, "--zone="+zone, "--remove-interface="+s.value)
	}
	op := "--remove-" + s.stem
	if r.offline && s.stem == "service" {
		// firewall-offline-cmd's --remove-service is lokkit's (default zone only).
		op = "--remove-service-from-zone"
	}
	if enable {
		op = "--add-" + s.stem
	}
	if s.value != "" {
		op += "=" + s.value
	}
	argv := r.argv(permanent, "--zone="+zone, op)
	if enable && !permanent && s.timed && timeout > 0 {
		argv = append(argv, "--timeout="+strconv.Itoa(timeout))
	}
	return argv
}

// targetName is a zone target as Ansible's settings hold it: firewall-cmd
// prints REJECT for the %%REJECT%% target.
func targetName(printed string) string {
	if printed == "REJECT" {
		return "%%REJECT%%"
	}
	return printed
}

// call runs argv and returns its trimmed stdout and exit status; an exit
// status other than 0 and okCodes is a *fwError with the tool's message.
func (r *fwRunner) call(argv []string, okCodes ...int) (string, int, error) {
	o, err := r.t.Run(nil, argv...)
	if err != nil {
		return "", 0, err
	}
	ok := o.RC == 0
	for _, c := range okCodes {
		ok = ok || o.RC == c
	}
	if !ok {
		text := strings.TrimPrefix(strings.TrimSpace(o.Stderr+o.Stdout), "Error: ")
		if !r.offline && firewalldErrorRE.MatchString(text) {
			// Ansible's module gets firewalld's errors as D-Bus exceptions.
			text = "org.fedoraproject.FirewallD1.Exception: " + text
		}
		return "", o.RC, &fwError{text}
	}
	return strings.TrimSpace(o.Stdout), o.RC, nil
}

// firewalldErrorRE is firewalld's error text: a code such as INVALID_SERVICE and a colon.
var firewalldErrorRE = regexp.MustCompile(`^[A-Z_]+: `)

// fwError is a failed firewall operation, with the tool's message.
type fwError struct{ text string }

func (e *fwError) Error() string { return e.text }
