package system

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"gorun/engine/value"
)

// nmcliCases are parameter sets for every connection type, including the
// ones the lab's NetworkManager cannot bring up (wifi, gsm, vpn, ...).
// The keys of the free dicts (wifi, gsm, vpn, ...) are in sorted order:
// gorun's argument validation hands dicts to modules as Go maps, so their
// properties reach nmcli's command line sorted, not in the task's order
// (the same properties, and the same result).
var nmcliCases = []string{
	`{"conn_name": "br0", "type": "bridge", "state": "present", "ip4": ["192.0.2.1/24", "192.0.2.2"], "gw4": "192.0.2.254", "dns4": ["192.0.2.53", "192.0.2.54"], "dns4_search": ["example.org"], "stp": false, "mac": "52:54:00:ab:cd:ef"}`,
	`{"conn_name": "br0-port", "type": "bridge-slave", "ifname": "eth1", "master": "br0", "state": "present"}`,
	`{"conn_name": "br0-port", "type": "bridge-slave", "ifname": "eth1", "master": "br0", "hairpin": false, "slavepriority": 16, "path_cost": 4, "state": "present"}`,
	`{"conn_name": "bond0", "type": "bond", "mode": "802.3ad", "miimon": 100, "xmit_hash_policy": "layer3+4", "arp_interval": 5, "arp_ip_target": "192.0.2.1", "updelay": 10, "downdelay": 20, "method4": "disabled", "method6": "disabled", "state": "present"}`,
	`{"conn_name": "bond0-s1", "type": "bond-slave", "ifname": "eth2", "master": "bond0", "state": "present"}`,
	`{"conn_name": "vlan100", "type": "vlan", "vlandev": "bond0", "vlanid": 100, "flags": "1", "ingress": "1:2", "egress": "3:4", "mtu": 9000, "ip6": ["2001:db8::1"], "gw6": "2001:db8::fe", "ip_privacy6": "prefer-temp-addr", "addr_gen_mode6": "eui64", "state": "present"}`,
	`{"conn_name": "eth0", "type": "ethernet", "ifname": "eth0", "method4": "auto", "dhcp_client_id": "abc", "dns4_ignore_auto": true, "gw4_ignore_auto": true, "route_metric4": 50, "routes4_extended": [{"ip": "203.0.113.0/24", "next_hop": "192.0.2.1", "metric": 5, "table": 10, "onlink": true}], "routing_rules4": ["priority 5 from 0.0.0.0/0 table 10"], "zone": "internal", "autoconnect": false, "may_fail4": false, "state": "present"}`,
	`{"conn_name": "eth0", "type": "ethernet", "never_default4": true, "routes6": ["2001:db8:1::/64 2001:db8::1"], "route_metric6": 5, "dns6": ["2001:db8::53"], "dns6_search": ["example.org"], "dns6_ignore_auto": true, "method6": "manual", "ip6": ["2001:db8::2/64"], "state": "present"}`,
	`{"conn_name": "team0", "type": "team", "runner": "activebackup", "runner_hwaddr_policy": "by_active", "dns4": ["192.0.2.53"], "state": "present"}`,
	`{"conn_name": "team0-s", "type": "team-slave", "ifname": "eth3", "master": "team0", "mtu": 1400, "state": "present"}`,
	`{"conn_name": "vx", "type": "vxlan", "vxlan_id": 16, "vxlan_local": "192.0.2.1", "vxlan_remote": "192.0.2.2", "state": "present"}`,
	`{"conn_name": "gre1", "type": "gre", "ip_tunnel_dev": "eth0", "ip_tunnel_local": "192.0.2.1", "ip_tunnel_remote": "192.0.2.2", "ip_tunnel_input_key": "1", "ip_tunnel_output_key": "2", "state": "present"}`,
	`{"conn_name": "ipip1", "type": "ipip", "ip_tunnel_local": "192.0.2.1", "ip_tunnel_remote": "192.0.2.2", "state": "present"}`,
	`{"conn_name": "ib0", "type": "infiniband", "transport_mode": "connected", "state": "present"}`,
	`{"conn_name": "dummy0", "type": "dummy", "state": "present"}`,
	`{"conn_name": "wlan", "type": "wifi", "ssid": "lab", "wifi": {"hidden": true, "mode": "infrastructure"}, "wifi_sec": {"key-mgmt": "wpa-psk", "psk": "s3cret"}, "state": "present"}`,
	`{"conn_name": "mobile", "type": "gsm", "gsm": {"apn": "internet", "pin-flags": 0, "username": "u"}, "state": "present"}`,
	`{"conn_name": "mv", "type": "macvlan", "macvlan": {"mode": 2, "parent": "eth0", "promiscuous": true}, "state": "present"}`,
	`{"conn_name": "wg0", "type": "wireguard", "ip4": ["10.9.0.1/24"], "wireguard": {"listen-port": 51820, "private-key": "key"}, "state": "present"}`,
	`{"conn_name": "vpn1", "type": "vpn", "vpn": {"gateway": "vpn.example.org", "ipsec-enabled": true, "permissions": "user1", "service-type": "org.freedesktop.NetworkManager.l2tp"}, "state": "present"}`,
	`{"conn_name": "gen", "type": "generic", "ifname": "tun0", "state": "present"}`,
}

