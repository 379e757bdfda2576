package files

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
)

func init() { module.Register(synchronizeModule{}) }

// synchronizeModule is ansible.posix.synchronize as Ansible runs it: the
// controller's own rsync, with --rsh naming the controller's ssh and the
// host's inventory settings (user, address, port, private key), and
// `sudo -u USER rsync` on the host when the task becomes root or another
// user with sudo. The command line is built exactly as the action plugin
// and module build it, so `cmd`, `msg` and `stdout_lines` match Ansible's
// and everything rsync can do (deltas, --delete, filters, rsync_opts)
// behaves as under Ansible. With delegate_to another host, rsync runs on
// that host (through its connection) as the action plugin arranges; with
// delegate_to the host itself, between two paths on it. Password logins
// go through sshpass, as the module does. Container connections are
// refused with a clear error.
type synchronizeModule struct{}

func (synchronizeModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "synchronize", Names: []string{"ansible.posix.synchronize"},
		Short:       "A wrapper around rsync to make common tasks in your playbooks quick and easy",
		Description: []string{"synchronize is a wrapper around rsync to make common tasks in your playbooks quick and easy.", "It is run and originates on the local host where Ansible is being run.", "Of course, you could just use the command action to call rsync yourself, but you also have to add a fair number of boilerplate options and host facts.", "This module is not intended to provide access to the full power of rsync, but does make the most common invocations easier to implement. You `still` may need to call rsync directly via command or shell depending on your use case."},
		Options: []module.Option{
			{Name: "archive", Type: "bool", Default: true, Description: "Mirrors the rsync archive flag, enables recursive, links, perms, times, owner, group flags and -D."},
			{Name: "checksum", Type: "bool", Default: false, Description: "Skip based on checksum, rather than mod-time & size; Note that that \"archive\" option is still enabled by default - the \"checksum\" option will not disable it."},
			{Name: "compress", Type: "bool", Default: true, Description: "Compress file data during the transfer. In most cases, leave this enabled unless it causes problems."},
			{Name: "copy_links", Type: "bool", Default: false, Description: "Copy symlinks as the item that they point to (the referent) is copied, rather than the symlink."},
			{Name: "delay_updates", Type: "bool", Default: true, Description: "This option puts the temporary file from each updated file into a holding directory until the end of the transfer, at which time all the files are renamed into place in rapid succession."},
			{Name: "delete", Type: "bool", Default: false, Description: "Delete files in dest that do not exist (after transfer, not before) in the src path. This option requires recursive=true. This option ignores excluded files and behaves like the rsync opt --delete-after."},
			{Name: "dest", Required: true, Description: "Path on the destination host that will be synchronized from the source. The path can be absolute or relative."},
			{Name: "dest_port", Type: "int", Description: "Port number for ssh on the destination host. Prior to Ansible 2.0, the ansible_ssh_port inventory var took precedence over this value. This parameter defaults to the value of ansible_port, the remote_port config setting or the value from ssh client configuration if none of the former have been set."},
			{Name: "dirs", Type: "bool", Default: false, Description: "Transfer directories without recursing."},
			{Name: "existing_only", Type: "bool", Default: false, Description: "Skip creating new files on receiver."},
			{Name: "group", Type: "bool", Description: "Preserve group. This parameter defaults to the value of the archive option."},
			{Name: "link_dest", Type: "list", Elements: "str", Description: "Add a destination to hard link against during the rsync."},
			{Name: "links", Type: "bool", Description: "Copy symlinks as symlinks. This parameter defaults to the value of the archive option."},
			{Name: "mode", Default: "push", Choices: []any{"pull", "push"}, Description: "Specify the direction of the synchronization. In push mode the localhost or delegate is the source. In pull mode the remote host in context is the source."},
			{Name: "owner", Type: "bool", Description: "Preserve owner (super user only). This parameter defaults to the value of the archive option."},
			{Name: "partial", Type: "bool", Default: false, Description: "Tells rsync to keep the partial file which should make a subsequent transfer of the rest of the file much faster."},
			{Name: "perms", Type: "bool", Description: "Preserve permissions. This parameter defaults to the value of the archive option."},
			{Name: "private_key", Type: "path", Description: "Specify the private key to use for SSH-based rsync connections (e.g. ~/.ssh/id_rsa)."},
			{Name: "recursive", Type: "bool", Description: "Recurse into directories. This parameter defaults to the value of the archive option."},
			{Name: "rsync_opts", Type: "list", Elements: "str", Description: "Specify additional rsync options by passing in an array. Note that an empty string in rsync_opts will end up transfer the current working directory."},
			{Name: "rsync_path", Description: "Specify the rsync command to run on the remote host. See --rsync-path on the rsync man page. To specify the rsync command to run on the local host, you need to set this your task var ansible_rsync_path."},
			{Name: "rsync_timeout", Type: "int", Default: 0, Description: "Specify a --timeout for the rsync command in seconds."},
			{Name: "set_remote_user", Type: "bool", Default: true, Description: "Put user@ for the remote paths. If you have a custom ssh config to define the remote user for a host that does not match the inventory user, you should set this parameter to false."},
			{Name: "src", Required: true, Description: "Path on the source host that will be synchronized to the destination. The path can be absolute or relative."},
			{Name: "ssh_connection_multiplexing", Type: "bool", Default: false, Description: "SSH connection multiplexing for rsync is disabled by default to prevent misconfigured ControlSockets from resulting in failed SSH connections. This is accomplished by setting the SSH ControlSocket to none. Set this option to true to allow multiplexing and reduce SSH connection overhead. Note that simply setting this option to true is not enough; You must also configure SSH connection multiplexing in your SSH client config by setting values for ControlMaster, ControlPersist and ControlPath."},
			{Name: "times", Type: "bool", Description: "Preserve modification times. This parameter defaults to the value of the archive option."},
			{Name: "use_ssh_args", Type: "bool", Default: false, Description: "In Ansible 2.10 and lower, it uses the ssh_args specified in ansible.cfg. In Ansible 2.11 and onwards, when set to true, it uses all SSH connection configurations like ansible_ssh_args, ansible_ssh_common_args, and ansible_ssh_extra_args."},
			{Name: "verify_host", Type: "bool", Default: false, Description: "Verify destination host key."},
		},
		Check: module.Full, Diff: module.Full, Controller: true,
		Examples: `- name: Synchronization of src on the control machine to dest on the remote hosts
  ansible.posix.synchronize:
    src: some/relative/path
    dest: /some/absolute/path

- name: Synchronization without any --archive options enabled
  ansible.posix.synchronize:
    src: some/relative/path
    dest: /some/absolute/path
    archive: false

- name: Synchronization with --archive options enabled except for --times, with --checksum option enabled
  ansible.posix.synchronize:
    src: some/relative/path
    dest: /some/absolute/path
    checksum: true
    times: false

- name: Synchronization of src on the inventory host to the dest on the localhost in pull mode
  ansible.posix.synchronize:
    mode: pull
    src: some/relative/path
    dest: /some/absolute/path

- name: Synchronize and delete files in dest on the remote host that are not found in src of localhost.
  ansible.posix.synchronize:
    src: some/relative/path
    dest: /some/absolute/path
    delete: true
    recursive: true

- name: Synchronize using an alternate rsync command
  ansible.posix.synchronize:
    src: some/relative/path
    dest: /some/absolute/path
    rsync_path: su -c rsync

- name: Example .rsync-filter file in the source directory
  ansible.posix.synchronize:
    src: some/relative/path
    dest: /some/absolute/path
    rsync_opts:
      - "--no-motd"
      - "--exclude=.git"`,
	}
}

