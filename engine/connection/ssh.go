package connection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// maxSessions bounds the channels open at once on one connection: OpenSSH's
// sshd refuses more than MaxSessions (10 by default), and SFTP holds one.
const maxSessions = 8

// sshConn is a connection to one host over a single SSH client, every command
// a session on it. A client found broken is replaced once per operation.
type sshConn struct {
	host          string
	s             *settings
	becomeTimeout time.Duration
	sessions      chan struct{} // semaphore of maxSessions

	mu       sync.Mutex
	link     *link
	sftp     *sftp.Client
	noSFTP   bool  // the server has no sftp subsystem: use cat
	brokenBy error // why the current link broke, once it has

	kept keptState // the shell kept open for RunQuick
}

// dialSSH resolves p's settings and connects.
func dialSSH(ctx context.Context, p Params) (*sshConn, error) {
	s, err := resolveSettings(p)
	if err != nil {
		return nil, &UnreachableError{Host: p.Host, Err: err}
	}
	c := &sshConn{host: p.Host, s: s, becomeTimeout: becomeTimeout(p), sessions: make(chan struct{}, maxSessions)}
	if _, err := c.current(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

func becomeTimeout(p Params) time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return 10 * time.Second
}

// current returns the open link, connecting when there is none or the last
// one broke.
func (c *sshConn) current(ctx context.Context) (*link, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.link != nil && c.brokenBy == nil {
		return c.link, nil
	}
	c.dropLocked()
	l, err := connect(ctx, c.s)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UnreachableError{Host: c.host, Err: err}
	}
	c.link, c.brokenBy = l, nil
	go c.watch(l)
	return l, nil
}

// watch notices when the server or the network ends the link, and sends
// keepalives so that a silently dead network is noticed too.
func (c *sshConn) watch(l *link) {
	done := make(chan error, 1)
	go func() { done <- l.client.Wait() }()
	var tick <-chan time.Time
	if c.s.aliveInterval > 0 {
		t := time.NewTicker(c.s.aliveInterval)
		defer t.Stop()
		tick = t.C
	}
	missed := 0
	prev := time.Now()
	for {
		select {
		case err := <-done:
			if err == nil {
				err = io.EOF
			}
			c.markBroken(l, err)
			return
		case now := <-tick:
			// Anything heard from the server since the last tick proves
			// it alive, as in OpenSSH: over a slow, busy link the reply
			// to a keepalive queues behind the data and comes late.
			since := prev
			prev = now
			if l.conn.heardSince(since) || keepalive(l.client, c.s.aliveInterval) || l.conn.heardSince(since) {
				missed = 0
				continue
			}
			missed++
			if missed >= max(c.s.aliveCountMax, 1) {
				c.markBroken(l, fmt.Errorf("Timeout, server %s not responding.", c.s.hostName))
				l.Close()
			}
		}
	}
}

// keepalive sends OpenSSH's keepalive request and reports whether any reply
// came within wait.
func keepalive(client *ssh.Client, wait time.Duration) bool {
	replied := make(chan bool, 1)
	go func() {
		_, _, err := client.SendRequest("keepalive@openssh.com", true, nil)
		replied <- err == nil
	}()
	select {
	case ok := <-replied:
		return ok
	case <-time.After(wait):
		return false
	}
}

func (c *sshConn) markBroken(l *link, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.link == l && c.brokenBy == nil {
		c.brokenBy = err
	}
}

func (c *sshConn) isBroken(l *link) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.link != l || c.brokenBy != nil
}

// dropLocked closes the current link and its SFTP client.
func (c *sshConn) dropLocked() {
	if c.sftp != nil {
		c.sftp.Close()
		c.sftp = nil
	}
	if c.link != nil {
		c.link.Close()
		c.link = nil
	}
}

// Close closes the client; the next use reconnects.
func (c *sshConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked()
	return nil
}

func (c *sshConn) Exec(ctx context.Context, cmd string, opts ExecOptions) (*ExecResult, error) {
	select {
	case c.sessions <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sessions }()
	return runCommand(ctx, func(line string, pty bool, stdout, stderr io.Writer) (*process, error) {
		return c.start(ctx, line, pty, stdout, stderr)
	}, cmd, opts, c.becomeTimeout)
}

// start opens a session and starts line in it. When the link turns out to be
// broken before the command started, it reconnects once and tries again.
func (c *sshConn) start(ctx context.Context, line string, pty bool, stdout, stderr io.Writer) (*process, error) {
	l, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	p, err := c.startOn(l, line, pty, stdout, stderr)
	if err != nil && c.yieldKept(l, err) {
		p, err = c.startOn(l, line, pty, stdout, stderr)
	}
	if err != nil && c.linkFailed(l, err) {
		if l, err = c.current(ctx); err != nil {
			return nil, err
		}
		p, err = c.startOn(l, line, pty, stdout, stderr)
	}
	if err != nil {
		if c.linkFailed(l, err) {
			return nil, &UnreachableError{Host: c.host, Err: err}
		}
		return nil, err
	}
	return p, nil
}

