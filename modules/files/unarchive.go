package files

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/engine/vault"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(unarchiveModule{}) }

type unarchiveModule struct{}

func (unarchiveModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "unarchive", Names: []string{"ansible.builtin.unarchive"},
		Short:       "Unpacks an archive after (optionally) copying it from the local machine",
		Description: []string{"The unarchive module unpacks an archive. It will not unpack a compressed file that does not contain an archive.", "By default, it will copy the source file from the local system to the target before unpacking.", "Set remote_src=yes to unpack an archive which already exists on the target.", "If checksum validation is desired, use ansible.builtin.get_url or ansible.builtin.uri instead to fetch the file and set remote_src=yes.", "For Windows targets, use the community.windows.win_unzip module instead."},
		Options: withFileOptions([]module.Option{
			{Name: "copy", Type: "bool", Default: true, Description: "If true, the file is copied from local controller to the managed (remote) node, otherwise, the plugin will look for src archive on the managed machine. This option has been deprecated in favor of remote_src. This option is mutually exclusive with remote_src."},
			{Name: "creates", Type: "path", Description: "If the specified absolute path (file or directory) already exists, this step will not be run. The specified absolute path (file or directory) must be below the base path given with dest:."},
			{Name: "decrypt", Type: "bool", Default: true, Description: "This option controls the autodecryption of source files using vault."},
			{Name: "dest", Type: "path", Required: true, Description: "Remote absolute path where the archive should be unpacked. The given path must exist. Base directory is not created by this module."},
			{Name: "exclude", Type: "list", Elements: "str", Default: []any{}, Description: "List the directory and file entries that you would like to exclude from the unarchive action. Mutually exclusive with include."},
			{Name: "extra_opts", Type: "list", Elements: "str", Default: []any{}, Description: "Specify additional options by passing in an array. Each space-separated command-line option should be a new element of the array. See examples. Command-line options with multiple elements must use multiple lines in the array, one for each element."},
			{Name: "include", Type: "list", Elements: "str", Default: []any{}, Description: "List of directory and file entries that you would like to extract from the archive. If include is not empty, only files listed here will be extracted. Mutually exclusive with exclude."},
			{Name: "io_buffer_size", Type: "int", Default: 65536, Description: "Size of the volatile memory buffer that is used for extracting files from the archive in bytes."},
			{Name: "keep_newer", Type: "bool", Default: false, Description: "Do not replace existing files that are newer than files from the archive."},
			{Name: "list_files", Type: "bool", Default: false, Description: "If set to True, return the list of files that are contained in the tarball."},
			{Name: "remote_src", Type: "bool", Default: false, Description: "Set to true to indicate the archived file is already on the remote system and not local to the Ansible controller. This option is mutually exclusive with copy."},
			{Name: "src", Type: "path", Required: true, Description: "If remote_src=no (default), local path to archive file to copy to the target server; can be absolute or relative. If remote_src=yes, path on the target server to existing archive file to unpack. If remote_src=yes and src contains ://, the remote machine will download the file from the URL first. (version_added 2.0). This is only for simple cases, for full download support use the M(ansible.builtin.get_url) module."},
			{Name: "validate_certs", Type: "bool", Default: true, Description: "This only applies if using a https URL as the source of the file. This should only set to false used on personally controlled sites using self-signed certificate. Prior to 2.2 the code worked as if this was set to true."},
		}),
		Check: module.Partial, Diff: module.Partial, MutuallyExclusive: [][]string{{"include", "exclude"}},
		Examples: `- name: Extract foo.tgz into /var/lib/foo
  ansible.builtin.unarchive:
    src: foo.tgz
    dest: /var/lib/foo

- name: Unarchive a file that is already on the remote machine
  ansible.builtin.unarchive:
    src: /tmp/foo.zip
    dest: /usr/local/bin
    remote_src: yes

- name: Unarchive a file that needs to be downloaded (added in 2.0)
  ansible.builtin.unarchive:
    src: https://example.com/example.zip
    dest: /usr/local/bin
    remote_src: yes

- name: Unarchive a file with extra options
  ansible.builtin.unarchive:
    src: /tmp/foo.zip
    dest: /usr/local/bin
    extra_opts:
    - --transform
    - s/^xxx/yyy/`,
		Returns: []module.Return{
			{Name: "dest", Description: "Path to the destination directory.", Returned: "always", Type: "str"},
			{Name: "files", Description: "List of all the files in the archive.", Returned: "When I(list_files) is True", Type: "list"},
			{Name: "gid", Description: "Numerical ID of the group that owns the destination directory.", Returned: "always", Type: "int"},
			{Name: "group", Description: "Name of the group that owns the destination directory.", Returned: "always", Type: "str"},
			{Name: "handler", Description: "Archive software handler used to extract and decompress the archive.", Returned: "always", Type: "str"},
			{Name: "mode", Description: "String that represents the octal permissions of the destination directory.", Returned: "always", Type: "str"},
			{Name: "owner", Description: "Name of the user that owns the destination directory.", Returned: "always", Type: "str"},
			{Name: "size", Description: "The size of destination directory in bytes. Does not include the size of files or subdirectories contained within.", Returned: "always", Type: "int"},
			{Name: "src", Description: "The source archive's path. If src was a remote web URL, or from the local ansible controller, this shows the temporary location where the download was stored.", Returned: "always", Type: "str"},
			{Name: "state", Description: "State of the destination. Effectively always \"directory\".", Returned: "always", Type: "str"},
			{Name: "uid", Description: "Numerical ID of the user that owns the destination directory.", Returned: "always", Type: "int"},
		},
	}
}

