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
	{name: "TarZstdArchive", flag: "--zstd"},
}

func (h archiveHandler) listCmd(src string) string {
	if h.zip {
		return "unzip -Z -1 -- " + src
	}
	return strings.TrimSpace("tar -t "+h.flag) + " -f " + src
}

func (unarchiveModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	a := c.Args
	src, dest := a.String("src"), a.String("dest")
	for _, unsupported := range []string{"include", "exclude", "extra_opts"} {
		if len(a.List(unsupported)) > 0 {
			return module.Failed(fmt.Sprintf("unarchive: the option '%s' is not supported by gorun yet", unsupported)), nil
		}
	}
	if a.Bool("keep_newer") {
		return module.Failed("unarchive: the option 'keep_newer' is not supported by gorun yet"), nil
	}
	if strings.Contains(src, "://") {
		return module.Failed("unarchive: downloading src from a URL is not supported by gorun yet"), nil
	}
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
		if !si.Exists {
			return module.Failed(fmt.Sprintf("Source '%s' does not exist", src)), nil
		}
	}
	h, files, err := detect(ctx, c.Conn, remote)
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
	same, err := h.unchanged(ctx, c.Conn, remote, dest, files)
	if err != nil {
		return failure(src, err)
	}
	res := module.Result{"dest": dest, "src": remote, "handler": h.name, "changed": !same}
	if a.Bool("list_files") {
		list := []any{}
		for _, f := range files {
			list = append(list, f)
		}
		res["files"] = list
	}
	if !same && !c.Check {
		argv := h.extractArgv(remote, dest)
		// Run the tool by its full path, which Ansible reports in cmd.
		out, err := c.Conn.Exec(ctx, `bin=$(command -v `+argv[0]+`) || exit 127; printf '%s\n' "$bin" >&2; exec "$bin" `+shell.Join(argv[1:]), connection.ExecOptions{})
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
			res["failed"], res["msg"] = true, fmt.Sprintf("failed to unpack %s to %s", remote, dest)
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

// detect finds the handler that can list the archive, and its entries.
func detect(ctx context.Context, conn connection.Conn, src string) (*archiveHandler, []string, error) {
	q := shell.Quote(src)
	for i := range handlers {
		h := &handlers[i]
		out, err := remotefile.Run(ctx, conn, h.listCmd(q)+" 2>/dev/null", nil)
		if err != nil {
			if _, ok := err.(*remotefile.ScriptError); ok {
				continue
			}
			return nil, nil, err
		}
		var files []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l != "" {
				files = append(files, l)
			}
		}
		return h, files, nil
	}
	return nil, nil, nil
}

// extractArgv is the extraction command, as Ansible's handlers build it.
func (h archiveHandler) extractArgv(src, dest string) []string {
	if h.zip {
		return []string{"unzip", "-o", src, "-d", dest}
	}
	argv := []string{"tar", "--extract", "-C", dest}
	if h.flag != "" {
		argv = append(argv, h.flag)
	}
	return append(argv, "-f", src)
}

// unchanged reports whether dest already holds the archive's content: tar's
// --diff for tar archives; for zip, extracting to a scratch directory and
// comparing every file.
func (h archiveHandler) unchanged(ctx context.Context, conn connection.Conn, src, dest string, files []string) (bool, error) {
	var script string
	if h.zip {
		var b strings.Builder
		fmt.Fprintf(&b, `t=$(mktemp -d) || exit 2; trap 'rm -rf -- "$t"' EXIT
unzip -q -o %s -d "$t" >/dev/null 2>&1 || exit 2
cd "$t" || exit 2
find . ! -type d | while IFS= read -r f; do cmp -s -- "$f" %s/"$f" || echo differs; done`, shell.Quote(src), shell.Quote(dest))
		script = b.String()
	} else {
		script = strings.Join(strings.Fields("tar --diff -C "+shell.Quote(dest)+" "+h.flag+" -f "+shell.Quote(src)), " ") + " >/dev/null 2>&1 || echo differs"
	}
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
