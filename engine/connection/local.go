package connection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"gorun/engine/shell"
)

// localConn runs commands on the controller itself (ansible_connection=local).
type localConn struct {
	becomeTimeout time.Duration
}

// newLocal returns the local connection; becomeTimeout bounds the wait for a
// become password prompt.
func newLocal(becomeTimeout time.Duration) *localConn {
	return &localConn{becomeTimeout: becomeTimeout}
}

func (c *localConn) Exec(ctx context.Context, cmd string, opts ExecOptions) (*ExecResult, error) {
	return runCommand(ctx, startLocal, cmd, opts, c.becomeTimeout)
}

// Put writes the file directly, or with become through `cat` run as the
// become user.
func (c *localConn) Put(ctx context.Context, r io.Reader, path string, perm fs.FileMode, opts ExecOptions) error {
	if becomes(opts) {
		return putViaExec(ctx, c, r, path, perm, opts)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %v", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (c *localConn) Get(ctx context.Context, path string, w io.Writer, opts ExecOptions) error {
	if becomes(opts) {
		return getViaExec(ctx, c, path, w, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("reading %s: %v", path, err)
	}
	return nil
}

func (c *localConn) Close() error { return nil }

// startLocal is the starter of local commands: /bin/sh -c line.
func startLocal(line string, usePty bool, stdout, stderr io.Writer) (*process, error) {
	cmd := exec.Command("/bin/sh", "-c", line)
	if usePty {
		return startLocalPty(cmd, stdout)
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A process group, so that kill ends the command's children too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &process{
		stdin: stdin,
		wait:  func() (int, error) { return exitCode(cmd.Wait()) },
		kill:  func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) },
	}, nil
}

// startLocalPty runs cmd on a new pty, in its own session, with echo and
// output processing off so that what passes through is not altered.
func startLocalPty(cmd *exec.Cmd, stdout io.Writer) (*process, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("opening a pty: %v", err)
	}
	defer tty.Close()
	if err := rawOutput(tty); err != nil {
		master.Close()
		return nil, err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		master.Close()
		return nil, err
	}
	copied := make(chan struct{})
	go func() {
		// Reading ends with EIO once the command and its children have
		// closed the terminal.
		io.Copy(stdout, master)
		close(copied)
	}()
	var closeOnce sync.Once
	closeMaster := func() { closeOnce.Do(func() { master.Close() }) }
	return &process{
		stdin: nopCloser{master},
		wait: func() (int, error) {
			code, err := exitCode(cmd.Wait())
			<-copied
			closeMaster()
			return code, err
		},
		kill: func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) },
	}, nil
}

// rawOutput turns off echo and output processing on tty.
func rawOutput(tty *os.File) error {
	t, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		return fmt.Errorf("reading pty modes: %v", err)
	}
	t.Lflag &^= unix.ECHO | unix.ECHONL
	t.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, t); err != nil {
		return fmt.Errorf("setting pty modes: %v", err)
	}
	return nil
}

// nopCloser keeps a pty master open when stdin is "closed": the terminal
// stays until the command ends.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// exitCode turns the error of Wait into an exit status; a command killed by
// a signal gets 128+signal, as the shell reports it.
func exitCode(err error) (int, error) {
	if err == nil {
		return 0, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), nil
		}
		return exitErr.ExitCode(), nil
	}
	return 0, err
}

func becomes(opts ExecOptions) bool { return opts.Become != nil && opts.Become.Enabled }

// putViaExec writes a file with `cat` run through Exec, for become.
func putViaExec(ctx context.Context, c Conn, r io.Reader, path string, perm fs.FileMode, opts ExecOptions) error {
	q := shell.Quote(path)
	mode := strconv.FormatUint(uint64(perm.Perm()), 8)
	opts.Stdin = r
	opts.Stdout, opts.Stderr = nil, nil
	res, err := c.Exec(ctx, "umask 077 && cat > "+q+" && chmod "+mode+" "+q, opts)
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("writing %s: %s", path, commandError(res))
	}
	return nil
}

// getViaExec reads a file with `cat` run through Exec, for become.
func getViaExec(ctx context.Context, c Conn, path string, w io.Writer, opts ExecOptions) error {
	opts.Stdin = nil
	opts.Stdout, opts.Stderr = w, nil
	res, err := c.Exec(ctx, "cat "+shell.Quote(path), opts)
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("reading %s: %s", path, commandError(res))
	}
	return nil
}

func commandError(res *ExecResult) string {
	msg := string(res.Stderr)
	if msg == "" {
		msg = string(res.Stdout)
	}
	if msg == "" {
		return fmt.Sprintf("exit status %d", res.ExitCode)
	}
	return trimNewline(msg)
}

func trimNewline(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}
