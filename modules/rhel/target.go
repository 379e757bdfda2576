package rhel

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
)

// target runs commands on the host of one module call.
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

// run runs argv, each word quoted for the shell.
func (t *target) run(argv ...string) (output, error) {
	return t.sh(shell.Join(argv), nil)
}

// sh runs a shell command line, with stdin when it is not nil.
func (t *target) sh(line string, stdin []byte) (output, error) {
	opts := connection.ExecOptions{}
	if stdin != nil {
		opts.Stdin = bytes.NewReader(stdin)
	}
	res, err := t.conn.Exec(t.ctx, line, opts)
	if err != nil {
		return output{}, err
	}
	return output{rc: res.ExitCode, stdout: string(res.Stdout), stderr: string(res.Stderr)}, nil
}

// binPath is AnsibleModule.get_bin_path: the path of a program on the
// target's PATH plus the sbin directories, or "" when there is none.
func (t *target) binPath(name string) (string, error) {
	o, err := t.sh(`PATH="$PATH:/sbin:/usr/sbin:/usr/local/sbin" command -v `+shell.Quote(name), nil)
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(o.stdout)
	if o.rc != 0 || !strings.HasPrefix(p, "/") {
		return "", nil
	}
	return p, nil
}

// missingBin is get_bin_path's failure when a required program is missing.
func missingBin(name string) module.Result {
	return module.Failed(fmt.Sprintf("Failed to find required executable \"%s\" in paths: /usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/sbin", name))
}

// failRun is the result Ansible's modules give when a command fails: msg
// plus the command's rc, stdout and stderr.
func failRun(msg string, o output) module.Result {
	return module.Result{"failed": true, "msg": msg, "rc": o.rc, "stdout": o.stdout, "stderr": o.stderr}
}

// pyLines is Python's str.splitlines for \n and \r\n text.
func pyLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}
