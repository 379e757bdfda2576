package system

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/engine/value"
	"gorun/modules/internal/remotecmd"
)

// nmcliModule is community.general.nmcli, a port of nmcli.py: it reads a
// connection with `nmcli --show-secrets con show NAME`, compares the
// properties the task sets, and runs `nmcli con add` or `nmcli con modify`
// with the same arguments in the same order as the Python module.
type nmcliModule struct{}

func init() { module.Register(nmcliModule{}) }

func (nmcliModule) Doc() *module.Doc { return nmcliDoc }

// nmcliEnv is the module's run_command_environ_update.
const nmcliEnv = "LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C "

// nmcli is one nmcli task: the parameters and what the module derives from them.
type nmcli struct {
	t                      *target
	a                      module.Args
	bin                    string
	state, conn, typ       string
	ipv4Method, ipv6Method any // nil when the task sets neither a method nor addresses
	mtu                    any
	hairpinSet             bool
	editCommands           []string
	dropped                map[string]bool // wifi/wifi_sec keys removed as unsupported
	deprecations           []any
}

// nmcliError is the Python module's NmcliModuleError: a failure with name.
type nmcliError struct{ msg string }

func (e *nmcliError) Error() string { return e.msg }

func (nmcliModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	n := newNmcli(newTarget(ctx, call), call.Args)
	bin, err := n.t.Which("nmcli")
	if err != nil {
		return nil, err
	}
	if bin == "" {
		return module.Failed("Failed to find required executable \"nmcli\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), nil
	}
	n.bin = bin
	if fail := n.checkParams(); fail != nil {
		return fail, nil
	}
	if n.typ == "wifi" {
		fail, err := n.dropUnsupported(call.Warn)
		if e, ok := err.(*nmcliError); ok {
			return module.Failed(e.msg), nil
		}
		if fail != nil || err != nil {
			return fail, err
		}
	}
	res, err := n.apply(call.Check, call.Diff)
	if e, ok := err.(*nmcliError); ok {
		return n.finish(module.Result{"failed": true, "name": n.conn, "msg": e.msg}), nil
	}
	return n.finish(res), err
}

// newNmcli is Nmcli.__init__: the task's parameters and the IP methods
// derived from them.
func newNmcli(t *target, a module.Args) *nmcli {
	n := &nmcli{t: t, a: a, state: a.String("state"), conn: a.String("conn_name"),
		typ: a.String("type"), mtu: a["mtu"], dropped: map[string]bool{}}
	n.ipv4Method = n.method(4)
	n.ipv6Method = n.method(6)
	return n
}

// finish adds the deprecation warnings the run collected.
func (n *nmcli) finish(res module.Result) module.Result {
	if res != nil && len(n.deprecations) > 0 {
		res["deprecations"] = n.deprecations
	}
	return res
}

// method is the IP method the module derives: method4/method6, else
// disabled for address-less dummy, macvlan and wireguard connections,
// else manual when addresses are given.
func (n *nmcli) method(v int) any {
	m, ip := n.a[fmt.Sprint("method", v)], n.a[fmt.Sprint("ip", v)]
	switch {
	case m != nil:
		return m
	case n.typeIn("dummy", "macvlan", "wireguard") && !pyTruthy(ip):
		return "disabled"
	case pyTruthy(ip):
		return "manual"
	}
	return nil
}

// hairpin is the hairpin parameter; unset it is true with a deprecation
// warning, as in community.general before 7.0.0.
func (n *nmcli) hairpin() any {
	if v := n.a["hairpin"]; v != nil {
		return v
	}
	if !n.hairpinSet {
		n.hairpinSet = true
		n.deprecations = append(n.deprecations, map[string]any{
			"msg":             "Parameter 'hairpin' default value will change from true to false in community.general 7.0.0. Set the value explicitly to suppress this warning.",
			"version":         "7.0.0",
			"collection_name": "community.general",
		})
	}
	return true
}

// checkParams is main's checks of team and team-slave parameters.
func (n *nmcli) checkParams() module.Result {
	runner := n.a.String("runner")
	switch n.typ {
	case "team":
		if n.a["runner_hwaddr_policy"] != nil && runner != "activebackup" {
			return module.Failed("Runner-hwaddr-policy is only allowed for runner activebackup")
		}
		if n.a["runner_fast_rate"] != nil && runner != "lacp" {
			return module.Failed("runner-fast-rate is only allowed for runner lacp")
		}
	case "team-slave":
		if n.a["master"] == nil {
			return module.Failed("Please specify a name for the master when type is team-slave")
		}
		if n.a["ifname"] == nil {
			return module.Failed("Please specify an interface name for the connection when type is team-slave")
		}
	}
	return nil
}

// apply is main's state machine after the checks.
func (n *nmcli) apply(check, diff bool) (module.Result, error) {
	res := module.Result{"conn_name": n.conn, "state": n.state}
	var last *remotecmd.Output
	exists, err := n.exists()
	if err != nil {
		return nil, err
	}
	switch n.state {
	case "absent":
		if !exists {
			break
		}
		if check {
			return module.Result{"changed": true}, nil
		}
		if _, err := n.exec(nil, "con", "down", n.conn); err != nil {
			return nil, err
		}
		o, err := n.exec(nil, "con", "del", n.conn)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Result{"failed": true, "name": "No Connection named " + n.conn + " exists", "msg": o.Stderr, "rc": o.RC}, nil
		}
		last = &o
	case "present":
		if exists {
			changed, d, err := n.changed()
			if err != nil {
				return nil, err
			}
			if diff {
				res["diff"] = d
			}
			if !changed {
				res["Exists"] = "Connections already exist and no changes made"
				if check {
					res["changed"] = false
					return res, nil
				}
				break
			}
			res["Exists"] = "Connections do exist so we are modifying them"
			if check {
				res["changed"] = true
				return res, nil
			}
			o, err := n.modify()
			if err != nil {
				return nil, err
			}
			last = &o
			break
		}
		res["Connection"] = fmt.Sprintf("Connection %s of Type %s is being added", n.conn, pytext.Str(n.a["type"]))
		if check {
			res["changed"] = true
			return res, nil
		}
		o, err := n.create()
		if err != nil {
			return nil, err
		}
		last = &o
	}
	if last != nil && last.RC != 0 {
		return module.Result{"failed": true, "name": n.conn, "msg": last.Stderr, "rc": last.RC}, nil
	}
	res["changed"] = last != nil
	if last != nil && last.Stdout != "" {
		res["stdout"] = last.Stdout
	}
	if last != nil && last.Stderr != "" {
		res["stderr"] = last.Stderr
	}
	return res, nil
}