// archiveHandler is one of Ansible's unarchive handlers: how to list and
// extract one kind of archive.
type archiveHandler struct {
	name string
	// flag is tar's decompression flag ("" for plain tar); zip uses unzip.
	flag string
	zip  bool
}

// handlers are tried in Ansible's order.
var handlers = []archiveHandler{
	{name: "ZipArchive", zip: true},
	{name: "TgzArchive", flag: "-z"},
	{name: "TarArchive"},
	{name: "TarBzipArchive", flag: "-j"},
	{name: "TarXzArchive", flag: "-J"},
	{name: "TarZstdArchive", flag: "--use-compress-program=zstd"},
}

// unpackOptions are the task's options every handler's commands use.
type unpackOptions struct {
	// opts are extra_opts; includes and excludes the include and exclude
	// lists (tar's excludes without a trailing slash, as TgzArchive).
	opts, includes, excludes []string
	keepNewer                bool
	owner, group             string
}

func unpackOptionsFrom(a module.Args) unpackOptions {
	return unpackOptions{opts: a.Strings("extra_opts"), includes: a.Strings("include"), excludes: a.Strings("exclude"),
		keepNewer: a.Bool("keep_newer"), owner: a.String("owner"), group: a.String("group")}
}

// tarArgv is TgzArchive's command for action (--list, --diff, --extract):
// the options in the order Ansible's handler adds them.
func (h archiveHandler) tarArgv(action, src, dest string, o unpackOptions) []string {
	argv := []string{"tar", action, "-C", dest}
	if h.flag != "" {
		argv = append(argv, h.flag)
	}
	if len(o.opts) > 0 {
		argv = append(append(argv, "--show-transformed-names"), o.opts...)
	}
	if action != "--list" {
		if o.owner != "" {
			argv = append(argv, "--owner="+shell.Quote(o.owner))
		}
		if o.group != "" {
			argv = append(argv, "--group="+shell.Quote(o.group))
		}
		if o.keepNewer {
			argv = append(argv, "--keep-newer-files")
		}
	}
	for _, e := range o.excludes {
		argv = append(argv, "--exclude="+strings.TrimRight(e, "/"))
	}
	return append(append(argv, "-f", src), o.includes...)
}

// parsableLocale runs a command in get_best_parsable_locale's locale: the
// first of C.utf8, C.UTF-8, en_US.utf8 and en_US.UTF-8 the host has, else C
// (tar's messages quote names with ‘’ under UTF-8).
const parsableLocale = `loc=C; for l in C.utf8 C.UTF-8 en_US.utf8 en_US.UTF-8; do if locale -a 2>/dev/null | grep -qx -- "$l"; then loc=$l; break; fi; done; LANG=$loc LC_ALL=$loc LC_MESSAGES=$loc LANGUAGE=$loc `