func (synchronizeModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	a := c.Args
	if c.Target == nil {
		return module.Failed("synchronize: no connection settings for this host"), nil
	}
	transport := c.Target.Connection
	switch transport {
	case "", "smart", "paramiko":
		transport = "ssh"
	}
	// on is where rsync runs: the controller, or the delegate's connection
	// when the task is delegated to another host (use_delegate).
	on := rsyncHost{}
	destIsLocal := transport == "local"
	if d := c.Delegate; d != "" && !isLocalhost(d) {
		conn, err := c.ConnectTo(ctx, d)
		if err != nil {
			return nil, err
		}
		on.conn = conn
		destIsLocal = d == c.Host || d == c.Target.Address
	} else if transport != "ssh" && transport != "local" {
		return module.Failed(fmt.Sprintf("synchronize uses rsync to function. rsync needs to connect to the remote host via ssh, docker client or a direct filesystem copy. This remote host is being accessed via %s instead so it cannot work.", transport)), nil
	}
	if c.Delegate != "" && !isLocalhost(c.Delegate) {
		// The action plugin's remote_transport is the delegate's.
		transport = "ssh"
	}
	src, dest := a.String("src"), a.String("dest")
	pull := a.String("mode") == "pull"
	var user, password string
	if destIsLocal {
		// Ansible's dest_is_local: plain paths where rsync runs.
		src, dest = syncLocalPath(c, src), syncLocalPath(c, dest)
	} else {
		password = c.Target.Password
		if a.Bool("set_remote_user") {
			user = c.Target.User
		}
		host := c.Target.Address
		if host == "" {
			host = c.Target.Host
		}
		if pull {
			src, dest = rsyncTarget(host, src, user), syncLocalPath(c, dest)
		} else {
			src, dest = syncLocalPath(c, src), rsyncTarget(host, dest, user)
		}
	}
	rsyncPath := a.String("rsync_path")
	if !destIsLocal && rsyncPath == "" && c.Become != nil && c.Become.Enabled && (c.Become.Method == "" || c.Become.Method == "sudo") {
		u := c.Become.User
		if u == "" {
			u = "root"
		}
		rsyncPath = "sudo -u " + u + " rsync"
	}
	privateKey := a.String("private_key")
	if privateKey == "" && !destIsLocal && len(c.Target.PrivateKeyFiles) > 0 {
		privateKey = expandUser(c.Target.PrivateKeyFiles[0])
	}
	port := a.Int("dest_port")
	if !a.Has("dest_port") {
		port = c.Target.Port
	}
	sshArgs := ""
	if a.Bool("use_ssh_args") && transport == "ssh" {
		var parts []string
		args := c.Target.SSHArgs
		if args == "" {
			args = "-C -o ControlMaster=auto -o ControlPersist=60s" // ssh_args' default
		}
		for _, s := range []string{args, c.Target.SSHCommonArgs, c.Target.SSHExtraArgs} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		sshArgs = strings.Join(parts, " ")
	}

	rsync := "rsync"
	if v, ok := c.Vars["ansible_rsync_path"].(string); ok && v != "" {
		rsync = v
	}
	if !strings.Contains(rsync, "/") {
		p, failed, err := on.lookPath(ctx, rsync)
		if failed != nil || err != nil {
			return failed, err
		}
		rsync = p
	}
	cmd := []string{rsync}
	if a.Bool("delay_updates") {
		cmd = append(cmd, "--delay-updates", "-F")
	}
	if a.Bool("compress") {
		cmd = append(cmd, "--compress")
	}
	if t := a.Int("rsync_timeout"); t != 0 {
		cmd = append(cmd, fmt.Sprintf("--timeout=%d", t))
	}
	if c.Check {
		cmd = append(cmd, "--dry-run")
	}
	for _, f := range []struct{ opt, flag string }{{"delete", "--delete-after"}, {"existing_only", "--existing"}, {"checksum", "--checksum"}, {"copy_links", "--copy-links"}} {
		if a.Bool(f.opt) {
			cmd = append(cmd, f.flag)
		}
	}
	archiveFlags := []string{"recursive", "links", "perms", "times", "owner", "group"}
	if a.Bool("archive") {
		cmd = append(cmd, "--archive")
		for _, o := range archiveFlags {
			if b, ok := a[o].(bool); ok && !b {
				cmd = append(cmd, "--no-"+o)
			}
		}
	} else {
		for _, o := range archiveFlags {
			if b, ok := a[o].(bool); ok && b {
				cmd = append(cmd, "--"+o)
			}
		}
	}
	if a.Bool("dirs") {
		cmd = append(cmd, "--dirs")
	}
	if strings.HasPrefix(src, "rsync://") && strings.HasPrefix(dest, "rsync://") {
		return module.Result{"failed": true, "msg": "either src or dest must be a localhost", "rc": 1}, nil
	}
	opts := a.Strings("rsync_opts")
	if rshNeeded(src, dest) && !anyContains(opts, "--rsh") {
		ssh, failed, err := on.lookPath(ctx, "ssh")
		if failed != nil || err != nil {
			return failed, err
		}
		sshCmd := []string{ssh}
		if !a.Bool("ssh_connection_multiplexing") {
			sshCmd = append(sshCmd, "-S", "none")
		}
		if privateKey != "" {
			sshCmd = append(sshCmd, "-i", privateKey)
		}
		if port != 0 {
			sshCmd = append(sshCmd, "-o", fmt.Sprintf("Port=%d", port))
		}
		if !a.Bool("verify_host") {
			sshCmd = append(sshCmd, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null")
		}
		s := shell.Join(sshCmd)
		if sshArgs != "" {
			s += " " + sshArgs
		}
		cmd = append(cmd, "--rsh="+shell.Quote(s))
	}
	if rsyncPath != "" {
		cmd = append(cmd, "--rsync-path="+shell.Quote(rsyncPath))
	}
	var warnings []any
	if len(opts) > 0 {
		for _, o := range opts {
			if o == "" {
				warnings = append(warnings, "The empty string is present in rsync_opts which will cause rsync to transfer the current working directory. If this is intended, use \".\" instead to get rid of this warning. If this is unintended, check for problems in your playbook leading to empty string in rsync_opts.")
				break
			}
		}
		cmd = append(cmd, opts...)
	}
	if a.Bool("partial") {
		cmd = append(cmd, "--partial")
	}
	linkDest := a.Strings("link_dest")
	if len(linkDest) > 0 {
		cmd = append(cmd, "-H", "-vv")
		for _, x := range linkDest {
			lp, _ := filepath.Abs(expandUser(x))
			dp, _ := filepath.Abs(filepath.Dir(dest))
			if strings.HasPrefix(dp, lp) {
				return module.Failed(fmt.Sprintf("Hardlinking into a subdirectory of the source would cause recursion. %s and %s", dp, dest)), nil
			}
			cmd = append(cmd, "--link-dest="+lp)
		}
	}
	const marker = "<<CHANGED>>"
	cmd = append(cmd, "--out-format="+shell.Quote(marker+"%i %n%L"))
	if !strings.Contains(src, "@") {
		src = expandUser(src)
	}
	if !strings.Contains(dest, "@") {
		dest = expandUser(dest)
	}
	cmd = append(cmd, shell.Quote(src), shell.Quote(dest))
	if password != "" {
		// The module runs rsync under sshpass, reading the password from
		// a pipe (fd 3 here).
		if _, failed, err := on.lookPath(ctx, "sshpass"); failed != nil || err != nil {
			if err != nil {
				return nil, err
			}
			// The module's run_command(["sshpass"]) probe fails before its
			// own message: run_command reports the missing program.
			return module.Result{"failed": true, "cmd": "sshpass", "rc": 2, "msg": "[Errno 2] No such file or directory: b'sshpass'",
				"stdout": "", "stderr": "", "stdout_lines": []any{}, "stderr_lines": []any{}}, nil
		}
		cmd = append([]string{"sshpass", "-d3"}, cmd...)
	}
	cmdstr := strings.Join(cmd, " ")
	out, errOut, rc, err := on.run(ctx, cmdstr, password)
	if err != nil {
		return module.Result{"failed": true, "msg": err.Error(), "rc": 2, "cmd": cmdstr}, nil
	}
	if rc != 0 {
		return module.Result{"failed": true, "msg": errOut, "rc": rc, "cmd": cmdstr}, nil
	}
	changed := strings.Contains(out, marker)
	if len(linkDest) > 0 {
		changed = !strings.Contains(out, marker+".")
	}
	clean := strings.ReplaceAll(out, marker, "")
	outLines := []any{}
	for _, l := range strings.Split(clean, "\n") {
		if l != "" {
			outLines = append(outLines, l)
		}
	}
	res := module.Result{"changed": changed, "msg": clean, "rc": rc, "cmd": cmdstr, "stdout_lines": outLines}
	if c.Diff {
		res["diff"] = map[string]any{"prepared": clean}
	}
	if warnings != nil {
		res["warnings"] = warnings
	}
	return res, nil
}

// syncLocalPath is the action plugin's _get_absolute_path: a path with a
// colon or a leading slash is kept, a relative one is looked up in the
// role's or playbook's files/ (path_dwim_relative), keeping a trailing slash.
func syncLocalPath(c *module.Call, p string) string {
	if strings.Contains(p, ":") || strings.HasPrefix(p, "/") {
		return p
	}
	found, err := c.Files.Find("files", p)
	if err != nil {
		// path_dwim_relative's last candidate: the path under the base directory.
		base, _ := c.Vars["playbook_dir"].(string)
		found = filepath.Join(base, p)
	}
	found = filepath.Clean(found)
	if strings.HasSuffix(p, "/") && !strings.HasSuffix(found, "/") {
		found += "/"
	}
	return found
}

// rsyncTarget is _format_rsync_rsh_target: [user@]host:path, bracketed for
// an IPv6 address; rsync:// URLs as they are.
func rsyncTarget(host, p, user string) string {
	if strings.HasPrefix(p, "rsync://") {
		return p
	}
	prefix := ""
	if user != "" {
		prefix = user + "@"
	}
	if strings.Contains(host, ":") {
		return "[" + prefix + host + "]:" + p
	}
	return prefix + host + ":" + p
}

// rshNeeded is the module's is_rsh_needed.
func rshNeeded(src, dest string) bool {
	if strings.HasPrefix(src, "rsync://") || strings.HasPrefix(dest, "rsync://") {
		return false
	}
	return strings.Contains(src, ":") || strings.Contains(dest, ":")
}

func anyContains(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// expandUser is os.path.expanduser for the controller.
func expandUser(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return home + p[1:]
		}
	}
	return p
}

