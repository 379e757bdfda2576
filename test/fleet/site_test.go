package fleet

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// labDomain is fleet_domain in inventories/lab/group_vars/all.yml.
const labDomain = "lab.example.org"

// repoRoot is the repository's root, where roles/, playbooks/ and
// inventories/ live, seen from this package's directory.
var repoRoot = filepath.Join("..", "..")

// playbook runs a playbook of the repository with ansible-playbook or
// gorun (bin) on the inventory inv and returns the run.
func playbook(t *testing.T, bin, inv string, args ...string) e2e.Result {
	t.Helper()
	abs, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	opts := e2e.Options{Dir: abs, Timeout: 20 * time.Minute}
	args = append([]string{"-i", inv, "playbooks/site.yml"}, args...)
	var res e2e.Result
	if bin == "" {
		// Pipelined, Ansible runs each module with one SSH command instead
		// of four (make a temporary directory, copy the module over, make
		// it executable, run and remove it); the recaps the test compares
		// are the same either way, and the run costs less CPU.
		opts.Env = []string{"ANSIBLE_PIPELINING=True"}
		res = e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
	} else {
		res = e2e.Run(t, bin, args, opts)
	}
	t.Logf("timing: site.yml %s: %.1fs", strings.Join(args[3:], " "), res.Duration.Seconds())
	return res
}

// hostNames returns the names of the lab's hosts.
func hostNames(lab *labenv.Lab) []string {
	var names []string
	for _, h := range lab.Hosts {
		names = append(names, h.Name)
	}
	return names
}

// checkRecap fails the test unless every host of hosts is in the recap
// with no failures and, unless changedAllowed, no changes.
func checkRecap(t *testing.T, what string, hosts []string, res e2e.Result, changedAllowed bool) {
	t.Helper()
	recaps := ParseRecap(res.Stdout)
	for _, h := range hosts {
		r, ok := recaps[h]
		switch {
		case !ok:
			t.Errorf("%s: %s missing from the recap", what, h)
		case r.Failed > 0 || r.Unreachable > 0:
			t.Errorf("%s: %s failed=%d unreachable=%d", what, h, r.Failed, r.Unreachable)
		case !changedAllowed && r.Changed > 0:
			t.Errorf("%s: %s changed=%d, want 0", what, h, r.Changed)
		}
	}
	if res.ExitCode != 0 || t.Failed() {
		t.Fatalf("%s: exit %d\n%s\n%s", what, res.ExitCode, res.Stdout, res.Stderr)
	}
}

// missingModule is how gorun (like ansible-playbook) names a module it
// does not have.
// A module Ansible knows but gorun does not fails only the task that runs it.
var missingModule = regexp.MustCompile(`(?:couldn't resolve module/action|the module) '([^']+)'(?:\. This| is not implemented by gorun)`)

// siteRun is one engine's convergence of playbooks/site.yml on a fresh lab
// of its own.
type siteRun struct {
	engine string      // "ansible-playbook" or "gorun"
	first  *e2e.Result // the first run, once it converged
}

// TestSite runs playbooks/site.yml with the lab inventory's groups on two
// fresh labs at once, one under ansible-playbook and one under gorun. On
// each the first run converges and the services answer; the two first
// runs' recaps must be the same. On gorun's lab, besides, the second run
// changes nothing and a check run with one changed variable shows exactly
// that change. Ansible's lab gets no second and check run: they would only
// test the roles under Ansible, not gorun, and ansible-playbook's runs are
// the longest part of the test.
func TestSite(t *testing.T) {
	if testing.Short() {
		t.Skip("installs packages on lab hosts; skipped in -short")
	}
	runs := []*siteRun{{engine: "ansible-playbook"}, {engine: "gorun"}}
	t.Run("engines", func(t *testing.T) {
		for _, r := range runs {
			t.Run(r.engine, func(t *testing.T) {
				t.Parallel()
				r.converge(t)
			})
		}
	})
	want, got := runs[0].first, runs[1].first
	if want == nil || got == nil {
		t.Skip("an engine did not converge its lab; no recaps to compare")
	}
	wantRecap, gotRecap := ParseRecap(want.Stdout), ParseRecap(got.Stdout)
	for h, w := range wantRecap {
		if g := gotRecap[h]; g != w {
			t.Errorf("first run's recap of %s: gorun %+v, ansible-playbook %+v", h, g, w)
		}
	}
	if t.Failed() {
		t.Logf("ansible-playbook:\n%s\ngorun:\n%s", want.Stdout, got.Stdout)
	}
}

