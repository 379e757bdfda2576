package facts

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os/exec"

	"gorun/engine/connection"
)

// shConn runs commands on this machine with /bin/sh -c: real execution for
// this package's tests, not the product's local connection.
type shConn struct{}

func (shConn) Exec(ctx context.Context, cmd string, opts connection.ExecOptions) (*connection.ExecResult, error) {
	c := exec.CommandContext(ctx, "/bin/sh", "-c", cmd)
	c.Stdin = opts.Stdin
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return &connection.ExecResult{Stdout: out.Bytes(), Stderr: errb.Bytes(), ExitCode: ee.ExitCode()}, nil
	}
	if err != nil {
		return nil, err
	}
	return &connection.ExecResult{Stdout: out.Bytes(), Stderr: errb.Bytes()}, nil
}

func (shConn) Put(context.Context, io.Reader, string, fs.FileMode, connection.ExecOptions) error {
	return fs.ErrInvalid
}
func (shConn) Get(context.Context, string, io.Writer, connection.ExecOptions) error {
	return fs.ErrInvalid
}
func (shConn) Close() error { return nil }
