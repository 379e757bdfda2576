package files

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/value"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(uriModule{}) }

// uriModule makes the request from the target, as Ansible's uri does, with
// the target's curl.
type uriModule struct{}

func (uriModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "uri", Names: []string{"ansible.builtin.uri"},
		Short:       "Interacts with webservices",
		Description: []string{"Interacts with HTTP and HTTPS web services and supports Digest, Basic and WSSE HTTP authentication mechanisms.", "For Windows targets, use the ansible.windows.win_uri module instead."},
		Options: withFileOptions([]module.Option{
			{Name: "body", Type: "raw", Description: "The body of the http request/response to the web service. If body_format is set to 'json' it will take an already formatted JSON string or convert a data structure into JSON. If body_format is set to 'form-urlencoded' it will convert a dictionary or list of tuples into an 'application/x-www-form-urlencoded' string. (Added in v2.7) If body_format is set to 'form-multipart' it will convert a dictionary into 'multipart/form-multipart' body. (Added in v2.10)"},
			{Name: "body_format", Default: "raw", Choices: []any{"form-urlencoded", "json", "raw", "form-multipart"}, Description: "The serialization format of the body. When set to json, form-multipart, or form-urlencoded, encodes the body argument, if needed, and automatically sets the Content-Type header accordingly. As of v2.3 it is possible to override the Content-Type header, when set to json or form-urlencoded via the headers option. The 'Content-Type' header cannot be overridden when using form-multipart form-urlencoded was added in v2.7. form-multipart was added in v2.10."},
			{Name: "ca_path", Type: "path", Description: "PEM formatted file that contains a CA certificate to be used for validation"},
			{Name: "ciphers", Type: "list", Elements: "str", Description: "SSL/TLS Ciphers to use for the request. When a list is provided, all ciphers are joined in order with : See the L(OpenSSL Cipher List Format,https://www.openssl.org/docs/manmaster/man1/openssl-ciphers.html#CIPHER-LIST-FORMAT) for more details. The available ciphers is dependent on the Python and OpenSSL/LibreSSL versions"},
			{Name: "client_cert", Type: "path", Description: "PEM formatted certificate chain file to be used for SSL client authentication. This file can also include the key as well, and if the key is included, client_key is not required"},
			{Name: "client_key", Type: "path", Description: "PEM formatted file that contains your private key to be used for SSL client authentication. If client_cert contains both the certificate and key, this option is not required."},
			{Name: "creates", Type: "path", Description: "A filename, when it already exists, this step will not be run."},
			{Name: "decompress", Type: "bool", Default: true, Description: "Whether to attempt to decompress gzip content-encoded responses"},
			{Name: "dest", Type: "path", Description: "A path of where to download the file to (if desired). If dest is a directory, the basename of the file on the remote server will be used."},
			{Name: "follow_redirects", Default: "safe", Choices: []any{"all", "no", "none", "safe", "urllib2", "yes"}, Description: "Whether or not the URI module should follow redirects. all will follow all redirects. safe will follow only \"safe\" redirects, where \"safe\" means that the client is only doing a GET or HEAD on the URI to which it is being redirected. none will not follow any redirects. Note that true and false choices are accepted for backwards compatibility, where true is the equivalent of all and false is the equivalent of safe. true and false are deprecated and will be removed in some future version of Ansible."},
			{Name: "force", Type: "bool", Default: false, Description: "If true do not get a cached copy."},
			{Name: "force_basic_auth", Type: "bool", Default: false, Description: "Force the sending of the Basic authentication header upon initial request. When this setting is false, this module will first try an unauthenticated request, and when the server replies with an HTTP 401 error, it will submit the Basic authentication header. When this setting is true, this module will immediately send a Basic authentication header on the first request. Use this setting in any of the following scenarios: You know the webservice endpoint always requires HTTP Basic authentication, and you want to speed up your requests by eliminating the first roundtrip. The web service does not properly send an HTTP 401 error to your client, so Ansible's HTTP library will not properly respond with HTTP credentials, and logins will fail. The webservice bans or rate-limits clients that cause any HTTP 401 errors."},
			{Name: "headers", Type: "dict", Description: "Add custom HTTP headers to a request in the format of a YAML hash. As of 2.3 supplying Content-Type here will override the header generated by supplying json or form-urlencoded for body_format."},
			{Name: "http_agent", Default: "ansible-httpget", Description: "Header to identify as, generally appears in web server logs."},
			{Name: "method", Default: "GET", Description: "The HTTP method of the request or response. In more recent versions we do not restrict the method at the module level anymore but it still must be a valid method accepted by the service handling the request."},
			{Name: "remote_src", Type: "bool", Default: false, Description: "If false, the module will search for the src on the controller node. If true, the module will search for the src on the managed (remote) node."},
			{Name: "removes", Type: "path", Description: "A filename, when it does not exist, this step will not be run."},
			{Name: "return_content", Type: "bool", Default: false, Description: "Whether or not to return the body of the response as a \"content\" key in the dictionary result no matter it succeeded or failed. Independently of this option, if the reported Content-type is \"application/json\", then the JSON is always loaded into a key called json in the dictionary results."},
			{Name: "src", Type: "path", Description: "Path to file to be submitted to the remote server. Cannot be used with body. Should be used with force_basic_auth to ensure success when the remote end sends a 401."},
			{Name: "status_code", Type: "list", Elements: "int", Default: []any{200}, Description: "A list of valid, numeric, HTTP status codes that signifies success of the request."},
			{Name: "timeout", Type: "int", Default: 30, Description: "The socket level timeout in seconds"},
			{Name: "unix_socket", Type: "path", Description: "Path to Unix domain socket to use for connection"},
			{Name: "unredirected_headers", Type: "list", Elements: "str", Default: []any{}, Description: "A list of header names that will not be sent on subsequent redirected requests. This list is case insensitive. By default all headers will be redirected. In some cases it may be beneficial to list headers such as Authorization here to avoid potential credential exposure."},
			{Name: "url", Required: true, Description: "HTTP or HTTPS URL in the form (http|https)://host.domain[:port]/path"},
			{Name: "url_password", Aliases: []string{"password"}, Description: "A password for the module to use for Digest, Basic or WSSE authentication."},
			{Name: "url_username", Aliases: []string{"user"}, Description: "A username for the module to use for Digest, Basic or WSSE authentication."},
			{Name: "use_gssapi", Type: "bool", Default: false, Description: "Use GSSAPI to perform the authentication, typically this is for Kerberos or Kerberos through Negotiate authentication. Requires the Python library L(gssapi,https://github.com/pythongssapi/python-gssapi) to be installed. Credentials for GSSAPI can be specified with url_username/url_password or with the GSSAPI env var KRB5CCNAME that specified a custom Kerberos credential cache. NTLM authentication is not supported even if the GSSAPI mech for NTLM has been installed."},
			{Name: "use_netrc", Type: "bool", Default: true, Description: "Determining whether to use credentials from ``~/.netrc`` file By default .netrc is used with Basic authentication headers When set to False, .netrc credentials are ignored"},
			{Name: "use_proxy", Type: "bool", Default: true, Description: "If false, it will not use a proxy, even if one is defined in an environment variable on the target hosts."},
			{Name: "validate_certs", Type: "bool", Default: true, Description: "If false, SSL certificates will not be validated. This should only set to false used on personally controlled sites using self-signed certificates. Prior to 1.9.2 the code defaulted to false."},
		}),
		Check: module.None, Diff: module.None, MutuallyExclusive: [][]string{{"body", "src"}},
		Examples: `- name: Check that you can connect (GET) to a page and it returns a status 200
  ansible.builtin.uri:
    url: http://www.example.com

- name: Check that a page returns a status 200 and fail if the word AWESOME is not in the page contents
  ansible.builtin.uri:
    url: http://www.example.com
    return_content: true
  register: this
  failed_when: "'AWESOME' not in this.content"

- name: Create a JIRA issue
  ansible.builtin.uri:
    url: https://your.jira.example.com/rest/api/2/issue/
    user: your_username
    password: your_pass
    method: POST
    body: "{{ lookup('ansible.builtin.file','issue.json') }}"
    force_basic_auth: true
    status_code: 201
    body_format: json

- name: Login to a form based webpage, then use the returned cookie to access the app in later tasks
  ansible.builtin.uri:
    url: https://your.form.based.auth.example.com/index.php
    method: POST
    body_format: form-urlencoded
    body:
      name: your_username
      password: your_password
      enter: Sign in
    status_code: 302
  register: login

- name: Login to a form based webpage using a list of tuples
  ansible.builtin.uri:
    url: https://your.form.based.auth.example.com/index.php
    method: POST
    body_format: form-urlencoded
    body:
    - [ name, your_username ]
    - [ password, your_password ]
    - [ enter, Sign in ]
    status_code: 302
  register: login

- name: Upload a file via multipart/form-multipart
  ansible.builtin.uri:
    url: https://httpbin.org/post
    method: POST
    body_format: form-multipart
    body:
      file1:
        filename: /bin/true
        mime_type: application/octet-stream
      file2:
        content: text based file content
        filename: fake.txt
        mime_type: text/plain
      text_form_field: value

- name: Connect to website using a previously stored cookie
  ansible.builtin.uri:
    url: https://your.form.based.auth.example.com/dashboard.php
    method: GET
    return_content: true
    headers:
      Cookie: "{{ login.cookies_string }}"

- name: Queue build of a project in Jenkins
  ansible.builtin.uri:
    url: http://{{ jenkins.host }}/job/{{ jenkins.job }}/build?token={{ jenkins.token }}
    user: "{{ jenkins.user }}"
    password: "{{ jenkins.password }}"
    method: GET
    force_basic_auth: true
    status_code: 201

- name: POST from contents of local file
  ansible.builtin.uri:
    url: https://httpbin.org/post
    method: POST
    src: file.json

- name: POST from contents of remote file
  ansible.builtin.uri:
    url: https://httpbin.org/post
    method: POST
    src: /path/to/my/file.json
    remote_src: true

- name: Create workspaces in Log analytics Azure
  ansible.builtin.uri:
    url: https://www.mms.microsoft.com/Embedded/Api/ConfigDataSources/LogManagementData/Save
    method: POST
    body_format: json
    status_code: [200, 202]
    return_content: true
    headers:
      Content-Type: application/json
      x-ms-client-workspace-path: /subscriptions/{{ sub_id }}/resourcegroups/{{ res_group }}/providers/microsoft.operationalinsights/workspaces/{{ w_spaces }}
      x-ms-client-platform: ibiza
      x-ms-client-auth-token: "{{ token_az }}"
    body:

- name: Pause play until a URL is reachable from this host
  ansible.builtin.uri:
    url: "http://192.0.2.1/some/test"
    follow_redirects: none
    method: GET
  register: _result
  until: _result.status == 200
  retries: 720 # 720 * 5 seconds = 1hour (60*60/5)
  delay: 5 # Every 5 seconds

- name: Provide SSL/TLS ciphers as a list
  uri:
    url: https://example.org
    ciphers:
      - '@SECLEVEL=2'
      - ECDH+AESGCM
      - ECDH+CHACHA20
      - ECDH+AES
      - DHE+AES
      - '!aNULL'
      - '!eNULL'
      - '!aDSS'
      - '!SHA1'
      - '!AESCCM'

- name: Provide SSL/TLS ciphers as an OpenSSL formatted cipher list
  uri:
    url: https://example.org
    ciphers: '@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM'`,
		Returns: []module.Return{
			{Name: "content", Description: "The response body content.", Returned: "status not in status_code or return_content is true", Type: "str"},
			{Name: "cookies", Description: "The cookie values placed in cookie jar.", Returned: "on success", Type: "dict"},
			{Name: "cookies_string", Description: "The value for future request Cookie headers.", Returned: "on success", Type: "str"},
			{Name: "elapsed", Description: "The number of seconds that elapsed while performing the download.", Returned: "on success", Type: "int"},
			{Name: "msg", Description: "The HTTP message from the request.", Returned: "always", Type: "str"},
			{Name: "path", Description: "destination file/path", Returned: "dest is defined", Type: "str"},
			{Name: "redirected", Description: "Whether the request was redirected.", Returned: "on success", Type: "bool"},
			{Name: "status", Description: "The HTTP status code from the request.", Returned: "always", Type: "int"},
			{Name: "url", Description: "The actual URL used for the request.", Returned: "always", Type: "str"},
		},
	}
}

