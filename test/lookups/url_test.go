package lookups

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gorun/test/e2e"
)

// urlServer is what the url lookup is pointed at: text, an echo of the
// request headers, redirects, authentication, errors and compression.
func urlServer() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/lines", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "one\ntwo\r\nthree\rfour\n\nsix")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		var lines []string
		for k, vs := range r.Header {
			switch strings.ToLower(k) {
			case "connection": // Python closes each connection, Go keeps them
				continue
			}
			lines = append(lines, strings.ToLower(k)+": "+strings.Join(vs, ","))
		}
		sort.Strings(lines)
		if r.URL.IsAbs() {
			lines = append(lines, "via proxy: "+r.URL.String())
		}
		fmt.Fprint(w, strings.Join(lines, "\n"))
	})
	mux.HandleFunc("/redir", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo", http.StatusFound)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/lines", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/basic", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "bob" || p != "hunter2" {
			w.Header().Set("WWW-Authenticate", `Basic realm="gorun"`)
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, "welcome bob")
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte("packed\nlines"))
		zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(b.Bytes())
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "go away", http.StatusForbidden)
	})
	return mux
}

// urlCalls are the lookups of the playbook: Jinja expressions with
// placeholders for the servers (HTTP, HTTPS, TLS CA file, unix socket,
// closed port, a local file).
var urlCalls = []string{
	`lookup('url', 'HTTP/lines', wantlist=True)`,
	`lookup('url', 'HTTP/lines')`,
	`lookup('url', 'HTTP/lines', split_lines=False)`,
	`lookup('url', 'HTTP/lines', split_lines='maybe')`,
	`query('url', 'HTTP/lines', 'HTTP/gzip')`,
	`lookup('url', 'HTTP/echo', split_lines=False)`,
	`lookup('url', 'HTTP/echo', split_lines=False, http_agent='probe/1', force=True)`,
	`lookup('url', 'HTTP/echo', split_lines=False, headers={'X-Custom': 'a', 'X-Secret': 's'})`,
	`lookup('url', 'HTTP/redir', split_lines=False, headers={'X-Custom': 'a', 'X-Secret': 's'}, unredirected_headers=['x-secret'])`,
	`lookup('url', 'HTTP/redir', split_lines=False, headers={'X-Custom': 'a', 'X-Secret': 's'}, unredirected_headers='x-secret, x-custom')`,
	`lookup('url', 'HTTP/echo', split_lines=False, username='bob', password='hunter2', force_basic_auth=True)`,
	`lookup('url', 'HTTP/echo', split_lines=False, username='bob', force_basic_auth=True)`,
	`lookup('url', 'HTTP/basic', username='bob', password='hunter2')`,
	`lookup('url', 'HTTP/basic', username='bob', password='wrong')`,
	`lookup('url', 'HTTP/basic')`,
	`lookup('url', 'HTTPCRED/basic')`,
	`lookup('url', 'HTTP/moved')`,
	`lookup('url', 'HTTP/moved', follow_redirects='none')`,
	`lookup('url', 'HTTP/moved', follow_redirects='safe')`,
	`lookup('url', 'HTTP/moved', follow_redirects='all')`,
	`lookup('url', 'HTTP/moved', follow_redirects='bogus')`,
	`lookup('url', 'HTTP/loop')`,
	`lookup('url', 'HTTP/nothing-here')`,
	`lookup('url', 'HTTP/forbidden')`,
	`lookup('url', 'HTTP/lines', errors='ignore')`,
	`lookup('url', 'CLOSED/x')`,
	`lookup('url', 'http://nonexistent.invalid/x')`,
	`lookup('url', 'gopher://127.0.0.1/x')`,
	`lookup('url', 'no-scheme')`,
	`lookup('url', 'file://FILE')`,
	`lookup('url', 'HTTPS/lines')`,
	`lookup('url', 'HTTPS/lines', validate_certs=False)`,
	`lookup('url', 'HTTPS/lines', ca_path='CA')`,
	`lookup('url', 'HTTPSLOCAL/lines', ca_path='CA')`,
	`lookup('url', 'HTTPS/lines', ca_path='CA.missing')`,
	`lookup('url', 'HTTPS/lines', validate_certs=False, ciphers=['ECDHE-RSA-AES128-GCM-SHA256'])`,
	`lookup('url', 'HTTPS/lines', validate_certs=False, ciphers='NOT-A-CIPHER')`,
	`lookup('url', 'http://unix.example/lines', unix_socket='SOCK')`,
	`lookup('url', 'http://unix.example/lines', unix_socket='SOCK.missing')`,
	`lookup('url', 'HTTP/lines', use_gssapi=True)`,
	`lookup('url', 'HTTP/lines', timeout='soon')`,
	`lookup('url', 'HTTP/lines', headers='X-A: 1')`,
	`lookup('url', 'HTTP/lines', username=['bob'])`,
	`lookup('url', 'HTTPLOCAL/echo', split_lines=False)`,
	`lookup('url', 'HTTPLOCAL/echo', split_lines=False, use_proxy=False)`,
	`lookup('url', 'HTTPLOCAL/echo', split_lines=False, use_proxy=False, use_netrc=False)`,
}

