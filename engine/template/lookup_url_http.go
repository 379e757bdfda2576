package template

import (
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// sslSource is where Python's ssl module reports certificate failures from;
// Ansible's messages carry it ("... (_ssl.c:992)" with the Python of the
// reference installation).
const sslSource = "_ssl.c:992"

// maxRedirects is urllib's HTTPRedirectHandler.max_redirections.
const maxRedirects = 10

// openURL fetches term as Ansible's open_url does with the url lookup's
// options, and maps failures to the lookup's messages.
func openURL(term string, opts map[string]any) ([]byte, error) {
	failed := func(reason string) error {
		return fmt.Errorf("Failed lookup url for %s : <urlopen error %s>", term, reason)
	}
	scheme, _, hasScheme := strings.Cut(term, ":")
	if !hasScheme || scheme == "" || strings.Contains(scheme, "/") {
		return nil, &lookupException{"ValueError", fmt.Sprintf("unknown url type: %s", pyRepr(term))}
	}
	u, err := url.Parse(term)
	if err != nil {
		return nil, failed(err.Error())
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
	case "file":
		b, err := os.ReadFile(u.Path)
		if err != nil {
			return nil, failed(pyOSError(err))
		}
		return b, nil
	case "ftp", "data":
		return nil, fmt.Errorf("the url lookup of gorun does not support %s: URLs (%s)", scheme, term)
	default:
		return nil, failed("unknown url type: " + strings.ToLower(scheme))
	}

	client, err := urlClient(term, opts)
	if err != nil {
		return nil, err
	}
	username, _ := opts["username"].(string)
	password, _ := opts["password"].(string)
	if username == "" && u.User != nil {
		username = u.User.Username()
		password, _ = u.User.Password()
		u.User = nil
	}
	headers := http.Header{}
	unredirected := http.Header{}
	if agent, _ := opts["http_agent"].(string); agent != "" {
		headers.Set("User-Agent", agent)
	}
	if opts["force"].(bool) {
		headers.Set("Cache-Control", "no-cache")
	}
	// The login is sent at once (force_basic_auth, ~/.netrc) or in answer to
	// a 401 challenge (urllib's basic and digest handlers).
	challengeAuth := false
	gssapi := opts["use_gssapi"].(bool)
	switch {
	case gssapi:
		// The GSSAPI handler takes the login; no Basic, Digest or netrc.
	case username != "" && !opts["force_basic_auth"].(bool):
		challengeAuth = true
	case username != "":
		headers.Set("Authorization", basicAuth(username, password))
	case opts["use_netrc"].(bool):
		if login, pass := netrcLogin(u.Hostname()); login != "" && pass != "" {
			headers.Set("Authorization", basicAuth(login, pass))
		}
	}
	unredir := map[string]bool{}
	for _, h := range listOpt(opts["unredirected_headers"]) {
		unredir[strings.ToLower(h)] = true
	}
	hd := opts["headers"]
	for _, k := range mapKeys(hd) {
		v, _ := mapGet(hd, k)
		if unredir[strings.ToLower(k)] {
			unredirected.Set(k, ToText(v))
		} else {
			headers.Set(k, ToText(v))
		}
	}
	if headers.Get("Accept-Encoding") == "" {
		headers.Set("Accept-Encoding", "identity") // what Python's http.client sends
	}

	follow, _ := opts["follow_redirects"].(string)
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		switch follow {
		case "urllib2", "all", "yes", "safe":
		default:
			return errNoRedirect
		}
		if len(via) > maxRedirects {
			return errRedirectLoop
		}
		// Redirected requests carry the headers but not the unredirected ones.
		req.Header = headers.Clone()
		return nil
	}

	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, failed(err.Error())
	}
	req.Header = headers.Clone()
	for k, v := range unredirected {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err == nil && resp.StatusCode == http.StatusUnauthorized && challengeAuth {
		auth, authErr := answerChallenge(resp, req, username, password)
		if authErr != nil {
			resp.Body.Close()
			return nil, authErr
		}
		if auth != "" {
			resp.Body.Close()
			req.Header.Set("Authorization", auth)
			resp, err = client.Do(req)
		}
	}
	if err == nil && resp.StatusCode == http.StatusUnauthorized && gssapi && negotiateChallenge(resp) != "" {
		// The request that was refused (after redirects) again, with the
		// token; a second refusal is the HTTP error.
		resp.Body.Close()
		var peer *x509.Certificate
		if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
			peer = resp.TLS.PeerCertificates[0]
		}
		auth, gssErr := gssapiAuthorization(negotiateChallenge(resp), resp.Request.URL, username, password, peer)
		if gssErr != nil {
			return nil, gssErr
		}
		retry := resp.Request.Clone(resp.Request.Context())
		retry.Header.Set("Authorization", auth)
		resp, err = client.Do(retry)
	}
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && errors.Is(ue.Err, errRedirectLoop) && resp != nil {
			return nil, fmt.Errorf("Received HTTP error for %s : HTTP Error %d: The HTTP server returned a redirect error that would lead to an infinite loop.\nThe last 30x error message was:\n%s", term, resp.StatusCode, reason(resp))
		}
		if errors.Is(err, errNoRedirect) && resp != nil {
			return nil, fmt.Errorf("Received HTTP error for %s : HTTP Error %d: %s", term, resp.StatusCode, reason(resp))
		}
		return nil, failed(pyNetError(err, opts))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return nil, fmt.Errorf("Received HTTP error for %s : HTTP Error %d: %s", term, resp.StatusCode, reason(resp))
	}
	var body io.Reader = resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %v", term, err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, &lookupException{"TimeoutError", pyNetError(err, opts)}
	}
	return b, nil
}

