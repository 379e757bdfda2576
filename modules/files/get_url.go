package files

import (
	"context"
	"fmt"
	neturl "net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(getURLModule{}) }

// getURLModule downloads on the target, as Ansible's get_url does, with
// the target's curl.
type getURLModule struct{}

func (getURLModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "get_url", Names: []string{"ansible.builtin.get_url"},
		Short:       "Downloads files from HTTP, HTTPS, or FTP to node",
		Description: []string{"Downloads files from HTTP, HTTPS, or FTP to the remote server. The remote server must have direct access to the remote resource.", "By default, if an environment variable <protocol>_proxy is set on the target host, requests will be sent through that proxy. This behaviour can be overridden by setting a variable for this task (see R(setting the environment,playbooks_environment)), or by using the use_proxy option.", "HTTP redirects can redirect from HTTP to HTTPS so you should be sure that your proxy environment for both protocols is correct.", "From Ansible 2.4 when run with --check, it will do a HEAD request to validate the URL but will not download the entire file or verify it against hashes and will report incorrect changed status.", "For Windows targets, use the ansible.windows.win_get_url module instead."},
		Options: withFileOptions([]module.Option{
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "checksum", Default: "", Description: "If a checksum is passed to this parameter, the digest of the destination file will be calculated after it is downloaded to ensure its integrity and verify that the transfer completed successfully. Format: <algorithm>:<checksum|url>, e.g. checksum=\"sha256:D98291AC[...]B6DC7B97\", checksum=\"sha256:http://example.com/path/sha256sum.txt\" If you worry about portability, only the sha1 algorithm is available on all platforms and python versions. The third party hashlib library can be installed for access to additional algorithms. Additionally, if a checksum is passed to this parameter, and the file exist under the dest location, the destination_checksum would be calculated, and if checksum equals destination_checksum, the file download would be skipped (unless force is true). If the checksum does not equal destination_checksum, the destination file is deleted."},
			{Name: "ciphers", Type: "list", Elements: "str", Description: "SSL/TLS Ciphers to use for the request When a list is provided, all ciphers are joined in order with : See the L(OpenSSL Cipher List Format,https://www.openssl.org/docs/manmaster/man1/openssl-ciphers.html#CIPHER-LIST-FORMAT) for more details. The available ciphers is dependent on the Python and OpenSSL/LibreSSL versions"},
			{Name: "client_cert", Type: "path", Description: "PEM formatted certificate chain file to be used for SSL client authentication. This file can also include the key as well, and if the key is included, client_key is not required."},
			{Name: "client_key", Type: "path", Description: "PEM formatted file that contains your private key to be used for SSL client authentication. If client_cert contains both the certificate and key, this option is not required."},
			{Name: "decompress", Type: "bool", Default: true, Description: "Whether to attempt to decompress gzip content-encoded responses"},
			{Name: "dest", Type: "path", Required: true, Description: "Absolute path of where to download the file to. If dest is a directory, either the server provided filename or, if none provided, the base name of the URL on the remote server will be used. If a directory, force has no effect. If dest is a directory, the file will always be downloaded (regardless of the force and checksum option), but replaced only if the contents changed."},
			{Name: "force", Type: "bool", Default: false, Description: "If true and dest is not a directory, will download the file every time and replace the file if the contents change. If false, the file will only be downloaded if the destination does not exist. Generally should be true only for small local files. Prior to 0.6, this module behaved as if true was the default."},
			{Name: "force_basic_auth", Type: "bool", Default: false, Description: "Force the sending of the Basic authentication header upon initial request. httplib2, the library used by the uri module only sends authentication information when a webservice responds to an initial request with a 401 status. Since some basic auth services do not properly send a 401, logins will fail."},
			{Name: "headers", Type: "dict", Description: "Add custom HTTP headers to a request in hash/dict format. The hash/dict format was added in Ansible 2.6. Previous versions used a \"key:value,key:value\" string format. The \"key:value,key:value\" string format is deprecated and has been removed in version 2.10."},
			{Name: "http_agent", Default: "ansible-httpget", Description: "Header to identify as, generally appears in web server logs."},
			{Name: "timeout", Type: "int", Default: 10, Description: "Timeout in seconds for URL request."},
			{Name: "tmp_dest", Type: "path", Description: "Absolute path of where temporary file is downloaded to. When run on Ansible 2.5 or greater, path defaults to ansible's remote_tmp setting When run on Ansible prior to 2.5, it defaults to TMPDIR, TEMP or TMP env variables or a platform specific value. U(https://docs.python.org/3/library/tempfile.html#tempfile.tempdir)"},
			{Name: "unredirected_headers", Type: "list", Elements: "str", Default: []any{}, Description: "A list of header names that will not be sent on subsequent redirected requests. This list is case insensitive. By default all headers will be redirected. In some cases it may be beneficial to list headers such as Authorization here to avoid potential credential exposure."},
			{Name: "url", Required: true, Description: "HTTP, HTTPS, or FTP URL in the form (http|https|ftp)://[user[:pass]]@host.domain[:port]/path"},
			{Name: "url_password", Aliases: []string{"password"}, Description: "The password for use in HTTP basic authentication. If the url_username parameter is not specified, the url_password parameter will not be used. Since version 2.8 you can also use the 'password' alias for this option."},
			{Name: "url_username", Aliases: []string{"username"}, Description: "The username for use in HTTP basic authentication. This parameter can be used without url_password for sites that allow empty passwords. Since version 2.8 you can also use the username alias for this option."},
			{Name: "use_gssapi", Type: "bool", Default: false, Description: "Use GSSAPI to perform the authentication, typically this is for Kerberos or Kerberos through Negotiate authentication. Requires the Python library L(gssapi,https://github.com/pythongssapi/python-gssapi) to be installed. Credentials for GSSAPI can be specified with url_username/url_password or with the GSSAPI env var KRB5CCNAME that specified a custom Kerberos credential cache. NTLM authentication is not supported even if the GSSAPI mech for NTLM has been installed."},
			{Name: "use_netrc", Type: "bool", Default: true, Description: "Determining whether to use credentials from ``~/.netrc`` file By default .netrc is used with Basic authentication headers When set to False, .netrc credentials are ignored"},
			{Name: "use_proxy", Type: "bool", Default: true, Description: "if false, it will not use a proxy, even if one is defined in an environment variable on the target hosts."},
			{Name: "validate_certs", Type: "bool", Default: true, Description: "If false, SSL certificates will not be validated. This should only be used on personally controlled sites using self-signed certificates."},
		}),
		Check: module.Full, Diff: module.Partial,
		Examples: `- name: Download foo.conf
  ansible.builtin.get_url:
    url: http://example.com/path/file.conf
    dest: /etc/foo.conf
    mode: '0440'

- name: Download file and force basic auth
  ansible.builtin.get_url:
    url: http://example.com/path/file.conf
    dest: /etc/foo.conf
    force_basic_auth: yes

- name: Download file with custom HTTP headers
  ansible.builtin.get_url:
    url: http://example.com/path/file.conf
    dest: /etc/foo.conf
    headers:
      key1: one
      key2: two

- name: Download file with check (sha256)
  ansible.builtin.get_url:
    url: http://example.com/path/file.conf
    dest: /etc/foo.conf
    checksum: sha256:b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c

- name: Download file with check (md5)
  ansible.builtin.get_url:
    url: http://example.com/path/file.conf
    dest: /etc/foo.conf
    checksum: md5:66dffb5228a211e61d6d7ef4a86f5758

- name: Download file with checksum url (sha256)
  ansible.builtin.get_url:
    url: http://example.com/path/file.conf
    dest: /etc/foo.conf
    checksum: sha256:http://example.com/path/sha256sum.txt

- name: Download file from a file path
  ansible.builtin.get_url:
    url: file:///tmp/afile.txt
    dest: /tmp/afilecopy.txt

- name: < Fetch file that requires authentication.
        username/password only available since 2.8, in older versions you need to use url_username/url_password
  ansible.builtin.get_url:
    url: http://example.com/path/file.conf
    dest: /etc/foo.conf
    username: bar
    password: '{{ mysecret }}'`,
		Returns: []module.Return{
			{Name: "backup_file", Description: "name of backup file created after download", Returned: "changed and if backup=yes", Type: "str"},
			{Name: "checksum_dest", Description: "sha1 checksum of the file after copy", Returned: "success", Type: "str"},
			{Name: "checksum_src", Description: "sha1 checksum of the file", Returned: "success", Type: "str"},
			{Name: "dest", Description: "destination file/path", Returned: "success", Type: "str"},
			{Name: "elapsed", Description: "The number of seconds that elapsed while performing the download", Returned: "always", Type: "int"},
			{Name: "gid", Description: "group id of the file", Returned: "success", Type: "int"},
			{Name: "group", Description: "group of the file", Returned: "success", Type: "str"},
			{Name: "md5sum", Description: "md5 checksum of the file after download", Returned: "when supported", Type: "str"},
			{Name: "mode", Description: "permissions of the target", Returned: "success", Type: "str"},
			{Name: "msg", Description: "the HTTP message from the request", Returned: "always", Type: "str"},
			{Name: "owner", Description: "owner of the file", Returned: "success", Type: "str"},
			{Name: "secontext", Description: "the SELinux security context of the file", Returned: "success", Type: "str"},
			{Name: "size", Description: "size of the target", Returned: "success", Type: "int"},
			{Name: "src", Description: "source file used after download", Returned: "always", Type: "str"},
			{Name: "state", Description: "state of the target", Returned: "success", Type: "str"},
			{Name: "status_code", Description: "the HTTP status code from the request", Returned: "always", Type: "int"},
			{Name: "uid", Description: "owner id of the file, after execution", Returned: "success", Type: "int"},
			{Name: "url", Description: "the actual URL used for the request", Returned: "always", Type: "str"},
		},
	}
}

