package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// nmStart starts a system bus and NetworkManager inside a lab host. NM
// sees only the host's network namespace; eth0 (the lab's link, which
// carries SSH) stays unmanaged and no automatic profiles are made.
const nmStart = `mkdir -p /etc/NetworkManager/conf.d /run/dbus
cat > /etc/NetworkManager/conf.d/99-gorun-lab.conf <<'EOF'
[main]
plugins=keyfile
no-auto-default=*
[keyfile]
unmanaged-devices=interface-name:eth0;interface-name:lo
EOF
dbus-daemon --system --fork
(NetworkManager --no-daemon >/var/log/gorun-nm.log 2>&1 &)
for i in $(seq 1 60); do nmcli -t -f RUNNING general 2>/dev/null | grep -q running && exit 0; sleep 0.5; done
echo "NetworkManager did not start"; cat /var/log/gorun-nm.log; exit 1`

// nmShow prints the connections the steps leave, as `nmcli -t con show
// NAME` does, without what differs between any two hosts (UUIDs, times,
// the master's UUID where NM resolved the name).
const nmShow = `for c in $(nmcli -t -f NAME con show | sort); do
  echo "== $c"
  nmcli -t con show "$c" | grep -v -e '^connection.uuid:' -e '^connection.timestamp:' -e '^GENERAL\.' -e '^IP[46]\.' -e '^DHCP[46]\.' -e '^connection.master:'
done`

// startNetworkManager runs nmStart on both hosts of l.
func startNetworkManager(t *testing.T, l *labdiff.Lab) {
	for _, h := range []string{l.Ansible, l.Mine} {
		if out, err := l.Exec(h, "sh", "-c", nmStart); err != nil {
			t.Fatalf("%s: %v\n%s", h, err, out)
		}
	}
}

// nmcliPart runs community.general.nmcli against a real NetworkManager in
// each host (startNetworkManager): the KVM hosts' bridge with a port, a
// bond with a slave and a VLAN on it, an ethernet profile, changes, check
// mode, diff and removal.
func nmcliPart() labdiff.Part {
	keys := []string{"conn_name", "state", "Exists", "Connection", "msg", "name"}
	nm := func(args string) step { return step{Module: "community.general.nmcli", Args: args, Keys: keys} }
	check := func(s step) step { s.Check = true; return s }
	diff := func(s step) step { s.Diff = true; s.Keys = append(s.Keys, "diff"); return s }
	br := "{type: bridge, conn_name: br0, ifname: br0, ip4: 192.0.2.10/24, gw4: 192.0.2.1, dns4: [192.0.2.53], stp: false, state: present}"
	steps := []step{
		check(nm(br)),
		nm(br),
		nm(br),
		diff(check(nm("{type: bridge, conn_name: br0, ifname: br0, ip4: [192.0.2.11/24, 192.0.2.12], gw4: 192.0.2.1, dns4: [192.0.2.53], stp: false, state: present}"))),
		diff(nm("{type: bridge, conn_name: br0, ifname: br0, ip4: [192.0.2.11/24, 192.0.2.12], gw4: 192.0.2.1, dns4: [192.0.2.53], stp: true, priority: 4096, forwarddelay: 4, state: present}")),
		diff(nm("{type: bridge, conn_name: br0, ifname: br0, ip4: [192.0.2.11/24, 192.0.2.12], gw4: 192.0.2.1, dns4: [192.0.2.53], stp: true, priority: 4096, forwarddelay: 4, state: present}")),
		nm("{type: bridge-slave, conn_name: br0-port, ifname: gdummy0, master: br0, hairpin: false, path_cost: 50, state: present}"),
		nm("{type: bridge-slave, conn_name: br0-port, ifname: gdummy0, master: br0, hairpin: false, path_cost: 50, state: present}"),
		nm("{type: bond, conn_name: bond0, ifname: bond0, mode: active-backup, miimon: 100, primary: gdummy1, method4: disabled, method6: disabled, state: present}"),
		nm("{type: bond, conn_name: bond0, ifname: bond0, mode: active-backup, miimon: 100, primary: gdummy1, method4: disabled, method6: disabled, state: present}"),
		// NM refuses this (bond0 keeps primary, which 802.3ad has not): both must fail alike.
		nm("{type: bond, conn_name: bond0, ifname: bond0, mode: 802.3ad, xmit_hash_policy: layer3+4, method4: disabled, method6: disabled, state: present}"),
		nm("{type: bond, conn_name: bond0, ifname: bond0, mode: balance-alb, miimon: 200, method4: disabled, method6: disabled, state: present}"),
		nm("{type: bond-slave, conn_name: bond0-slave, ifname: gdummy1, master: bond0, state: present}"),
		nm("{type: vlan, conn_name: bond0.100, vlandev: bond0, vlanid: 100, ip4: [198.51.100.5/24], ip6: [2001:db8::5/64], method6: manual, state: present}"),
		nm("{type: vlan, conn_name: bond0.100, vlandev: bond0, vlanid: 100, ip4: [198.51.100.5/24], ip6: [2001:db8::5/64], method6: manual, state: present}"),
		nm("{type: ethernet, conn_name: lan1, ifname: gdummy2, method4: auto, may_fail4: false, autoconnect: false, zone: internal, routes4: ['203.0.113.0/24 192.0.2.254'], state: present}"),
		nm("{type: ethernet, conn_name: lan1, ifname: gdummy2, method4: auto, may_fail4: false, autoconnect: false, zone: internal, routes4: ['203.0.113.0/24 192.0.2.254'], state: present}"),
		diff(nm("{conn_name: lan1, ifname: gdummy2, autoconnect: true, state: present}")),
		// DNS servers on an ethernet profile make the module bring it up
		// after adding it; there is no such device here, so NM refuses.
		nm("{type: ethernet, conn_name: lan2, ifname: gdummy3, ip4: 192.0.2.30/24, dns4: [192.0.2.53], mtu: 1400, state: present}"),
		nm("{type: team, conn_name: team0, runner: roundrobin, runner_fast_rate: true, state: present}"),
		nm("{type: macvlan, conn_name: mv0, state: present}"),
		check(nm("{conn_name: br0-port, state: absent}")),
		nm("{conn_name: br0-port, state: absent}"),
		nm("{conn_name: br0-port, state: absent}"),
		shell(nmShow),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		out, _ := got[len(got)-1]["stdout"].(string)
		for _, want := range []string{"== br0\n", "bridge.stp:yes", "bridge.priority:4096", "vlan.id:100", "bond.options:mode=balance-alb,miimon=200,primary=gdummy1", "connection.zone:internal"} {
			if !strings.Contains(out, want) {
				t.Errorf("the connections lack %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "br0-port") {
			t.Errorf("br0-port is still there:\n%s", out)
		}
	}}
}