// prepareHosts readies every host of lab, all at once, for the packages
// the roles install: their package index updated, as a fresh machine
// needs, and man-db's index not rebuilt after each install (its documented
// switch, /var/lib/man-db/auto-update), which nobody reads on a lab host
// and which costs about half the CPU of each install. apt-get runs in the
// host directly: preparing the hosts is not part of what the engines are
// compared on, and an ad-hoc Ansible run to do it costs more CPU than the
// updates themselves.
func prepareHosts(t *testing.T, lab *labenv.Lab) {
	t.Helper()
	start := time.Now()
	errs := make([]error, len(lab.Hosts))
	var wg sync.WaitGroup
	for i, h := range lab.Hosts {
		wg.Go(func() {
			_, errs[i] = lab.Exec(h.Name, "sh", "-c", "rm -f /var/lib/man-db/auto-update && apt-get update -qq")
		})
	}
	wg.Wait()
	t.Logf("timing: preparing the hosts: %.1fs", time.Since(start).Seconds())
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("preparing the lab hosts: %v", err)
	}
}

// converge runs site.yml with r's engine on a fresh lab and checks the
// outcome.
func (r *siteRun) converge(t *testing.T) {
	lab := labenv.ForTest(t, 3)
	inv := LabInventory(t, lab, repoRoot)
	bin := ""
	if r.engine == "gorun" {
		bin = e2e.Gorun(t)
	}

	prepareHosts(t, lab)

	first := playbook(t, bin, inv)
	if m := missingModule.FindStringSubmatch(first.Stdout + first.Stderr); bin != "" && m != nil {
		t.Skipf("gorun lacks module %s (exit %d); reporting, not failing", m[1], first.ExitCode)
	}
	checkRecap(t, "first run", hostNames(lab), first, true)
	r.first = &first
	if bin != "" {
		second := playbook(t, bin, inv)
		checkRecap(t, "second run", hostNames(lab), second, false)
	}

	for _, h := range lab.Hosts {
		got, err := ZabbixGet(h.Addr+":10050", "agent.ping", 5*time.Second)
		if err != nil || got != "1" {
			t.Errorf("agent.ping on %s: %q, %v; want \"1\"", h.Name, got, err)
		}
	}
	checkCoreServices(t, lab)
	checkKVMHost(t, lab)
	checkOfficeServer(t, lab)

	if bin == "" {
		return
	}
	h1 := lab.Hosts[0].Name
	check := playbook(t, bin, inv, "--check", "--diff", "--limit", h1, "-e", "zabbix_agent_timeout=7")
	checkRecap(t, "check run", []string{h1}, check, true)
	// The changed configuration and the restart it notifies, nothing else.
	want := []string{"zabbix-agent : Configure the agent", "zabbix-agent : Restart zabbix-agent"}
	if got := ChangedTasks(check.Stdout, h1); !slices.Equal(got, want) {
		t.Errorf("check run with zabbix_agent_timeout=7 changed %q on %s, want %q\n%s", got, h1, want, check.Stdout)
	}
	if !strings.Contains(check.Stdout, "-Timeout=3\n+Timeout=7\n") {
		t.Errorf("check run's diff does not show Timeout 3 -> 7:\n%s", check.Stdout)
	}
}

