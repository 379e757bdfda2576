package system

import (
	"errors"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/template"
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

// nmMTUSetting and the MAC setting depend on nothing but the type.
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
			s[i] = pyText(x)
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

// typeOptions adds the properties of the connection's type.
func (n *nmcli) typeOptions(o *nmSettings) error {
	switch {
	case n.typ == "bond":
		for _, k := range []string{"arp-interval", "arp-ip-target", "downdelay", "miimon", "mode", "primary", "updelay", "xmit_hash_policy"} {
			o.set(k, n.opt(strings.ReplaceAll(k, "-", "_")))
		}
	case n.typ == "bond-slave":
		o.set("connection.slave-type", "bond")
	case n.typ == "bridge":
		o.set("bridge.ageing-time", n.opt("ageingtime"))
		o.set("bridge.forward-delay", n.opt("forwarddelay"))
		o.set("bridge.hello-time", n.opt("hellotime"))
		o.set("bridge.max-age", n.opt("maxage"))
		o.set("bridge.priority", n.opt("priority"))
		o.set("bridge.stp", n.opt("stp"))
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
	case n.typ == "vlan":
		o.set("vlan.id", n.opt("vlanid"))
		o.set("vlan.parent", n.opt("vlandev"))
		o.set("vlan.flags", n.opt("flags"))
		o.set("vlan.ingress", n.opt("ingress"))
		o.set("vlan.egress", n.opt("egress"))
	case n.typ == "vxlan":
		o.set("vxlan.id", n.opt("vxlan_id"))
		o.set("vxlan.local", n.opt("vxlan_local"))
		o.set("vxlan.remote", n.opt("vxlan_remote"))
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
	case n.typ == "infiniband":
		o.set("infiniband.transport-mode", n.opt("transport_mode"))
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
			data += k + "=" + pyText(v)
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
		return pyText(v)
	case detect && key == nmMTUSetting:
		if !pyTruthy(v) {
			return "auto"
		}
		return pyText(v)
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
				route[k] = pyText(v)
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

// routeParamRE reads one "name = value" of a route as nmcli shows it
// ("{ ip = 192.0.2.0/24, nh = 192.0.2.1, mt = 10 }").
var routeParamRE = regexp.MustCompile(`([\w-]*)\s?=\s?([^\s,}]*)`)

// routeParams is get_route_params: shown routes as route strings.
func routeParams(raw []string) []string {
	out := make([]string, len(raw))
	for i, r := range raw {
		route := map[string]string{}
		for _, m := range routeParamRE.FindAllStringSubmatch(r, -1) {
			switch m[1] {
			case "nh":
				route["next_hop"] = m[2]
			case "mt":
				route["metric"] = m[2]
			default:
				route[m[1]] = m[2]
			}
		}
		out[i] = routeString(route)
	}
	return out
}

// enumValueRE matches an enum shown as "NUMBER (name)".
var enumValueRE = regexp.MustCompile(`^(-?\d+) \((\w+)\)$`)

// parseConnection is show_connection's parsing of `nmcli con show NAME`:
// property -> nil ("--"), string or []string; bond.options are split into
// their own keys (miimon, mode, ...), as the module's bond options are named.
func parseConnection(out string) map[string]any {
	info := map[string]any{}
	for _, line := range pyLines(out) {
		k, raw, found := strings.Cut(line, ":")
		key := strings.TrimSpace(k)
		if key == "" || !found {
			continue
		}
		raw = strings.TrimLeft(raw, " \t\n\r\v\f")
		switch {
		case raw == "--":
			info[key] = nil
		case key == "bond.options":
			for _, opt := range strings.Split(raw, ",") {
				if ak, av, ok := strings.Cut(opt, "="); ok {
					info[ak] = av
				}
			}
		case key == "ipv4.routes" || key == "ipv6.routes":
			info[key] = splitStrip(raw, ";")
		case nmListSettings[key]:
			info[key] = splitStrip(raw, ",")
		default:
			if m := enumValueRE.FindStringSubmatch(raw); m != nil {
				info[key] = m[1]
			} else {
				info[key] = raw
			}
		}
	}
	return info
}

func splitStrip(s, sep string) []string {
	parts := strings.Split(s, sep)
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// wakeOnWLANRE matches a hexadecimal wake-on-wlan value.
var wakeOnWLANRE = regexp.MustCompile(`^0x([0-9A-Fa-f]+)`)

// vpnDataSepRE is the separator of one vpn.data entry as nmcli shows it.
var vpnDataSepRE = regexp.MustCompile(`\s*=\s*`)

// compare is _compare_conn_params: whether the connection differs from
// the wanted properties, and the diff of what is compared.
func (n *nmcli) compare(info map[string]any, opts nmSettings) (bool, map[string]any) {
	changed := false
	before, after := map[string]any{}, map[string]any{}
	for _, s := range opts {
		key, val := s.key, s.val
		if !pyTruthy(val) && !isZero(val) {
			continue
		}
		current, present := info[key]
		if present {
			switch {
			case key == "802-11-wireless.wake-on-wlan" && current != nil:
				if m := wakeOnWLANRE.FindStringSubmatch(current.(string)); m != nil {
					if x, err := strconv.ParseInt(m[1], 16, 64); err == nil {
						current = strconv.FormatInt(x, 10)
					}
				}
			case (key == "ipv4.routes" || key == "ipv6.routes") && current != nil:
				current = routeParams(current.([]string))
			case key == n.macSetting():
				val = strings.ToUpper(pyText(val))
				if c, ok := current.(string); ok && c != "" {
					current = strings.ToUpper(c)
				}
			case key == "gsm.apn":
				if c, ok := current.(string); ok && c != "" {
					current = strings.Trim(c, `"`)
				}
			case key == "vpn.data":
				if c, ok := current.(string); ok && c != "" {
					var parts []string
					for _, p := range strings.Split(c, ",") {
						parts = append(parts, vpnDataSepRE.ReplaceAllString(strings.TrimSpace(p), "="))
					}
					sort.Strings(parts)
					current = parts
				}
				var parts []string
				for _, p := range strings.Split(pyText(val), ",") {
					parts = append(parts, strings.TrimSpace(p))
				}
				sort.Strings(parts)
				val = parts
			}
			if key == nmMTUSetting && n.mtu == nil {
				n.mtu = 0
			}
		} else {
			current = nil
		}
		cl, curList := current.([]string)
		vl, valList := val.([]string)
		switch {
		case curList && valList:
			if key == "ipv4.addresses" || key == "ipv6.addresses" {
				// The first address is the default source address: order counts.
				changed = changed || !slices.Equal(cl, vl)
			} else {
				changed = changed || !slices.Equal(slices.Sorted(slices.Values(cl)), slices.Sorted(slices.Values(vl)))
			}
		case key == nmMTUSetting && n.typ == "dummy" && current == nil && val == "auto" && n.mtu == nil:
			val = nil
		default:
			val = pyText(val)
			if c, ok := current.(string); !ok || c != val {
				changed = true
			}
		}
		before[key] = diffValue(current)
		after[key] = diffValue(val)
	}
	return changed, map[string]any{"before": before, "after": after}
}

// diffValue makes a compared value a result value.
func diffValue(v any) any {
	if l, ok := v.([]string); ok {
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out
	}
	return v
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

// pyText is Python's to_text (str) of a parameter value.
func pyText(v any) string {
	if l, ok := v.([]string); ok {
		items := make([]any, len(l))
		for i, s := range l {
			items[i] = s
		}
		v = items
	}
	return template.ToText(v)
}
