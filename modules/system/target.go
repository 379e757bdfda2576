package system

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
)

// target runs commands and reads and writes files on the host of one module call.
type target struct {
	ctx  context.Context
	conn connection.Conn
}

func newTarget(ctx context.Context, call *module.Call) *target {
	return &target{ctx: ctx, conn: call.Conn}
}

// output is a finished command: exit status and text output.
type output struct {
	rc             int
	stdout, stderr string
}

// run runs argv (quoted for the shell) with extra environment variables.
func (t *target) run(env map[string]string, argv ...string) (output, error) {
	return t.sh(env, shell.Join(argv))
}

// sh runs a shell command line.
func (t *target) sh(env map[string]string, line string) (output, error) {
	res, err := t.conn.Exec(t.ctx, line, connection.ExecOptions{Env: env})
	if err != nil {
		return output{}, err
	}
	return output{rc: res.ExitCode, stdout: string(res.Stdout), stderr: string(res.Stderr)}, nil
}

// shIn runs a shell command line with stdin.
func (t *target) shIn(line string, stdin []byte) (output, error) {
	res, err := t.conn.Exec(t.ctx, line, connection.ExecOptions{Stdin: bytes.NewReader(stdin)})
	if err != nil {
		return output{}, err
	}
	return output{rc: res.ExitCode, stdout: string(res.Stdout), stderr: string(res.Stderr)}, nil
}

// which returns the path of a program on the target's PATH plus the sbin
// directories Ansible's get_bin_path adds, or "" when there is none.
func (t *target) which(name string) (string, error) {
	o, err := t.sh(nil, "PATH=\"$PATH:/sbin:/usr/sbin:/usr/local/sbin\" command -v "+shell.Quote(name))
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(o.stdout)
	if o.rc != 0 || !strings.HasPrefix(p, "/") {
		return "", nil
	}
	return p, nil
}

// exists reports whether path exists on the target (following symlinks).
func (t *target) exists(path string) (bool, error) {
	o, err := t.sh(nil, "test -e "+shell.Quote(path))
	return err == nil && o.rc == 0, err
}

// readFile returns the contents of path, and false when it does not exist.
func (t *target) readFile(path string) (string, bool, error) {
	o, err := t.sh(nil, "if test -e "+shell.Quote(path)+"; then echo y; cat "+shell.Quote(path)+"; else echo n; fi")
	if err != nil {
		return "", false, err
	}
	if o.rc != 0 {
		return "", false, fmt.Errorf("reading %s: %s", path, strings.TrimSpace(o.stderr))
	}
	flag, content, _ := strings.Cut(o.stdout, "\n")
	return content, flag == "y", nil
}

// writeFile replaces path with content atomically (a temporary file in the same
// directory renamed over it). An existing file keeps its owner and mode, as
// Ansible's atomic_move keeps them; a new one gets mode.
func (t *target) writeFile(path, content string, mode string) error {
	tmp := path + ".gorun-tmp"
	script := fmt.Sprintf(`set -e
tmp=%[1]s
cat > "$tmp"
if test -e %[2]s; then
  chmod --reference=%[2]s "$tmp"
  chown --reference=%[2]s "$tmp" 2>/dev/null || true
else
  chmod %[3]s "$tmp"
fi
mv -f "$tmp" %[2]s`, shell.Quote(tmp), shell.Quote(path), mode)
	o, err := t.shIn(script, []byte(content))
	if err != nil {
		return err
	}
	if o.rc != 0 {
		t.sh(nil, "rm -f "+shell.Quote(tmp))
		return fmt.Errorf("writing %s: %s", path, strings.TrimSpace(o.stderr))
	}
	return nil
}

// failRun is the result Ansible's modules give when a command fails: msg plus
// the command's rc, stdout and stderr.
func failRun(msg string, o output) module.Result {
	return module.Result{"failed": true, "msg": msg, "rc": o.rc, "stdout": o.stdout, "stderr": o.stderr}
}

