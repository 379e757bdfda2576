package files

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(fetchModule{}) }

type fetchModule struct{}

func (fetchModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "fetch", Names: []string{"ansible.builtin.fetch"},
		Short:       "Fetch files from remote nodes",
		Description: []string{"This module works like ansible.builtin.copy, but in reverse.", "It is used for fetching files from remote machines and storing them locally in a file tree, organized by hostname.", "Files that already exist at dest will be overwritten if they are different than the src.", "This module is also supported for Windows targets."},
		Options: []module.Option{
			{Name: "dest", Required: true, Description: "A directory to save the file into. For example, if the dest directory is /backup a src file named /etc/profile on host host.example.com, would be saved into /backup/host.example.com/etc/profile. The host name is based on the inventory name."},
			{Name: "fail_on_missing", Type: "bool", Default: true, Description: "When set to true, the task will fail if the remote file cannot be read for any reason. Prior to Ansible 2.5, setting this would only fail if the source file was missing. The default was changed to true in Ansible 2.5."},
			{Name: "flat", Type: "bool", Default: false, Description: "Allows you to override the default behavior of appending hostname/path/to/file to the destination. If dest ends with '/', it will use the basename of the source file, similar to the copy module. This can be useful if working with a single host, or if retrieving files that are uniquely named per host. If using multiple hosts with the same filename, the file will be overwritten for each host."},
			{Name: "src", Required: true, Description: "The file on the remote system to fetch. This must be a file, not a directory. Recursive fetching may be supported in a later release."},
			{Name: "validate_checksum", Type: "bool", Default: true, Description: "Verify that the source and destination checksums match after the files are fetched."},
		},
		Check: module.Full, Diff: module.None,
		Examples: `- name: Store file into /tmp/fetched/host.example.com/tmp/somefile
  ansible.builtin.fetch:
    src: /tmp/somefile
    dest: /tmp/fetched

- name: Specifying a path directly
  ansible.builtin.fetch:
    src: /tmp/somefile
    dest: /tmp/prefix-{{ inventory_hostname }}
    flat: yes

- name: Specifying a destination path
  ansible.builtin.fetch:
    src: /tmp/uniquefile
    dest: /tmp/special/
    flat: yes

- name: Storing in a path relative to the playbook
  ansible.builtin.fetch:
    src: /tmp/uniquefile
    dest: special/prefix-{{ inventory_hostname }}
    flat: yes`,
		Returns: []module.Return{},
	}
}

func (fetchModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if c.Check {
		return module.ActionSkip("check mode not (yet) supported for this module"), nil
	}
	src, dest := c.Args.String("src"), c.Args.String("dest")
	failOnMissing := c.Args.Bool("fail_on_missing")
	info, err := remotefile.Stat(ctx, c.Conn, src, remotefile.StatOptions{Follow: true, Checksum: "sha1"})
	if err != nil {
		return failure(src, err)
	}
	switch {
	case info.IsDir():
		if !failOnMissing {
			return module.Result{"msg": "remote file is a directory, fetch cannot work on directories, not transferring, ignored"}, nil
		}
		return module.Result{"failed": true, "changed": false, "msg": "remote file is a directory, fetch cannot work on directories"}, nil
	case !info.Exists:
		res := module.Result{"changed": false, "msg": "the remote file does not exist, not transferring, ignored"}
		if failOnMissing {
			res["failed"] = true
		} else {
			res["file"] = src
		}
		return res, nil
	case !info.Readable:
		if !failOnMissing {
			return module.Result{"file": src, "changed": false}, nil
		}
		return module.Failed("file is not readable: " + src), nil
	}
	if c.Args.Bool("flat") {
		if st, err := os.Stat(dest); err == nil && st.IsDir() && !strings.HasSuffix(dest, "/") {
			return module.Failed("dest is an existing directory, use a trailing slash if you want to fetch src into that directory"), nil
		}
		if strings.HasSuffix(dest, "/") {
			dest += path.Base(src)
		}
		dest = controllerPath(c, dest)
	} else {
		// The remote path (and the host name) become part of a controller
		// path: a ".." in them must not climb out of dest. Ansible means to
		// refuse that too but checks too early to catch it.
		base := filepath.Clean(controllerPath(c, dest))
		dest = filepath.Clean(base + "/" + c.Host + "/" + src)
		if rel, err := filepath.Rel(base, dest); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return module.Failed(fmt.Sprintf("Detected directory traversal, expected to be contained in '%s' but got '%s'", base, dest)), nil
		}
	}
	dest = filepath.Clean(dest)
	local, _ := fileSHA1(dest)
	if local == info.Checksum {
		res := module.Result{"changed": false, "file": src, "dest": dest, "checksum": local}
		if sum, err := fileMD5(dest); err == nil {
			res["md5sum"] = sum
		}
		return res, nil
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return module.Failed(fmt.Sprintf("Failed to fetch the file: %v", err)), nil
	}
	if err := download(ctx, c.Conn, src, dest); err != nil {
		return module.Failed(fmt.Sprintf("Failed to fetch the file: %v", err)), nil
	}
	sum, _ := fileSHA1(dest)
	md5sum, _ := fileMD5(dest)
	res := module.Result{"md5sum": md5sum, "dest": dest, "remote_md5sum": nil, "checksum": sum, "remote_checksum": info.Checksum}
	if c.Args.Bool("validate_checksum") && sum != info.Checksum {
		res["failed"], res["msg"], res["file"] = true, "checksum mismatch", src
		return res, nil
	}
	res["changed"] = true
	return res, nil
}

// controllerPath makes a relative controller path relative to the
// playbook's directory, as Ansible's path_dwim.
func controllerPath(c *module.Call, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if dir, ok := c.Vars["playbook_dir"].(string); ok && dir != "" {
		return filepath.Join(dir, p)
	}
	abs, _ := filepath.Abs(p)
	return abs
}

// download copies the remote file src to dest through a temporary file.
func download(ctx context.Context, conn connection.Conn, src, dest string) error {
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".gorun-fetch-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := conn.Get(ctx, src, tmp, connection.ExecOptions{}); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dest)
}

func fileSHA1(p string) (string, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	sum := sha1.Sum(data)
	return hex.EncodeToString(sum[:]), nil
}

func fileMD5(p string) (string, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:]), nil
}
