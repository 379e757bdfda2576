package rhel_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// firewalldOfflinePart changes firewalld's permanent configuration on lab
// hosts where the daemon does not run: Ansible's module works offline with
// firewalld's Python library, gorun with firewall-offline-cmd; the zone
// files they leave must be the same.
func firewalldOfflinePart() labdiff.Part {
	keys := []string{"msg"}
	fw := func(args string, check bool) step {
		return step{Module: "ansible.posix.firewalld", Args: args, Check: check, Keys: keys}
	}
	steps := []step{
		fw("{service: https, permanent: true, state: enabled}", true),
		fw("{service: https, permanent: true, state: enabled}", false),
		fw("{port: 10050/tcp, zone: public, permanent: true, state: enabled}", false),
		fw("{port: 10050/tcp, zone: public, permanent: true, state: enabled}", false),
		fw("{port: 10050/tcp, zone: public, permanent: true, immediate: true, state: enabled}", false),
		fw("{port: 10050, zone: public, permanent: true, state: enabled}", false),
		fw("{service: ssh, permanent: true, state: disabled}", false),
		fw("{rich_rule: 'rule family=ipv4 source address=192.0.2.0/24 service name=ftp accept', permanent: true, state: enabled}", false),
		fw("{source: 198.51.100.0/24, zone: internal, permanent: true, state: enabled}", false),
		fw("{masquerade: 'yes', zone: dmz, permanent: true, state: enabled}", false),
		fw("{port_forward: [{port: '8080', proto: tcp, toport: '80'}], zone: public, permanent: true, state: enabled}", false),
		fw("{interface: eth9, zone: trusted, permanent: true, state: enabled}", false),
		fw("{interface: eth9, zone: home, permanent: true, state: enabled}", false),
		fw("{target: ACCEPT, zone: internal, permanent: true, state: present}", false),
		fw("{target: ACCEPT, zone: internal, permanent: true, state: absent}", false),
		fw("{zone: gorun, permanent: true, state: present}", false),
		fw("{zone: gorun, permanent: true, state: absent}", false),
		// Ansible's offline path rewrites zones through firewalld's old
		// tuple settings, which drop the zones' <forward/> (intra-zone
		// forwarding); firewall-offline-cmd keeps it. Everything else must
		// be the same.
		labdiff.Shell("cd /etc/firewalld/zones && for f in *.xml; do echo \"== $f\"; grep -v '<forward/>' \"$f\"; done"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		if out, _ := got[len(got)-1]["stdout"].(string); !strings.Contains(out, `<port port="10050" protocol="tcp"/>`) {
			t.Errorf("public.xml lacks the agent's port:\n%s", out)
		}
	}}
}

// firewalldStart starts a system bus and firewalld on a lab host, with
// firewalld's shipped zones only (none a previous run left), and
// waits (at most 30 seconds) until firewall-cmd finds it running.
const firewalldStart = `rm -f /etc/firewalld/zones/*
mkdir -p /run/dbus && dbus-daemon --system --fork
(firewalld --nofork >/var/log/gorun-firewalld.log 2>&1 &)
for i in $(seq 1 60); do firewall-cmd --state >/dev/null 2>&1 && exit 0; sleep 0.5; done
echo "firewalld did not start"; cat /var/log/gorun-firewalld.log; exit 1`

// testFirewalldOnline runs firewalld on both lab hosts (a system bus and
// the daemon in each host's namespaces) and changes the running and the
// permanent configuration: Ansible's module through firewalld's D-Bus
// client, gorun through firewall-cmd.
func testFirewalldOnline(t *testing.T, l *labdiff.Lab) {
	for _, h := range []string{l.Ansible, l.Mine} {
		if out, err := l.Exec(h, "sh", "-c", firewalldStart); err != nil {
			t.Fatalf("%s: %v\n%s", h, err, out)
		}
	}
	keys := []string{"msg"}
	fw := func(args string, check bool) step {
		return step{Module: "ansible.posix.firewalld", Args: args, Check: check, Keys: keys}
	}
	steps := []step{
		fw("{service: http, state: enabled}", true),
		fw("{service: http, state: enabled}", false),
		fw("{service: http, state: enabled}", false),
		fw("{service: http, permanent: true, immediate: true, state: enabled}", false),
		fw("{port: 8080/tcp, zone: public, state: enabled, timeout: 300}", false),
		fw("{rich_rule: 'rule family=ipv4 source address=192.0.2.0/24 service name=ftp accept', permanent: true, immediate: true, state: enabled}", false),
		fw("{source: 198.51.100.0/24, zone: internal, permanent: true, immediate: true, state: enabled}", false),
		fw("{masquerade: 'true', zone: dmz, state: enabled}", false),
		fw("{interface: gorun0, zone: trusted, permanent: true, immediate: true, state: enabled}", false),
		fw("{interface: gorun0, zone: work, permanent: true, immediate: true, state: enabled}", false),
		fw("{port_forward: [{port: '8081', proto: tcp, toport: '80'}], zone: public, state: enabled}", false),
		fw("{target: DROP, zone: internal, permanent: true, state: present}", false),
		fw("{target: DROP, zone: internal, permanent: true, immediate: true, state: present}", false),
		fw("{zone: gorun, permanent: true, state: present}", false),
		fw("{service: nosuchservice, state: enabled}", false),
		fw("{service: http, permanent: true, immediate: true, state: disabled}", false),
		labdiff.Shell("for z in public internal dmz trusted work; do firewall-cmd --zone=$z --list-all; firewall-cmd --permanent --zone=$z --list-all; done; firewall-cmd --permanent --get-zones"),
	}
	got := l.DiffPlay(t, steps)
	if out, _ := got[len(got)-1]["stdout"].(string); !strings.Contains(out, "8080/tcp") || !strings.Contains(out, "gorun0") {
		t.Errorf("the running firewall lacks what the tasks added:\n%s", out)
	}
}
