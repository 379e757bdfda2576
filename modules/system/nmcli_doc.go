package system

import "gorun/engine/module"

// nmcliDoc is community.general.nmcli's argument spec (as ansible-doc
// lists it; wifi, wifi_sec, gsm, wireguard and vpn are free dicts in the
// module's argument_spec, their documented keys are nmcli's properties).
var nmcliDoc = &module.Doc{
	Name:  "nmcli",
	Names: []string{"community.general.nmcli"},
	Short: "Manage Networking",
	Description: []string{
		"Manage the network devices. Create, modify and manage various connection and device type e.g., ethernet, teams, bonds, vlans etc.",
		"gorun runs the target's nmcli with the command lines of community.general's module: `nmcli con show` to read a connection and compare it, `nmcli con add` or `nmcli con modify` to change it, `nmcli con edit` for secrets.",
	},
	Options: []module.Option{
		{Name: "addr_gen_mode6", Choices: []any{"default", "default-or-eui64", "eui64", "stable-privacy"}, Description: "Configure method for creating the address for use with IPv6 Stateless Address Autoconfiguration."},
		{Name: "ageingtime", Type: "int", Default: 300, Description: "This is only used with bridge - [ageing-time <0-1000000>] the Ethernet MAC address aging time, in seconds."},
		{Name: "arp_interval", Type: "int", Description: "This is only used with bond - ARP interval."},
		{Name: "arp_ip_target", Description: "This is only used with bond - ARP IP target."},
		{Name: "autoconnect", Type: "bool", Default: true, Description: "Whether the connection should start on boot."},
		{Name: "conn_name", Required: true, Description: "The name used to call the connection. Pattern is <type>[-<ifname>][-<num>]."},
		{Name: "dhcp_client_id", Description: "DHCP Client Identifier sent to the DHCP server."},
		{Name: "dns4", Type: "list", Elements: "str", Description: "A list of up to 3 DNS servers."},
		{Name: "dns4_ignore_auto", Type: "bool", Default: false, Description: "Ignore automatically configured IPv4 name servers."},
		{Name: "dns4_search", Type: "list", Elements: "str", Description: "A list of DNS search domains."},
		{Name: "dns6", Type: "list", Elements: "str", Description: "A list of up to 3 DNS servers."},
		{Name: "dns6_ignore_auto", Type: "bool", Default: false, Description: "Ignore automatically configured IPv6 name servers."},
		{Name: "dns6_search", Type: "list", Elements: "str", Description: "A list of DNS search domains."},
		{Name: "downdelay", Type: "int", Description: "This is only used with bond - downdelay."},
		{Name: "egress", Description: "This is only used with VLAN - VLAN egress priority mapping."},
		{Name: "flags", Description: "This is only used with VLAN - flags."},
		{Name: "forwarddelay", Type: "int", Default: 15, Description: "This is only used with bridge - [forward-delay <2-30>] STP forwarding delay, in seconds."},
		{Name: "gsm", Type: "dict", Description: "The configuration of the GSM connection."},
		{Name: "gw4", Description: "The IPv4 gateway for this interface."},
		{Name: "gw4_ignore_auto", Type: "bool", Default: false, Description: "Ignore automatically configured IPv4 routes."},
		{Name: "gw6", Description: "The IPv6 gateway for this interface."},
		{Name: "gw6_ignore_auto", Type: "bool", Default: false, Description: "Ignore automatically configured IPv6 routes."},
		{Name: "hairpin", Type: "bool", Description: "This is only used with 'bridge-slave' - 'hairpin mode' for the slave, which allows frames to be sent back out through the slave the frame was received on."},
		{Name: "hellotime", Type: "int", Default: 2, Description: "This is only used with bridge - [hello-time <1-10>] STP hello time, in seconds."},
		{Name: "ifname", Description: "The interface to bind the connection to."},
		{Name: "ignore_unsupported_suboptions", Type: "bool", Default: false, Description: "Ignore suboptions which are invalid or unsupported by the version of NetworkManager/nmcli installed on the host."},
		{Name: "ingress", Description: "This is only used with VLAN - VLAN ingress priority mapping."},
		{Name: "ip4", Type: "list", Elements: "str", Description: "List of IPv4 addresses to this interface."},
		{Name: "ip6", Type: "list", Elements: "str", Description: "List of IPv6 addresses to this interface."},
		{Name: "ip_privacy6", Choices: []any{"disabled", "prefer-public-addr", "prefer-temp-addr", "unknown"}, Description: "If enabled, it makes the kernel generate a temporary IPv6 address in addition to the public one."},
		{Name: "ip_tunnel_dev", Description: "This is used with GRE/IPIP/SIT - parent device this GRE/IPIP/SIT tunnel, can use ifname."},
		{Name: "ip_tunnel_input_key", Description: "The key used for tunnel input packets."},
		{Name: "ip_tunnel_local", Description: "This is used with GRE/IPIP/SIT - GRE/IPIP/SIT local IP address."},
		{Name: "ip_tunnel_output_key", Description: "The key used for tunnel output packets."},
		{Name: "ip_tunnel_remote", Description: "This is used with GRE/IPIP/SIT - GRE/IPIP/SIT destination IP address."},
		{Name: "mac", Description: "MAC address of the connection."},
		{Name: "macvlan", Type: "dict", Description: "The configuration of the MAC VLAN connection.", Suboptions: []module.Option{
			{Name: "mode", Type: "int", Required: true, Choices: []any{1, 2, 3, 4, 5}, Description: "The macvlan mode, which specifies the communication mechanism between multiple macvlans on the same lower device."},
			{Name: "parent", Required: true, Description: "If given, specifies the parent interface name or parent connection UUID from which this MAC-VLAN interface should be created. If this property is not specified, the connection must contain an \"802-3-ethernet\" setting with a \"mac-address\" property."},
			{Name: "promiscuous", Type: "bool", Description: "Whether the interface should be put in promiscuous mode."},
			{Name: "tap", Type: "bool", Description: "Whether the interface should be a MACVTAP."},
		}},
		{Name: "master", Description: "Master <master (ifname, or connection UUID or conn_name) of bridge, team, bond master connection profile."},
		{Name: "maxage", Type: "int", Default: 20, Description: "This is only used with bridge - [max-age <6-42>] STP maximum message age, in seconds."},
		{Name: "may_fail4", Type: "bool", Default: true, Description: "If you need I(ip4) configured before C(network-online.target) is reached, set this option to C(false)."},
		{Name: "method4", Choices: []any{"auto", "link-local", "manual", "shared", "disabled"}, Description: "Configuration method to be used for IPv4."},
		{Name: "method6", Choices: []any{"ignore", "auto", "dhcp", "link-local", "manual", "shared", "disabled"}, Description: "Configuration method to be used for IPv6"},
		{Name: "miimon", Type: "int", Description: "This is only used with bond - miimon."},
		{Name: "mode", Default: "balance-rr", Choices: []any{"802.3ad", "active-backup", "balance-alb", "balance-rr", "balance-tlb", "balance-xor", "broadcast"}, Description: "This is the type of device or network connection that you wish to create for a bond or bridge."},
		{Name: "mtu", Type: "int", Description: "The connection MTU, e.g. 9000. This can't be applied when creating the interface and is done once the interface has been created."},
		{Name: "never_default4", Type: "bool", Default: false, Description: "Set as default route."},
		{Name: "path_cost", Type: "int", Default: 100, Description: "This is only used with 'bridge-slave' - [<1-65535>] - STP port cost for destinations via this slave."},
		{Name: "primary", Description: "This is only used with bond and is the primary interface name (for \"active-backup\" mode), this is the usually the 'ifname'."},
		{Name: "priority", Type: "int", Default: 128, Description: "This is only used with 'bridge' - sets STP priority."},
		{Name: "route_metric4", Type: "int", Description: "Set metric level of ipv4 routes configured on interface."},
		{Name: "route_metric6", Type: "int", Description: "Set metric level of IPv6 routes configured on interface."},
		{Name: "routes4", Type: "list", Elements: "str", Description: "The list of IPv4 routes."},
		{Name: "routes4_extended", Type: "list", Elements: "dict", Description: "The list of IPv4 routes.", Suboptions: []module.Option{
			{Name: "cwnd", Type: "int", Description: "The clamp for congestion window."},
			{Name: "ip", Required: true, Description: "IP or prefix of route."},
			{Name: "metric", Type: "int", Description: "Route metric."},
			{Name: "mtu", Type: "int", Description: "If non-zero, only transmit packets of the specified size or smaller."},
			{Name: "next_hop", Description: "Use the format C(192.0.2.1)."},
			{Name: "onlink", Type: "bool", Description: "Pretend that the nexthop is directly attached to this link, even if it does not match any interface prefix."},
			{Name: "table", Type: "int", Description: "The table to add this route to."},
			{Name: "tos", Type: "int", Description: "The Type Of Service."},
		}},
		{Name: "routes6", Type: "list", Elements: "str", Description: "The list of IPv6 routes."},
		{Name: "routes6_extended", Type: "list", Elements: "dict", Description: "The list of IPv6 routes but with parameters.", Suboptions: []module.Option{
			{Name: "cwnd", Type: "int", Description: "The clamp for congestion window."},
			{Name: "ip", Required: true, Description: "IP or prefix of route."},
			{Name: "metric", Type: "int", Description: "Route metric."},
			{Name: "mtu", Type: "int", Description: "If non-zero, only transmit packets of the specified size or smaller."},
			{Name: "next_hop", Description: "Use the format C(2001:dead:beef::1)."},
			{Name: "onlink", Type: "bool", Description: "Pretend that the nexthop is directly attached to this link, even if it does not match any interface prefix."},
			{Name: "table", Type: "int", Description: "The table to add this route to."},
		}},
		{Name: "routing_rules4", Type: "list", Elements: "str", Description: "Is the same as in an C(ip route add) command, except always requires specifying a priority."},
		{Name: "runner", Default: "roundrobin", Choices: []any{"broadcast", "roundrobin", "activebackup", "loadbalance", "lacp"}, Description: "This is the type of device or network connection that you wish to create for a team."},
		{Name: "runner_fast_rate", Type: "bool", Description: "Option specifies the rate at which our link partner is asked to transmit LACPDU packets. If this is C(true) then packets will be sent once per second. Otherwise they will be sent every 30 seconds."},
		{Name: "runner_hwaddr_policy", Choices: []any{"same_all", "by_active", "only_active"}, Description: "This defines the policy of how hardware addresses of team device and port devices should be set during the team lifetime."},
		{Name: "slavepriority", Type: "int", Default: 32, Description: "This is only used with 'bridge-slave' - [<0-63>] - STP priority of this slave."},
		{Name: "ssid", Description: "Name of the Wireless router or the access point."},
		{Name: "state", Required: true, Choices: []any{"absent", "present"}, Description: "Whether the device should exist or not, taking action if the state is different from what is stated."},
		{Name: "stp", Type: "bool", Default: true, Description: "This is only used with bridge and controls whether Spanning Tree Protocol (STP) is enabled for this bridge."},
		{Name: "transport_mode", Choices: []any{"datagram", "connected"}, Description: "This option sets the connection type of Infiniband IPoIB devices."},
		{Name: "type", Choices: []any{"bond", "bond-slave", "bridge", "bridge-slave", "dummy", "ethernet", "generic", "gre", "infiniband", "ipip", "macvlan", "sit", "team", "team-slave", "vlan", "vxlan", "wifi", "gsm", "wireguard", "vpn"}, Description: "This is the type of device or network connection that you wish to create or modify."},
		{Name: "updelay", Type: "int", Description: "This is only used with bond - updelay."},
		{Name: "vlandev", Description: "This is only used with VLAN - parent device this VLAN is on, can use ifname."},
		{Name: "vlanid", Type: "int", Description: "This is only used with VLAN - VLAN ID in range <0-4095>."},
		{Name: "vpn", Type: "dict", Description: "Configuration of a VPN connection (PPTP and L2TP)."},
		{Name: "vxlan_id", Type: "int", Description: "This is only used with VXLAN - VXLAN ID."},
		{Name: "vxlan_local", Description: "This is only used with VXLAN - VXLAN local IP address."},
		{Name: "vxlan_remote", Description: "This is only used with VXLAN - VXLAN destination IP address."},
		{Name: "wifi", Type: "dict", Description: "The configuration of the WiFi connection."},
		{Name: "wifi_sec", Type: "dict", Description: "The security configuration of the WiFi connection."},
		{Name: "wireguard", Type: "dict", Description: "The configuration of the Wireguard connection."},
		{Name: "xmit_hash_policy", Description: "This is only used with bond - xmit_hash_policy type."},
		{Name: "zone", Description: "The trust level of the connection."},
	},
	MutuallyExclusive: [][]string{{"never_default4", "gw4"}, {"routes4_extended", "routes4"}, {"routes6_extended", "routes6"}},
	RequiredIf:        []module.RequiredIf{{Key: "type", Value: "wifi", Requires: []string{"ssid"}}},
	Check:             module.Full,
	Diff:              module.Full,
	Notes: []string{
		"This module needs NetworkManager's nmcli on the target; no Python libraries.",
	},
	Examples: `- name: Create a bridge for KVM guests
  community.general.nmcli:
    type: bridge
    conn_name: br0
    ifname: br0
    ip4: 192.0.2.10/24
    gw4: 192.0.2.1
    dns4: [192.0.2.53]
    stp: false
    state: present

- name: Enslave eth1 to the bridge
  community.general.nmcli:
    type: bridge-slave
    conn_name: br0-port-eth1
    ifname: eth1
    master: br0
    hairpin: false
    state: present

- name: A bond of two interfaces in active-backup mode
  community.general.nmcli:
    type: bond
    conn_name: bond0
    mode: active-backup
    miimon: 100
    ip4: 198.51.100.5/24
    state: present

- name: VLAN 100 on bond0
  community.general.nmcli:
    type: vlan
    conn_name: bond0.100
    vlandev: bond0
    vlanid: 100
    method4: disabled
    method6: disabled
    state: present

- name: Remove a connection
  community.general.nmcli:
    conn_name: br0-port-eth1
    state: absent`,
	Returns: []module.Return{
		{Name: "conn_name", Description: "The connection's name.", Returned: "always", Type: "str", Sample: "br0"},
		{Name: "state", Description: "The state asked for.", Returned: "always", Type: "str", Sample: "present"},
		{Name: "Exists", Description: "Whether an existing connection was modified.", Returned: "when the connection existed", Type: "str", Sample: "Connections do exist so we are modifying them"},
		{Name: "Connection", Description: "The connection that was added.", Returned: "when a connection was added", Type: "str", Sample: "Connection br0 of Type bridge is being added"},
		{Name: "stdout", Description: "nmcli's output.", Returned: "when nmcli printed something", Type: "str"},
		{Name: "stderr", Description: "nmcli's error output.", Returned: "when nmcli printed errors", Type: "str"},
	},
}
