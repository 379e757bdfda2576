package system

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
)

// hostnameModule is ansible.builtin.hostname with the strategies Linux hosts
// use: systemd's hostnamectl when systemd runs (or use: systemd/debian), and
// on Debian without systemd the file strategy, which, like Ansible's, only
// rewrites /etc/hostname.
type hostnameModule struct{}

func init() { module.Register(hostnameModule{}) }

func (hostnameModule) Doc() *module.Doc { return hostnameDoc }

// hostnameStrategy reads and sets the current and permanent host names.
type hostnameStrategy interface {
	current() (string, error)
	setCurrent(name string) error
	permanent() (string, error)
	setPermanent(name string) error
	// permanentFirst orders the updates (systemd sets the permanent name first).
	permanentFirst() bool
}

// fileStrategy is FileStrategy: /etc/hostname is both names; the running
// host name is left alone.
type fileStrategy struct{ t *target }

func (s fileStrategy) permanent() (string, error) {
	content, _, err := s.t.readFile("/etc/hostname")
	return strings.TrimSpace(content), err
}
func (s fileStrategy) current() (string, error) { return s.permanent() }
func (s fileStrategy) setCurrent(string) error  { return nil }
func (s fileStrategy) permanentFirst() bool     { return false }
func (s fileStrategy) setPermanent(name string) error {
	o, err := s.t.ShIn("cat > /etc/hostname", []byte(name+"\n"))
	if err == nil && o.RC != 0 {
		err = fmt.Errorf("failed to update hostname: %s", strings.TrimSpace(o.Stderr))
	}
	return err
}

// systemdStrategy is SystemdStrategy: hostnamectl.
type systemdStrategy struct{ t *target }

func (s systemdStrategy) ctl(args ...string) (string, error) {
	o, err := s.t.Run(nil, append([]string{"hostnamectl"}, args...)...)
	if err != nil {
		return "", err
	}
	if o.RC != 0 {
		return "", fmt.Errorf("Command failed rc=%d, out=%s, err=%s", o.RC, o.Stdout, o.Stderr)
	}
	return strings.TrimSpace(o.Stdout), nil
}
func (s systemdStrategy) current() (string, error)   { return s.ctl("--transient", "status") }
func (s systemdStrategy) permanent() (string, error) { return s.ctl("--static", "status") }
func (s systemdStrategy) permanentFirst() bool       { return true }
func (s systemdStrategy) setCurrent(name string) error {
	if len(name) > 64 {
		return fmt.Errorf("name cannot be longer than 64 characters on systemd servers, try a shorter name")
	}
	_, err := s.ctl("--transient", "set-hostname", name)
	return err
}
func (s systemdStrategy) setPermanent(name string) error {
	if len(name) > 64 {
		return fmt.Errorf("name cannot be longer than 64 characters on systemd servers, try a shorter name")
	}
	_, err := s.ctl("--pretty", "--static", "set-hostname", name)
	return err
}

func (hostnameModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	name, use := call.Args.String("name"), call.Args.String("use")
	var s hostnameStrategy
	switch use {
	case "systemd", "debian":
		s = systemdStrategy{t}
	case "":
		running, err := systemdRunning(t)
		if err != nil {
			return nil, err
		}
		debian, err := t.Exists("/etc/debian_version")
		if err != nil {
			return nil, err
		}
		switch {
		case running:
			s = systemdStrategy{t}
		case debian:
			s = fileStrategy{t}
		default:
			return module.Failed("gorun's hostname module knows only systemd hosts and Debian without systemd yet; set use: systemd if hostnamectl works here"), nil
		}
	default:
		return module.Failed(fmt.Sprintf("gorun's hostname module does not support use: %s yet", use)), nil
	}
	fail := func(err error) (module.Result, error) { return module.Failed(err.Error()), nil }
	cur, err := s.current()
	if err != nil {
		return fail(err)
	}
	perm, err := s.permanent()
	if err != nil {
		return fail(err)
	}
	changed := false
	updates := []func() error{
		func() error {
			if cur == name {
				return nil
			}
			changed = true
			if call.Check {
				return nil
			}
			return s.setCurrent(name)
		},
		func() error {
			// The permanent name is read again, as update_permanent_hostname does.
			p, err := s.permanent()
			if err != nil || p == name {
				return err
			}
			changed = true
			if call.Check {
				return nil
			}
			return s.setPermanent(name)
		},
	}
	if s.permanentFirst() {
		updates[0], updates[1] = updates[1], updates[0]
	}
	for _, u := range updates {
		if err := u(); err != nil {
			return fail(err)
		}
	}
	before := perm
	if name != cur {
		before = cur
	}
	fq, err := t.Sh(nil, "hostname -f 2>/dev/null || hostname")
	if err != nil {
		return nil, err
	}
	fqdn := strings.TrimSpace(fq.Stdout)
	domain := ""
	if _, d, ok := strings.Cut(fqdn, "."); ok {
		domain = d
	}
	res := module.Result{"changed": changed, "name": name, "ansible_facts": map[string]any{
		"ansible_hostname": strings.Split(name, ".")[0], "ansible_nodename": name,
		"ansible_fqdn": fqdn, "ansible_domain": domain,
	}}
	if changed {
		res["diff"] = map[string]any{"after": "hostname = " + name + "\n", "before": "hostname = " + before + "\n"}
	}
	return res, nil
}

var hostnameDoc = &module.Doc{
	Name:  "hostname",
	Names: []string{"ansible.builtin.hostname"},
	Short: "Manage hostname",
	Description: []string{
		"Set system's hostname. Supports most OSs/Distributions including those using systemd.",
		"Windows, HP-UX, and AIX are not currently supported.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Description: "Name of the host. If the value is a fully qualified domain name that does not resolve from the given host, this will cause the module to hang for a few seconds while waiting for the name resolution attempt to timeout."},
		{Name: "use", Choices: []any{"alpine", "debian", "freebsd", "generic", "macos", "macosx", "darwin", "openbsd", "openrc", "redhat", "sles", "solaris", "systemd"}, Description: "Which strategy to use to update the hostname. If not set we try to autodetect, but this can be problematic, particularly with containers as they can present misleading information. Note that 'systemd' should be specified for RHEL/EL/CentOS 7+. Older distributions should use 'redhat'."},
	},
	Notes: []string{"Strategies: systemd (hostnamectl) and Debian's file strategy; other use: values are an error."},
	Check: module.Full,
	Diff:  module.Full,
	Examples: `- name: Set a hostname
  ansible.builtin.hostname:
    name: web01

- name: Set a hostname specifying strategy
  ansible.builtin.hostname:
    name: web01
    use: systemd`,
}
