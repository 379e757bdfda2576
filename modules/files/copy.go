package files

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/value"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(copyModule{}) }

type copyModule struct{}

func (copyModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "copy", Names: []string{"ansible.builtin.copy"},
		Short:       "Copy files to remote locations",
		Description: []string{"The copy module copies a file from the local or remote machine to a location on the remote machine.", "Use the ansible.builtin.fetch module to copy files from remote locations to the local box.", "If you need variable interpolation in copied files, use the ansible.builtin.template module. Using a variable in the content field will result in unpredictable output.", "For Windows targets, use the ansible.windows.win_copy module instead."},
		Options: withFileOptions([]module.Option{
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "checksum", Description: "SHA1 checksum of the file being transferred. Used to validate that the copy of the file was successful. If this is not provided, ansible will use the local calculated checksum of the src file."},
			{Name: "content", Type: "raw", NoLog: true, Description: "When used instead of src, sets the contents of a file directly to the specified value. Works only when dest is a file. Creates the file if it does not exist. For advanced formatting or if content contains a variable, use the M(ansible.builtin.template) module."},
			{Name: "decrypt", Type: "bool", Default: true, Description: "This option controls the autodecryption of source files using vault."},
			{Name: "dest", Type: "path", Required: true, Description: "Remote absolute path where the file should be copied to. If src is a directory, this must be a directory too. If dest is a non-existent path and if either dest ends with \"/\" or src is a directory, dest is created. If dest is a relative path, the starting directory is determined by the remote host. If src and dest are files, the parent directory of dest is not created and the task fails if it does not already exist."},
			{Name: "directory_mode", Type: "raw", Description: "When doing a recursive copy set the mode for the directories. If this is not set we will use the system defaults. The mode is only set on directories which are newly created, and will not affect those that already existed."},
			{Name: "follow", Type: "bool", Default: false, Description: "This flag indicates that filesystem links in the destination, if they exist, should be followed."},
			{Name: "force", Type: "bool", Default: true, Description: "Influence whether the remote file must always be replaced. If true, the remote file will be replaced when contents are different than the source. If false, the file will only be transferred if the destination does not exist."},
			{Name: "local_follow", Type: "bool", Default: true, Description: "This flag indicates that filesystem links in the source tree, if they exist, should be followed."},
			{Name: "remote_src", Type: "bool", Default: false, Description: "Influence whether src needs to be transferred or already is present remotely. If false, it will search for src on the controller node. If true it will search for src on the managed (remote) node. remote_src supports recursive copying as of version 2.8. remote_src only works with mode=preserve as of version 2.6. Autodecryption of files does not work when remote_src=yes."},
			{Name: "src", Type: "path", Description: "Local path to a file to copy to the remote server. This can be absolute or relative. If path is a directory, it is copied recursively. In this case, if path ends with \"/\", only inside contents of that directory are copied to destination. Otherwise, if it does not end with \"/\", the directory itself with all contents is copied. This behavior is similar to the rsync command line tool."},
			{Name: "validate", Description: "The validation command to run before copying the updated file into the final destination. A temporary file path is used to validate, passed in through '%s' which must be present as in the examples below. Also, the command is passed securely so shell features such as expansion and pipes will not work. For an example on how to handle more complex validation than what this option provides, see R(handling complex validation,complex_configuration_validation)."},
		}),
		Check: module.Full, Diff: module.Full,
		Examples: `- name: Copy file with owner and permissions
  ansible.builtin.copy:
    src: /srv/myfiles/foo.conf
    dest: /etc/foo.conf
    owner: foo
    group: foo
    mode: '0644'

- name: Copy file with owner and permission, using symbolic representation
  ansible.builtin.copy:
    src: /srv/myfiles/foo.conf
    dest: /etc/foo.conf
    owner: foo
    group: foo
    mode: u=rw,g=r,o=r

- name: Another symbolic mode example, adding some permissions and removing others
  ansible.builtin.copy:
    src: /srv/myfiles/foo.conf
    dest: /etc/foo.conf
    owner: foo
    group: foo
    mode: u+rw,g-wx,o-rwx

- name: Copy a new "ntp.conf" file into place, backing up the original if it differs from the copied version
  ansible.builtin.copy:
    src: /mine/ntp.conf
    dest: /etc/ntp.conf
    owner: root
    group: root
    mode: '0644'
    backup: yes

- name: Copy a new "sudoers" file into place, after passing validation with visudo
  ansible.builtin.copy:
    src: /mine/sudoers
    dest: /etc/sudoers
    validate: /usr/sbin/visudo -csf %s

- name: Copy a "sudoers" file on the remote machine for editing
  ansible.builtin.copy:
    src: /etc/sudoers
    dest: /etc/sudoers.edit
    remote_src: yes
    validate: /usr/sbin/visudo -csf %s

- name: Copy using inline content
  ansible.builtin.copy:
    content: '# This file was moved to /etc/other.conf'
    dest: /etc/mine.conf

- name: If follow=yes, /path/to/file will be overwritten by contents of foo.conf
  ansible.builtin.copy:
    src: /etc/foo.conf
    dest: /path/to/link  # link to /path/to/file
    follow: yes

- name: If follow=no, /path/to/link will become a file and be overwritten by contents of foo.conf
  ansible.builtin.copy:
    src: /etc/foo.conf
    dest: /path/to/link  # link to /path/to/file
    follow: no`,
		Returns: []module.Return{
			{Name: "backup_file", Description: "Name of backup file created.", Returned: "changed and if backup=yes", Type: "str"},
			{Name: "checksum", Description: "SHA1 checksum of the file after running copy.", Returned: "success", Type: "str"},
			{Name: "dest", Description: "Destination file/path.", Returned: "success", Type: "str"},
			{Name: "gid", Description: "Group id of the file, after execution.", Returned: "success", Type: "int"},
			{Name: "group", Description: "Group of the file, after execution.", Returned: "success", Type: "str"},
			{Name: "md5sum", Description: "MD5 checksum of the file after running copy.", Returned: "when supported", Type: "str"},
			{Name: "mode", Description: "Permissions of the target, after execution.", Returned: "success", Type: "str"},
			{Name: "owner", Description: "Owner of the file, after execution.", Returned: "success", Type: "str"},
			{Name: "size", Description: "Size of the target, after execution.", Returned: "success", Type: "int"},
			{Name: "src", Description: "Source file used for the copy on the target machine.", Returned: "changed", Type: "str"},
			{Name: "state", Description: "State of the target, after execution.", Returned: "success", Type: "str"},
			{Name: "uid", Description: "Owner id of the file, after execution.", Returned: "success", Type: "int"},
		},
	}
}

