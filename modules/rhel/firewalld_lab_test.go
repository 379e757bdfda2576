package rhel_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// testFirewalldOffline changes firewalld's permanent configuration on lab
// hosts where the daemon does not run: Ansible's module works offline with
// firewalld's Python library, gorun with firewall-offline-cmd; the zone
// files they leave must be the same.
func testFirewalldOffline(t *testing.T, l *labdiff.Lab) {
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
	got := l.DiffPlay(t, steps)
	if out, _ := got[len(got)-1]["stdout"].(string); !strings.Contains(out, `<port port="10050" protocol="tcp"/>`) {
		t.Errorf("public.xml lacks the agent's port:\n%s", out)
	}
}