// TestNmcliCommandLinesMatchPython compares the `nmcli con add` and `nmcli
// con modify` command lines (and `nmcli con edit`'s commands) with those
// community.general's own Nmcli class builds from the same parameters
// (testdata/nmcli_reference.py runs it with run_command recorded).
func TestNmcliCommandLinesMatchPython(t *testing.T) {
	py := exec.Command("/usr/bin/python3", "testdata/nmcli_reference.py")
	py.Stdin = strings.NewReader("[" + strings.Join(nmcliCases, ",") + "]")
	out, err := py.Output()
	if err != nil {
		t.Skipf("the Python module does not run here: %v", err)
	}
	var want []struct {
		Create, Modify, Edit []string
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range nmcliCases {
		for _, create := range []bool{true, false} {
			n := nmcliFor(t, c)
			args, err := n.updateArgs(create)
			if err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			got := append([]string{"/usr/bin/nmcli"}, args...)
			ref := want[i].Modify
			if create {
				ref = want[i].Create
			}
			if !slices.Equal(got, ref) {
				t.Errorf("%s (create %v):\ngorun  %q\nPython %q", c, create, got, ref)
			}
			if !slices.Equal(n.editCommands, want[i].Edit) && len(n.editCommands)+len(want[i].Edit) > 0 {
				t.Errorf("%s: edit commands %q, Python %q", c, n.editCommands, want[i].Edit)
			}
		}
	}
}

// nmcliFor validates a JSON parameter set with the module's spec.
func nmcliFor(t *testing.T, params string) *nmcli {
	t.Helper()
	v, err := value.FromJSON([]byte(params))
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]any{}
	for _, k := range value.Keys(v) {
		raw[k], _ = value.Lookup(v, k)
	}
	args, err := nmcliDoc.Validate(raw)
	if err != nil {
		t.Fatalf("%s: %v", params, err)
	}
	n := newNmcli(nil, args)
	n.bin = "/usr/bin/nmcli"
	return n
}

// TestNmcliCompare checks the idempotency comparison with what nmcli
// shows for a connection the module made.
func TestNmcliCompare(t *testing.T) {
	shown := `connection.id:                          br0
connection.interface-name:              br0
connection.autoconnect:                 yes
connection.zone:                        --
ipv4.method:                            manual
ipv4.dns:                               192.0.2.53,192.0.2.54
ipv4.addresses:                         192.0.2.2/32, 192.0.2.1/24
ipv4.gateway:                           192.0.2.254
ipv4.routes:                            { ip = 203.0.113.0/24, nh = 192.0.2.1, mt = 5 }; { ip = 198.51.100.0/24, nh = 192.0.2.1, table=10 }
ipv4.ignore-auto-routes:                no
ipv4.ignore-auto-dns:                   no
ipv4.never-default:                     no
ipv4.may-fail:                          yes
ipv6.ignore-auto-routes:                no
ipv6.ignore-auto-dns:                   no
ipv6.ip6-privacy:                       -1 (unknown)
bridge.stp:                             no
bridge.priority:                        32768
bridge.forward-delay:                   15
bridge.hello-time:                      2
bridge.max-age:                         20
bridge.ageing-time:                     300
`
	info := parseConnection(shown)
	if got := info["ipv4.routes"]; !slices.Equal(routeParams(got.([]string)), []string{"203.0.113.0/24 192.0.2.1 5", "198.51.100.0/24 192.0.2.1 table=10"}) {
		t.Errorf("routes parse as %q", routeParams(got.([]string)))
	}
	if info["ipv6.ip6-privacy"] != "-1" || info["connection.zone"] != nil {
		t.Errorf("enum or empty values parse wrong: %q %v", info["ipv6.ip6-privacy"], info["connection.zone"])
	}
	base := `"conn_name": "br0", "type": "bridge", "state": "present", "ifname": "br0", "stp": false, "dns4": ["192.0.2.54", "192.0.2.53"], "gw4": "192.0.2.254", "priority": 32768`
	for _, c := range []struct {
		extra   string
		changed bool
	}{
		// DNS servers compare as sets, addresses in order.
		{`"ip4": ["192.0.2.2", "192.0.2.1/24"]`, false},
		{`"ip4": ["192.0.2.1/24", "192.0.2.2"]`, true},
		{`"ip4": ["192.0.2.2", "192.0.2.1/24"], "routes4": ["203.0.113.0/24 192.0.2.1 5", "198.51.100.0/24 192.0.2.1 table=10"]`, false},
		{`"ip4": ["192.0.2.2", "192.0.2.1/24"], "routes4": ["203.0.113.0/24 192.0.2.1 6"]`, true},
		{`"ip4": ["192.0.2.2", "192.0.2.1/24"], "zone": "public"`, true},
		{`"ip4": ["192.0.2.2", "192.0.2.1/24"], "autoconnect": false`, true},
		{`"ip4": ["192.0.2.2", "192.0.2.1/24"], "forwarddelay": 4`, true},
	} {
		n := nmcliFor(t, "{"+base+", "+c.extra+"}")
		opts, err := n.connectionOptions(true)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(nmSettings{{"connection.interface-name", "br0"}}, opts...)
		if got, d := n.compare(info, opts); got != c.changed {
			t.Errorf("%s: changed %v, want %v\n%v", c.extra, got, c.changed, d)
		}
	}
}
