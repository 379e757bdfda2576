// Package krbtest starts a real Kerberos realm for tests of use_gssapi: an
// MIT KDC (krb5kdc, with its own database and configuration in a temporary
// directory) and an HTTP server that authenticates with SPNEGO through MIT
// GSSAPI (spnego_server.py). The realm has the users alice (password
// alicepw) and bob (bobpw) and the service HTTP/HOST, HOST being the
// address both servers listen on. They need the Debian packages in
// Packages.
package krbtest

import (
	"bufio"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	// Realm is the test realm.
	Realm = "GORUN.TEST"
	// Packages are the Debian packages the realm and its clients need.
	Packages = "krb5-kdc krb5-admin-server krb5-user python3-gssapi"
)

//go:embed spnego_server.py
var spnegoServer []byte

// KDC is a running realm.
type KDC struct {
	// Host is the address of the KDC and the SPNEGO server.
	Host, KDCPort, HTTPPort string
	// Dir holds the realm's files; Dir/krb5.conf is a client
	// configuration for it (see ClientConf) with its ccache Dir/ccache.
	Dir string
}

// Start starts the KDC on host:kdcPort and the SPNEGO server on
// host:httpPort, both stopped when the test ends.
func Start(t *testing.T, host, kdcPort, httpPort string) *KDC {
	t.Helper()
	for _, tool := range []string{"kdb5_util", "kadmin.local", "krb5kdc", "/usr/bin/python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("kerberos: %s not found (Debian packages: %s)", tool, Packages)
		}
	}
	k := &KDC{Host: host, KDCPort: kdcPort, HTTPPort: httpPort, Dir: t.TempDir()}
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
`, k.Dir, host, kdcPort, Realm)
	files := map[string]string{"kdc.conf": kdcConf, "krb5.conf": ClientConf(host, kdcPort, "FILE:"+k.Dir+"/ccache"),
		"spnego_server.py": string(spnegoServer)}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(k.Dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "KRB5_CONFIG="+k.Conf(), "KRB5_KDC_PROFILE="+filepath.Join(k.Dir, "kdc.conf"),
		"KRB5_KTNAME="+filepath.Join(k.Dir, "http.keytab"))
	run := func(argv ...string) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kerberos: %s: %v\n%s", strings.Join(argv, " "), err, out)
		}
	}
	run("kdb5_util", "create", "-s", "-r", Realm, "-P", "master-"+filepath.Base(k.Dir))
	for _, q := range []string{"addprinc -pw alicepw alice", "addprinc -pw bobpw bob", "addprinc -randkey HTTP/" + host,
		"ktadd -k " + filepath.Join(k.Dir, "http.keytab") + " HTTP/" + host} {
		run("kadmin.local", "-r", Realm, "-q", q)
	}
	kdc := exec.Command("krb5kdc", "-n", "-r", Realm)
	kdc.Env = env
	startDaemon(t, kdc, "commencing operation")
	srv := exec.Command("/usr/bin/python3", filepath.Join(k.Dir, "spnego_server.py"), host, httpPort)
	srv.Env = env
	startDaemon(t, srv, "ready")
	return k
}

// Conf is the path of the realm's client configuration.
func (k *KDC) Conf() string { return filepath.Join(k.Dir, "krb5.conf") }

// URL is the SPNEGO server's URL of path.
func (k *KDC) URL(path string) string {
	return "http://" + k.Host + ":" + k.HTTPPort + path
}

// ClientConf is a client configuration for the KDC at host:kdcPort: no
// DNS, the address itself as the service's host name, and ccache as the
// default credential cache.
func ClientConf(host, kdcPort, ccache string) string {
	return fmt.Sprintf(`[libdefaults]
 default_realm = %[2]s
 dns_lookup_kdc = false
 dns_lookup_realm = false
 rdns = false
 dns_canonicalize_hostname = false
 udp_preference_limit = 1
 default_ccache_name = %[4]s
[realms]
 %[2]s = {
  kdc = %[1]s:%[3]s
 }
[domain_realm]
 %[1]s = %[2]s
`, host, Realm, kdcPort, ccache)
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