var checksumHex = regexp.MustCompile(`\W+`)

func (getURLModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	a := c.Args
	url, dest := a.String("url"), a.String("dest")
	res := module.Result{"url": url, "dest": dest, "elapsed": 0, "changed": false, "checksum_src": nil, "checksum_dest": nil}
	force := a.Bool("force")
	alg, want := "", ""
	if sum := a.String("checksum"); sum != "" {
		var ok bool
		alg, want, ok = strings.Cut(sum, ":")
		if !ok {
			res["failed"], res["msg"] = true, "The checksum parameter has to be in format <algorithm>:<checksum>"
			return res, nil
		}
		if isChecksumURL(want) {
			sum, failed, err := checksumFromURL(ctx, c, url, want, res)
			if failed != nil || err != nil {
				return failed, err
			}
			want = sum
		}
		want = strings.ToLower(checksumHex.ReplaceAllString(want, ""))
		if _, err := strconv.ParseUint(strings.TrimLeft(want, "0")+"0", 16, 64); err != nil && !isHex(want) {
			res["failed"], res["msg"] = true, "The checksum format is invalid"
			return res, nil
		}
	}
	o := remotefile.AttrsFromArgs(c.Args).StatOptions(remotefile.StatOptions{Follow: true})
	if alg != "" {
		o.Checksum = alg
	}
	info, err := remotefile.Stat(ctx, c.Conn, dest, o)
	if err != nil {
		return failure(dest, err)
	}
	destIsDir := info.IsDir()
	if !destIsDir && info.Exists {
		mismatch := !force && want != "" && info.Checksum != want
		if !force && want != "" && !mismatch {
			changed, err := applyAttrs(ctx, c, info, nil)
			if err != nil {
				return failure(dest, err)
			}
			res["changed"], res["msg"] = changed, "file already exists"
			if changed {
				res["msg"] = "file already exists but file attributes changed"
			}
			pathInfo(res, info)
			return res, nil
		}
		if mismatch {
			force = true
		}
	}
	// Without force an existing file is fetched only when the server has a
	// newer one (If-Modified-Since, as Ansible).
	since := ""
	if !destIsDir && info.Exists && !force {
		since = dest
	}
	if r, err := checkTmpDest(ctx, c); r != nil || err != nil {
		return r, err
	}
	start := time.Now()
	dl, err := curl(ctx, c, url, c.Check, since)
	if err != nil {
		return failure(dest, err)
	}
	res["elapsed"] = int(time.Since(start).Seconds())
	defer remotefile.Run(context.WithoutCancel(ctx), c.Conn, "rm -f -- "+shell.Quote(dl.tmp), nil)
	if dl.status == 304 || dl.status != 200 && dl.status != 0 || dl.err != "" {
		// Ansible's url_get ends these requests itself, without checksums.
		delete(res, "checksum_src")
		delete(res, "checksum_dest")
	}
	if dl.status == 304 {
		res["msg"], res["status_code"] = "HTTP Error 304: Not Modified", 304
		pathInfo(res, info)
		return res, nil
	}
	if dl.err != "" {
		// fetch_url's status -1: the request got no response.
		res["failed"], res["msg"] = true, dl.err
		return res, nil
	}
	if dl.status != 200 && dl.status != 0 {
		res["failed"], res["msg"], res["status_code"] = true, "Request failed", dl.status
		res["response"] = fmt.Sprintf("HTTP Error %d: %s", dl.status, dl.reason)
		return res, nil
	}
	res["src"] = dl.tmp
	if destIsDir {
		name := dl.filename
		if name == "" {
			name = path.Base(strings.SplitN(dl.url, "?", 2)[0])
		}
		dest = path.Join(dest, name)
		res["dest"] = dest
		if info, err = remotefile.Stat(ctx, c.Conn, dest, o); err != nil {
			return failure(dest, err)
		}
	}
	// In check mode a HEAD request's empty body, unless a redirect made
	// it a GET (urllib2's handler), as Ansible checksums what it got.
	res["checksum_src"] = dl.sha1
	if !info.Exists {
		di, err := remotefile.Stat(ctx, c.Conn, path.Dir(dest), remotefile.StatOptions{})
		if err != nil {
			return failure(dest, err)
		}
		if !di.IsDir() {
			res["failed"], res["msg"] = true, fmt.Sprintf("Destination %s does not exist", path.Dir(dest))
			delete(res, "src")
			return res, nil
		}
	}
	if info.Exists {
		if info.Checksum == "" || o.Checksum != "sha1" && o.Checksum != "" {
			si, err := remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{Follow: true, Checksum: "sha1"})
			if err != nil {
				return failure(dest, err)
			}
			res["checksum_dest"] = si.Checksum
		} else {
			res["checksum_dest"] = info.Checksum
		}
	}
	length := dl.length
	if length == "" {
		length = "unknown"
	}
	msg := fmt.Sprintf("OK (%s bytes)", length)
	if c.Check {
		res["changed"] = res["checksum_dest"] == nil || res["checksum_src"] != res["checksum_dest"]
		res["msg"] = msg
		return res, nil
	}
	if res["checksum_src"] != res["checksum_dest"] {
		w, err := remotefile.Write(ctx, c.Conn, remotefile.WriteRequest{Dest: dest, RemoteSrc: dl.tmp, Existing: info, Backup: a.Bool("backup") && info.Exists})
		if err != nil {
			return failure(dest, err)
		}
		if w.BackupFile != "" {
			res["backup_file"] = w.BackupFile
		}
		res["changed"] = true
	}
	after, err := statFor(ctx, c, dest, remotefile.StatOptions{Follow: true, Checksum: firstNonEmpty(alg, "md5")})
	if err != nil {
		return failure(dest, err)
	}
	if want != "" && after.Checksum != want {
		remotefile.Run(ctx, c.Conn, "rm -f -- "+remotefile.Path(dest), nil)
		res["failed"], res["msg"] = true, fmt.Sprintf("The checksum for %s did not match %s; it was %s.", dest, want, after.Checksum)
		return res, nil
	}
	changed, err := applyAttrs(ctx, c, after, nil)
	if err != nil {
		return failure(dest, err)
	}
	if changed {
		res["changed"] = true
	}
	md, err := remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{Follow: true, Checksum: "md5"})
	if err != nil {
		return failure(dest, err)
	}
	res["md5sum"], res["msg"], res["status_code"] = md.Checksum, msg, dl.status
	pathInfo(res, md)
	return res, nil
}