var upperWord = regexp.MustCompile(`^[A-Z]+$`)

func (uriModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	a := c.Args
	target := a.String("url")
	method := strings.ToUpper(a.String("method"))
	if !upperWord.MatchString(method) {
		return module.Failed("Parameter 'method' needs to be a single word in uppercase, like GET or POST."), nil
	}
	headers := stringHeaders(a)
	hasHeader := func(name string) bool {
		for k := range headers {
			if strings.EqualFold(k, name) {
				return true
			}
		}
		return false
	}
	body, hasBody := "", a.Has("body")
	switch a.String("body_format") {
	case "json":
		if s, ok := a["body"].(string); ok {
			body = s
		} else if hasBody {
			body = pyJSON(a["body"])
		}
		if !hasHeader("content-type") {
			headers["Content-Type"] = "application/json"
		}
	case "form-urlencoded":
		if s, ok := a["body"].(string); ok {
			body = s
		} else if hasBody {
			body = formURLEncoded(a["body"])
		}
		if !hasHeader("content-type") {
			headers["Content-Type"] = "application/x-www-form-urlencoded"
		}
	case "form-multipart":
		ctype, data, failed, err := multipartBody(ctx, c, a["body"])
		if failed != nil || err != nil {
			return failed, err
		}
		body, hasBody, headers["Content-Type"] = data, true, ctype
	default:
		if hasBody {
			body = fmt.Sprint(a["body"])
		}
	}
	if src := a.String("src"); src != "" {
		data, failed, err := uriSource(ctx, c, src)
		if failed != nil || err != nil {
			return failed, err
		}
		body, hasBody = data, true
	}
	for _, guard := range []struct {
		opt  string
		want bool
		msg  string
	}{{"creates", true, "skipped, since '%s' exists"}, {"removes", false, "skipped, since '%s' does not exist"}} {
		if p := a.String(guard.opt); p != "" {
			info, err := remotefile.Stat(ctx, c.Conn, p, remotefile.StatOptions{})
			if err != nil {
				return failure(p, err)
			}
			if info.Exists == guard.want {
				out := fmt.Sprintf(guard.msg, p)
				return module.Result{"stdout": out, "stdout_lines": []any{out}, "changed": false}, nil
			}
		}
	}
	// With dest an existing file, only a newer one is fetched (last_mod_time).
	dest, since := a.String("dest"), ""
	var destInfo *remotefile.Info
	if dest != "" {
		var err error
		if destInfo, err = statFor(ctx, c, dest, remotefile.StatOptions{Follow: true}); err != nil {
			return failure(dest, err)
		}
		if destInfo.IsReg() {
			since = dest
		}
	}
	start := time.Now()
	req := httpRequest{url: target, method: method, headers: headers, since: since, noCache: a.Bool("force"), readBody: true,
		redirects: a.String("follow_redirects"), unredirected: unredirectedHeaders(a)}
	if method == "HEAD" {
		req.method, req.head = "", true
	}
	if hasBody {
		req.body = strings.NewReader(body)
	}
	resp, err := doHTTP(ctx, c, req)
	if err != nil {
		return failure("", err)
	}
	res := module.Result{"changed": false, "elapsed": int(time.Since(start).Seconds()), "url": resp.url, "redirected": resp.url != target,
		"status": resp.status}
	if resp.err != "" {
		res["status"], res["msg"] = -1, "Status code was -1 and not "+statusList(a)+": "+resp.err
		res["failed"] = true
		if a.Bool("return_content") {
			// No response: Ansible returns the empty body it read.
			res["content"] = ""
		}
		return res, nil
	}
	for k, v := range resp.headers {
		res[strings.ReplaceAll(strings.ToLower(k), "-", "_")] = v
	}
	length := resp.headers["content-length"]
	if length == "" {
		length = "unknown"
	}
	res["msg"] = fmt.Sprintf("OK (%s bytes)", length)
	httpError := resp.status >= 300 || resp.status < 200
	if httpError {
		// urllib raises HTTPError for every status it does not follow.
		res["msg"] = fmt.Sprintf("HTTP Error %d: %s", resp.status, resp.reason)
	} else {
		res["cookies"], res["cookies_string"] = resp.cookies()
	}
	if loc, ok := res["location"].(string); ok {
		if base, err := url.Parse(target); err == nil {
			if ref, err := base.Parse(loc); err == nil {
				res["location"] = ref.String()
			}
		}
	}
	ctype := strings.ToLower(resp.headers["content-type"])
	mediaType := strings.TrimSpace(strings.SplitN(ctype, ";", 2)[0])
	sub := mediaType[strings.Index(mediaType, "/")+1:]
	if i := strings.Index(sub, "+"); i >= 0 {
		sub = sub[i+1:]
	}
	maybeJSON := ctype != "" && (sub == "json" || sub == "javascript")
	ok := false
	for _, code := range a.List("status_code") {
		if n, _ := code.(int); n == resp.status {
			ok = true
		}
	}
	if maybeJSON {
		if js, err := value.FromJSON(resp.body); err == nil {
			res["json"] = js
		}
	}
	content := string(resp.body)
	if httpError && !maybeJSON && ok && !a.Bool("return_content") {
		// Ansible keeps an error response's body in "body" unless it read it as content.
		res["body"] = content
	}
	if dest != "" {
		// urllib's HTTPError body was read into "body": the file gets what
		// is left of the response, nothing, unless the module read it as content.
		content := resp.body
		if httpError && !maybeJSON && !a.Bool("return_content") {
			content = nil
		}
		if err := uriWriteDest(ctx, c, res, resp, content, dest, destInfo, ok); err != nil {
			return failure(dest, err)
		}
	}
	if !ok {
		res["msg"] = fmt.Sprintf("Status code was %d and not %s: %s", resp.status, statusList(a), res["msg"])
		res["failed"] = true
		if a.Bool("return_content") {
			res["content"] = content
		}
		return res, nil
	}
	if a.Bool("return_content") {
		res["content"] = content
	}
	return res, nil
}