// maxDiffSize is Ansible's MAX_FILE_SIZE_FOR_DIFF default.
const maxDiffSize = 104448

func (m copyModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	src, dest := c.Args.String("src"), c.Args.String("dest")
	content, hasContent := c.Args["content"], c.Args.Has("content")
	switch {
	case src == "" && !hasContent:
		return module.Failed("src (or content) is required"), nil
	case src != "" && hasContent:
		return module.Failed("src and content are mutually exclusive"), nil
	case hasContent && strings.HasSuffix(dest, "/"):
		return module.Failed("can not use content with a dir as dest"), nil
	}
	if v := c.Args.String("validate"); v != "" && !strings.Contains(v, "%s") {
		return module.Failed("validate must contain %s: " + v), nil
	}
	if c.Args.Bool("remote_src") {
		return m.remote(ctx, c, src, dest)
	}
	if hasContent {
		data := contentBytes(content)
		return copyOne(ctx, c, fileSource{data: data, rel: "source"}, dest)
	}
	local, err := c.Files.Find("files", src)
	if err != nil {
		return actionFailed(err), nil
	}
	st, err := os.Stat(local)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	if st.IsDir() {
		if strings.HasSuffix(src, "/") {
			local += "/"
		}
		return copyTree(ctx, c, local, strings.HasSuffix(src, "/"), dest)
	}
	fs, err := readSource(c, local, filepath.Base(local))
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	return copyOne(ctx, c, fs, dest)
}

// contentBytes is the content option as the copy action writes it: text as
// is, lists and dicts as JSON.
func contentBytes(v any) []byte {
	switch t := v.(type) {
	case string:
		return []byte(t)
	case []any, map[string]any, *value.Dict:
		return []byte(pyJSON(t))
	}
	return []byte(fmt.Sprint(v))
}

