package connection

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"

	"gorun/engine/shell"
)

// QuickRunner is implemented by connections that keep a shell open on the
// host for short scripts of gorun's own (the file modules' stat and
// attribute scripts): each is started by that shell, as /bin/sh -c as
// Exec starts it, instead of in a new SSH session, which saves the host the
// session's set-up and the login shell (together about as much as a short
// script itself costs).
//
// RunQuick has Exec's results for a script run with no standard input, no
// become and no environment: the same stdout, stderr and exit status (a
// script killed by a signal gives 128 + the signal's number, as Exec).
// The script must not leave processes behind that keep its output open.
// When the kept shell is busy or cannot be used, the script runs through
// Exec.
type QuickRunner interface {
	RunQuick(ctx context.Context, script string) (*ExecResult, error)
}

// keptShell is a /bin/sh reading commands from an SSH session's stdin.
type keptShell struct {
	link   *link
	sess   *ssh.Session
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *bufio.Reader
}

// startKeptShell opens the session and starts the shell in it.
func startKeptShell(l *link) (*keptShell, error) {
	sess, err := l.client.NewSession()
	if err != nil {
		return nil, err
	}
	stdin, err1 := sess.StdinPipe()
	stdout, err2 := sess.StdoutPipe()
	stderr, err3 := sess.StderrPipe()
	if err := errors.Join(err1, err2, err3); err != nil {
		sess.Close()
		return nil, err
	}
	// The shell's own messages (such as "Killed" for a script ended by a
	// signal, which no shell reports over Exec) go nowhere; the scripts'
	// stderr is the session's, kept on descriptor 3.
	if err := sess.Start("exec /bin/sh 3>&2 2>/dev/null"); err != nil {
		sess.Close()
		return nil, err
	}
	return &keptShell{link: l, sess: sess, stdin: stdin,
		stdout: bufio.NewReader(stdout), stderr: bufio.NewReader(stderr)}, nil
}

func (k *keptShell) close() {
	k.stdin.Close()
	k.sess.Close()
}

// run runs script as Exec does, with the same command line, whose
// environment carries job (see killKept); a random marker, printed to both
// streams after it, ends its output and carries its exit status.
func (k *keptShell) run(ctx context.Context, script, job string) (*ExecResult, error) {
	mark := "GORUN-END-" + randomID()
	// The subshell takes the script's descriptors itself and execs it:
	// dash would otherwise hold them while it waits and write its own
	// messages about the script to the script's stderr.
	cmd := fmt.Sprintf("( exec </dev/null 2>&3 3>&-; %s=%s exec /bin/sh -c %s ); printf '\\n%s %%s\\n' \"$?\"; printf '\\n%s\\n' >&3\n",
		jobVar, job, shell.Quote(script), mark, mark)
	if _, err := io.WriteString(k.stdin, cmd); err != nil {
		return nil, err
	}
	type read struct {
		out  []byte
		code int
		err  error
	}
	outc, errc := make(chan read, 1), make(chan read, 1)
	go func() {
		out, last, err := readUntil(k.stdout, mark+" ")
		code, convErr := strconv.Atoi(strings.TrimSpace(last))
		outc <- read{out, code, errors.Join(err, convErr)}
	}()
	go func() {
		out, _, err := readUntil(k.stderr, mark)
		errc <- read{out: out, err: err}
	}()
	var o, e read
	for got := 0; got < 2; got++ {
		select {
		case o = <-outc:
		case e = <-errc:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err := errors.Join(o.err, e.err); err != nil {
		return nil, err
	}
	return &ExecResult{Stdout: o.out, Stderr: e.out, ExitCode: o.code}, nil
}

// readUntil reads r up to the line that starts with mark, which the
// marker's printf puts after a newline of its own (so that output without a
// last newline still ends before it). It returns what came before that
// newline, and the rest of the marker's line.
func readUntil(r *bufio.Reader, mark string) ([]byte, string, error) {
	var buf bytes.Buffer
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return nil, "", err
		}
		if bytes.HasPrefix(line, []byte(mark)) && bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
			out := buf.Bytes()
			return out[:len(out)-1], strings.TrimSuffix(string(line[len(mark):]), "\n"), nil
		}
		buf.Write(line)
	}
}

// keptState is a connection's kept shell and what guards it.
type keptState struct {
	mu     sync.Mutex // held while a script runs
	shell  *keptShell
	failed *link // the link on which the shell could not be started
}

// RunQuick runs script in the connection's kept shell (see QuickRunner).
func (c *sshConn) RunQuick(ctx context.Context, script string) (*ExecResult, error) {
	if !c.kept.mu.TryLock() {
		return c.Exec(ctx, script, ExecOptions{})
	}
	defer c.kept.mu.Unlock()
	k := c.keptShell(ctx)
	if k == nil {
		return c.Exec(ctx, script, ExecOptions{})
	}
	job := randomID()
	res, err := k.run(ctx, script, job)
	if err == nil {
		return res, nil
	}
	k.close()
	c.kept.shell = nil
	if ctx.Err() != nil {
		c.killKept(job)
		return nil, ctx.Err()
	}
	// The shell or the link broke: Exec reconnects, or says the host is
	// unreachable.
	return c.Exec(ctx, script, ExecOptions{})
}

// keptShell returns the kept shell of the current link, starting it when
// there is none; nil when it cannot be had. The caller holds c.kept.mu.
func (c *sshConn) keptShell(ctx context.Context) *keptShell {
	l, err := c.current(ctx)
	if err != nil || c.kept.failed == l {
		return nil
	}
	if k := c.kept.shell; k != nil {
		if k.link == l {
			return k
		}
		k.close()
		c.kept.shell = nil
	}
	k, err := startKeptShell(l)
	if err != nil {
		c.kept.failed = l
		return nil
	}
	c.kept.shell = k
	return k
}

// killKept ends what is left of a cancelled script of the kept shell: every
// process whose environment carries the script's job marker (they are no
// process group of their own, as killJob expects of Exec's commands).
func (c *sshConn) killKept(job string) {
	script := `for e in /proc/[0-9]*/environ; do grep -qsxzF '` + jobVar + "=" + job + `' "$e" || continue; ` +
		`p=${e#/proc/}; kill -9 "${p%/environ}"; done 2>/dev/null; true`
	ctx, cancel := context.WithTimeout(context.Background(), killJobWait)
	defer cancel()
	c.Exec(ctx, script, ExecOptions{})
}

// yieldKept gives the kept shell's session back to the server when it
// refused to open a channel (a MaxSessions lower than OpenSSH's 10): the
// shell is closed, unless a script runs in it, and not started again on
// this link. It reports whether it closed one, so that the caller may try
// again.
func (c *sshConn) yieldKept(l *link, err error) bool {
	var refused *ssh.OpenChannelError
	if !errors.As(err, &refused) || !c.kept.mu.TryLock() {
		return false
	}
	defer c.kept.mu.Unlock()
	c.kept.failed = l
	k := c.kept.shell
	if k == nil || k.link != l {
		return false
	}
	k.close()
	c.kept.shell = nil
	return true
}