var (
	errNoRedirect   = errors.New("redirects are not followed")
	errRedirectLoop = errors.New("too many redirects")
)

// reason is the HTTP reason phrase the server sent (Python prints it).
func reason(resp *http.Response) string {
	return strings.TrimSpace(strings.TrimPrefix(resp.Status, fmt.Sprint(resp.StatusCode)))
}

// urlClient builds the HTTP client for the options: proxy, TLS, unix socket, timeout.
func urlClient(term string, opts map[string]any) (*http.Client, error) {
	tlsConf := &tls.Config{InsecureSkipVerify: !opts["validate_certs"].(bool)}
	if ca, _ := opts["ca_path"].(string); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, &lookupException{"FileNotFoundError", fmt.Sprintf("%s: b'%s'", pyOSError(err), ca)}
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tlsConf.RootCAs = pool
	}
	if ciphers := listOpt(opts["ciphers"]); len(ciphers) > 0 {
		suites, err := cipherSuites(strings.Join(ciphers, ":"))
		if err != nil {
			return nil, err
		}
		tlsConf.CipherSuites = suites
	}
	timeout := time.Duration(opts["timeout"].(float64) * float64(time.Second))
	dialer := &net.Dialer{Timeout: timeout}
	tr := &http.Transport{
		TLSClientConfig:       tlsConf,
		DisableCompression:    true, // urllib asks for no compression
		ResponseHeaderTimeout: timeout,
		TLSHandshakeTimeout:   timeout,
		DialContext:           dialer.DialContext,
	}
	if opts["use_proxy"].(bool) {
		tr.Proxy = pythonProxy
	}
	if sock, _ := opts["unix_socket"].(string); sock != "" {
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, "unix", sock)
			if err != nil {
				return nil, fmt.Errorf("Invalid Socket File (%s): %s", sock, pyOSError(err))
			}
			return c, nil
		}
	}
	return &http.Client{Transport: tr}, nil
}

// opensslNames maps OpenSSL's names of the TLS 1.2 suites Go implements to Go's.
var opensslNames = map[string]uint16{
	"ECDHE-RSA-AES128-GCM-SHA256":   tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-RSA-AES256-GCM-SHA384":   tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-ECDSA-AES128-GCM-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-ECDSA-AES256-GCM-SHA384": tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-RSA-CHACHA20-POLY1305":   tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-ECDSA-CHACHA20-POLY1305": tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-RSA-AES128-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	"ECDHE-RSA-AES256-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	"ECDHE-ECDSA-AES128-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	"ECDHE-ECDSA-AES256-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	"AES128-GCM-SHA256":             tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"AES256-GCM-SHA384":             tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	"AES128-SHA":                    tls.TLS_RSA_WITH_AES_128_CBC_SHA,
	"AES256-SHA":                    tls.TLS_RSA_WITH_AES_256_CBC_SHA,
}