// fileSource is one file to copy from the controller.
type fileSource struct {
	data []byte
	// rel is the path relative to the copied tree (the base name for one file).
	rel string
	// local is the controller path ("" for content).
	local string
	// mode is the local file's permission bits, for mode=preserve.
	mode os.FileMode
	// rendered marks content made on the controller (template): Ansible's
	// diff header is then a temporary file, which gorun leaves out.
	rendered bool
}

func readSource(c *module.Call, local, rel string) (fileSource, error) {
	data, decrypted, err := readController(c, local, c.Args.Bool("decrypt"))
	if err != nil {
		if os.IsNotExist(err) {
			return fileSource{}, fmt.Errorf("could not find src=%s, %v", local, err)
		}
		return fileSource{}, err
	}
	st, err := os.Stat(local)
	if err != nil {
		return fileSource{}, err
	}
	fs := fileSource{data: data, rel: rel, local: local, mode: st.Mode().Perm()}
	if decrypted {
		// Ansible copies the decrypted temporary file (private, 0600): its
		// mode is what mode=preserve keeps, its path the diff's header.
		fs.mode, fs.rendered = 0o600, true
	}
	return fs, nil
}

// copyOne copies one file (the copy action's _copy_file), returning the
// module result for it, or nil when force=no and dest exists.
func copyOne(ctx context.Context, c *module.Call, fs fileSource, dest string) (module.Result, error) {
	mode := c.Args["mode"]
	if mode == "preserve" {
		mode = fmt.Sprintf("0%03o", fs.mode)
	}
	destFile := dest
	if strings.HasSuffix(dest, "/") {
		destFile = path.Join(dest, fs.rel)
	}
	force := c.Args.Bool("force")
	size := int64(len(fs.data))
	o := remotefile.StatOptions{Follow: c.Args.Bool("follow"), Checksum: "sha1", ChecksumIfSize: &size, Read: c.Diff, ReadLimit: maxDiffSize}
	info, err := statFor(ctx, c, destFile, o)
	if err != nil {
		return failure(destFile, err)
	}
	if info.IsDir() {
		if fs.local == "" {
			return module.Failed("can not use content with a dir as dest"), nil
		}
		destFile = path.Join(destFile, fs.rel)
		if info, err = statFor(ctx, c, destFile, o); err != nil {
			return failure(destFile, err)
		}
	}
	sum := sha1.Sum(fs.data)
	checksum := hex.EncodeToString(sum[:])
	if info.Exists && !force {
		res := module.Result{"changed": false, "dest": destFile}
		if fs.local != "" {
			res["src"] = fs.local
		}
		return res, nil
	}
	if want := c.Args.String("checksum"); want != "" && want != checksum {
		return module.Failed(fmt.Sprintf("Copied file does not match the expected checksum. Transfer failed.")), nil
	}
	target := destFile
	if c.Args.Bool("follow") && info.LinkSource != "" {
		target = info.LinkSource
	}
	attrs := remotefile.AttrsFromArgs(c.Args)
	attrs.Mode = mode

	if checksum == info.Checksum {
		// Same content: only the attributes may change, as the file module does.
		diff := remotefile.NewDiff(target)
		change, err := attrs.Plan(info, false, diff)
		if err != nil {
			return attrFailure(target, err, info, checksum)
		}
		if !change.Empty() && !c.Check {
			if err := change.Apply(ctx, c.Conn, target); err != nil {
				return failure(target, err)
			}
			if info, err = statFor(ctx, c, target, remotefile.StatOptions{}); err != nil {
				return failure(target, err)
			}
		}
		res := module.Result{"changed": !change.Empty(), "path": target, "dest": target, "checksum": checksum, "diff": diff.Map()}
		pathInfo(res, info)
		if c.Check && change.Mode != nil {
			res["mode"] = remotefile.ModeString(*change.Mode)
		}
		return res, nil
	}

	var diffs []any
	if c.Diff {
		diffs = append(diffs, contentDiff(info, destFile, fs).Map())
	}
	if c.Check {
		if diffs == nil {
			diffs = []any{}
		}
		return module.Result{"changed": true, "diff": diffs}, nil
	}
	// Ansible writes the content first and fails on bad attributes after.
	change, attrErr := attrs.Plan(info, false, nil)
	w, err := remotefile.Write(ctx, c.Conn, remotefile.WriteRequest{
		Dest: target, Content: bytes.NewReader(fs.data), Existing: info, Change: change,
		Validate: c.Args.String("validate"), Backup: c.Args.Bool("backup"),
	})
	if err != nil {
		res, err := failure(target, err)
		if res != nil {
			res["checksum"] = checksum
			res["diff"] = diffs
			if diffs == nil {
				res["diff"] = []any{}
			}
		}
		return res, err
	}
	if attrErr != nil {
		res, err := attrFailure(target, attrErr, w.Info, checksum)
		if res != nil && diffs != nil {
			res["diff"] = diffs
		}
		return res, err
	}
	md5sum := md5.Sum(fs.data)
	res := module.Result{
		"changed": true, "dest": target, "checksum": w.Info.Checksum,
		"md5sum": hex.EncodeToString(md5sum[:]),
	}
	pathInfo(res, w.Info)
	if w.BackupFile != "" {
		res["backup_file"] = w.BackupFile
	}
	res["diff"] = diffs
	if diffs == nil {
		res["diff"] = []any{}
	}
	return res, nil
}

