package rhel

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotecmd"
)

// firewalldModule is ansible.posix.firewalld: one setting of a firewalld
// zone, in the running firewall (immediate) and/or its configuration on disk
// (permanent). Ansible's module talks to firewalld through its Python
// client; gorun runs the same operations with firewall-cmd, and with
// firewall-offline-cmd when the daemon does not run (permanent changes
// only, as in Ansible's offline mode). The command lines are in
// firewalld_cmd.go.
type firewalldModule struct{}

func init() { module.Register(firewalldModule{}) }

func (firewalldModule) Doc() *module.Doc { return firewalldDoc }

func (firewalldModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	r, fail, err := newFwRunner(remotecmd.New(ctx, call))
	if fail != nil || err != nil {
		return fail, err
	}
	permanent, immediate := a.Bool("permanent"), a.Bool("immediate")
	if !permanent && !immediate {
		immediate = true
	}
	if immediate && r.offline {
		return module.Failed("firewall is not currently running, unable to perform immediate actions without a running firewall daemon"), nil
	}
	setting, fail := fwSettingOf(a, call.Warn)
	if fail != nil {
		return fail, nil
	}
	zone := a.String("zone")
	if zone == "" {
		if zone, _, err = r.call(r.argv(false, "--get-default-zone")); err != nil {
			return fwFailure(err, nil)
		}
	}
	var msgs []string
	changed := false
	if setting != nil {
		setting.fillMessages(zone)
		var checkExit bool
		changed, msgs, checkExit, err = r.transaction(zone, setting, permanent, immediate, a.Int("timeout"), call.Check)
		if err != nil {
			return fwFailure(err, msgs)
		}
		if checkExit {
			// Ansible's transactions exit at once in check mode, without a message.
			return module.Result{"changed": true}, nil
		}
		if changed && setting.changedMsg != "" {
			msgs = append(msgs, setting.changedMsg)
		}
	}
	if r.offline {
		msgs = append(msgs, "(offline operation: only on-disk configs were altered)")
	}
	return module.Result{"changed": changed, "msg": strings.Join(msgs, ", ")}, nil
}

// fwSettingOf is main()'s reading of the options: the setting the task
// changes (at most one: they are mutually exclusive), the zone itself for
// state present or absent without one, or nil for nothing at all.
func fwSettingOf(a module.Args, warn func(string)) (*fwSetting, module.Result) {
	desired := a.String("state")
	modification := false
	for _, n := range []string{"icmp_block", "icmp_block_inversion", "service", "protocol", "port", "port_forward", "rich_rule", "interface", "masquerade", "source", "target"} {
		if v := a[n]; v != nil && v != "" && !(n == "port_forward" && len(a.List(n)) == 0) {
			modification = true
		}
	}
	if modification && (desired == "absent" || desired == "present") && !a.Has("target") {
		return nil, module.Failed("absent and present state can only be used in zone level operations")
	}
	s := &fwSetting{state: desired}
	changed := func(what string) string { return fmt.Sprintf("Changed %s to %s", what, desired) }
	switch {
	case a.Has("icmp_block"):
		s.stem, s.value, s.timed, s.changedMsg = "icmp-block", a.String("icmp_block"), true, changed("icmp-block "+a.String("icmp_block"))
	case a.Has("icmp_block_inversion"):
		s.stem, s.changedMsg = "icmp-block-inversion", changed("icmp-block-inversion "+a.String("icmp_block_inversion"))
		s.state = toggledState(desired, a.String("icmp_block_inversion"), "icmp_block_inversion", warn)
	case a.Has("service"):
		s.stem, s.value, s.timed, s.changedMsg = "service", a.String("service"), true, changed("service "+a.String("service"))
	case a.Has("protocol"):
		s.stem, s.value, s.timed, s.changedMsg = "protocol", a.String("protocol"), true, changed("protocol "+a.String("protocol"))
	case a.Has("source"):
		s.stem, s.value = "source", a.String("source")
	case a.Has("port"):
		port, proto, _ := strings.Cut(strings.TrimSpace(a.String("port")), "/")
		if proto == "" {
			return nil, module.Failed("improper port format (missing protocol?)")
		}
		s.stem, s.value, s.timed, s.changedMsg = "port", port+"/"+proto, true, changed("port "+port+"/"+proto)
	case a.Has("port_forward") && len(a.List("port_forward")) > 0:
		return portForwardSetting(a, s, changed)
	case a.Has("rich_rule"):
		s.stem, s.value, s.timed, s.changedMsg = "rich-rule", a.String("rich_rule"), true, changed("rich_rule "+a.String("rich_rule"))
	case a.Has("interface"):
		s.stem, s.value = "interface", a.String("interface")
	case a.Has("masquerade"):
		s.stem = "masquerade"
		s.state = toggledState(desired, a.String("masquerade"), "masquerade", warn)
	case a.Has("target"):
		s.stem, s.value, s.permanentOnly = "target", a.String("target"), true
	case desired == "present" || desired == "absent":
		s.stem, s.permanentOnly = "zone", true
	default:
		return nil, nil
	}
	return s, nil
}