// isLocalhost is the action plugin's test against C.LOCALHOST.
func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// rsyncHost runs rsync: on the controller (conn nil), or through the
// delegate's connection.
type rsyncHost struct {
	conn connection.Conn
}

// lookPath is get_bin_path where rsync runs; a missing program is the
// module's failure naming it.
func (h rsyncHost) lookPath(ctx context.Context, name string) (string, module.Result, error) {
	if h.conn == nil {
		p, err := exec.LookPath(name)
		if err != nil {
			return "", module.Failed(fmt.Sprintf("Failed to find required executable \"%s\" in paths: %s", name, os.Getenv("PATH"))), nil
		}
		return p, nil, nil
	}
	r, err := h.conn.Exec(ctx, "command -v "+shell.Quote(name)+`; printf 'PATH %s\n' "$PATH"`, connection.ExecOptions{})
	if err != nil {
		return "", nil, err
	}
	first, rest, _ := strings.Cut(string(r.Stdout), "\n")
	if r.ExitCode == 0 && strings.HasPrefix(first, "/") {
		return first, nil, nil
	}
	paths := strings.TrimSpace(strings.TrimPrefix(first+"\n"+rest, "PATH "))
	return "", module.Failed(fmt.Sprintf("Failed to find required executable \"%s\" in paths: %s", name, paths)), nil
}