// exec runs nmcli with args in the C locale, stdin fed when not nil.
func (n *nmcli) exec(stdin []byte, args ...string) (remotecmd.Output, error) {
	line := nmcliEnv + shell.Join(append([]string{n.bin}, args...))
	if stdin != nil {
		return n.t.ShIn(line, stdin)
	}
	return n.t.Sh(nil, line)
}

// exists is connection_exists: the name is among `nmcli -t -f name con show`'s lines.
func (n *nmcli) exists() (bool, error) {
	o, err := n.exec(nil, "--fields", "name", "--terse", "con", "show")
	if err != nil {
		return false, err
	}
	if o.RC != 0 {
		return false, &nmcliError{o.Stderr}
	}
	return slices.Contains(pytext.SplitLines(o.Stdout), n.conn), nil
}

// show is show_connection: the connection's properties.
func (n *nmcli) show() (map[string]any, error) {
	o, err := n.exec(nil, "--show-secrets", "con", "show", n.conn)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return nil, &nmcliError{o.Stderr}
	}
	return parseConnection(o.Stdout), nil
}

// changed is is_connection_changed: the wanted properties (the interface
// name first) against the connection's.
func (n *nmcli) changed() (bool, map[string]any, error) {
	opts := nmSettings{{"connection.interface-name", n.a["ifname"]}}
	if n.typ == "vpn" && n.a["ifname"] == nil {
		opts = nmSettings{}
	}
	if n.typ == "" {
		info, err := n.show()
		if err != nil {
			return false, nil, err
		}
		if t, _ := info["connection.type"].(string); t != "" {
			if t == "802-11-wireless" {
				t = "wifi"
			}
			n.typ = t
		}
	}
	wanted, err := n.connectionOptions(true)
	if err != nil {
		return false, nil, &nmcliError{err.Error()}
	}
	opts = append(opts, wanted...)
	info, err := n.show()
	if err != nil {
		return false, nil, err
	}
	changed, d := n.compare(info, opts)
	return changed, d, nil
}