// portForwardSetting reads port_forward's one dict (port, proto, toport,
// toaddr), which Ansible checks itself rather than by suboptions.
func portForwardSetting(a module.Args, s *fwSetting, changed func(string) string) (*fwSetting, module.Result) {
	fwd := a.List("port_forward")
	if len(fwd) > 1 {
		return nil, module.Failed("Only one port forward supported at a time")
	}
	m := module.Args(module.Args{"x": fwd[0]}.Dict("x"))
	for _, k := range []string{"port", "proto", "toport"} {
		if _, ok := m[k]; !ok {
			return nil, module.Failed(map[string]string{
				"port":   "port must be specified for port forward",
				"proto":  "proto udp/tcp must be specified for port forward",
				"toport": "toport must be specified for port forward",
			}[k])
		}
	}
	port, proto, toport, toaddr := m.String("port"), m.String("proto"), m.String("toport"), m.String("toaddr")
	s.stem, s.timed = "forward-port", true
	s.value = fmt.Sprintf("port=%s:proto=%s:toport=%s", port, proto, toport)
	if toaddr != "" {
		s.value += ":toaddr=" + toaddr
	}
	s.changedMsg = changed(fmt.Sprintf("port_forward port=%s:proto=%s:toport=%s:toaddr=%s", port, proto, toport, toaddr))
	return s, nil
}

// toggledState is the state of a setting given as a boolean string
// (masquerade, icmp_block_inversion): enabled when state=enabled agrees
// with the value. A value that is no boolean counts as true, with
// Ansible's warning.
func toggledState(desired, value, option string, warn func(string)) string {
	on := true
	switch strings.ToLower(value) {
	case "y", "yes", "on", "1", "true", "t", "1.0":
	case "n", "no", "off", "0", "false", "f", "0.0":
		on = false
	default:
		if warn != nil {
			warn(fmt.Sprintf("The value of the %s option is \"%s\". The type of the option will be changed from string to boolean in a future release. To avoid unexpected behavior, please change the value to boolean.", option, value))
		}
	}
	if (desired == "enabled") == on {
		return "enabled"
	}
	return "disabled"
}

// transaction is FirewallTransaction.run: query the permanent and/or
// immediate state, then change what differs. checkExit reports Ansible's
// early exit in check mode.
func (r *fwRunner) transaction(zone string, s *fwSetting, permanent, immediate bool, timeout int, check bool) (changed bool, msgs []string, checkExit bool, err error) {
	var scopes []bool // permanent or not, in Ansible's order of queries
	switch {
	case immediate && permanent:
		scopes = []bool{true, false}
	case permanent:
		scopes = []bool{true}
	default:
		scopes = []bool{false}
	}
	var todo []bool
	for _, perm := range scopes {
		if !perm && s.permanentOnly {
			return false, nil, false, &fwError{zoneOpsMsg}
		}
		on, err := r.query(zone, s, perm)
		if err != nil {
			return false, nil, false, err
		}
		if on != s.wantEnabled() {
			todo = append(todo, perm)
		}
	}
	switch {
	case immediate && permanent:
		msgs = append(msgs, "Permanent and Non-Permanent(immediate) operation")
	case permanent:
		msgs = append(msgs, "Permanent operation")
	default:
		msgs = append(msgs, "Non-permanent operation")
	}
	if len(todo) == 0 {
		return false, msgs, false, nil
	}
	if check {
		return true, msgs, true, nil
	}
	for _, perm := range todo {
		if _, _, err := r.call(r.setArgs(zone, s, perm, s.wantEnabled(), timeout)); err != nil {
			return false, msgs, false, err
		}
	}
	if msg := s.enabledMsg; s.wantEnabled() && msg != "" {
		msgs = append(msgs, msg)
	}
	if msg := s.disabledMsg; !s.wantEnabled() && msg != "" {
		msgs = append(msgs, msg)
	}
	return true, msgs, false, nil
}

