package files_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// redirectHandlers serve the redirect scenario under /r/ on the test web
// server: redirects of every code to any path, loops, a redirect without
// Location and to a file: URL, one that sets a cookie, and an echo of
// what the final request carried.
func redirectHandlers(mux *http.ServeMux) {
	redirect := func(w http.ResponseWriter, code int, to string) {
		w.Header().Set("Location", to)
		w.WriteHeader(code)
	}
	mux.HandleFunc("/r/to/{code}/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		redirect(w, code, "/"+r.PathValue("rest"))
	})
	mux.HandleFunc("/r/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{
			"method": r.Method, "body": string(body), "query": r.URL.RawQuery,
			"x_keep": r.Header.Get("X-Keep"), "x_drop": r.Header.Get("X-Drop"),
			"authorization": r.Header.Get("Authorization"), "content_type": r.Header.Get("Content-Type"),
			"cookie": r.Header.Get("Cookie"),
		})
	})
	mux.HandleFunc("/r/loop", func(w http.ResponseWriter, r *http.Request) { redirect(w, http.StatusFound, "/r/loop") })
	mux.HandleFunc("/r/noloc", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) })
	mux.HandleFunc("/r/file", func(w http.ResponseWriter, r *http.Request) { redirect(w, http.StatusFound, "file:///etc/passwd") })
	mux.HandleFunc("/r/space", func(w http.ResponseWriter, r *http.Request) { redirect(w, http.StatusFound, "/r/echo?a b") })
	mux.HandleFunc("/r/cookie", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "sid=abc; Path=/")
		redirect(w, http.StatusFound, "/r/echo")
	})
	mux.HandleFunc("/r/auth", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "secret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="t"`)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		redirect(w, http.StatusFound, "/r/echo")
	})
}

// redirectScenario compares how redirects are followed: redirect codes
// with methods under each follow_redirects value (the echo shows the
// method, body and headers the last request carried; X-Drop is an
// unredirected header), urllib's loop and scheme limits, cookies set on
// the way, credentials, and get_url's and unarchive's urllib2 handling.
var redirectScenario = scenario{
	setup: "mkdir -p /srv/t/d /srv/t/ua\n",
	tasks: `
- uri: {url: "{{ base_url }}/r/echo", headers: {X-Keep: kept, X-Drop: dropped}, unredirected_headers: [x-drop], return_content: true}
- uri:
    url: "{{ base_url }}/r/to/{{ item[0] }}/r/echo"
    method: "{{ item[1] }}"
    body: "{{ 'sent' if item[1] in ['POST', 'PUT'] else omit }}"
    headers: {X-Keep: kept, X-Drop: dropped, Content-Type: text/plain}
    unredirected_headers: [X-Drop]
    follow_redirects: "{{ item[2] }}"
    return_content: true
    status_code: [200, 301, 302, 303, 307, 308]
  # Each item is the redirect code, the method and follow_redirects;
  # chosen so that every rule of redirect_request decides one of them.
  loop:
    - [301, POST, all]
    - [302, POST, all]
    - [303, POST, all]
    - [307, POST, all]
    - [301, PUT, all]
    - [308, PUT, all]
    - [302, HEAD, all]
    - [303, HEAD, all]
    - [302, GET, safe]
    - [307, GET, safe]
    - [302, POST, safe]
    - [302, HEAD, urllib2]
    - [303, POST, urllib2]
    - [307, POST, urllib2]
    - [302, PUT, urllib2]
    - [302, GET, none]
    - [301, GET, "no"]
    - [302, POST, "yes"]
- uri: {url: "{{ base_url }}/r/to/301/r/to/307/r/echo", method: POST, body: sent, follow_redirects: all, return_content: true}
- uri: {url: "{{ base_url }}/r/loop"}
- uri: {url: "{{ base_url }}/r/noloc"}
- uri: {url: "{{ base_url }}/r/file"}
- uri: {url: "{{ base_url }}/r/space", return_content: true}
- uri: {url: "{{ base_url }}/r/cookie", return_content: true}
- uri: {url: "{{ base_url }}/r/to/302/missing"}
- uri: {url: "{{ base_url }}/r/to/302/r/echo", url_username: user, url_password: secret, force_basic_auth: true, return_content: true}
- uri: {url: "{{ base_url }}/r/to/302/r/echo", url_username: user, url_password: secret, force_basic_auth: true, unredirected_headers: [Authorization], return_content: true}
- uri: {url: "{{ base_url }}/r/auth", url_username: user, url_password: secret, return_content: true}
- uri: {url: "{{ base_url }}/r/to/302/data.txt", dest: /srv/t/d/}
- get_url: {url: "{{ base_url }}/r/to/302/r/echo", dest: /srv/t/g1.json, headers: {X-Keep: kept, X-Drop: dropped}, unredirected_headers: [X-Drop]}
- get_url: {url: "{{ base_url }}/r/to/307/r/echo", dest: /srv/t/g2.json, headers: {X-Keep: kept, X-Drop: dropped}}
- get_url: {url: "{{ base_url }}/r/to/301/data.txt", dest: /srv/t/d/}
- get_url: {url: "{{ base_url }}/r/to/302/r/echo", dest: /srv/t/g3.json, url_username: user, url_password: secret, force_basic_auth: true, unredirected_headers: [authorization]}
- get_url: {url: "{{ base_url }}/r/loop", dest: /srv/t/g4.json}
- unarchive: {src: "{{ base_url }}/r/to/302/a.tar.gz", dest: /srv/t/ua, remote_src: true}
`,
}
