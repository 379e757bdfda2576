package commands

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"

	"gorun/engine/connection"
)

// shConn runs commands on this machine with /bin/sh -c, in directory dir. It
// is a real execution for the tests of this package, not the product's local
// connection.
type shConn struct{ dir string }

func (s shConn) Exec(ctx context.Context, cmd string, opts connection.ExecOptions) (*connection.ExecResult, error) {
	c := exec.CommandContext(ctx, "/bin/sh", "-c", cmd)
	c.Stdin, c.Dir = opts.Stdin, s.dir
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

func (shConn) Put(ctx context.Context, r io.Reader, path string, perm fs.FileMode, opts connection.ExecOptions) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (shConn) Get(ctx context.Context, path string, w io.Writer, opts connection.ExecOptions) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func (shConn) Close() error { return nil }

// dirFiles finds controller files in one directory, for the script tests.
type dirFiles string

func (d dirFiles) Find(kind, name string) (string, error) {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(string(d), kind, name)
	}
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}
