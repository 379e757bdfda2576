// Package remotecmd runs the commands of one module call on its target host
// and turns their outcome into results worded as Ansible's modules word them
// (fail_json with a command's rc and output, get_bin_path's search,
// stdout_lines). It is shared by the modules that drive their targets with
// shell commands (modules/system, modules/rhel, modules/storage,
// modules/python, modules/commands), which each had their own copy.
package remotecmd

import (
	"bytes"
	"context"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
)

// Target runs commands on the host of one module call. Modules embed it in
// their own target type, which adds what only they need.
type Target struct {
	// Ctx ends the commands when the run is cancelled.
	Ctx context.Context
	// Conn is the connection to the host, for what is not a command
	// (remotefile's stat and writes).
	Conn connection.Conn
}

// New returns the target of a module call.
func New(ctx context.Context, call *module.Call) *Target {
	return &Target{Ctx: ctx, Conn: call.Conn}
}

// Output is a finished command: its exit status and text output.
type Output struct {
	RC             int
	Stdout, Stderr string
}

// Exec runs a shell command line with extra environment variables and, when
// stdin is not nil, input; it returns the output as bytes, for commands whose
// output is not text.
func (t *Target) Exec(env map[string]string, line string, stdin []byte) (*connection.ExecResult, error) {
	opts := connection.ExecOptions{Env: env}
	if stdin != nil {
		opts.Stdin = bytes.NewReader(stdin)
	}
	return t.Conn.Exec(t.Ctx, line, opts)
}

// Sh runs a shell command line with extra environment variables.
func (t *Target) Sh(env map[string]string, line string) (Output, error) {
	return t.output(t.Conn.Exec(t.Ctx, line, connection.ExecOptions{Env: env}))
}

// ShIn runs a shell command line with stdin as its input (empty when nil).
func (t *Target) ShIn(line string, stdin []byte) (Output, error) {
	return t.output(t.Conn.Exec(t.Ctx, line, connection.ExecOptions{Stdin: bytes.NewReader(stdin)}))
}

// Run runs argv, each word quoted for the shell, with extra environment
// variables.
func (t *Target) Run(env map[string]string, argv ...string) (Output, error) {
	return t.Sh(env, shell.Join(argv))
}

func (t *Target) output(res *connection.ExecResult, err error) (Output, error) {
	if err != nil {
		return Output{}, err
	}
	return Output{RC: res.ExitCode, Stdout: string(res.Stdout), Stderr: string(res.Stderr)}, nil
}

// SbinDirs are the directories Ansible's get_bin_path searches after PATH.
const SbinDirs = "/sbin:/usr/sbin:/usr/local/sbin"

// Which is AnsibleModule.get_bin_path: the path of a program on the target's
// PATH plus SbinDirs, or "" when there is none.
func (t *Target) Which(name string) (string, error) {
	o, err := t.Sh(nil, `PATH="$PATH:`+SbinDirs+`" command -v `+shell.Quote(name))
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(o.Stdout)
	if o.RC != 0 || !strings.HasPrefix(p, "/") {
		return "", nil
	}
	return p, nil
}

// Exists reports whether path exists on the target (following symlinks).
func (t *Target) Exists(path string) (bool, error) {
	o, err := t.Sh(nil, "test -e "+shell.Quote(path))
	return err == nil && o.RC == 0, err
}
