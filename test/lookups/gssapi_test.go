package lookups

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/krbtest"
)

// gssapiCalls are the url lookups of TestURLLookupGSSAPI's first playbook,
// run with the realm's configuration and alice's ticket in the default
// ccache it names; KDESTROY is a task that destroys that ticket. SPNEGO/
// is the SPNEGO server, which answers with the client's principal.
var gssapiCalls = []string{
	`lookup('url', 'SPNEGO/who', use_gssapi=True)`,
	`lookup('url', 'SPNEGO/mech', use_gssapi=True)`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True, username='bob', password='bobpw')`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True, username='bob@GORUN.TEST', password='bobpw', force_basic_auth=True)`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True, username='bob', password='wrong')`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True, username='carol', password='any')`,
	`lookup('url', 'SPNEGOCRED/who', use_gssapi=True)`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True, username='alice')`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True, username='bob')`,
	`lookup('url', 'SPNEGOLOCAL/who', use_gssapi=True)`,
	`lookup('url', 'SPNEGOTLS/who', use_gssapi=True, validate_certs=False)`,
	`lookup('url', 'SPNEGOTLS/who', use_gssapi=True, username='bob', password='bobpw', validate_certs=False)`,
	`lookup('url', 'SPNEGO/who')`,
	`lookup('url', 'SPNEGO/who', username='bob', password='bobpw')`,
	`KDESTROY`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True)`,
	`lookup('url', 'SPNEGO/who', use_gssapi=True, username='bob', password='bobpw')`,
}

// TestURLLookupGSSAPI runs url lookups with use_gssapi against a real MIT
// KDC and SPNEGO server (gorun/test/krbtest) on the loopback under
// ansible-playbook (python3-gssapi, MIT's library) and gorun (gokrb5):
// tickets from the default ccache and from $KRB5CCNAME, passwords right
// and wrong, an unknown user, credentials in the URL, a user name without
// a password, a service the KDC does not know (localhost), HTTPS (whose
// server checks the tls-server-end-point channel bindings), no use_gssapi
// and no ticket.
func TestURLLookupGSSAPI(t *testing.T) {
	if _, err := exec.LookPath("krb5kdc"); err != nil {
		t.Skipf("no krb5kdc (Debian packages: %s)", krbtest.Packages)
	}
	kdc := krbtest.Start(t, "127.0.0.1", freePort(t), freePort(t))
	tlsURL := kdc.StartTLS(t, freePort(t))
	env := []string{"KRB5_CONFIG=" + kdc.Conf(), "ANSIBLE_STDOUT_CALLBACK=json"}
	kinit := func(user, ccache string) {
		cmd := exec.Command("kinit", user)
		cmd.Env = append(os.Environ(), "KRB5_CONFIG="+kdc.Conf(), "KRB5CCNAME="+ccache)
		cmd.Stdin = strings.NewReader(user + "pw\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kinit %s: %v\n%s", user, err, out)
		}
	}
	r := strings.NewReplacer("SPNEGOCRED/", strings.Replace(kdc.URL("/"), "://", "://bob:bobpw@", 1),
		"SPNEGOLOCAL/", strings.Replace(kdc.URL("/"), "127.0.0.1", "localhost", 1), "SPNEGOTLS/", tlsURL+"/", "SPNEGO/", kdc.URL("/"))
	defaultCache := "FILE:" + filepath.Join(kdc.Dir, "ccache")
	bobCache := "FILE:" + filepath.Join(kdc.Dir, "bob.ccache")
	runs := []struct {
		calls []string
		env   []string
	}{
		{gssapiCalls, nil},
		// $KRB5CCNAME wins over default_ccache_name; a missing cache.
		{[]string{`lookup('url', 'SPNEGO/who', use_gssapi=True)`}, []string{"KRB5CCNAME=" + bobCache}},
		{[]string{`lookup('url', 'SPNEGO/who', use_gssapi=True)`}, []string{"KRB5CCNAME=FILE:" + filepath.Join(kdc.Dir, "none")}},
	}
	for i, run := range runs {
		dir := t.TempDir()
		var tasks []map[string]any
		for j, c := range run.calls {
			task := map[string]any{"name": fmt.Sprintf("call %d", j), "ignore_errors": true,
				"debug": map[string]any{"msg": "{{ " + r.Replace(c) + " }}"}}
			if c == "KDESTROY" {
				task = map[string]any{"name": "kdestroy", "command": "kdestroy"}
			}
			tasks = append(tasks, task)
		}
		play := []map[string]any{{"hosts": "localhost", "connection": "local", "gather_facts": false, "tasks": tasks}}
		b, _ := json.Marshal(play)
		write(t, filepath.Join(dir, "play.yml"), string(b))
		opts := e2e.Options{Dir: dir, Env: append(env, run.env...)}
		args := []string{"-i", "localhost,", "play.yml"}
		var res [2][]string
		for k, tool := range []string{"ansible-playbook", e2e.Gorun(t)} {
			kinit("alice", defaultCache)
			kinit("bob", bobCache)
			var out e2e.Result
			if k == 0 {
				out = e2e.AnsibleWith(t, opts, tool, args...)
			} else {
				out = e2e.Run(t, tool, args, opts)
			}
			res[k] = callResults(t, filepath.Base(tool), out.Stdout)
		}
		if len(res[0]) != len(run.calls) || len(res[1]) != len(run.calls) {
			t.Fatalf("run %d: results: ansible-playbook %d, gorun %d, calls %d", i, len(res[0]), len(res[1]), len(run.calls))
		}
		for j, c := range run.calls {
			if res[0][j] != res[1][j] {
				t.Errorf("run %d, %s:\n  ansible-playbook: %s\n  gorun:            %s", i, c, res[0][j], res[1][j])
			}
		}
		if i == 0 && !strings.Contains(res[1][0], "user=alice@GORUN.TEST") {
			t.Errorf("the ticket of the default ccache was not used: %s", res[1][0])
		}
		if i == 0 && !strings.Contains(res[1][1], "mech=krb5") {
			t.Errorf("the token is not python-gssapi's (Kerberos, not SPNEGO): %s", res[1][1])
		}
		for j, c := range run.calls {
			if strings.Contains(c, "SPNEGOTLS/") && !strings.Contains(res[1][j], "channel_bound=True") {
				t.Errorf("%s: the token did not carry the server's channel bindings: %s", c, res[1][j])
			}
		}
	}
}

// freePort is a TCP port free on the loopback.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