// linkFailed reports whether err from l means l is unusable, marking it so.
// A channel or request the server refused (too many sessions, no pty
// allowed) leaves l usable; when in doubt a keepalive tells.
func (c *sshConn) linkFailed(l *link, err error) bool {
	var refused *ssh.OpenChannelError
	if errors.As(err, &refused) {
		return false
	}
	if c.isBroken(l) {
		return true
	}
	if keepalive(l.client, max(c.s.connectTimeout, time.Second)) {
		return false
	}
	c.markBroken(l, err)
	return true
}

func (c *sshConn) startOn(l *link, line string, pty bool, stdout, stderr io.Writer) (*process, error) {
	sess, err := l.client.NewSession()
	if err != nil {
		return nil, err
	}
	if pty {
		modes := ssh.TerminalModes{ssh.ECHO: 0, ssh.ECHONL: 0, ssh.OPOST: 0}
		if err := sess.RequestPty("xterm", 24, 200, modes); err != nil {
			sess.Close()
			return nil, fmt.Errorf("requesting a pty: %v", err)
		}
	}
	sess.Stdout, sess.Stderr = stdout, stderr
	stdin, err := sess.StdinPipe()
	if err != nil {
		sess.Close()
		return nil, err
	}
	if pty {
		stdin = nopCloser{stdin}
	}
	if err := sess.Start(line); err != nil {
		sess.Close()
		return nil, err
	}
	return &process{
		stdin: stdin,
		wait: func() (int, error) {
			err := sess.Wait()
			sess.Close()
			return c.sessionExit(l, err)
		},
		kill: func() {
			sess.Signal(ssh.SIGKILL)
			sess.Close()
		},
	}, nil
}

// sessionExit turns the error of Session.Wait into an exit status. A missing
// status means the connection went away under the command.
func (c *sshConn) sessionExit(l *link, err error) (int, error) {
	var exitErr *ssh.ExitError
	switch {
	case err == nil:
		return 0, nil
	case errors.As(err, &exitErr):
		if sig := exitErr.Signal(); sig != "" {
			return 128 + signalNumber(sig), nil
		}
		return exitErr.ExitStatus(), nil
	}
	c.markBroken(l, err)
	return 0, &UnreachableError{Host: c.host, Err: fmt.Errorf("Connection to %s closed while a command was running (%v)", c.s.hostName, err)}
}

// signalNumber maps SSH signal names to their Linux numbers.
func signalNumber(sig string) int {
	n := map[string]int{"HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "ABRT": 6, "FPE": 8, "KILL": 9,
		"USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15}[sig]
	if n == 0 {
		return 127
	}
	return n
}

// sftpClient returns the connection's SFTP client, starting it on first use;
// nil (and no error) when the server has no SFTP subsystem. A link found
// broken is replaced once.
func (c *sshConn) sftpClient(ctx context.Context) (*sftp.Client, error) {
	var lastErr error
	for attempt := 0; attempt < 2; attempt++ {
		l, err := c.current(ctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.noSFTP || c.link == l && c.sftp != nil {
			sc := c.sftp
			c.mu.Unlock()
			return sc, nil
		}
		c.mu.Unlock()
		sc, err := sftp.NewClient(l.client, sftp.UseConcurrentWrites(true))
		switch {
		case err == nil:
			return c.keepSFTP(l, sc)
		case strings.Contains(err.Error(), "subsystem request failed"):
			c.mu.Lock()
			c.noSFTP = true
			c.mu.Unlock()
			return nil, nil
		case c.yieldKept(l, err):
			// Try again on the same link; this happens once, as the
			// kept shell is not started again on it.
			attempt--
			continue
		case !c.linkFailed(l, err):
			return nil, fmt.Errorf("starting SFTP on %s: %v", c.host, err)
		}
		lastErr = err
	}
	return nil, &UnreachableError{Host: c.host, Err: lastErr}
}

// keepSFTP records sc as the SFTP client of link l, unless another caller
// was first (its client is kept) or l has been replaced meanwhile (the
// caller's operation then fails as it would have on the broken link).
func (c *sshConn) keepSFTP(l *link, sc *sftp.Client) (*sftp.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.link != l:
		sc.Close()
		return nil, &UnreachableError{Host: c.host, Err: fmt.Errorf("connection to %s was replaced while starting SFTP", c.s.hostName)}
	case c.sftp != nil:
		sc.Close()
		return c.sftp, nil
	}
	c.sftp = sc
	return sc, nil
}
