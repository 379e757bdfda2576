package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// testIptables runs iptables tasks under both engines, each on its own
// lab host (every lab host has its own network namespace, so its own
// tables), and compares the results and the rules left behind.
func testIptables(t *testing.T, l *labdiff.Lab) {
	keys := []string{"rule", "chain", "table", "state", "flush", "ip_version", "msg"}
	ipt := func(args string) step { return step{Module: "iptables", Args: args, Keys: keys} }
	steps := []step{
		ipt(`{chain: INPUT, source: 192.0.2.7, jump: DROP}`),
		ipt(`{chain: INPUT, source: 192.0.2.7, jump: DROP}`),
		ipt(`{chain: INPUT, protocol: tcp, destination_port: "22", ctstate: [NEW], syn: match, jump: ACCEPT, comment: "Accept new SSH"}`),
		ipt(`{chain: INPUT, protocol: tcp, destination_ports: ["80", "443:445"], jump: ACCEPT, action: insert, rule_num: "1"}`),
		ipt(`{table: nat, chain: PREROUTING, in_interface: eth0, protocol: tcp, match: [tcp], destination_port: "80", jump: REDIRECT, to_ports: "8600"}`),
		ipt(`{table: nat, chain: POSTROUTING, out_interface: eth0, source: 10.1.0.0/16, jump: MASQUERADE}`),
		ipt(`{chain: FORWARD, src_range: 192.168.1.100-192.168.1.199, dst_range: 10.0.0.1-10.0.0.50, jump: ACCEPT}`),
		ipt(`{chain: INPUT, protocol: icmp, icmp_type: echo-request, limit: 5/second, limit_burst: "10", jump: ACCEPT}`),
		ipt(`{chain: INPUT, log_prefix: "dropped: ", log_level: info, protocol: udp}`),
		ipt(`{chain: INPUT, source: "!10.9.9.9", protocol: tcp, tcp_flags: {flags: [ALL], flags_set: [ACK, RST, SYN, FIN]}, jump: DROP}`),
		ipt(`{chain: INPUT, protocol: tcp, source: 203.0.113.5, reject_with: tcp-reset}`),
		ipt(`{chain: gorun-test, chain_management: true, jump: RETURN, source: 198.51.100.1}`),
		ipt(`{chain: INPUT, source: 192.0.2.8, jump: DROP, state: absent}`),
		ipt(`{chain: INPUT, source: 192.0.2.7, jump: DROP, state: absent}`),
		{Module: "iptables", Args: `{chain: INPUT, source: 192.0.2.9, jump: DROP}`, Check: true, Keys: keys},
		ipt(`{chain: FORWARD, policy: DROP}`),
		ipt(`{chain: FORWARD, policy: DROP}`),
		ipt(`{chain: INPUT, log_prefix: "x", jump: ACCEPT}`),
		ipt(`{source: 1.2.3.4}`),
		ipt(`{chain: gorun-test, flush: true}`),
		ipt(`{chain: gorun-test, chain_management: true, state: absent}`),
		ipt(`{chain: nosuchchain, state: absent}`),
		ipt(`{table: raw, chain: PREROUTING, protocol: udp, destination_port: "53", jump: CT, wait: "5"}`),
	}
	l.DiffPlay(t, steps)
	rules := l.Same(t, "for t in filter nat raw; do iptables-save -t $t | grep -v '^[#:]'; done")
	if !strings.Contains(rules, "-A INPUT -p tcp -m multiport --dports 80,443:445 -j ACCEPT") {
		t.Errorf("the inserted multiport rule is missing:\n%s", rules)
	}
	l.Same(t, "iptables -S FORWARD | head -1; iptables -L gorun-test 2>&1 | head -1")
}