// tmpDest is where the download goes: tmp_dest, except in check mode,
// where the HEAD request's empty file stays out of the host's directories.
func tmpDest(c *module.Call) string {
	if c.Check {
		return ""
	}
	return c.Args.String("tmp_dest")
}

// checkTmpDest fails as url_get does when tmp_dest is not a directory.
func checkTmpDest(ctx context.Context, c *module.Call) (module.Result, error) {
	dir := c.Args.String("tmp_dest")
	if dir == "" {
		return nil, nil
	}
	info, err := remotefile.Stat(ctx, c.Conn, dir, remotefile.StatOptions{Follow: true})
	if err != nil {
		return failure(dir, err)
	}
	switch {
	case info.IsDir():
		return nil, nil
	case info.Exists:
		return module.Result{"failed": true, "msg": dir + " is a file but should be a directory.", "elapsed": 0}, nil
	}
	return module.Result{"failed": true, "msg": dir + " directory does not exist.", "elapsed": 0}, nil
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return s != ""
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// urlDownload is what curl fetched on the target.
type urlDownload struct {
	tmp, sha1, url, filename, length, reason, err string
	status                                        int
}

// attachmentName is get_url's extract_filename_from_headers.
var attachmentName = regexp.MustCompile(`^attachment; ?filename="?([^"]+)`)

// curl downloads url into a temporary file on the target (HEAD only in
// check mode, as Ansible; only when newer than the file since, if set) and
// reports status, final URL, length and sha1.
func curl(ctx context.Context, c *module.Call, url string, head bool, since string) (*urlDownload, error) {
	// get_url has no follow_redirects: fetch_url's default, urllib2.
	r, err := doHTTP(ctx, c, httpRequest{url: url, head: head, redirects: "urllib2", since: since, noCache: c.Args.Bool("force"),
		headers: stringHeaders(c.Args), unredirected: unredirectedHeaders(c.Args), tmpDir: tmpDest(c)})
	if err != nil {
		return nil, err
	}
	d := &urlDownload{tmp: r.tmp, sha1: r.sha1, url: r.url, length: r.headers["content-length"], reason: r.reason, err: r.err, status: r.status}
	if m := attachmentName.FindStringSubmatch(r.headers["content-disposition"]); m != nil {
		d.filename = path.Base(m[1])
	}
	return d, nil
}

// unredirectedHeaders is unredirected_headers, lower-cased as Request.open
// compares them.
func unredirectedHeaders(a module.Args) []string {
	var out []string
	for _, h := range a.Strings("unredirected_headers") {
		out = append(out, strings.ToLower(h))
	}
	return out
}

// stringHeaders is the task's headers option as strings.
func stringHeaders(a module.Args) map[string]string {
	headers := map[string]string{}
	for k, v := range a.Dict("headers") {
		headers[k] = fmt.Sprint(v)
	}
	return headers
}

// isChecksumURL is get_url's is_url: a checksum given as a URL to fetch.
func isChecksumURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && (scheme == "http" || scheme == "https" || scheme == "ftp" || scheme == "file")
}

