package connection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/pkg/sftp"
)

// Put writes the file over SFTP, or with `cat` when becoming another user
// (SFTP runs as the login user) or when the server has no SFTP.
func (c *sshConn) Put(ctx context.Context, r io.Reader, path string, perm fs.FileMode, opts ExecOptions) error {
	if becomes(opts) {
		return putViaExec(ctx, c, r, path, perm, opts)
	}
	src := &countingReader{r: r}
	return c.withSFTP(ctx, func() bool { return src.n == 0 }, func(sc *sftp.Client) error {
		f, err := sc.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
		if err != nil {
			return fmt.Errorf("creating %s on %s: %w", path, c.host, err)
		}
		if _, err := f.ReadFrom(src); err != nil {
			f.Close()
			return fmt.Errorf("writing %s on %s: %w", path, c.host, err)
		}
		if err := f.Chmod(perm); err != nil {
			f.Close()
			return fmt.Errorf("setting the mode of %s on %s: %w", path, c.host, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("writing %s on %s: %w", path, c.host, err)
		}
		return nil
	}, func() error { return putViaExec(ctx, c, src, path, perm, opts) })
}

// Get reads the file over SFTP, or with `cat` when becoming another user.
func (c *sshConn) Get(ctx context.Context, path string, w io.Writer, opts ExecOptions) error {
	if becomes(opts) {
		return getViaExec(ctx, c, path, w, opts)
	}
	dst := &countingWriter{w: w}
	return c.withSFTP(ctx, func() bool { return dst.n == 0 }, func(sc *sftp.Client) error {
		f, err := sc.Open(path)
		if err != nil {
			return fmt.Errorf("opening %s on %s: %w", path, c.host, err)
		}
		defer f.Close()
		if _, err := f.WriteTo(dst); err != nil {
			return fmt.Errorf("reading %s on %s: %w", path, c.host, err)
		}
		return nil
	}, func() error { return getViaExec(ctx, c, path, dst, opts) })
}

// withSFTP runs op with the connection's SFTP client, or fallback when the
// server has none. When the connection turns out to be lost and untouched
// says no data has moved yet, it reconnects and tries once more, as Exec does
// for commands that had not started.
func (c *sshConn) withSFTP(ctx context.Context, untouched func() bool, op func(*sftp.Client) error, fallback func() error) error {
	for attempt := 0; ; attempt++ {
		sc, err := c.sftpClient(ctx)
		if err != nil {
			return err
		}
		if sc == nil {
			return fallback()
		}
		err = op(sc)
		if err == nil || !connectionLost(err) {
			return err
		}
		c.dropSFTP(sc, err)
		if attempt > 0 || !untouched() {
			return &UnreachableError{Host: c.host, Err: err}
		}
	}
}

// connectionLost reports whether an SFTP error means the connection is gone.
func connectionLost(err error) bool {
	return errors.Is(err, sftp.ErrSSHFxConnectionLost) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// dropSFTP marks the link of the SFTP client sc as broken, so that the next
// use reconnects.
func (c *sshConn) dropSFTP(sc *sftp.Client, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sftp == sc && c.brokenBy == nil {
		c.brokenBy = err
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}
