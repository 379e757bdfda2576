package files_test

import "gorun/test/krbtest"

// Kerberos for the use_gssapi scenario: the realm of gorun/test/krbtest
// (an MIT KDC and an HTTP server authenticating with SPNEGO through MIT
// GSSAPI) on the lab bridge at fixed ports — each lab has its own bridge
// address. The hosts' setup finds them through their default route, the
// bridge; their credential cache is under /run (outside what the
// check-mode comparison watches: every use of a ticket caches the service
// ticket).
const (
	krbKDCPort  = "10088"
	krbHTTPPort = "10089"
)

// gssapiScenario runs uri and get_url with use_gssapi against the SPNEGO
// server: with the ticket kinit got in the setup, with a password
// (url_username/url_password), with a wrong one, without use_gssapi, and
// without any ticket. The Negotiate tokens in www_authenticate differ
// on every run; so do the GSSAPI library's and kinit's failure messages.
var gssapiScenario = scenario{
	setup: `gw=$(ip route show default | awk '{print $3; exit}')
cat > /etc/krb5.conf <<EOF
` + krbtest.ClientConf("$gw", krbKDCPort, "FILE:/run/gorun-krb5cc") + `EOF
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