// cipherSuites reads an OpenSSL cipher list of suite names. OpenSSL's
// keywords (HIGH, !aNULL, @STRENGTH, ...) are not supported and are named
// in the error; a list naming no known suite fails as ssl.set_ciphers does.
func cipherSuites(list string) ([]uint16, error) {
	var out []uint16
	for _, name := range strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ',' || r == ' ' }) {
		if id, ok := opensslNames[name]; ok {
			out = append(out, id)
			continue
		}
		if strings.ToUpper(name) == name && !strings.ContainsAny(name, "-!+@=") && len(name) > 1 && isCipherKeyword(name) {
			return nil, fmt.Errorf("the url lookup of gorun does not support the OpenSSL cipher keyword %q in ciphers", name)
		}
		if strings.ContainsAny(name, "!+@") {
			return nil, fmt.Errorf("the url lookup of gorun does not support the OpenSSL cipher expression %q in ciphers", name)
		}
	}
	if len(out) == 0 {
		return nil, &lookupException{"ssl.SSLError", "('No cipher can be selected.',)"}
	}
	return out, nil
}

func isCipherKeyword(name string) bool {
	switch name {
	case "ALL", "DEFAULT", "HIGH", "MEDIUM", "LOW", "COMPLEMENTOFDEFAULT", "COMPLEMENTOFALL", "ECDHE", "EECDH", "AESGCM", "AES", "CHACHA20", "RSA", "ECDSA", "SHA256", "SHA384", "SHA", "TLSv1.2", "SECLEVEL":
		return true
	}
	return false
}

func listOpt(v any) []string {
	l, _ := v.([]string)
	return l
}

// basicAuth is Ansible's basic_auth_header.
func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// netrcLogin reads $NETRC or ~/.netrc as Python's netrc module and returns
// the login and password for host (or the default entry).
func netrcLogin(host string) (string, string) {
	path := os.Getenv("NETRC")
	if path == "" {
		home, _ := os.UserHomeDir()
		path = filepath.Join(home, ".netrc")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", ""
	}
	var login, pass, defLogin, defPass string
	var cur string // "match", "default" or "" (another machine)
	f := strings.Fields(string(data))
	for i := 0; i < len(f); i++ {
		next := func() string {
			if i+1 < len(f) {
				i++
				return f[i]
			}
			return ""
		}
		switch f[i] {
		case "machine":
			cur = ""
			if next() == host {
				cur = "match"
			}
		case "default":
			cur = "default"
		case "login", "account", "password":
			key := f[i]
			v := next()
			switch {
			case cur == "match" && key == "login":
				login = v
			case cur == "match" && key == "password":
				pass = v
			case cur == "default" && key == "login":
				defLogin = v
			case cur == "default" && key == "password":
				defPass = v
			}
		}
	}
	if login != "" || pass != "" {
		return login, pass
	}
	return defLogin, defPass
}

var challengeParam = regexp.MustCompile(`(\w+)=("([^"]*)"|[^,\s]+)`)

// answerChallenge is urllib's HTTPBasicAuthHandler and HTTPDigestAuthHandler:
// the Authorization answering resp's WWW-Authenticate, or "" when there is
// none it can answer.
func answerChallenge(resp *http.Response, req *http.Request, user, pass string) (string, error) {
	// The digest handler runs first and refuses a first challenge of
	// another scheme than its own and Basic.
	if first := strings.Fields(resp.Header.Get("Www-Authenticate")); len(first) > 0 {
		if s := strings.ToLower(first[0]); s != "basic" && s != "digest" {
			return "", &lookupException{"ValueError", fmt.Sprintf("AbstractDigestAuthHandler does not support the following scheme: '%s'", first[0])}
		}
	}
	for _, ch := range resp.Header.Values("Www-Authenticate") {
		scheme, rest, _ := strings.Cut(strings.TrimSpace(ch), " ")
		switch strings.ToLower(scheme) {
		case "basic":
			return basicAuth(user, pass), nil
		case "digest":
			p := map[string]string{}
			for _, m := range challengeParam.FindAllStringSubmatch(rest, -1) {
				v := m[2]
				if m[3] != "" || strings.HasPrefix(v, `"`) {
					v = m[3]
				}
				p[strings.ToLower(m[1])] = v
			}
			return digestAuth(p, req, user, pass), nil
		}
	}
	return "", nil
}

