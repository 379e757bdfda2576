package system

import (
	"errors"
	"sort"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// nmSetting is one NetworkManager property and its wanted value: nil (None
// in the Python module: left alone), a string, a bool, an int, a []string,
// or whatever a free dict option (gsm, wifi, ...) holds.
type nmSetting struct {
	key string
	val any
}

// nmSettings keeps the properties in the order the module adds them, as a
// Python dict does: the order of nmcli's arguments.
type nmSettings []nmSetting

// set adds key or, when it is there, replaces its value in place (dict.update).
func (s *nmSettings) set(key string, val any) {
	for i := range *s {
		if (*s)[i].key == key {
			(*s)[i].val = val
			return
		}
	}
	*s = append(*s, nmSetting{key, val})
}

// nmBoolSettings are the properties settings_type calls bool: nmcli takes
// them as yes/no.
var nmBoolSettings = map[string]bool{
	"bridge.stp": true, "bridge-port.hairpin-mode": true, "connection.autoconnect": true,
	"ipv4.never-default": true, "ipv4.ignore-auto-dns": true, "ipv4.ignore-auto-routes": true,
	"ipv4.may-fail": true, "ipv6.ignore-auto-dns": true, "ipv6.ignore-auto-routes": true,
	"802-11-wireless.hidden": true, "team.runner-fast-rate": true,
}

// nmListSettings are the properties settings_type calls list: nmcli takes
// them comma-separated and shows them so.
var nmListSettings = map[string]bool{
	"ipv4.addresses": true, "ipv6.addresses": true, "ipv4.dns": true, "ipv4.dns-search": true,
	"ipv4.routes": true, "ipv4.routing-rules": true, "ipv6.dns": true, "ipv6.dns-search": true,
	"ipv6.routes": true, "802-11-wireless-security.group": true,
	"802-11-wireless-security.leap-password-flags": true, "802-11-wireless-security.pairwise": true,
	"802-11-wireless-security.proto": true, "802-11-wireless-security.psk-flags": true,
	"802-11-wireless-security.wep-key-flags": true, "802-11-wireless.mac-address-blacklist": true,
}

// nmSecretSettings go through `nmcli con edit` rather than the command line.
var nmSecretSettings = map[string]bool{
	"802-11-wireless-security.leap-password": true, "802-11-wireless-security.psk": true,
	"802-11-wireless-security.wep-key0": true, "802-11-wireless-security.wep-key1": true,
	"802-11-wireless-security.wep-key2": true, "802-11-wireless-security.wep-key3": true,
}

// nmMTUSetting is the MTU property of every type that has one; the MAC
// property depends on the type (macSetting).
const nmMTUSetting = "802-3-ethernet.mtu"

func (n *nmcli) macSetting() string {
	if n.typ == "bridge" {
		return "bridge.mac-address"
	}
	return "802-3-ethernet.cloned-mac-address"
}

func (n *nmcli) typeIn(types ...string) bool {
	for _, t := range types {
		if n.typ == t {
			return true
		}
	}
	return false
}

func (n *nmcli) ipConnType() bool {
	return n.typeIn("bond", "bridge", "dummy", "ethernet", "802-3-ethernet", "generic", "gre",
		"infiniband", "ipip", "sit", "team", "vlan", "wifi", "802-11-wireless", "gsm", "macvlan", "wireguard", "vpn")
}

func (n *nmcli) mtuConnType() bool { return n.typeIn("dummy", "ethernet", "team-slave", "vlan") }
func (n *nmcli) slaveConnType() bool {
	return n.typeIn("bond-slave", "bridge-slave", "team-slave", "wifi")
}
func (n *nmcli) tunnelConnType() bool {
	return n.typeIn("gre", "ipip", "sit")
}

// opt is a parameter as the Python module sees it: nil for None, lists as
// []string.
func (n *nmcli) opt(name string) any {
	v := n.a[name]
	if l, ok := v.([]any); ok {
		s := make([]string, len(l))
		for i, x := range l {
			s[i] = pytext.Str(x)
		}
		return s
	}
	return v
}

// connectionOptions is Nmcli.connection_options: the properties the task
// sets, converted for nmcli's command line or, with detect, for comparing
// with `nmcli con show`.
func (n *nmcli) connectionOptions(detect bool) (nmSettings, error) {
	o := nmSettings{}
	o.set("connection.autoconnect", n.opt("autoconnect"))
	o.set("connection.zone", n.opt("zone"))
	if n.ipConnType() && n.opt("master") == nil {
		ip4, _ := n.opt("ip4").([]string)
		ip6, _ := n.opt("ip6").([]string)
		o.set("ipv4.addresses", cidr(ip4, n.opt("ip4") != nil, "/32"))
		o.set("ipv4.dhcp-client-id", n.opt("dhcp_client_id"))
		o.set("ipv4.dns", n.opt("dns4"))
		o.set("ipv4.dns-search", n.opt("dns4_search"))
		o.set("ipv4.ignore-auto-dns", n.opt("dns4_ignore_auto"))
		o.set("ipv4.gateway", n.opt("gw4"))
		o.set("ipv4.ignore-auto-routes", n.opt("gw4_ignore_auto"))
		o.set("ipv4.routes", n.routes("routes4", "routes4_extended"))
		o.set("ipv4.route-metric", n.opt("route_metric4"))
		o.set("ipv4.routing-rules", n.opt("routing_rules4"))
		o.set("ipv4.never-default", n.opt("never_default4"))
		o.set("ipv4.method", n.ipv4Method)
		o.set("ipv4.may-fail", n.opt("may_fail4"))
		o.set("ipv6.addresses", cidr(ip6, n.opt("ip6") != nil, "/128"))
		o.set("ipv6.dns", n.opt("dns6"))
		o.set("ipv6.dns-search", n.opt("dns6_search"))
		o.set("ipv6.ignore-auto-dns", n.opt("dns6_ignore_auto"))
		o.set("ipv6.gateway", n.opt("gw6"))
		o.set("ipv6.ignore-auto-routes", n.opt("gw6_ignore_auto"))
		o.set("ipv6.routes", n.routes("routes6", "routes6_extended"))
		o.set("ipv6.route-metric", n.opt("route_metric6"))
		o.set("ipv6.method", n.ipv6Method)
		o.set("ipv6.ip6-privacy", n.opt("ip_privacy6"))
		o.set("ipv6.addr-gen-mode", n.opt("addr_gen_mode6"))
	}
	if mac, ok := n.opt("mac").(string); ok && mac != "" {
		o.set(n.macSetting(), mac)
	}
	if n.mtuConnType() {
		o.set(nmMTUSetting, n.mtu)
	}
	if n.slaveConnType() {
		o.set("connection.master", n.opt("master"))
	}
	if err := n.typeOptions(&o); err != nil {
		return nil, err
	}
	for i, s := range o {
		o[i].val = convertSetting(s.key, s.val, detect)
	}
	return o, nil
}

// nmOptionProperty is a property that takes the value of one option.
type nmOptionProperty struct{ property, option string }

// nmTypeProperties are the properties of the connection types whose
// properties each come from one option, in connection_options' order (bond's
// without a setting name, as the Python module passes them).
var nmTypeProperties = map[string][]nmOptionProperty{
	"bond": {{"arp-interval", "arp_interval"}, {"arp-ip-target", "arp_ip_target"}, {"downdelay", "downdelay"},
		{"miimon", "miimon"}, {"mode", "mode"}, {"primary", "primary"}, {"updelay", "updelay"},
		{"xmit_hash_policy", "xmit_hash_policy"}},
	"bridge": {{"bridge.ageing-time", "ageingtime"}, {"bridge.forward-delay", "forwarddelay"},
		{"bridge.hello-time", "hellotime"}, {"bridge.max-age", "maxage"}, {"bridge.priority", "priority"},
		{"bridge.stp", "stp"}},
	"vlan": {{"vlan.id", "vlanid"}, {"vlan.parent", "vlandev"}, {"vlan.flags", "flags"},
		{"vlan.ingress", "ingress"}, {"vlan.egress", "egress"}},
	"vxlan":      {{"vxlan.id", "vxlan_id"}, {"vxlan.local", "vxlan_local"}, {"vxlan.remote", "vxlan_remote"}},
	"infiniband": {{"infiniband.transport-mode", "transport_mode"}},
}

// typeOptions adds the properties of the connection's type.
func (n *nmcli) typeOptions(o *nmSettings) error {
	for _, p := range nmTypeProperties[n.typ] {
		o.set(p.property, n.opt(p.option))
	}
	switch {
	case n.typ == "bond-slave":
		o.set("connection.slave-type", "bond")
	case n.typ == "team":
		o.set("team.runner", n.opt("runner"))
		o.set("team.runner-hwaddr-policy", n.opt("runner_hwaddr_policy"))
		if n.opt("runner_fast_rate") != nil {
			o.set("team.runner-fast-rate", n.opt("runner_fast_rate"))
		}
	case n.typ == "bridge-slave":
		o.set("connection.slave-type", "bridge")
		o.set("bridge-port.path-cost", n.opt("path_cost"))
		o.set("bridge-port.hairpin-mode", n.hairpin())
		o.set("bridge-port.priority", n.opt("slavepriority"))
	case n.typ == "team-slave":
		o.set("connection.slave-type", "team")
	case n.tunnelConnType():
		o.set("ip-tunnel.local", n.opt("ip_tunnel_local"))
		o.set("ip-tunnel.mode", n.typ)
		o.set("ip-tunnel.parent", n.opt("ip_tunnel_dev"))
		o.set("ip-tunnel.remote", n.opt("ip_tunnel_remote"))
		if n.typ == "gre" {
			o.set("ip-tunnel.input-key", n.opt("ip_tunnel_input_key"))
			o.set("ip-tunnel.output-key", n.opt("ip_tunnel_output_key"))
		}
	case n.typ == "wifi":
		o.set("802-11-wireless.ssid", n.opt("ssid"))
		var slave any
		if n.opt("master") != nil {
			slave = "bond"
		}
		o.set("connection.slave-type", slave)
		n.dictOptions(o, "wifi", "802-11-wireless.")
		n.dictOptions(o, "wifi_sec", "802-11-wireless-security.")
	case n.typ == "gsm":
		n.dictOptions(o, "gsm", "gsm.")
	case n.typ == "macvlan":
		if n.opt("macvlan") != nil {
			n.dictOptions(o, "macvlan", "macvlan.")
		} else if n.state == "present" {
			return errors.New("type is macvlan but all of the following are missing: macvlan")
		}
	case n.typ == "wireguard":
		n.dictOptions(o, "wireguard", "wireguard.")
	case n.typ == "vpn":
		n.vpnOptions(o)
	}
	return nil
}

// dictOptions adds the entries of a free dict option as properties of
// setting (prefix), in the task's order.
func (n *nmcli) dictOptions(o *nmSettings, name, prefix string) {
	d := n.a[name]
	for _, k := range value.Keys(d) {
		if n.dropped[name+"."+k] {
			continue
		}
		v, _ := value.Lookup(d, k)
		o.set(prefix+k, v)
	}
}

// vpnOptions turns the vpn dict into vpn.service-type, connection.permissions
// and vpn.data ("key=value, key=value").
func (n *nmcli) vpnOptions(o *nmSettings) {
	d := n.a["vpn"]
	data := ""
	for _, k := range value.Keys(d) {
		v, _ := value.Lookup(d, k)
		switch k {
		case "service-type":
			o.set("vpn.service-type", v)
		case "permissions":
			o.set("connection.permissions", v)
		default:
			if data != "" {
				data += ", "
			}
			if b, ok := v.(bool); ok {
				v = boolToString(b)
			}
			data += k + "=" + pytext.Str(v)
		}
		o.set("vpn.data", data)
	}
}

// convertSetting is the conversion loop at the end of connection_options.
func convertSetting(key string, v any, detect bool) any {
	switch {
	case nmBoolSettings[key]:
		return boolToString(pyTruthy(v))
	case detect && (key == "vlan.id" || key == "vxlan.id"):
		return pytext.Str(v)
	case detect && key == nmMTUSetting:
		if !pyTruthy(v) {
			return "auto"
		}
		return pytext.Str(v)
	case detect && key == "ipv6.ip6-privacy":
		if v == nil {
			return nil
		}
		return ip6PrivacyNum[v.(string)]
	case !detect && nmListSettings[key]:
		if l, ok := v.([]string); ok {
			return strings.Join(l, ",")
		}
	}
	return v
}

// ip6PrivacyNum is how nmcli shows ipv6.ip6-privacy.
var ip6PrivacyNum = map[string]string{
	"disabled":           "0",
	"prefer-public-addr": "1 (enabled, prefer public IP)",
	"prefer-temp-addr":   "2 (enabled, prefer temporary IP)",
	"unknown":            "-1",
}

// cidr adds a host prefix to addresses without one (enforce_ipvN_cidr_notation).
func cidr(addrs []string, set bool, host string) any {
	if !set {
		return nil
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		if !strings.Contains(a, "/") {
			a += host
		}
		out[i] = a
	}
	return out
}

// routes is enforce_routes_format: the plain routes, or the extended ones
// written as nmcli's route strings.
func (n *nmcli) routes(plain, extended string) any {
	if v := n.opt(plain); v != nil {
		return v
	}
	l, ok := n.a[extended].([]any)
	if !ok {
		return nil
	}
	out := make([]string, len(l))
	for i, r := range l {
		route := map[string]string{}
		for _, k := range value.Keys(r) {
			if v, _ := value.Lookup(r, k); v != nil {
				route[k] = pytext.Str(v)
			}
		}
		out[i] = routeString(route)
	}
	return out
}

// routeString is route_to_string: "ip [next_hop] [metric] attr=value...",
// the other attributes sorted and lower case.
func routeString(route map[string]string) string {
	s := route["ip"]
	if v, ok := route["next_hop"]; ok {
		s += " " + v
	}
	if v, ok := route["metric"]; ok {
		s += " " + v
	}
	var attrs []string
	for k := range route {
		if k != "ip" && k != "next_hop" && k != "metric" {
			attrs = append(attrs, k)
		}
	}
	sort.Strings(attrs)
	for _, k := range attrs {
		s += " " + k + "=" + strings.ToLower(route[k])
	}
	return s
}

// isZero is Python's `value == 0`: the integer 0 (and False) are compared
// although they are falsy.
func isZero(v any) bool {
	switch x := v.(type) {
	case int:
		return x == 0
	case float64:
		return x == 0
	case bool:
		return !x
	}
	return false
}

// pyTruthy is Python's truth value of a parameter.
func pyTruthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []string:
		return len(x) > 0
	case []any:
		return len(x) > 0
	}
	return len(value.Keys(v)) > 0 || !value.IsMapping(v)
}

func boolToString(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