// listScript lists the archive's entries, one a line.
func (h archiveHandler) listScript(src, dest string, o unpackOptions) string {
	if h.zip {
		return "unzip -Z -1 -- " + shell.Quote(src)
	}
	return "cd " + shell.Quote(dest) + " && " + parsableLocale + shell.Join(h.tarArgv("--list", src, dest, o))
}

// filterEntries keeps the listed entries Ansible's files_in_archive keeps:
// for zip, those an include pattern matches (each once per matching
// pattern), else those no exclude matches; tar has applied include itself.
func (h archiveHandler) filterEntries(list []string, o unpackOptions) []string {
	matches := func(name string, patterns []string, trim bool) int {
		n := 0
		for _, p := range patterns {
			if trim {
				p = strings.TrimRight(p, "/")
			}
			if fnmatchRegexp(p).MatchString(name) {
				n++
			}
		}
		return n
	}
	var files []string
	for _, f := range list {
		if h.zip && len(o.includes) > 0 {
			for i := matches(f, o.includes, false); i > 0; i-- {
				files = append(files, f)
			}
			continue
		}
		if matches(f, o.excludes, !h.zip) == 0 {
			files = append(files, f)
		}
	}
	return files
}

func (unarchiveModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	a := c.Args
	src, dest := a.String("src"), a.String("dest")
	// io_buffer_size is only the buffer of Python's crc32 of zip members:
	// gorun accepts it, as it has no effect on the result.
	o := unpackOptionsFrom(a)
	if creates := a.String("creates"); creates != "" {
		ci, err := remotefile.Stat(ctx, c.Conn, creates, remotefile.StatOptions{})
		if err != nil {
			return failure(creates, err)
		}
		if ci.Exists {
			return module.Result{"skipped": true, "changed": false, "failed": false, "msg": fmt.Sprintf("skipped, since %s exists", creates)}, nil
		}
	}
	// The source is looked for on the controller before dest is checked,
	// as Ansible's action plugin does.
	var local string
	if !a.Bool("remote_src") && a.Bool("copy") {
		found, err := c.Files.Find("files", src)
		if err != nil {
			return actionFailed(err), nil
		}
		local = found
	}
	di, err := statFor(ctx, c, dest, remotefile.StatOptions{Follow: true})
	if err != nil {
		return failure(dest, err)
	}
	if !di.IsDir() {
		return module.Failed(fmt.Sprintf("dest '%s' must be an existing dir", dest)), nil
	}
	remote := src
	if local != "" {
		tmp, err := upload(ctx, c, local, a.Bool("decrypt"))
		if err != nil {
			return failure(src, err)
		}
		defer remotefile.Run(context.WithoutCancel(ctx), c.Conn, "rm -f -- "+shell.Quote(tmp), nil)
		remote = tmp
	} else {
		si, err := remotefile.Stat(ctx, c.Conn, src, remotefile.StatOptions{Follow: true})
		if err != nil {
			return failure(src, err)
		}
		switch {
		case !si.Exists && strings.Contains(src, "://"):
			tmp, failed, err := fetchArchive(ctx, c, src)
			if failed != nil || err != nil {
				return failed, err
			}
			defer remotefile.Run(context.WithoutCancel(ctx), c.Conn, "rm -f -- "+shell.Quote(tmp), nil)
			remote = tmp
		case !si.Exists:
			return module.Failed(fmt.Sprintf("Source '%s' does not exist", src)), nil
		}
	}
	if si, err := remotefile.Stat(ctx, c.Conn, remote, remotefile.StatOptions{Follow: true}); err != nil {
		return failure(src, err)
	} else if si.Size == 0 {
		return module.Failed(fmt.Sprintf("Invalid archive '%s', the file is 0 bytes", remote)), nil
	}
	h, listed, files, err := detect(ctx, c.Conn, remote, dest, o)
	if err != nil {
		return failure(src, err)
	}
	if c.Check && (h == nil || !h.zip) {
		return module.Result{"changed": false, "failed": false, "skipped": true,
			"msg": "remote module (ansible.legacy.unarchive) does not support check mode when using gtar"}, nil
	}
	if h == nil {
		return module.Failed(fmt.Sprintf("Failed to find handler for \"%s\". Make sure the required command to extract the file is installed.", remote)), nil
	}
	for _, f := range files {
		if path.IsAbs(f) || f == ".." || strings.HasPrefix(f, "../") || strings.Contains(f, "/../") || strings.HasSuffix(f, "/..") {
			return module.Failed(fmt.Sprintf("unarchive: refusing to extract %s: the entry %q leaves the destination", src, f)), nil
		}
	}
	var same bool
	var zs *zipState
	if h.zip {
		var failed module.Result
		if zs, failed, err = zipUnarchived(ctx, c, remote, dest, o); failed != nil || err != nil {
			return failed, err
		}
		same = zs.unarchived
		if len(zs.newer) > 0 {
			// keep_newer's files join the excludes of the extraction and
			// of the files listed afterwards (files_in_archive).
			o.excludes = append(append([]string{}, o.excludes...), zs.newer...)
			files = h.filterEntries(listed, o)
		}
	} else if same, err = h.unchanged(ctx, c.Conn, remote, dest, o); err != nil {
		return failure(src, err)
	}
	res := module.Result{"dest": dest, "src": remote, "handler": h.name, "changed": !same}
	if zs != nil && zs.diff != "" {
		res["diff"] = map[string]any{"prepared": zs.diff}
	}
	if a.Bool("list_files") {
		list := []any{}
		for _, f := range files {
			list = append(list, f)
		}
		res["files"] = list
	}
	if !same && !c.Check {
		argv := h.extractArgv(remote, dest, o)
		// Run the tool by its full path, which Ansible reports in cmd, in
		// dest (run_command's cwd for tar) with a parsable locale.
		out, err := c.Conn.Exec(ctx, `cd `+shell.Quote(dest)+` && bin=$(command -v `+argv[0]+`) || exit 127; printf '%s\n' "$bin" >&2; `+parsableLocale+`exec "$bin" `+shell.Join(argv[1:]), connection.ExecOptions{})
		if err != nil {
			return nil, err
		}
		stderr := string(out.Stderr)
		bin, rest, _ := strings.Cut(stderr, "\n")
		argv[0] = bin
		cmd := []any{}
		for _, w := range argv {
			cmd = append(cmd, w)
		}
		res["extract_results"] = map[string]any{"cmd": cmd, "rc": out.ExitCode, "out": string(out.Stdout), "err": rest}
		if out.ExitCode != 0 {
			// fail_json with the results so far: not changed, no diff yet,
			// and dest's path info (add_path_info).
			res["failed"], res["msg"], res["changed"] = true, fmt.Sprintf("failed to unpack %s to %s", remote, dest), false
			delete(res, "diff")
			info, err := remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{})
			if err != nil {
				return failure(dest, err)
			}
			pathInfo(res, info)
			return res, nil
		}
	}
	if !c.Check {
		changed, err := applyTreeAttrs(ctx, c, dest, files, di)
		if err != nil {
			return failure(dest, err)
		}
		if changed {
			res["changed"] = true
		}
	}
	info, err := remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{})
	if err != nil {
		return failure(dest, err)
	}
	pathInfo(res, info)
	return res, nil
}