// statusList prints status_code as Python prints a list of ints.
func statusList(a module.Args) string {
	var parts []string
	for _, c := range a.List("status_code") {
		parts = append(parts, fmt.Sprint(c))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// formURLEncoded is Ansible's form_urlencoded for a dict or list of pairs.
func formURLEncoded(body any) string {
	v := url.Values{}
	var keys []string
	switch b := body.(type) {
	case map[string]any, *value.Dict:
		keys = value.Keys(b)
		var parts []string
		for _, k := range keys {
			x, _ := value.Lookup(b, k)
			if l, ok := x.([]any); ok {
				for _, e := range l {
					parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(fmt.Sprint(e)))
				}
				continue
			}
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(fmt.Sprint(x)))
		}
		return strings.Join(parts, "&")
	}
	return v.Encode()
}

// cookies are the response's Set-Cookie values as Ansible returns them: a
// dict of name to value and the Cookie header a next request would send.
func (r *httpResponse) cookies() (map[string]any, string) {
	out := map[string]any{}
	var parts []string
	for _, c := range r.setCookies {
		nv := strings.SplitN(c, ";", 2)[0]
		k, v, ok := strings.Cut(strings.TrimSpace(nv), "=")
		if !ok {
			continue
		}
		out[k] = v
		parts = append(parts, k+"="+v)
	}
	return out, strings.Join(parts, "; ")
}