// query runs queryArgs: --query-* answer with exit status 0 (yes) or 1
// (no); zones and targets are read and compared.
func (r *fwRunner) query(zone string, s *fwSetting, permanent bool) (bool, error) {
	out, rc, err := r.call(r.queryArgs(zone, s, permanent), 1)
	if fe, ok := err.(*fwError); ok && listedSetting[s.stem] && strings.Contains(fe.text, "INVALID_") {
		// Ansible looks these up in the zone's list, where an unknown
		// name is simply absent; the change then fails.
		return false, nil
	}
	if err != nil {
		return false, err
	}
	switch s.stem {
	case "zone":
		for _, z := range strings.Fields(out) {
			if z == zone {
				return true, nil
			}
		}
		return false, nil
	case "target":
		return targetName(out) == s.value, nil
	}
	return rc == 0, nil
}

// listedSetting are the settings Ansible's module finds by membership in
// the zone's list rather than by a query that validates the value.
var listedSetting = map[string]bool{"service": true, "icmp-block": true, "protocol": true, "source": true}

// zoneOpsMsg is the failure of immediate zone and target operations.
const zoneOpsMsg = "Zone operations must be permanent. Make sure you didn't set the 'permanent' flag to 'false' or the 'immediate' flag to 'true'."

// fwFailure is action_handler's failure: the error, with a hint for an
// unknown service; an error that is not the module's to describe is
// returned as such.
func fwFailure(err error, msgs []string) (module.Result, error) {
	fe, ok := err.(*fwError)
	if !ok {
		return nil, err
	}
	if fe.text == zoneOpsMsg {
		return module.Failed(zoneOpsMsg), nil
	}
	if strings.Contains(fe.text, "INVALID_SERVICE") {
		msgs = append(msgs, "Services are defined by port/tcp relationship and named as they are in /etc/services (on most systems)")
	}
	if len(msgs) > 0 {
		return module.Failed(fmt.Sprintf("ERROR: Exception caught: %s %s", fe.text, strings.Join(msgs, ", "))), nil
	}
	return module.Failed("ERROR: Exception caught: " + fe.text), nil
}