// fetchArchive is fetch_file: it downloads a remote_src URL into a
// temporary file on the target and returns its path, or a failed result.
func fetchArchive(ctx context.Context, c *module.Call, url string) (string, module.Result, error) {
	r, err := doHTTP(ctx, c, httpRequest{url: url, redirects: "urllib2"})
	if err != nil {
		return "", nil, err
	}
	switch {
	case r.err != "":
		remotefile.Run(context.WithoutCancel(ctx), c.Conn, "rm -f -- "+shell.Quote(r.tmp), nil)
		return "", module.Failed(fmt.Sprintf("Failure downloading %s, %s", url, r.err)), nil
	case r.status >= 400:
		// fetch_url has read an HTTP error's body into its info: fetch_file
		// saves what is left, nothing, and the module then finds an empty
		// archive.
		if _, err := remotefile.Run(ctx, c.Conn, ": > "+shell.Quote(r.tmp), nil); err != nil {
			return "", nil, err
		}
	}
	return r.tmp, nil, nil
}

// upload puts a controller file (decrypted when it is vaulted and decrypt
// is set) in a private temporary file on the target.
func upload(ctx context.Context, c *module.Call, local string, decrypt bool) (string, error) {
	f, err := os.Open(local)
	if err != nil {
		return "", err
	}
	defer f.Close()
	// Archives may be large: stream them, unless they are vaulted.
	var src io.Reader = bufio.NewReader(f)
	if head, _ := src.(*bufio.Reader).Peek(len("$ANSIBLE_VAULT;")); decrypt && vault.IsEncrypted(head) {
		data, _, err := readController(c, local, decrypt)
		if err != nil {
			return "", err
		}
		src = bytes.NewReader(data)
	}
	out, err := remotefile.Run(ctx, c.Conn, `mktemp "${TMPDIR:-/tmp}/.gorun-unarchive.XXXXXXXX"`, nil)
	if err != nil {
		return "", err
	}
	tmp := strings.TrimSpace(out)
	if err := c.Conn.Put(ctx, src, tmp, 0o600, connection.ExecOptions{}); err != nil {
		return "", err
	}
	return tmp, nil
}