// uriWriteDest is the uri module's dest: content (of any HTTP response,
// errors included) is written when its status is an accepted
// one other than 304, replacing the file only when the content differs
// but reporting a change either way, as Ansible; "path" and the path's
// stat fields are added whenever a response came.
func uriWriteDest(ctx context.Context, c *module.Call, res module.Result, resp *httpResponse, content []byte, dest string, info *remotefile.Info, accepted bool) error {
	if info.IsDir() {
		dest = path.Join(dest, responseFilename(resp))
		var err error
		if info, err = statFor(ctx, c, dest, remotefile.StatOptions{Follow: true}); err != nil {
			return err
		}
	}
	if accepted && resp.status != 304 {
		sum := sha1.Sum(content)
		if info.Checksum == "" {
			si, err := remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{Follow: true, Checksum: "sha1"})
			if err != nil {
				return err
			}
			info.Checksum = si.Checksum
		}
		if hex.EncodeToString(sum[:]) != info.Checksum {
			w, err := remotefile.Write(ctx, c.Conn, remotefile.WriteRequest{Dest: dest, Content: bytes.NewReader(content), Existing: info, Flags: c.Args.Has("attributes")})
			if err != nil {
				return err
			}
			w.Info.ResolvedUID, w.Info.ResolvedGID, w.Info.Umask = info.ResolvedUID, info.ResolvedGID, info.Umask
			info = w.Info
		}
		res["changed"] = true
		if _, err := applyAttrs(ctx, c, info, nil); err != nil {
			return err
		}
	}
	res["path"] = dest
	after, err := remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{})
	if err != nil {
		return err
	}
	pathInfo(res, after)
	return nil
}

