package files_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/labenv"
)

// Kerberos for the use_gssapi scenario: an MIT KDC (krb5kdc, its own
// database and configuration in a temporary directory) and an HTTP server
// that authenticates with SPNEGO through MIT GSSAPI (testdata/
// spnego_server.py), both on the lab bridge at fixed ports — each lab has
// its own bridge address. The hosts' setup finds them through their
// default route, the bridge.
const (
	krbRealm     = "GORUN.TEST"
	krbKDCPort   = "10088"
	krbHTTPPort  = "10089"
	krbPackages  = "krb5-kdc krb5-admin-server krb5-user python3-gssapi"
	krbPrincipal = "HTTP/" // + the bridge address: the name urllib's handler and curl ask for
)

// startKerberos starts the KDC and the SPNEGO server for the lab, with
// the users alice (password alicepw) and bob (bobpw).
func startKerberos(t *testing.T, l *labenv.Lab) {
	t.Helper()
	for _, tool := range []string{"kdb5_util", "kadmin.local", "krb5kdc", "/usr/bin/python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("kerberos: %s not found (Debian packages: %s)", tool, krbPackages)
		}
	}
	dir := t.TempDir()
	gw := l.Gateway
	kdcConf := fmt.Sprintf(`[kdcdefaults]
 kdc_listen = %[2]s:%[3]s
 kdc_tcp_listen = %[2]s:%[3]s
[realms]
 %[4]s = {
  database_name = %[1]s/principal
  key_stash_file = %[1]s/stash
  acl_file = %[1]s/kadm5.acl
  supported_enctypes = aes256-cts-hmac-sha1-96:normal
 }
[logging]
 kdc = STDERR
`, dir, gw, krbKDCPort, krbRealm)
	env := append(os.Environ(), "KRB5_CONFIG="+filepath.Join(dir, "krb5.conf"), "KRB5_KDC_PROFILE="+filepath.Join(dir, "kdc.conf"),
		"KRB5_KTNAME="+filepath.Join(dir, "http.keytab"))
	for name, content := range map[string]string{"kdc.conf": kdcConf, "krb5.conf": krb5Conf(gw)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(argv ...string) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kerberos: %s: %v\n%s", strings.Join(argv, " "), err, out)
		}
	}
	run("kdb5_util", "create", "-s", "-r", krbRealm, "-P", "master-"+filepath.Base(dir))
	for _, q := range []string{"addprinc -pw alicepw alice", "addprinc -pw bobpw bob", "addprinc -randkey " + krbPrincipal + gw,
		"ktadd -k " + filepath.Join(dir, "http.keytab") + " " + krbPrincipal + gw} {
		run("kadmin.local", "-r", krbRealm, "-q", q)
	}
	kdc := exec.Command("krb5kdc", "-n", "-r", krbRealm)
	kdc.Env = env
	startDaemon(t, kdc, "commencing operation")
	srv := exec.Command("/usr/bin/python3", "testdata/spnego_server.py", gw, krbHTTPPort)
	srv.Env = env
	startDaemon(t, srv, "ready")
}

// startDaemon starts cmd, stopped when the test ends, and waits for a
// line containing ready in its output.
func startDaemon(t *testing.T, cmd *exec.Cmd, ready string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	w.Close()
	if err != nil {
		t.Fatalf("kerberos: %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); r.Close() })
	lines := bufio.NewScanner(r)
	var seen []string
	for lines.Scan() {
		if strings.Contains(lines.Text(), ready) {
			// Keep reading, so that the daemon never blocks on a full pipe.
			go func() {
				for lines.Scan() {
				}
			}()
			return
		}
		seen = append(seen, lines.Text())
	}
	t.Fatalf("kerberos: %s ended before it was ready:\n%s", cmd.Path, strings.Join(seen, "\n"))
}

// krb5Conf is the clients' configuration for the KDC at gw: no DNS, the
// address itself as the service's host name, and a credential cache under
// /run (outside what the check-mode comparison watches: every use of a
// ticket caches the service ticket).
func krb5Conf(gw string) string {
	return fmt.Sprintf(`[libdefaults]
 default_realm = %[2]s
 dns_lookup_kdc = false
 dns_lookup_realm = false
 rdns = false
 dns_canonicalize_hostname = false
 udp_preference_limit = 1
 default_ccache_name = FILE:/run/gorun-krb5cc
[realms]
 %[2]s = {
  kdc = %[1]s:%[3]s
 }
[domain_realm]
 %[1]s = %[2]s
`, gw, krbRealm, krbKDCPort)
}

// gssapiScenario runs uri and get_url with use_gssapi against the SPNEGO
// server: with the ticket kinit got in the setup, with a password
// (url_username/url_password), with a wrong one, without use_gssapi, and
// without any ticket. The Negotiate tokens in www_authenticate differ
// on every run; so do the GSSAPI library's and kinit's failure messages.
var gssapiScenario = scenario{
	setup: `gw=$(ip route show default | awk '{print $3; exit}')
cat > /etc/krb5.conf <<EOF
` + krb5Conf("$gw") + `EOF
printf 'alicepw\n' | kinit alice >/dev/null
`,
	tasks: `
- debug: {msg: "the SPNEGO server on the gateway's port ` + krbHTTPPort + `"}
- uri: {url: "http://{{ base_url | urlsplit('hostname') }}:` + krbHTTPPort + `/who", use_gssapi: true, return_content: true}
- uri: {url: "http://{{ base_url | urlsplit('hostname') }}:` + krbHTTPPort + `/who", return_content: true}
- uri: {url: "http://{{ base_url | urlsplit('hostname') }}:` + krbHTTPPort + `/who", use_gssapi: true, url_username: bob, url_password: bobpw, return_content: true}
- uri: {url: "http://{{ base_url | urlsplit('hostname') }}:` + krbHTTPPort + `/who", use_gssapi: true, url_username: bob, url_password: wrong}
- get_url: {url: "http://{{ base_url | urlsplit('hostname') }}:` + krbHTTPPort + `/who", dest: /srv/t/who.txt, use_gssapi: true}
- command: kdestroy
- uri: {url: "http://{{ base_url | urlsplit('hostname') }}:` + krbHTTPPort + `/who", use_gssapi: true}
`,
	ignore:      []string{"www_authenticate"},
	ignoreTasks: map[int][]string{4: {"msg"}, 7: {"msg"}},
}