// updateArgs is connection_update's command line for "create" (nmcli con
// add) or "modify" (nmcli con modify); secrets go to editCommands.
func (n *nmcli) updateArgs(create bool) ([]string, error) {
	var cmd []string
	ifname := n.a["ifname"]
	if create {
		typ := n.typ
		if n.tunnelConnType() {
			typ = "ip-tunnel"
		}
		cmd = []string{"con", "add", "type", typ, "con-name", n.conn}
		if ifname == nil {
			ifname = n.conn
		}
	} else {
		cmd = []string{"con", "modify", n.conn}
	}
	opts := nmSettings{{"connection.interface-name", ifname}}
	if n.typ == "vpn" && n.a["ifname"] == nil {
		opts = nmSettings{}
	}
	wanted, err := n.connectionOptions(false)
	if err != nil {
		return nil, &nmcliError{err.Error()}
	}
	for _, s := range append(opts, wanted...) {
		if s.val == nil {
			continue
		}
		v := pytext.Str(s.val)
		switch {
		case nmSecretSettings[s.key]:
			n.editCommands = append(n.editCommands, fmt.Sprintf("set %s %s", s.key, v))
		case s.key == "xmit_hash_policy":
			cmd = append(cmd, "+bond.options", "xmit_hash_policy="+v)
		default:
			cmd = append(cmd, s.key, v)
		}
	}
	return cmd, nil
}

// update runs updateArgs and then `nmcli con edit` for secrets.
func (n *nmcli) update(create bool) (remotecmd.Output, error) {
	args, err := n.updateArgs(create)
	if err != nil {
		return remotecmd.Output{}, err
	}
	o, err := n.exec(nil, args...)
	if err != nil || o.RC != 0 || len(n.editCommands) == 0 {
		return o, err
	}
	cmds := append(n.editCommands, "save", "quit")
	return n.exec([]byte(strings.Join(cmds, "\n")), "con", "edit", n.conn)
}

// create is create_connection: add, edit secrets, and bring the connection
// up when the module does (an MTU or DNS servers on some types).
func (n *nmcli) create() (remotecmd.Output, error) {
	o, err := n.update(true)
	if err != nil || !n.upAfterCreate() {
		return o, err
	}
	return n.exec(nil, "con", "up", n.conn)
}

// modify is modify_connection.
func (n *nmcli) modify() (remotecmd.Output, error) { return n.update(false) }

// upAfterCreate is create_connection_up.
func (n *nmcli) upAfterCreate() bool {
	dns := n.a["dns4"] != nil || n.a["dns6"] != nil
	switch {
	case n.typeIn("bond", "dummy", "ethernet", "infiniband", "wifi"):
		return n.mtu != nil || dns
	case n.typ == "team":
		return dns
	}
	return false
}

// dropUnsupported is main's wifi check: properties of the wifi and
// wifi_sec dicts that this nmcli does not know fail the task, or with
// ignore_unsupported_suboptions are dropped with a warning.
func (n *nmcli) dropUnsupported(warn func(string)) (module.Result, error) {
	if _, ok := value.Lookup(n.a["wifi"], "ssid"); ok {
		warn("Ignoring option 'wifi.ssid', it must be specified with option 'ssid'")
		n.dropped["wifi.ssid"] = true
	}
	for _, d := range []struct{ key, setting string }{{"wifi", "802-11-wireless"}, {"wifi_sec", "802-11-wireless-security"}} {
		if !pyTruthy(n.a[d.key]) {
			continue
		}
		supported, err := n.supportedProperties(d.setting)
		if err != nil {
			return nil, err
		}
		var bad []string
		for _, p := range value.Keys(n.a[d.key]) {
			if !n.dropped[d.key+"."+p] && !slices.Contains(supported, p) {
				bad = append(bad, d.key+"."+p)
			}
		}
		if len(bad) == 0 {
			continue
		}
		msg := `Invalid or unsupported option(s): "` + strings.Join(bad, `", "`) + `"`
		if !n.a.Bool("ignore_unsupported_suboptions") {
			return module.Failed(msg), nil
		}
		warn(msg)
		for _, b := range bad {
			n.dropped[b] = true
		}
	}
	return nil, nil
}

// supportedProperties is get_supported_properties: the properties `nmcli
// con edit type TYPE` prints for setting.
func (n *nmcli) supportedProperties(setting string) ([]string, error) {
	var cmds []string
	if setting == "802-11-wireless-security" {
		cmds = append(cmds, "set "+setting+".psk FAKEVALUE")
	}
	cmds = append(cmds, "print "+setting, "quit", "yes")
	o, err := n.exec([]byte(strings.Join(cmds, "\n")), "con", "edit", "type", n.typ)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return nil, &nmcliError{o.Stderr}
	}
	var props []string
	prefix := setting + "."
	for _, line := range pytext.SplitLines(o.Stdout) {
		if strings.HasPrefix(line, prefix) {
			k, _, _ := strings.Cut(line, ":")
			props = append(props, strings.ReplaceAll(strings.TrimSpace(k), prefix, ""))
		}
	}
	return props, nil
}
