package rhel

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// selinuxModule is ansible.posix.selinux: the SELinux mode and policy, in
// the running kernel (setenforce) and in the configuration file, and
// optionally on the kernel command line (grubby). Ansible's module uses
// libselinux from Python; gorun reads the same state with selinuxenabled,
// getenforce and the configuration files.
type selinuxModule struct{}

func init() { module.Register(selinuxModule{}) }

func (selinuxModule) Doc() *module.Doc { return selinuxDoc }

// selinuxState is what the module reads from the target in one round trip.
type selinuxState struct {
	runtimeEnabled bool
	// runtimeState is enforcing, permissive or disabled.
	runtimeState string
	// runtimePolicy is libselinux's selinux_getpolicytype: SELINUXTYPE of
	// /etc/selinux/config, "targeted" without one.
	runtimePolicy string
	// config is the configuration file's text, configExists whether it is a file.
	config       string
	configExists bool
}

// selinuxProbe prints selinuxenabled's status, getenforce's answer, the
// system configuration's SELINUXTYPE lines and the given file.
const selinuxProbe = `if selinuxenabled 2>/dev/null; then echo enabled; else echo disabled; fi
getenforce 2>/dev/null || echo Disabled
grep '^[[:space:]]*SELINUXTYPE[[:space:]]*=' /etc/selinux/config 2>/dev/null | tail -n 1; echo
if test -f "$1"; then echo y; cat "$1"; else echo n; fi`

func readSELinux(t *remotecmd.Target, configfile string) (*selinuxState, error) {
	o, err := t.Sh(nil, "sh -c "+shell.Quote(selinuxProbe)+" sh "+shell.Quote(configfile))
	if err != nil {
		return nil, err
	}
	parts := strings.SplitN(o.Stdout, "\n", 5)
	if len(parts) < 5 {
		return nil, fmt.Errorf("reading SELinux state: unexpected output %q %s", o.Stdout, o.Stderr)
	}
	s := &selinuxState{runtimeEnabled: parts[0] == "enabled", runtimeState: "disabled", runtimePolicy: "targeted"}
	if s.runtimeEnabled {
		s.runtimeState = "permissive"
		if strings.TrimSpace(parts[1]) == "Enforcing" {
			s.runtimeState = "enforcing"
		}
	}
	if _, v, ok := strings.Cut(parts[2], "="); ok && strings.TrimSpace(v) != "" {
		s.runtimePolicy = strings.TrimSpace(v)
	}
	// parts[3] is the empty line after the policy line.
	s.configExists = parts[4] != "" && parts[4][0] == 'y'
	if s.configExists {
		s.config = strings.TrimPrefix(parts[4], "y\n")
	}
	return s, nil
}

var (
	selinuxLineRE     = regexp.MustCompile(`^SELINUX=.*$`)
	selinuxTypeLineRE = regexp.MustCompile(`^SELINUXTYPE=.*$`)
)

// configValue is get_config_state and get_config_policy: the value of the
// first line the pattern matches, or "" (Python's None) without one.
func configValue(text string, re *regexp.Regexp) (string, bool) {
	for _, line := range pytext.SplitLines(text) {
		if re.MatchString(line) {
			return strings.TrimSpace(strings.Split(line, "=")[1]), true
		}
	}
	return "", false
}

// setConfigLine is set_config_state and set_config_policy: every matching
// line replaced by key=value, or the line appended when none matches; each
// line ends in a newline.
func setConfigLine(text string, re *regexp.Regexp, key, value string) string {
	var b strings.Builder
	found := false
	for _, line := range pytext.SplitLines(text) {
		if re.MatchString(line) {
			found = true
			line = key + "=" + value
		}
		b.WriteString(line + "\n")
	}
	if !found {
		b.WriteString(key + "=" + value + "\n")
	}
	return b.String()
}

// pyNone is how Python's "%s" shows a value that is None.
func pyNone(s string, ok bool) string {
	if !ok {
		return "None"
	}
	return s
}