// checksumFromURL downloads a checksum file (sha256sum's format, or a
// lone checksum) and returns the checksum of url's file name in it, as
// get_url does; a failure is returned as the module's result.
func checksumFromURL(ctx context.Context, c *module.Call, url, sumURL string, res module.Result) (string, module.Result, error) {
	dl, err := curl(ctx, c, sumURL, false, "")
	if err != nil {
		r, err := failure("", err)
		return "", r, err
	}
	out, err := remotefile.Run(ctx, c.Conn, "cat -- "+shell.Quote(dl.tmp)+"; rm -f -- "+shell.Quote(dl.tmp), nil)
	if err != nil {
		r, err := failure("", err)
		return "", r, err
	}
	if dl.status != 200 && dl.status != 0 || dl.err != "" {
		// url_get fails naming the checksum URL.
		r := module.Result{"failed": true, "msg": "Request failed", "status_code": dl.status, "url": sumURL, "dest": res["dest"], "elapsed": 0,
			"response": fmt.Sprintf("HTTP Error %d: %s", dl.status, dl.reason)}
		if dl.err != "" {
			r = module.Result{"failed": true, "msg": dl.err, "url": sumURL, "dest": res["dest"], "elapsed": 0}
		}
		return "", r, nil
	}
	// url_filename: the last part of the URL's path, index.html for none.
	name := "index.html"
	if u, err := neturl.Parse(url); err == nil && u.Path != "" && !strings.HasSuffix(u.Path, "/") {
		name = path.Base(u.Path)
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(out, "\r\n", "\n"), "\n"), "\n")
	type entry struct{ sum, file string }
	var entries []entry
	if len(lines) == 1 && len(strings.Fields(lines[0])) == 1 {
		entries = append(entries, entry{lines[0], name})
	} else {
		for _, l := range lines {
			sum, file, ok := strings.Cut(l, " ")
			if !ok {
				continue
			}
			if strings.HasPrefix(file, " ") || strings.HasPrefix(file, "*") {
				file = file[1:]
			}
			// Python's lstrip("./") drops every leading dot and slash.
			entries = append(entries, entry{sum, strings.TrimLeft(file, "./")})
		}
	}
	for _, e := range entries {
		if e.file == name {
			return strings.ToLower(checksumHex.ReplaceAllString(e.sum, "")), nil, nil
		}
	}
	r := module.Result{"failed": true, "msg": fmt.Sprintf("Unable to find a checksum for file '%s' in '%s'", name, sumURL)}
	return "", r, nil
}
