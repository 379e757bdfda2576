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
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	_ "embed"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	k.serve(t, httpPort)
	return k
}

// serve starts the SPNEGO server on port, with args for HTTPS.
func (k *KDC) serve(t *testing.T, port string, args ...string) {
	t.Helper()
	srv := exec.Command("/usr/bin/python3", append([]string{filepath.Join(k.Dir, "spnego_server.py"), k.Host, port}, args...)...)
	srv.Env = append(os.Environ(), "KRB5_CONFIG="+k.Conf(), "KRB5_KTNAME="+filepath.Join(k.Dir, "http.keytab"))
	startDaemon(t, srv, "ready")
}

// StartTLS starts another SPNEGO server, on port and over HTTPS with a
// self-signed certificate for Host (ECDSA P-256, signed with SHA-256),
// that accepts with the certificate's tls-server-end-point channel
// bindings and reports whether the client's token carried them. It
// returns the server's base URL ("https://HOST:PORT").
func (k *KDC) StartTLS(t *testing.T, port string) string {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: k.Host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP(k.Host)}, DNSNames: []string{k.Host},
		SignatureAlgorithm: x509.ECDSAWithSHA256,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, key := filepath.Join(k.Dir, "tls.crt"), filepath.Join(k.Dir, "tls.key")
	for path, block := range map[string]*pem.Block{cert: {Type: "CERTIFICATE", Bytes: der}, key: {Type: "PRIVATE KEY", Bytes: keyDER}} {
		if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	k.serve(t, port, cert, key)
	return "https://" + net.JoinHostPort(k.Host, port)
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