func (selinuxModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	if a.Bool("update_kernel_param") {
		return module.Failed("gorun's selinux module does not support update_kernel_param (grubby) yet"), nil
	}
	configfile, policy, state := a.String("configfile"), a.String("policy"), a.String("state")
	t := remotecmd.New(ctx, call)
	cur, err := readSELinux(t, configfile)
	if err != nil {
		return nil, err
	}
	if !cur.configExists {
		return module.Result{"failed": true, "msg": "Unable to find file " + configfile,
			"details": "Please install SELinux-policy package, if this package is not installed previously."}, nil
	}
	configPolicy, hasPolicy := configValue(cur.config, selinuxTypeLineRE)
	configState, hasState := configValue(cur.config, selinuxLineRE)
	policyKnown := policy != ""
	if state != "disabled" {
		if policy == "" {
			return module.Failed("Policy is required if state is not 'disabled'"), nil
		}
	} else if policy == "" {
		policy, policyKnown = configPolicy, hasPolicy
	}

	var msgs []string
	changed, rebootRequired := false, false
	text := cur.config
	if !policyKnown || policy != cur.runtimePolicy {
		if call.Check {
			return module.Result{"changed": true}, nil
		}
		msgs = append(msgs, fmt.Sprintf("Running SELinux policy changed from '%s' to '%s'", cur.runtimePolicy, pyNone(policy, policyKnown)))
		changed = true
	}
	if policyKnown != hasPolicy || policy != configPolicy {
		if call.Check {
			return module.Result{"changed": true}, nil
		}
		o, err := t.Run(nil, "test", "-e", "/etc/selinux/"+policy+"/policy")
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Failed(fmt.Sprintf("Policy %s does not exist in /etc/selinux/", policy)), nil
		}
		text = setConfigLine(text, selinuxTypeLineRE, "SELINUXTYPE", policy)
		if err := writeConfig(ctx, t, configfile, text); err != nil {
			return module.Failed(err.Error()), nil
		}
		msgs = append(msgs, fmt.Sprintf("SELinux policy configuration in '%s' changed from '%s' to '%s'", configfile, pyNone(configPolicy, hasPolicy), policy))
		changed = true
	}
	if state != cur.runtimeState {
		switch {
		case !cur.runtimeEnabled:
			call.Warn(fmt.Sprintf("Reboot is required to set SELinux state to '%s'", state))
			rebootRequired = true
		case state == "disabled":
			if cur.runtimeState != "permissive" {
				if !call.Check {
					if fail, err := setenforce(t, "permissive"); fail != nil || err != nil {
						return fail, err
					}
				}
				call.Warn(fmt.Sprintf("SELinux state temporarily changed from '%s' to 'permissive'. State change will take effect next reboot.", cur.runtimeState))
				changed = true
			} else {
				call.Warn("SELinux state change will take effect next reboot")
			}
			rebootRequired = true
		default:
			if !call.Check {
				if fail, err := setenforce(t, state); fail != nil || err != nil {
					return fail, err
				}
			}
			msgs = append(msgs, fmt.Sprintf("SELinux state changed from '%s' to '%s'", cur.runtimeState, state))
			changed = true
		}
	}
	if !hasState || state != configState {
		if !call.Check {
			text = setConfigLine(text, selinuxLineRE, "SELINUX", state)
			if err := writeConfig(ctx, t, configfile, text); err != nil {
				return module.Failed(err.Error()), nil
			}
		}
		msgs = append(msgs, fmt.Sprintf("Config SELinux state changed from '%s' to '%s'", pyNone(configState, hasState), state))
		changed = true
	}
	var policyOut any = policy
	if !policyKnown {
		policyOut = nil
	}
	return module.Result{"changed": changed, "msg": strings.Join(msgs, ", "), "configfile": configfile,
		"policy": policyOut, "state": state, "reboot_required": rebootRequired}, nil
}

// setenforce is set_state: the running mode through setenforce.
func setenforce(t *remotecmd.Target, state string) (module.Result, error) {
	mode := map[string]string{"enforcing": "1", "permissive": "0"}[state]
	o, err := t.Run(nil, "setenforce", mode)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return remotecmd.FailRun("setenforce "+mode+" failed: "+strings.TrimSpace(o.Stderr), o), nil
	}
	return nil, nil
}

// writeConfig replaces the configuration file atomically, keeping its
// owner and mode as Ansible's atomic_move does.
func writeConfig(ctx context.Context, t *remotecmd.Target, path, text string) error {
	script := `set -e
d=$(dirname -- "$1"); tmp=$(mktemp -- "$d/.gorun_tmp.XXXXXXXX")
cat > "$tmp"
chmod --reference="$1" -- "$tmp"; chown --reference="$1" -- "$tmp" 2>/dev/null || true
mv -f -- "$tmp" "$1"`
	o, err := t.ShIn("sh -c "+shell.Quote(script)+" sh "+shell.Quote(path), []byte(text))
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return fmt.Errorf("writing %s: %s", path, strings.TrimSpace(o.Stderr))
	}
	return nil
}

var selinuxDoc = &module.Doc{
	Name:  "selinux",
	Names: []string{"ansible.posix.selinux"},
	Short: "Change policy and state of SELinux",
	Description: []string{
		"Configures the SELinux mode and policy.",
		"A reboot may be required after usage.",
		"Ansible will not issue this reboot but will let you know when it is required.",
		"gorun reads the running state with selinuxenabled and getenforce and changes it with setenforce; update_kernel_param (grubby) is not supported yet and fails.",
	},
	Options: []module.Option{
		{Name: "configfile", Aliases: []string{"conf", "file"}, Default: "/etc/selinux/config", Description: "The path to the SELinux configuration file, if non-standard."},
		{Name: "policy", Description: "The name of the SELinux policy to use (e.g. C(targeted)) will be required if I(state) is not C(disabled)."},
		{Name: "state", Required: true, Choices: []any{"disabled", "enforcing", "permissive"}, Description: "The SELinux mode."},
		{Name: "update_kernel_param", Type: "bool", Default: false, Description: "If set to I(true), will update also the kernel boot parameters when disabling/enabling SELinux. The C(grubby) tool must be present on the target system for this to work."},
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Enable SELinux
  ansible.posix.selinux:
    policy: targeted
    state: enforcing

- name: Put SELinux in permissive mode, logging actions that would be blocked.
  ansible.posix.selinux:
    policy: targeted
    state: permissive

- name: Disable SELinux
  ansible.posix.selinux:
    state: disabled`,
	Returns: []module.Return{
		{Name: "configfile", Description: "Path to SELinux configuration file.", Returned: "always", Type: "str", Sample: "/etc/selinux/config"},
		{Name: "msg", Description: "Messages that describe changes that were made.", Returned: "always", Type: "str", Sample: "Config SELinux state changed from 'disabled' to 'permissive'"},
		{Name: "policy", Description: "Name of the SELinux policy.", Returned: "always", Type: "str", Sample: "targeted"},
		{Name: "reboot_required", Description: "Whether or not an reboot is required for the changes to take effect.", Returned: "always", Type: "bool", Sample: true},
		{Name: "state", Description: "SELinux mode.", Returned: "always", Type: "str", Sample: "enforcing"},
	},
}