// responseFilename is get_response_filename: Content-Disposition's
// filename, else the last part of the final URL's path, else index.html.
func responseFilename(resp *httpResponse) string {
	if d := resp.headers["content-disposition"]; d != "" {
		if _, params, err := mime.ParseMediaType(d); err == nil && params["filename"] != "" {
			return params["filename"]
		}
	}
	if u, err := url.Parse(resp.url); err == nil {
		if name := path.Base(strings.TrimRight(u.Path, "/")); name != "" && name != "/" && name != "." {
			return name
		}
	}
	return "index.html"
}

// uriSource reads src, the file to send as the request body: from the
// controller (the action plugin's _find_needle in files/), or from the
// target with remote_src.
func uriSource(ctx context.Context, c *module.Call, src string) (string, module.Result, error) {
	if !c.Args.Bool("remote_src") {
		local, err := c.Files.Find("files", src)
		if err != nil {
			return "", module.Failed(err.Error()), nil
		}
		data, err := os.ReadFile(local)
		if err != nil {
			return "", module.Failed(err.Error()), nil
		}
		return string(data), nil, nil
	}
	out, err := remotefile.Run(ctx, c.Conn, "base64 -w0 < "+remotefile.Path(src), nil)
	if err != nil {
		var se *remotefile.ScriptError
		if errors.As(err, &se) {
			return "", module.Result{"failed": true, "msg": "Unable to open source file " + src, "elapsed": 0}, nil
		}
		return "", nil, err
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
	if err != nil {
		return "", nil, err
	}
	return string(data), nil, nil
}
