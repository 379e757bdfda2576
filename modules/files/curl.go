package files

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotefile"
	"gorun/modules/internal/urlerr"
)

// This file is the HTTP client of get_url, uri and unarchive's URL
// sources: Ansible's fetch_url (module_utils/urls.py) runs on the target,
// so gorun runs the target's curl with the options fetch_url reads from
// the module's parameters.

// httpRequest is one request made with the target's curl.
type httpRequest struct {
	url string
	// method is sent with -X; "" leaves curl's GET (or HEAD with head).
	method string
	head   bool
	// redirects is fetch_url's follow_redirects: which redirects
	// doHTTP follows (redirect.go); "" follows none.
	redirects string
	// unredirected are the lower-cased names of headers sent only with
	// the first request (unredirected_headers).
	unredirected []string
	// noAuth leaves out url_username's and netrc's credentials (a
	// redirected request that must not carry them).
	noAuth bool
	// headers are the task's headers and those the module adds.
	headers map[string]string
	// body, when set, is sent as the request body.
	body io.Reader
	// since is a file on the target: only a newer resource is fetched
	// (If-Modified-Since, fetch_url's last_mod_time).
	since string
	// noCache sends cache-control: no-cache (fetch_url's force).
	noCache bool
	// tmpDir is the directory of the temporary file ("" for $TMPDIR or /tmp).
	tmpDir string
	// readBody returns the body in the response; otherwise it stays in
	// the temporary file httpResponse.tmp, which the caller removes.
	readBody bool
}

// httpResponse is what curl got back: the last response after redirects.
type httpResponse struct {
	status      int
	url, reason string
	// err is fetch_url's message when no response came ("Request
	// failed: " and urllib's reason for curl's errors).
	err        string
	headers    map[string]string
	setCookies []string
	// tmp is the temporary file on the target holding the body (unless
	// the request read it), and sha1 its checksum.
	tmp, sha1 string
	body      []byte
}

// curlArgs are curl's options for fetch_url's parameters in a.
func curlArgs(a module.Args, r httpRequest) []string {
	timeout, agent := 10, "ansible-httpget" // fetch_url's defaults, for modules without the options
	if a.Has("timeout") {
		timeout = a.Int("timeout")
	}
	if a.Has("http_agent") {
		agent = a.String("http_agent")
	}
	// urllib speaks HTTP/1.1 (responses have reason phrases) and closes
	// every connection after its request.
	args := []string{"-sS", "--http1.1", "--max-time", strconv.Itoa(timeout), "-A", agent, "-H", "Connection: close"}
	if r.head {
		args = append(args, "-I")
	} else if r.method != "" {
		args = append(args, "-X", r.method)
	}
	if r.since != "" {
		args = append(args, "-z", r.since)
	}
	if !boolOr(a, "validate_certs", true) {
		args = append(args, "-k")
	}
	if !boolOr(a, "use_proxy", true) {
		args = append(args, "--noproxy", "*")
	}
	if boolOr(a, "decompress", true) {
		args = append(args, "--compressed")
	}
	if a.Bool("use_gssapi") {
		// SPNEGO with the Kerberos credentials of the ccache (gssapi.py's
		// HTTPGSSAPIAuthHandler); no Basic, Digest or netrc then.
		args = append(args, "--negotiate", "-u", ":")
	} else if a.Has("url_username") && !r.noAuth {
		args = append(args, "-u", a.String("url_username")+":"+a.String("url_password"))
		if !a.Bool("force_basic_auth") {
			args = append(args, "--anyauth")
		}
	}
	for _, o := range []struct{ opt, flag string }{
		{"client_cert", "--cert"}, {"client_key", "--key"}, {"ca_path", "--cacert"}, {"unix_socket", "--unix-socket"},
	} {
		if p := a.String(o.opt); p != "" {
			args = append(args, o.flag, p)
		}
	}
	if ciphers := a.Strings("ciphers"); len(ciphers) > 0 {
		// set_ciphers(':'.join(ciphers)): the same OpenSSL cipher list.
		args = append(args, "--ciphers", strings.Join(ciphers, ":"))
	}
	if r.noCache {
		args = append(args, "-H", "cache-control: no-cache")
	}
	keys := make([]string, 0, len(r.headers))
	for k := range r.headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "-H", k+": "+r.headers[k])
	}
	if r.body != nil {
		args = append(args, "--data-binary", "@-")
	}
	// With -I curl writes the headers as the body: a HEAD response has none.
	out := "$T"
	if r.head {
		out = "/dev/null"
	}
	return append(args, "-o", out, "-D", "$T.h", "-w", `%{http_code}\n%{url_effective}\n`, "--", r.url)
}