// contentDiff is the copy action's _get_diff_data: the old content of the
// destination (when it exists, is text and not too large) and the new one.
func contentDiff(info *remotefile.Info, dest string, fs fileSource) *remotefile.Diff {
	d := &remotefile.Diff{Before: "", Extra: map[string]any{}}
	switch {
	case !info.Exists || info.IsDir():
	case info.TooLarge:
		d.Extra["dst_larger"] = maxDiffSize
	case bytes.IndexByte(info.Content, 0) >= 0:
		d.Extra["dst_binary"] = 1
	default:
		d.Before, d.BeforeHeader = string(info.Content), dest
	}
	switch {
	case len(fs.data) > maxDiffSize:
		d.Extra["src_larger"] = maxDiffSize
	case bytes.IndexByte(fs.data, 0) >= 0:
		d.Extra["src_binary"] = 1
	default:
		d.After = string(fs.data)
		if fs.local != "" && !fs.rendered {
			d.AfterHeader = fs.local
		}
	}
	return d
}

// copyTree copies a controller directory: its content when src ends in "/",
// else the directory itself, into dest, creating directories as needed.
func copyTree(ctx context.Context, c *module.Call, local string, contentOnly bool, dest string) (module.Result, error) {
	base := ""
	if !contentOnly {
		base = filepath.Base(local)
	}
	var files []fileSource
	var dirs []string
	err := filepath.Walk(local, func(p string, st os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(local, p)
		rel = filepath.ToSlash(filepath.Join(base, rel))
		if rel == "." {
			return nil
		}
		if st.Mode()&os.ModeSymlink != 0 && c.Args.Bool("local_follow") {
			if st, err = os.Stat(p); err != nil {
				return err
			}
		}
		switch {
		case st.IsDir():
			dirs = append(dirs, rel)
		case st.Mode().IsRegular():
			fs, err := readSource(c, p, rel)
			if err != nil {
				return err
			}
			files = append(files, fs)
		default:
			return fmt.Errorf("copying %s: symbolic links in a copied tree are not supported by gorun yet (set local_follow)", p)
		}
		return nil
	})
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	sort.Strings(dirs)
	dest = strings.TrimSuffix(dest, "/")
	changed, err := makeDirs(ctx, c, dest, dirs)
	if err != nil {
		return failure(dest, err)
	}
	var last module.Result
	for _, fs := range files {
		res, err := copyOne(ctx, c, fs, path.Join(dest, fs.rel))
		if err != nil || res == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		if res.IsFailed() {
			return res, nil
		}
		if res.Changed() {
			changed = true
		}
		last = res
	}
	if len(files) == 1 && last != nil {
		return last, nil
	}
	// Ansible reports no diff for a copy of several files.
	return module.Result{"changed": changed, "dest": dest + "/", "src": local}, nil
}