// checkCoreServices checks what dns-dhcp-ldap-ntp set up on the lab's
// core_services host, h1 (inventories/lab/fleet.yml): named answers the
// fleet's names and reverse lookups, dhcpd's configuration passes
// `dhcpd -t`, dhcpd, chronyd and slapd run, and slapd answers ldapsearch
// with the base entries.
func checkCoreServices(t *testing.T, lab *labenv.Lab) {
	t.Helper()
	core := lab.Hosts[0]
	r := Resolver(core.Addr + ":53")
	ctx, cancel := context.WithTimeout(context.Background(), LookupTimeout)
	defer cancel()
	for _, h := range lab.Hosts {
		name := h.Name + "." + labDomain
		addrs, err := r.LookupHost(ctx, name)
		if err != nil || !slices.Equal(addrs, []string{h.Addr}) {
			t.Errorf("named on %s: %s -> %q, %v; want [%s]", core.Name, name, addrs, err, h.Addr)
		}
		names, err := r.LookupAddr(ctx, h.Addr)
		if err != nil || !slices.Equal(names, []string{name + "."}) {
			t.Errorf("named on %s: %s -> %q, %v; want [%s.]", core.Name, h.Addr, names, err, name)
		}
	}
	for _, cmd := range []string{"dhcpd -t -4 -cf /etc/dhcp/dhcpd.conf", "pgrep -x dhcpd", "pgrep -x chronyd", "pgrep -x named", "pgrep -x slapd"} {
		if _, err := LabRun(lab, core.Name, cmd); err != nil {
			t.Error(err)
		}
	}
	// Anonymous read over the network, as a client of the directory would.
	out, err := LabRun(lab, core.Name, "ldapsearch -x -LLL -H ldap://"+core.Addr+" -b "+labBaseDN+" dn")
	if err != nil {
		t.Error(err)
	}
	for _, dn := range labLDAPEntries {
		if !strings.Contains(out, "dn: "+dn+"\n") {
			t.Errorf("ldapsearch on %s does not return %s:\n%s", core.Name, dn, out)
		}
	}
}

// labBaseDN and labLDAPEntries are the directory that
// inventories/lab/group_vars/all.yml asks for.
const labBaseDN = "dc=lab,dc=example,dc=org"

var labLDAPEntries = []string{
	labBaseDN,
	"ou=people," + labBaseDN,
	"ou=groups," + labBaseDN,
	"ou=hosts," + labBaseDN,
	"cn=fleet-admins,ou=groups," + labBaseDN,
}

// checkKVMHost checks the lab's management and KVM host, h2: Cockpit
// answers on its port, libvirt runs with the image pool active and
// autostarted and without the default network, and the bridge is written.
func checkKVMHost(t *testing.T, lab *labenv.Lab) {
	t.Helper()
	h := lab.Hosts[1]
	if err := CockpitAnswers(h.Addr + ":9090"); err != nil {
		// What became of the cockpit-ws the role started, for the report.
		state, _ := LabRun(lab, h.Name, "cat /run/cockpit-ws.pid; pgrep -a cockpit-ws; ss -ltnp")
		t.Errorf("%v\non %s:\n%s", err, h.Name, state)
	}
	out, err := LabRun(lab, h.Name, "virsh -c qemu:///system pool-info images")
	if err != nil {
		t.Error(err)
	} else if !regexp.MustCompile(`(?m)^State:\s+running$`).MatchString(out) || !regexp.MustCompile(`(?m)^Autostart:\s+yes$`).MatchString(out) {
		t.Errorf("pool images on %s is not running and autostarted:\n%s", h.Name, out)
	}
	if out, err := LabRun(lab, h.Name, "virsh -c qemu:///system net-list --all --name"); err != nil || strings.Contains(out, "default") {
		t.Errorf("libvirt's default network on %s: %v\n%s", h.Name, err, out)
	}
	for _, cmd := range []string{
		"grep -qx 'iface br0 inet dhcp' /etc/network/interfaces.d/br0",
		"test \"$(sysctl -n net.bridge.bridge-nf-call-iptables)\" = 0",
		"getent group libvirt-admins | grep -q lab",
	} {
		if _, err := LabRun(lab, h.Name, cmd); err != nil {
			t.Error(err)
		}
	}
}

// checkOfficeServer checks the lab's office server, h3: its port 8443
// forwards to Cockpit on h2, and the CA gateway is configured (Debian has
// no gateway binary, so it is not running).
func checkOfficeServer(t *testing.T, lab *labenv.Lab) {
	t.Helper()
	h := lab.Hosts[2]
	if err := CockpitAnswers(h.Addr + ":8443"); err != nil {
		t.Errorf("through the port forward: %v", err)
	}
	for _, cmd := range []string{
		"grep -qx 'EVALUATION ORDER ALLOW, DENY' /etc/ca-gateway/gateway.pvlist",
		"grep -q 'RULE(1, READ)' /etc/ca-gateway/gateway.access",
		"grep -q '^ExecStart=/usr/local/bin/gateway -cip ' /etc/systemd/system/ca-gateway.service",
		"! pgrep -x gateway",
	} {
		if _, err := LabRun(lab, h.Name, cmd); err != nil {
			t.Error(err)
		}
	}
}