// TestURLLookupDifferential runs every call of urlCalls under
// ansible-playbook and gorun and compares what each call gave.
func TestURLLookupDifferential(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewServer(urlServer())
	defer srv.Close()
	tlsSrv := httptest.NewUnstartedServer(urlServer())
	// The calls that refuse its certificate make it log handshake errors.
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	sock := filepath.Join(dir, "http.sock")
	ul, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	unixSrv := &http.Server{Handler: urlServer()}
	go unixSrv.Serve(ul)
	defer unixSrv.Close()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	ca := filepath.Join(dir, "ca.pem")
	write(t, ca, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})))
	file := filepath.Join(dir, "local.txt")
	write(t, file, "from\na file\n")
	netrc := filepath.Join(dir, "netrc")
	write(t, netrc, "machine localhost login nina password n3tpass\n")
	local := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	r := strings.NewReplacer(
		"HTTPCRED/", strings.Replace(srv.URL, "://", "://bob:hunter2@", 1)+"/",
		"HTTPLOCAL/", local+"/",
		"HTTPSLOCAL/", strings.Replace(tlsSrv.URL, "127.0.0.1", "localhost", 1)+"/",
		"HTTPS/", tlsSrv.URL+"/",
		"HTTP/", srv.URL+"/",
		"CLOSED/", "http://"+closedAddr+"/",
		"'CA", "'"+ca,
		"'SOCK", "'"+sock,
		"file://FILE", "file://"+file,
	)
	var tasks []map[string]any
	for i, c := range urlCalls {
		tasks = append(tasks, map[string]any{
			"name":          fmt.Sprintf("call %d", i),
			"debug":         map[string]any{"msg": "{{ " + r.Replace(c) + " }}"},
			"ignore_errors": true,
		})
	}
	play := []map[string]any{{"hosts": "localhost", "connection": "local", "gather_facts": false, "tasks": tasks}}
	b, _ := json.Marshal(play)
	write(t, filepath.Join(dir, "play.yml"), string(b))

	opts := e2e.Options{Dir: dir, Env: []string{
		"ANSIBLE_STDOUT_CALLBACK=json",
		"NETRC=" + netrc,
		"http_proxy=" + srv.URL,
		"no_proxy=127.0.0.1",
	}}
	args := []string{"-i", "localhost,", "play.yml"}
	want := e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
	got := e2e.Run(t, e2e.Gorun(t), args, opts)
	t.Logf("ansible-playbook %s, gorun %s", want.Duration, got.Duration)
	if want.ExitCode != got.ExitCode {
		t.Errorf("exit code: gorun %d, ansible-playbook %d\n%s", got.ExitCode, want.ExitCode, got.Stderr)
	}
	w, g := callResults(t, "ansible-playbook", want.Stdout), callResults(t, "gorun", got.Stdout)
	for i, c := range urlCalls {
		if i >= len(w) || i >= len(g) {
			t.Fatalf("results: ansible-playbook %d, gorun %d, calls %d", len(w), len(g), len(urlCalls))
		}
		if w[i] != g[i] {
			t.Errorf("%s:\n  ansible-playbook: %s\n  gorun:            %s", c, w[i], g[i])
		}
	}
}

// callResults reads the json callback's output: per task, the message
// debug printed or the failure's message.
func callResults(t *testing.T, tool, out string) []string {
	t.Helper()
	var doc struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]map[string]any `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &doc); err != nil {
		t.Fatalf("%s output: %v\n%s", tool, err, out)
	}
	var res []string
	for _, p := range doc.Plays {
		for _, task := range p.Tasks {
			h := task.Hosts["localhost"]
			b, _ := json.Marshal(map[string]any{"failed": h["failed"] == true, "msg": h["msg"]})
			res = append(res, string(b))
		}
	}
	return res
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
