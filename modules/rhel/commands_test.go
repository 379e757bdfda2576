package rhel

import (
	"strings"
	"testing"

	"gorun/engine/module"
)

// These tests pin the command lines gorun builds for the paths the lab
// cannot run (a running firewalld, SELinux enabled, yum 3): each expected
// line is the tool's documented syntax for the operation Ansible's module
// performs through its Python API.

func TestFirewalldCommandLines(t *testing.T) {
	online := &fwRunner{cmd: "firewall-cmd"}
	offline := &fwRunner{cmd: "firewall-offline-cmd", offline: true}
	svc := &fwSetting{stem: "service", value: "http", timed: true}
	port := &fwSetting{stem: "port", value: "10050/tcp", timed: true}
	masq := &fwSetting{stem: "masquerade"}
	iface := &fwSetting{stem: "interface", value: "eth1"}
	target := &fwSetting{stem: "target", value: "ACCEPT", permanentOnly: true}
	zone := &fwSetting{stem: "zone", permanentOnly: true}
	fwd := &fwSetting{stem: "forward-port", value: "port=8080:proto=tcp:toport=80", timed: true}
	cases := []struct {
		got  []string
		want string
	}{
		{online.queryArgs("public", svc, false), "firewall-cmd --zone=public --query-service=http"},
		{online.queryArgs("public", svc, true), "firewall-cmd --permanent --zone=public --query-service=http"},
		{online.setArgs("public", svc, false, true, 0), "firewall-cmd --zone=public --add-service=http"},
		{online.setArgs("public", svc, false, true, 300), "firewall-cmd --zone=public --add-service=http --timeout=300"},
		{online.setArgs("public", svc, true, true, 300), "firewall-cmd --permanent --zone=public --add-service=http"},
		{online.setArgs("public", svc, false, false, 300), "firewall-cmd --zone=public --remove-service=http"},
		{offline.setArgs("public", svc, true, false, 0), "firewall-offline-cmd --zone=public --remove-service-from-zone=http"},
		{online.setArgs("public", port, true, true, 0), "firewall-cmd --permanent --zone=public --add-port=10050/tcp"},
		{offline.queryArgs("dmz", masq, true), "firewall-offline-cmd --zone=dmz --query-masquerade"},
		{online.setArgs("dmz", masq, false, true, 0), "firewall-cmd --zone=dmz --add-masquerade"},
		{online.setArgs("trusted", iface, false, true, 0), "firewall-cmd --zone=trusted --change-interface=eth1"},
		{online.setArgs("trusted", iface, true, false, 0), "firewall-cmd --permanent --zone=trusted --remove-interface=eth1"},
		{online.queryArgs("internal", target, true), "firewall-cmd --permanent --zone=internal --get-target"},
		{online.setArgs("internal", target, true, true, 0), "firewall-cmd --permanent --zone=internal --set-target=ACCEPT"},
		{online.setArgs("internal", target, true, false, 0), "firewall-cmd --permanent --zone=internal --set-target=default"},
		{online.queryArgs("lab", zone, true), "firewall-cmd --permanent --get-zones"},
		{online.setArgs("lab", zone, true, true, 0), "firewall-cmd --permanent --new-zone=lab"},
		{online.setArgs("lab", zone, true, false, 0), "firewall-cmd --permanent --delete-zone=lab"},
		{online.setArgs("public", fwd, false, true, 60), "firewall-cmd --zone=public --add-forward-port=port=8080:proto=tcp:toport=80 --timeout=60"},
	}
	for _, c := range cases {
		if got := strings.Join(c.got, " "); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

func TestFirewalldSettingOfOptions(t *testing.T) {
	cases := []struct {
		args          module.Args
		stem, value   string
		state, failed string
	}{
		{args: module.Args{"state": "enabled", "port": "8080/tcp"}, stem: "port", value: "8080/tcp", state: "enabled"},
		{args: module.Args{"state": "enabled", "port": "8080"}, failed: "improper port format (missing protocol?)"},
		{args: module.Args{"state": "present", "service": "http"}, failed: "absent and present state can only be used in zone level operations"},
		{args: module.Args{"state": "disabled", "masquerade": "yes"}, stem: "masquerade", state: "disabled"},
		{args: module.Args{"state": "disabled", "masquerade": "no"}, stem: "masquerade", state: "enabled"},
		{args: module.Args{"state": "enabled", "icmp_block_inversion": "false"}, stem: "icmp-block-inversion", state: "disabled"},
		{args: module.Args{"state": "present", "target": "DROP", "zone": "z"}, stem: "target", value: "DROP", state: "present"},
		{args: module.Args{"state": "absent", "zone": "z"}, stem: "zone", state: "absent"},
		{args: module.Args{"state": "enabled", "port_forward": []any{map[string]any{"port": "80", "proto": "tcp", "toport": "8080", "toaddr": "192.0.2.1"}}},
			stem: "forward-port", value: "port=80:proto=tcp:toport=8080:toaddr=192.0.2.1", state: "enabled"},
		{args: module.Args{"state": "enabled", "port_forward": []any{map[string]any{"port": "80", "toport": "8080"}}}, failed: "proto udp/tcp must be specified for port forward"},
	}
	for _, c := range cases {
		s, fail := fwSettingOf(c.args, nil)
		if c.failed != "" {
			if fail == nil || fail["msg"] != c.failed {
				t.Errorf("%v: got %v, want failure %q", c.args, fail, c.failed)
			}
			continue
		}
		if fail != nil || s == nil || s.stem != c.stem || s.value != c.value || s.state != c.state {
			t.Errorf("%v: got %+v %v, want %s %q %s", c.args, s, fail, c.stem, c.value, c.state)
		}
	}
}

func TestDNFCommandLines(t *testing.T) {
	r := &pkgRun{bin: "/usr/bin/dnf", dnf: true, a: module.Args{
		"disablerepo": []any{"*"}, "enablerepo": []any{"epel", "gorun"}, "exclude": []any{"kernel*"},
		"disable_gpg_check": true, "conf_file": "/etc/dnf/alt.conf", "installroot": "/", "sslverify": false,
		"install_weak_deps": false, "nobest": true, "allowerasing": true, "skip_broken": true, "releasever": "9",
	}}
	got := strings.Join(r.install(classifySpecs([]string{"httpd", "@Development Tools", "/tmp/x.rpm", "https://h/y.rpm"})), " ")
	want := "/usr/bin/dnf -y -c /etc/dnf/alt.conf --releasever=9 --disablerepo=* --enablerepo=epel --enablerepo=gorun --exclude=kernel* --nogpgcheck --skip-broken --setopt=sslverify=False --setopt=install_weak_deps=False --nobest --allowerasing install httpd @Development Tools /tmp/x.rpm https://h/y.rpm"
	if got != want {
		t.Errorf("install:\n got %s\nwant %s", got, want)
	}
	r = &pkgRun{bin: "/usr/bin/yum", dnf: false, check: true, a: module.Args{"nobest": true, "autoremove": false}}
	cmds := r.remove(classifySpecs([]string{"httpd", "@web"}), false)
	var lines []string
	for _, c := range cmds {
		lines = append(lines, strings.Join(c, " "))
	}
	want = "/usr/bin/yum --assumeno --setopt=clean_requirements_on_remove=False remove httpd | /usr/bin/yum --assumeno --setopt=clean_requirements_on_remove=False group remove web"
	if got := strings.Join(lines, " | "); got != want {
		t.Errorf("remove (yum 3, check mode, nobest dropped):\n got %s\nwant %s", got, want)
	}
}

// dnfAssumeno is what dnf 4.14 prints for `dnf --assumeno install` of a
// package that upgrades another and pulls in a dependency.
const dnfAssumeno = `Last metadata expiration check: 0:00:05 ago on Sat 28 Nov 2026 11:40:00 AM UTC.
Dependencies resolved.
================================================================================
 Package             Arch        Version              Repository          Size
================================================================================
Installing:
 gorun-hello         noarch      2:2.0-1.el9          gorun              6.1 k
Upgrading:
 gorun-lib           x86_64      1.5-2                gorun               20 k
Installing dependencies:
 gorun-dep           noarch      0.1-1                gorun              5.0 k
Removing:
 gorun-old           noarch      1.0-1                @System            0  

Transaction Summary
================================================================================
Install  2 Packages
Upgrade  1 Package
Remove   1 Package

Total size: 31 k
Operation aborted.
`

func TestDNFTransactionTable(t *testing.T) {
	changes, replaced := transactionTable(dnfAssumeno)
	want := "Installed: gorun-dep-0.1-1.noarch|Installed: gorun-hello-2:2.0-1.el9.noarch|Installed: gorun-lib-1.5-2.x86_64|Removed: gorun-old-1.0-1.noarch"
	if got := strings.Join(changes, "|"); got != want {
		t.Errorf("changes:\n got %s\nwant %s", got, want)
	}
	if strings.Join(replaced, " ") != "gorun-lib" {
		t.Errorf("replaced = %v, want [gorun-lib]", replaced)
	}
}

func TestSEBooleanAndRPMKeyHelpers(t *testing.T) {
	if got := strings.Join(setseboolArgs("httpd_can_network_connect", true, true), " "); got != "setsebool -P httpd_can_network_connect on" {
		t.Errorf("setsebool persistent: %s", got)
	}
	if got := strings.Join(setseboolArgs("virt_use_nfs", false, false), " "); got != "setsebool virt_use_nfs off" {
		t.Errorf("setsebool: %s", got)
	}
	m := semanageBooleanRE.FindStringSubmatch("httpd_can_network_connect (off  ,   on)  Allow httpd to can network connect")
	if m == nil || m[1] != "httpd_can_network_connect" || m[2] != "off" || m[3] != "on" {
		t.Errorf("semanage boolean line parsed as %q", m)
	}
	for in, want := range map[string]string{" 0xdeadbeef ": "DEADBEEF", "0XAbCd1234": "ABCD1234", "d5b64b1f": "D5B64B1F"} {
		if got := normalizeKeyID(in); got != want {
			t.Errorf("normalizeKeyID(%q) = %q, want %q", in, got, want)
		}
	}
	if got := eraseName("1234567890ABCDEF"); got != "gpg-pubkey-90abcdef" {
		t.Errorf("eraseName = %s", got)
	}
	// rpm_key's is_keyid matches at the start only: a path starting with
	// eight hex digits counts as a key id, as in Ansible.
	for s, want := range map[string]bool{"DEADB33F": true, "0xdeadbeef": true, "deadbeefcafe.asc": true, "/etc/pki/key": false, "xdeadbeef": false} {
		if keyIDRE.MatchString(s) != want {
			t.Errorf("is_keyid(%q) = %v, want %v", s, !want, want)
		}
	}
}

func TestSELinuxConfigEdits(t *testing.T) {
	text := "# keep\nSELINUX=enforcing\nSELINUXTYPE=targeted\n"
	if v, ok := configValue(text, selinuxLineRE); !ok || v != "enforcing" {
		t.Errorf("state = %q %v", v, ok)
	}
	if got := setConfigLine(text, selinuxLineRE, "SELINUX", "permissive"); got != "# keep\nSELINUX=permissive\nSELINUXTYPE=targeted\n" {
		t.Errorf("set state: %q", got)
	}
	if got := setConfigLine("# empty", selinuxTypeLineRE, "SELINUXTYPE", "mls"); got != "# empty\nSELINUXTYPE=mls\n" {
		t.Errorf("append policy: %q", got)
	}
}