// run runs cmdstr as run_command does (split as shlex does, no shell,
// the C locale), with password on fd 3 for sshpass when set. It returns
// stdout, stderr and the exit status.
func (h rsyncHost) run(ctx context.Context, cmdstr, password string) (string, string, int, error) {
	argv, err := shell.Split(cmdstr)
	if err != nil {
		return "", "", 0, err
	}
	if h.conn != nil {
		line := "LANG=C LC_ALL=C LC_MESSAGES=C exec " + shell.Join(argv)
		var stdin io.Reader
		if password != "" {
			// sshpass -d3 reads the password from fd 3: our stdin.
			line = "exec 3<&0 </dev/null; " + line
			stdin = strings.NewReader(password + "\n")
		}
		r, err := h.conn.Exec(ctx, line, connection.ExecOptions{Stdin: stdin})
		if err != nil {
			return "", "", 0, err
		}
		return string(r.Stdout), string(r.Stderr), r.ExitCode, nil
	}
	var stdout, stderr bytes.Buffer
	proc := exec.CommandContext(ctx, argv[0], argv[1:]...)
	proc.Stdout, proc.Stderr = &stdout, &stderr
	proc.Env = append(os.Environ(), "LANG=C", "LC_ALL=C", "LC_MESSAGES=C")
	if password != "" {
		pr, pw, err := os.Pipe()
		if err != nil {
			return "", "", 0, err
		}
		defer pr.Close()
		proc.ExtraFiles = []*os.File{pr} // fd 3
		go func() {
			pw.WriteString(password + "\n")
			pw.Close()
		}()
	}
	if err := proc.Run(); err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return "", "", 0, err
		}
		return stdout.String(), stderr.String(), ee.ExitCode(), nil
	}
	return stdout.String(), stderr.String(), 0, nil
}
