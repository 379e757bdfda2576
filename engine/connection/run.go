package connection

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	"gorun/engine/shell"
)

// process is a started command, on a target or locally.
type process struct {
	stdin io.WriteCloser
	// wait waits for the command to end and its output to be delivered, and
	// returns its exit status. An error means the status is unknown (the
	// connection broke).
	wait func() (int, error)
	// kill ends the command early.
	kill func()
}

// starter starts line (a command line for a POSIX shell) with its output
// going to stdout and stderr; with pty it runs on a pseudo-terminal, which
// merges stderr into stdout.
type starter func(line string, pty bool, stdout, stderr io.Writer) (*process, error)

// runCommand runs cmd with opts through start: it builds the command line,
// handles the become password exchange and collects or streams the output.
// becomeTimeout bounds the wait for the escalation to succeed.
func runCommand(ctx context.Context, start starter, cmd string, opts ExecOptions, becomeTimeout time.Duration) (*ExecResult, error) {
	p, err := buildPlan(cmd, opts)
	if err != nil {
		return nil, err
	}
	job := randomID()
	p.line = jobVar + "=" + job + " " + p.line
	res := &ExecResult{}
	var outBuf, errBuf bytes.Buffer
	stdout, stderr := opts.Stdout, opts.Stderr
	if stdout == nil {
		stdout = &outBuf
	}
	if stderr == nil {
		stderr = &errBuf
	}
	exited := make(chan exit, 1)
	var proc *process
	if p.esc == nil {
		proc, err = start(p.line, false, stdout, stderr)
		if err != nil {
			return nil, err
		}
		go waitFor(proc, exited)
		go feedStdin(proc.stdin, opts.Stdin, false)
	} else {
		w := newWatcher(p.esc, stdout, stderr)
		proc, err = start(p.line, p.esc.pty, w.stream(0), w.stream(1))
		if err != nil {
			return nil, err
		}
		go waitFor(proc, exited)
		if err := escalate(ctx, proc, w, exited, becomeTimeout); err != nil {
			return nil, err
		}
		go feedStdin(proc.stdin, opts.Stdin, p.esc.pty)
	}
	select {
	case e := <-exited:
		if e.err != nil {
			return nil, e.err
		}
		res.ExitCode = e.code
	case <-ctx.Done():
		proc.kill()
		killJob(start, job)
		return nil, ctx.Err()
	}
	if opts.Stdout == nil {
		res.Stdout = outBuf.Bytes()
	}
	if opts.Stderr == nil {
		res.Stderr = errBuf.Bytes()
	}
	return res, nil
}

// jobVar marks the environment of every command with an id of its own, so
// that killJob can find what is left of it.
const jobVar = "GORUN_JOB"

// killJobWait bounds the wait for killJob's command.
const killJobWait = 5 * time.Second

// killJob ends what is left of a cancelled command (a task timeout, an
// interrupted run): it kills every process group led by a process whose
// environment carries the command's job marker. sshd makes the command's
// first process a group leader, so its group goes; a daemon the command
// started (double-forked, not a leader) is left alone. proc.kill alone is
// not enough: the SSH signal request it sends reaches one process, and
// sshd refuses it outright for root logins, which run without privilege
// separation ("session signalling requires privilege separation").
func killJob(start starter, job string) {
	script := `for e in /proc/[0-9]*/environ; do grep -qsxzF '` + jobVar + "=" + job + `' "$e" || continue; ` +
		`p=${e#/proc/}; p=${p%/environ}; g=$(cut -d')' -f2- "/proc/$p/stat" | cut -d' ' -f4) && [ "$g" = "$p" ] && kill -9 "-$g"; done 2>/dev/null; true`
	proc, err := start("/bin/sh -c "+shell.Quote(script), false, io.Discard, io.Discard)
	if err != nil {
		return
	}
	proc.stdin.Close()
	done := make(chan struct{})
	go func() { proc.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(killJobWait):
		proc.kill()
	}
}

type exit struct {
	code int
	err  error
}

func waitFor(p *process, exited chan<- exit) {
	code, err := p.wait()
	p.stdin.Close()
	exited <- exit{code, err}
}

// escalate answers the become password prompt and waits for the success
// marker. It returns nil once the command runs as the become user; otherwise
// the command is ended and a *BecomeError (or the connection's error) returned.
// When the command exits, its exit is put back on exited for the caller.
func escalate(ctx context.Context, proc *process, w *watcher, exited chan exit, timeout time.Duration) error {
	esc := w.esc
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	sent := 0
	fail := func(msg string) error {
		proc.kill()
		return &BecomeError{Msg: msg}
	}
	for {
		select {
		case <-w.wake:
		case e := <-exited:
			st := w.state()
			switch {
			case st.succeeded:
				exited <- e
				return nil
			case e.err != nil:
				return e.err
			case st.incorrect:
				return &BecomeError{Msg: fmt.Sprintf("Incorrect %s password", esc.method)}
			case st.missing:
				return &BecomeError{Msg: fmt.Sprintf("Missing %s password", esc.method)}
			}
			msg := w.output()
			if msg == "" {
				msg = fmt.Sprintf("exit status %d", e.code)
			}
			return &BecomeError{Msg: fmt.Sprintf("privilege escalation with %s failed: %s", esc.method, msg),
				UnknownUser: strings.Contains(msg, "unknown user") || strings.Contains(msg, "does not exist")}
		case <-timer.C:
			return fail(fmt.Sprintf("Timeout (%ds) waiting for privilege escalation prompt: %s", int(timeout/time.Second), w.output()))
		case <-ctx.Done():
			proc.kill()
			return ctx.Err()
		}
		st := w.state()
		switch {
		case st.succeeded:
			return nil
		case st.incorrect:
			return fail(fmt.Sprintf("Incorrect %s password", esc.method))
		case st.missing:
			return fail(fmt.Sprintf("Missing %s password", esc.method))
		case st.prompts > sent && esc.password == "":
			return fail(fmt.Sprintf("Missing %s password", esc.method))
		case st.prompts > sent && sent > 0:
			// Asked again: the password given was refused.
			return fail(fmt.Sprintf("Incorrect %s password", esc.method))
		case st.prompts > sent:
			sent++
			if _, err := io.WriteString(proc.stdin, esc.password+"\n"); err != nil {
				return fail(fmt.Sprintf("cannot send the %s password: %v", esc.method, err))
			}
		}
	}
}

// feedStdin copies in to the command's standard input. On a pty the data is
// sent base64-encoded in lines and ended with a line holding a single dot
// (see buildPlan), since a pty cannot be half-closed; the pty is left open.
func feedStdin(stdin io.WriteCloser, in io.Reader, pty bool) {
	if !pty {
		if in != nil {
			io.Copy(stdin, in)
		}
		stdin.Close()
		return
	}
	if in == nil {
		return
	}
	enc := base64.NewEncoder(base64.StdEncoding, &lineWriter{w: stdin})
	io.Copy(enc, in)
	enc.Close()
	stdin.Write([]byte("\n.\n"))
}

// lineWriter breaks what is written to it into lines of 76 bytes, well under
// a terminal's line limit.
type lineWriter struct {
	w   io.Writer
	col int
}

func (l *lineWriter) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		chunk := min(len(b), 76-l.col)
		if _, err := l.w.Write(b[:chunk]); err != nil {
			return n, err
		}
		n += chunk
		l.col += chunk
		b = b[chunk:]
		if l.col == 76 {
			if _, err := l.w.Write([]byte("\n")); err != nil {
				return n, err
			}
			l.col = 0
		}
	}
	return n, nil
}