// digestAuth answers an RFC 2617 challenge with MD5 and qop=auth, as urllib does.
func digestAuth(p map[string]string, req *http.Request, user, pass string) string {
	if alg := p["algorithm"]; alg != "" && !strings.EqualFold(alg, "MD5") {
		return ""
	}
	h := func(s string) string { x := md5.Sum([]byte(s)); return hex.EncodeToString(x[:]) }
	uri := req.URL.RequestURI()
	ha1 := h(user + ":" + p["realm"] + ":" + pass)
	ha2 := h(req.Method + ":" + uri)
	cb := make([]byte, 8)
	rand.Read(cb)
	cnonce := hex.EncodeToString(cb)
	var resp, extra string
	if strings.Contains(p["qop"], "auth") {
		resp = h(strings.Join([]string{ha1, p["nonce"], "00000001", cnonce, "auth", ha2}, ":"))
		extra = fmt.Sprintf(`, qop=auth, nc=00000001, cnonce="%s"`, cnonce)
	} else {
		resp = h(ha1 + ":" + p["nonce"] + ":" + ha2)
	}
	s := fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"`, user, p["realm"], p["nonce"], uri, resp)
	if p["opaque"] != "" {
		s += fmt.Sprintf(`, opaque="%s"`, p["opaque"])
	}
	if p["algorithm"] != "" {
		s += `, algorithm="MD5"`
	}
	return s + extra
}

// pyOSError is Python's text for an OS error: "[Errno 2] No such file or directory".
func pyOSError(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg := errno.Error()
		return fmt.Sprintf("[Errno %d] %s", int(errno), strings.ToUpper(msg[:1])+msg[1:])
	}
	return err.Error()
}

// pyNetError is the reason urllib gives for a failed request.
func pyNetError(err error, opts map[string]any) string {
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var ne net.Error
	switch {
	case errors.As(err, &unknownCA):
		why := "unable to get local issuer certificate"
		if c := unknownCA.Cert; c != nil && string(c.RawIssuer) == string(c.RawSubject) {
			why = "self-signed certificate"
		}
		return fmt.Sprintf("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: %s (%s)", why, sslSource)
	case errors.As(err, &hostErr):
		return fmt.Sprintf("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for '%s'. (%s)", hostErr.Host, sslSource)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fmt.Sprintf("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (%s)", sslSource)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "[Errno -2] Name or service not known"
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		if strings.HasPrefix(oe.Err.Error(), "Invalid Socket File") {
			return oe.Err.Error()
		}
	}
	if strings.HasPrefix(err.Error(), "Invalid Socket File") {
		return err.Error()
	}
	return pyOSError(err)
}

// pythonProxy picks the proxy as urllib does from the environment
// (http_proxy, https_proxy, no_proxy; lower case first). Unlike Go's
// ProxyFromEnvironment it proxies loopback hosts too, as Python does.
func pythonProxy(req *http.Request) (*url.URL, error) {
	env := func(name string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return os.Getenv(strings.ToUpper(name))
	}
	p := env(req.URL.Scheme + "_proxy")
	if p == "" || bypassProxy(req.URL.Host, env("no_proxy")) {
		return nil, nil
	}
	if !strings.Contains(p, "://") {
		p = "http://" + p
	}
	return url.Parse(p)
}

// bypassProxy is Python's proxy_bypass_environment.
func bypassProxy(host, noProxy string) bool {
	if noProxy == "*" {
		return true
	}
	host = strings.ToLower(host)
	hostOnly := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		hostOnly = h
	}
	for _, name := range strings.Split(noProxy, ",") {
		name = strings.ToLower(strings.TrimLeft(strings.TrimSpace(name), "."))
		if name == "" {
			continue
		}
		if hostOnly == name || host == name || strings.HasSuffix(hostOnly, "."+name) || strings.HasSuffix(host, "."+name) {
			return true
		}
	}
	return false
}