var firewalldDoc = &module.Doc{
	Name:  "firewalld",
	Names: []string{"ansible.posix.firewalld"},
	Short: "Manage arbitrary ports/services with firewalld",
	Description: []string{
		"This module allows for addition or deletion of services and ports (either TCP or UDP) in either running or permanent firewalld rules.",
		"gorun runs firewall-cmd on the target; when firewalld does not run, permanent changes go through firewall-offline-cmd (Ansible's offline operation).",
	},
	Options: []module.Option{
		{Name: "icmp_block", Description: "The ICMP block you would like to add/remove to/from a zone in firewalld."},
		{Name: "icmp_block_inversion", Description: "Enable/Disable inversion of ICMP blocks for a zone in firewalld."},
		{Name: "immediate", Type: "bool", Default: false, Description: "Should this configuration be applied immediately, if set as permanent."},
		{Name: "interface", Description: "The interface you would like to add/remove to/from a zone in firewalld."},
		{Name: "masquerade", Description: "The masquerade setting you would like to enable/disable to/from zones within firewalld."},
		{Name: "offline", Type: "bool", Description: "Whether to run this module even when firewalld is offline."},
		{Name: "permanent", Type: "bool", Description: "Should this configuration be in the running firewalld configuration or persist across reboots. As of Ansible 2.3, permanent operations can operate on firewalld configs when it is not running (requires firewalld >= 0.3.9). Note that if this is C(false), immediate is assumed C(true)."},
		{Name: "port", Description: "Name of a port or port range to add/remove to/from firewalld. Must be in the form PORT/PROTOCOL or PORT-PORT/PROTOCOL for port ranges."},
		{Name: "port_forward", Type: "list", Elements: "dict", Description: "Port and protocol to forward using firewalld."},
		{Name: "protocol", Description: "Name of a protocol to add/remove to/from firewalld."},
		{Name: "rich_rule", Description: "Rich rule to add/remove to/from firewalld. See L(Syntax for firewalld rich language rules,https://firewalld.org/documentation/man-pages/firewalld.richlanguage.html)."},
		{Name: "service", Description: "Name of a service to add/remove to/from firewalld. The service must be listed in output of firewall-cmd --get-services."},
		{Name: "source", Description: "The source/network you would like to add/remove to/from firewalld."},
		{Name: "state", Required: true, Choices: []any{"absent", "disabled", "enabled", "present"}, Description: "Enable or disable a setting. For ports: Should this port accept (enabled) or reject (disabled) connections. The states C(present) and C(absent) can only be used in zone level operations (i.e. when no other parameters but zone and state are set)."},
		{Name: "target", Choices: []any{"default", "ACCEPT", "DROP", "%%REJECT%%"}, Description: "firewalld Zone target If state is set to C(absent), this will reset the target to default"},
		{Name: "timeout", Type: "int", Default: 0, Description: "The amount of time in seconds the rule should be in effect for when non-permanent."},
		{Name: "zone", Description: "The firewalld zone to add/remove to/from. Note that the default zone can be configured per system but C(public) is default from upstream. Available choices can be extended based on per-system configs, listed here are \"out of the box\" defaults. Possible values include C(block), C(dmz), C(drop), C(external), C(home), C(internal), C(public), C(trusted), C(work)."},
	},
	RequiredBy: map[string][]string{"interface": {"zone"}, "target": {"zone"}, "source": {"permanent"}},
	MutuallyExclusive: [][]string{{"icmp_block", "icmp_block_inversion", "service", "protocol", "port", "port_forward", "rich_rule",
		"interface", "masquerade", "source", "target"}},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: permit traffic in default zone for https service
  ansible.posix.firewalld:
    service: https
    permanent: true
    state: enabled

- name: permit ospf traffic
  ansible.posix.firewalld:
    protocol: ospf
    permanent: true
    state: enabled

- name: do not permit traffic in default zone on port 8081/tcp
  ansible.posix.firewalld:
    port: 8081/tcp
    permanent: true
    state: disabled

- ansible.posix.firewalld:
    port: 161-162/udp
    permanent: true
    state: enabled

- ansible.posix.firewalld:
    zone: dmz
    service: http
    permanent: true
    state: enabled

- ansible.posix.firewalld:
    rich_rule: rule service name="ftp" audit limit value="1/m" accept
    permanent: true
    state: enabled

- ansible.posix.firewalld:
    source: 192.0.2.0/24
    zone: internal
    state: enabled

- ansible.posix.firewalld:
    zone: trusted
    interface: eth2
    permanent: true
    state: enabled

- ansible.posix.firewalld:
    masquerade: true
    state: enabled
    permanent: true
    zone: dmz

- ansible.posix.firewalld:
    zone: custom
    state: present
    permanent: true

- ansible.posix.firewalld:
    zone: drop
    state: enabled
    permanent: true
    icmp_block_inversion: true

- ansible.posix.firewalld:
    zone: drop
    state: enabled
    permanent: true
    icmp_block: echo-request

- ansible.posix.firewalld:
    zone: internal
    state: present
    permanent: true
    target: ACCEPT

- name: Redirect port 443 to 8443 with Rich Rule
  ansible.posix.firewalld:
    rich_rule: rule family=ipv4 forward-port port=443 protocol=tcp to-port=8443
    zone: public
    permanent: true
    immediate: true
    state: enabled`,
	Returns: []module.Return{
		{Name: "msg", Description: "What was done: the kind of operation and each change, joined with commas.", Returned: "success", Type: "str", Sample: "Permanent operation, Changed service https to enabled"},
	},
}