// withLines adds stdout_lines and stderr_lines as Ansible's action plugin does
// for every result that has stdout or stderr.
func withLines(r module.Result) module.Result {
	for _, k := range []string{"stdout", "stderr"} {
		if s, ok := r[k].(string); ok {
			r[k+"_lines"] = splitLines(s)
		}
	}
	return r
}

// splitLines is Python's str.splitlines for \n and \r\n text.
func splitLines(s string) []any {
	lines := []any{}
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		lines = append(lines, strings.TrimSuffix(l, "\r"))
	}
	if s == "" {
		return []any{}
	}
	return lines
}

// unsupported fails naming those of the options that the task set (to
// anything but false) and that gorun does not implement yet, so that nothing is
// silently ignored. It returns nil when none is set.
func unsupported(call *module.Call, names ...string) module.Result {
	var set []string
	for _, n := range names {
		v := call.Args[n]
		if b, isBool := v.(bool); v == nil || isBool && !b {
			continue
		}
		set = append(set, n)
	}
	if len(set) == 0 {
		return nil
	}
	return module.Failed(fmt.Sprintf("gorun's %s module does not support the option(s) %s yet", call.Module, strings.Join(set, ", ")))
}

// addPathInfo is AnsibleModule.add_path_info, which exit_json applies to every
// result: when the result has a path (or dest) that exists, it gains the
// file's uid, gid, owner, group, mode, state and size.
func addPathInfo(t *target, r module.Result) error {
	p, ok := r["path"].(string)
	if _, has := r["path"]; !has {
		p, ok = r["dest"].(string)
	}
	if !ok || p == "" {
		return nil
	}
	q := shell.Quote(p)
	o, err := t.sh(nil, "test -e "+q+" || exit 3; stat -c '%u %g %U %G %a %h %s' "+q+"; if test -L "+q+"; then echo link; elif test -d "+q+"; then echo directory; else echo file; fi")
	if err != nil || o.rc != 0 {
		return err
	}
	lines := strings.Split(strings.TrimSpace(o.stdout), "\n")
	f := strings.Fields(lines[0])
	if len(f) != 7 || len(lines) != 2 {
		return fmt.Errorf("stat %s: unexpected output %q", p, o.stdout)
	}
	uid, _ := strconv.Atoi(f[0])
	gid, _ := strconv.Atoi(f[1])
	owner, group := f[2], f[3]
	if owner == "UNKNOWN" {
		owner = f[0]
	}
	if group == "UNKNOWN" {
		group = f[1]
	}
	mode, _ := strconv.ParseInt(f[4], 8, 32)
	size, _ := strconv.ParseInt(f[6], 10, 64)
	state := lines[1]
	if state == "file" && f[5] != "1" {
		state = "hard"
	}
	r["uid"], r["gid"], r["owner"], r["group"] = uid, gid, owner, group
	r["mode"] = fmt.Sprintf("0%03o", mode)
	r["state"], r["size"] = state, size
	return nil
}

// execRaw runs a shell command line with extra environment variables and,
// when stdin is not nil, input; it returns the output as bytes.
func (t *target) execRaw(env map[string]string, line string, stdin []byte) (*connection.ExecResult, error) {
	opts := connection.ExecOptions{Env: env}
	if stdin != nil {
		opts.Stdin = bytes.NewReader(stdin)
	}
	return t.conn.Exec(t.ctx, line, opts)
}

// moduleFailure carries a module's failure result (a fail_json deep inside
// its steps) up through functions that return errors.
type moduleFailure struct{ res module.Result }

func (f *moduleFailure) Error() string { return fmt.Sprint(f.res["msg"]) }

// commandFailed is run_command's check_rc failure: the command line, its
// exit status and output, its stderr as the message.
func commandFailed(cmd string, o output) error {
	return &moduleFailure{module.Result{"failed": true, "cmd": cmd, "rc": o.rc, "stdout": o.stdout, "stderr": o.stderr, "msg": strings.TrimRight(o.stderr, " \t\r\n")}}
}