// curlScript runs curl and prints what httpResponse needs, one "key value"
// line each; with use_netrc, ~/.netrc or the file $NETRC names (as
// Python's netrc module reads) supplies credentials.
func curlScript(a module.Args, r httpRequest) string {
	q := strings.NewReplacer("'$T'", `"$T"`, "'$T.h'", `"$T.h"`).Replace(shell.Join(curlArgs(a, r)))
	netrc := ""
	if boolOr(a, "use_netrc", true) && !r.noAuth && !a.Bool("use_gssapi") {
		netrc = `--netrc-optional ${NETRC:+--netrc-file "$NETRC"} `
	}
	keep := `printf 'tmp %s\n' "$T"; trap 'rm -f -- "$T.h" "$T.e" "$T.cc"' EXIT`
	body := ""
	if r.readBody {
		keep = `trap 'rm -f -- "$T" "$T.h" "$T.e" "$T.cc"' EXIT`
		body = `printf 'body %s\n' "$(base64 -w0 < "$T")"` + "\n"
	}
	dir := `"${TMPDIR:-/tmp}"`
	if r.tmpDir != "" {
		dir = shell.Quote(r.tmpDir)
	}
	return `T=$(mktemp ` + dir + `/.gorun-http.XXXXXXXX) || exit 1
` + keep + `
` + gssCredentials(a) + `w=$(curl ` + netrc + q + ` 2>"$T.e"); rc=$?
printf 'rc %s\n' "$rc"; printf 'err %s\n' "$(head -c 500 "$T.e" | tr '\n' ' ')"
printf '%s\n' "$w" | { read -r code; read -r eff; printf 'code %s\neff %s\n' "$code" "$eff"; }
printf 'headers %s\n' "$(base64 -w0 < "$T.h")"
printf 'sha1 %s\n' "$(sha1sum < "$T" | cut -d' ' -f1)"
` + body
}

// gssCredentials gets use_gssapi's Kerberos credentials before curl runs:
// with url_username and url_password a ticket in a private ccache (what
// gss_acquire_cred_with_password does, here by kinit), else the default
// ccache's. It prints "gss REASON" when there are none, which matters
// only if the server asks to negotiate.
func gssCredentials(a module.Args) string {
	if !a.Bool("use_gssapi") {
		return ""
	}
	if user, pw := a.String("url_username"), a.String("url_password"); user != "" && pw != "" {
		return `if ! command -v kinit >/dev/null 2>&1; then printf 'gss %s\n' 'use_gssapi with url_username needs kinit (Debian: krb5-user) on the target'
else KRB5CCNAME="FILE:$T.cc"; export KRB5CCNAME
printf '%s\n' ` + shell.Quote(pw) + ` | kinit -- ` + shell.Quote(user) + ` >/dev/null 2>"$T.e" || printf 'gss %s\n' "$(head -c 300 "$T.e" | tr '\n' ' ')"
fi
`
	}
	return `if ! command -v klist >/dev/null 2>&1 || ! klist -s; then printf 'gss %s\n' 'No Kerberos credentials available'; fi
`
}

// boolOr is a's bool option name, or def when the module has no such option.
func boolOr(a module.Args, name string, def bool) bool {
	if !a.Has(name) {
		return def
	}
	return a.Bool(name)
}

// doHop makes one request on the target with the module's fetch_url
// parameters in a, following no redirect.
func doHop(ctx context.Context, c *module.Call, r httpRequest) (*httpResponse, error) {
	out, err := remotefile.Run(ctx, c.Conn, curlScript(c.Args, r), r.body)
	if err != nil {
		return nil, err
	}
	resp := &httpResponse{headers: map[string]string{}}
	rc, gss := "0", ""
	for _, l := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(l, " ")
		switch k {
		case "tmp":
			resp.tmp = v
		case "rc":
			rc = v
		case "err":
			if rc != "0" {
				// urllib's wording where Ansible gets a URLError.
				msg, _ := urlerr.FromCurlLine(v)
				if msg == "" {
					msg = fmt.Sprintf("curl failed (exit status %s)", rc)
				}
				resp.err = "Request failed: " + msg
			}
		case "code":
			resp.status, _ = strconv.Atoi(v)
		case "eff":
			resp.url = v
		case "headers":
			raw, _ := base64.StdEncoding.DecodeString(v)
			resp.parseHeaders(string(raw))
		case "sha1":
			resp.sha1 = v
		case "gss":
			gss = strings.TrimSpace(v)
		case "body":
			resp.body, _ = base64.StdEncoding.DecodeString(v)
		}
	}
	if gss != "" && resp.status == 401 && strings.Contains(strings.ToLower(resp.headers["www-authenticate"]), "negotiate") {
		// The handler found no credentials to answer the server with:
		// gssapi raised, fetch_url's "unknown error".
		resp.err = "An unknown error occurred: " + gss
	}
	return resp, nil
}

// parseHeaders keeps the headers of the last response in curl's dump.
func (r *httpResponse) parseHeaders(raw string) {
	blocks := strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n\n")
	last := ""
	for _, b := range blocks {
		if strings.TrimSpace(b) != "" {
			last = b
		}
	}
	lines := strings.Split(last, "\n")
	if len(lines) > 0 {
		if f := strings.SplitN(lines[0], " ", 3); len(f) == 3 {
			r.reason = f[2]
		}
	}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if k == "set-cookie" {
			r.setCookies = append(r.setCookies, v)
		}
		if old, dup := r.headers[k]; dup {
			v = old + ", " + v
		}
		r.headers[k] = v
	}
}