// makeDirs creates dest and the directories under it that do not exist yet,
// with directory_mode on the new ones; it reports whether it made any.
func makeDirs(ctx context.Context, c *module.Call, dest string, rels []string) (bool, error) {
	all := append([]string{dest}, nil...)
	for _, r := range rels {
		all = append(all, path.Join(dest, r))
	}
	var b strings.Builder
	b.WriteString("made=\nfor d in")
	for _, d := range all {
		b.WriteString(" " + remotefile.Path(d))
	}
	b.WriteString("; do if [ ! -d \"$d\" ]; then made=1; ")
	if !c.Check {
		b.WriteString(`mkdir -p -- "$d" || exit 1; `)
		if dm := c.Args["directory_mode"]; dm != nil {
			mode, err := remotefile.ParseMode(dm, 0o755, true, 0o022)
			if err != nil {
				return false, err
			}
			fmt.Fprintf(&b, `chmod %o "$d" || exit 1; `, mode)
		}
	}
	b.WriteString("fi; done; echo \"made=$made\"")
	out, err := remotefile.Run(ctx, c.Conn, b.String(), nil)
	if err != nil {
		return false, err
	}
	return strings.Contains(out, "made=1"), nil
}

// remote copies a file that is already on the target (remote_src).
func (copyModule) remote(ctx context.Context, c *module.Call, src, dest string) (module.Result, error) {
	si, err := remotefile.Stat(ctx, c.Conn, src, remotefile.StatOptions{Follow: true, Checksum: "sha1"})
	if err != nil {
		return failure(src, err)
	}
	if !si.Exists {
		return module.Failed(fmt.Sprintf("Source %s not found", src)), nil
	}
	if si.IsDir() {
		return remoteTreeCopy(ctx, c, src, dest)
	}
	destFile := dest
	if strings.HasSuffix(dest, "/") {
		destFile = path.Join(dest, path.Base(src))
	}
	info, err := statFor(ctx, c, destFile, remotefile.StatOptions{Follow: c.Args.Bool("follow"), Checksum: "sha1"})
	if err != nil {
		return failure(destFile, err)
	}
	if info.IsDir() {
		destFile = path.Join(destFile, path.Base(src))
		if info, err = statFor(ctx, c, destFile, remotefile.StatOptions{Checksum: "sha1"}); err != nil {
			return failure(destFile, err)
		}
	}
	if info.Exists && !c.Args.Bool("force") {
		return module.Result{"changed": false, "dest": destFile, "src": src}, nil
	}
	attrs := remotefile.AttrsFromArgs(c.Args)
	if attrs.Mode == "preserve" {
		attrs.Mode = fmt.Sprintf("0%03o", si.Perm())
	}
	if si.Checksum == info.Checksum {
		diff := remotefile.NewDiff(destFile)
		changed, err := applyAttrs(ctx, c, info, diff)
		if err != nil {
			return failure(destFile, err)
		}
		res := module.Result{"changed": changed, "dest": destFile, "src": src, "checksum": si.Checksum}
		pathInfo(res, info)
		return res, nil
	}
	if c.Check {
		return module.Result{"changed": true}, nil
	}
	change, err := attrs.Plan(info, false, nil)
	if err != nil {
		return failure(destFile, err)
	}
	w, err := remotefile.Write(ctx, c.Conn, remotefile.WriteRequest{
		Dest: destFile, RemoteSrc: src, Existing: info, Change: change,
		Validate: c.Args.String("validate"), Backup: c.Args.Bool("backup"),
	})
	if err != nil {
		return failure(destFile, err)
	}
	res := module.Result{"changed": true, "dest": destFile, "src": src, "checksum": w.Info.Checksum}
	if sum, err := remotefile.Run(ctx, c.Conn, "md5sum < "+remotefile.Path(destFile), nil); err == nil && len(sum) >= 32 {
		res["md5sum"] = sum[:32]
	}
	pathInfo(res, w.Info)
	if w.BackupFile != "" {
		res["backup_file"] = w.BackupFile
	}
	return res, nil
}

// attrFailure is the failure of bad owner, group or mode on a path that
// exists, with the path's info as Ansible's fail_json adds it.
func attrFailure(path string, err error, info *remotefile.Info, checksum string) (module.Result, error) {
	res, err := failure(path, err)
	if res == nil {
		return nil, err
	}
	pathInfo(res, info)
	res["checksum"], res["diff"] = checksum, []any{}
	return res, nil
}

// actionFailed is a failure Ansible's action plugin raises on the
// controller (AnsibleActionFail): the result carries the exception, whose
// last line the callback shows ("An exception occurred during task
// execution ... The error was: ...").
func actionFailed(err error) module.Result {
	return module.Result{"failed": true, "msg": err.Error(),
		"exception": "gorun: the action failed on the controller:\n" + err.Error() + "\n"}
}
