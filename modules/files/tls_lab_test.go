package files_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"gorun/test/labenv"
)

// labPKI is a test CA, a server certificate for the lab bridge's address
// and a client certificate, as PEM.
type labPKI struct {
	caCert, serverCert, serverKey, clientCert, clientKey []byte
}

func newLabPKI(t *testing.T, ip string) labPKI {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	pemOf := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	keyPEM := func(k *ecdsa.PrivateKey) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pemOf("PRIVATE KEY", der)
	}
	now := time.Now()
	caKey := key()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "gorun lab test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	issue := func(serial int64, tmpl *x509.Certificate) ([]byte, []byte) {
		k := key()
		tmpl.SerialNumber, tmpl.NotBefore, tmpl.NotAfter = big.NewInt(serial), now.Add(-time.Hour), now.Add(24*time.Hour)
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &k.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return pemOf("CERTIFICATE", der), keyPEM(k)
	}
	p := labPKI{caCert: pemOf("CERTIFICATE", caDER)}
	p.serverCert, p.serverKey = issue(2, &x509.Certificate{Subject: pkix.Name{CommonName: ip},
		IPAddresses: []net.IP{net.ParseIP(ip)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	p.clientCert, p.clientKey = issue(3, &x509.Certificate{Subject: pkix.Name{CommonName: "lab client"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	return p
}

// setup writes the CA, the client certificate and key (apart and in one
// file) under /srv/t/pki on a host.
func (p labPKI) setup() string {
	file := func(name string, data []byte) string {
		return "cat > /srv/t/pki/" + name + " <<'PEM'\n" + string(data) + "PEM\n"
	}
	return "mkdir -p /srv/t/pki\n" + file("ca.crt", p.caCert) + file("client.crt", p.clientCert) +
		file("client.key", p.clientKey) + file("both.pem", append(append([]byte{}, p.clientCert...), p.clientKey...))
}

// serveTLS starts an HTTPS server on the lab bridge with the test PKI:
// TLS 1.2 with one cipher suite only (so that `ciphers` decides whether a
// handshake succeeds), client certificates verified when given;
// /mtls.txt answers 403 without one. It returns the base URL.
func serveTLS(t *testing.T, l *labenv.Lab, p labPKI) string {
	t.Helper()
	cert, err := tls.X509KeyPair(p.serverCert, p.serverKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(p.caCert)
	ln, err := net.Listen("tcp", net.JoinHostPort(l.Gateway, "0"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/data.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("over tls\n"))
	})
	mux.HandleFunc("/mtls.txt", func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			http.Error(w, "client certificate required", http.StatusForbidden)
			return
		}
		w.Write([]byte("hello " + r.TLS.PeerCertificates[0].Subject.CommonName + "\n"))
	})
	srv := &http.Server{Handler: mux, TLSConfig: &tls.Config{
		Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
		ClientAuth:   tls.VerifyClientCertIfGiven, ClientCAs: pool,
	}}
	go srv.ServeTLS(ln, "", "")
	t.Cleanup(func() { srv.Close() })
	return "https://" + ln.Addr().String()
}

// multipartEcho answers a multipart/form-data request with its parts as
// JSON (name, filename, type, transfer encoding and content of each),
// which do not depend on the random boundary.
func multipartEcho(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var parts []map[string]string
	for {
		p, err := mr.NextRawPart()
		if err != nil {
			break
		}
		body, _ := io.ReadAll(p)
		parts = append(parts, map[string]string{"name": p.FormName(), "filename": p.FileName(),
			"type": p.Header.Get("Content-Type"), "cte": p.Header.Get("Content-Transfer-Encoding"), "content": string(body)})
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i]["name"] < parts[j]["name"] })
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"type": strings.SplitN(r.Header.Get("Content-Type"), ";", 2)[0], "parts": parts})
}

// labTarGz is a small tar.gz (a, sub/b) for unarchive's URL sources.
func labTarGz(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	mtime := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, f := range []struct{ name, body string }{{"a", "a\n"}, {"sub/", ""}, {"sub/b", "b\n"}} {
		h := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), ModTime: mtime, Typeflag: tar.TypeReg}
		if strings.HasSuffix(f.name, "/") {
			h.Mode, h.Typeflag = 0o755, tar.TypeDir
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f.body))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// unixHTTPServer is a setup script that starts an HTTP server on the
// host's unix socket /run/files3-http.sock (Python's http.server, which
// the hosts have for Ansible) and waits until it listens.
const unixHTTPServer = `cat > /run/files3-http.py <<'PY'
import http.server, os, socketserver
path = "/run/files3-http.sock"
try:
    os.unlink(path)
except OSError:
    pass
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("unix socket " + self.path + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    def get_request(self):
        conn, _ = super().get_request()
        return conn, ("unix", 0)
Server(path, Handler).serve_forever()
PY
[ -S /run/files3-http.sock ] || { setsid /usr/bin/python3 /run/files3-http.py </dev/null >/dev/null 2>&1 & }
i=0; while [ ! -S /run/files3-http.sock ] && [ $i -lt 100 ]; do i=$((i+1)); sleep 0.1; done
`
