package system_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gorun/test/labdiff"
)

const (
	key1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEDkQ06Ui+Yx21em+ejYeloB5fQRw9MvGJAOz7N89U+R k1@test"
	key2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII4Le6dKIZfAp0ElkrBtJrU1RCYYLPnEm5HdnWzueEGu k2@test"
)

func testAuthorizedKey(t *testing.T, l *labdiff.Lab) {
	file := shell("cat /home/dana/.ssh/authorized_keys; stat -c '%n %U %a' /home/dana/.ssh /home/dana/.ssh/authorized_keys /tmp/ak 2>&1; cat /tmp/ak 2>&1; true")
	keys := []string{"keyfile", "user", "state", "exclusive", "key_options", "comment", "msg", "diff"}
	steps := []step{
		{Module: "user", Args: "{name: dana}"},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `"}`, Check: true, Diff: true, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `"}`, Keys: keys},
		file,
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `"}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key2 + `", key_options: 'no-pty,from="10.0.0.1"'}`, Diff: true, Keys: keys},
		file,
		{Module: "ansible.posix.authorized_key", Args: `{user: dana, key: "` + key2 + `", comment: renamed}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `", exclusive: true}`, Keys: keys},
		file,
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + "\n# a comment\n" + key2 + `", path: /tmp/ak, manage_dir: false}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `", state: absent}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `", state: absent}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "not a key"}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: nobody-here, key: "` + key1 + `"}`, Keys: keys},
		file,
		{Module: "getent", Args: "{database: passwd, key: dana}", Keys: []string{"ansible_facts"}},
		{Module: "getent", Args: "{database: group}", Keys: []string{"ansible_facts"}},
		{Module: "getent", Args: "{database: hosts, key: localhost}", Keys: []string{"ansible_facts"}},
		{Module: "getent", Args: "{database: passwd, key: nobody-here}", Keys: []string{"ansible_facts", "msg"}},
		{Module: "getent", Args: "{database: passwd, key: nobody-here, fail_key: false}", Keys: []string{"ansible_facts", "msg"}},
		{Module: "getent", Args: "{database: no-such-db}", Keys: []string{"msg"}},
	}
	fromURL := len(steps)
	steps = append(steps, keyURLSteps(t, l)...)
	got := l.DiffPlay(t, steps)
	if s := got[9]["stdout"].(string); !strings.HasPrefix(s, key1+"\n") || strings.Contains(s, "k2@test") {
		t.Errorf("exclusive left:\n%s", s)
	}
	labdiff.WantOutcomes(t, got[fromURL:], "cc.o fff fc. f")
	if s := got[fromURL+2]["stdout"].(string); s != key1+"\n"+key2 {
		t.Errorf("keys from a URL through a redirect: the file holds\n%s", s)
	}
}

// serveKeys starts a web server on the lab bridge for keys taken from
// URLs: /keys (two keys with CRLF and a comment line between), /redirect
// (302 to /keys), /moved (301 to a missing page); everything else is a 404.
// It returns the base URLs of its HTTP and HTTPS (a certificate the hosts
// do not trust) listeners.
func serveKeys(t *testing.T, l *labdiff.Lab) (plain, tls string) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(key1 + "\r\n# from the web\n\n" + key2 + "\n"))
	})
	mux.Handle("/redirect", http.RedirectHandler("/keys", http.StatusFound))
	mux.Handle("/moved", http.RedirectHandler("/missing", http.StatusMovedPermanently))
	var urls []string
	for _, secure := range []bool{false, true} {
		ln, err := net.Listen("tcp", net.JoinHostPort(l.Gateway, "0"))
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(mux)
		srv.Listener.Close()
		srv.Listener = ln
		if secure {
			srv.StartTLS()
		} else {
			srv.Start()
		}
		t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	return urls[0], urls[1]
}

// keyURLSteps take keys from URLs: in check mode, through a redirect, a
// 404, a redirect to a 404, a closed port, an HTTPS server with an
// untrusted certificate (validated or not) and a "URL" urllib cannot parse.
func keyURLSteps(t *testing.T, l *labdiff.Lab) []step {
	base, tlsBase := serveKeys(t, l)
	keys := []string{"keyfile", "key", "msg", "url", "status", "validate_certs"}
	ak := func(args string) step {
		return step{Module: "authorized_key", Args: "{user: dana, path: /tmp/akurl, manage_dir: false, " + args + "}", Keys: keys}
	}
	check := ak("key: " + base + "/keys")
	check.Check = true
	return []step{
		check,
		ak("key: " + base + "/redirect"),
		shell("cat /tmp/akurl"),
		ak("key: " + base + "/keys"),
		ak("key: " + base + "/missing"),
		ak("key: " + base + "/moved"),
		ak("key: 'http://" + l.Gateway + ":1/keys'"),
		ak("key: " + tlsBase + "/keys, state: absent"),
		ak("key: " + tlsBase + "/keys, state: absent, validate_certs: false"),
		shell("cat /tmp/akurl"),
		ak("key: 'http//" + l.Gateway + "/keys'"),
	}
}