// detect finds the handler that can list the archive, and its entries:
// all it listed, and those the module works on (filterEntries).
func detect(ctx context.Context, conn connection.Conn, src, dest string, o unpackOptions) (*archiveHandler, []string, []string, error) {
	for i := range handlers {
		h := &handlers[i]
		out, err := remotefile.Run(ctx, conn, h.listScript(src, dest, o)+" 2>/dev/null", nil)
		if err != nil {
			if _, ok := err.(*remotefile.ScriptError); ok {
				continue
			}
			return nil, nil, nil, err
		}
		var list []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l != "" {
				list = append(list, strings.TrimPrefix(l, "/"))
			}
		}
		if files := h.filterEntries(list, o); len(files) > 0 {
			return h, list, files, nil
		}
	}
	return nil, nil, nil, nil
}

// extractArgv is the extraction command, as Ansible's handlers build it.
func (h archiveHandler) extractArgv(src, dest string, o unpackOptions) []string {
	if !h.zip {
		return h.tarArgv("--extract", src, dest, o)
	}
	argv := append(append([]string{"unzip", "-o"}, o.opts...), src)
	if len(o.excludes) > 0 {
		argv = append(append(argv, "-x"), o.excludes...)
	}
	return append(append(argv, o.includes...), "-d", dest)
}

// unchanged reports whether dest already holds the tar archive's
// content: tar's --diff (zip archives: zipUnarchived).
func (h archiveHandler) unchanged(ctx context.Context, conn connection.Conn, src, dest string, o unpackOptions) (bool, error) {
	script := "cd " + shell.Quote(dest) + " && " + parsableLocale + shell.Join(h.tarArgv("--diff", src, dest, o)) + " >/dev/null 2>&1 || echo differs"
	out, err := remotefile.Run(ctx, conn, script, nil)
	if err != nil {
		return false, err
	}
	return strings.TrimSpace(out) == "", nil
}

// applyTreeAttrs applies the task's owner, group, mode and attributes to the extracted
// top-level entries, as the unarchive module sets them on every file.
func applyTreeAttrs(ctx context.Context, c *module.Call, dest string, files []string, di *remotefile.Info) (bool, error) {
	attrs := remotefile.AttrsFromArgs(c.Args)
	if attrs.Mode == nil && attrs.Owner == "" && attrs.Group == "" && attrs.Attributes == "" {
		return false, nil
	}
	changed := false
	for _, f := range files {
		p := path.Join(dest, f)
		info, err := remotefile.Stat(ctx, c.Conn, p, attrs.StatOptions(remotefile.StatOptions{}))
		if err != nil {
			return false, err
		}
		change, err := attrs.Plan(info, false, nil)
		if err != nil {
			return false, err
		}
		if change.Empty() {
			continue
		}
		changed = true
		if err := change.Apply(ctx, c.Conn, p); err != nil {
			return false, err
		}
	}
	return changed, nil
}
