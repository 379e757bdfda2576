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
// attribute scripts): each runs in a subshell of that shell instead of in
// a new SSH session, which saves the host the session's set-up, the login
// shell and the /bin/sh -c (each about as much as a short script itself
// costs).
//
// RunQuick has Exec's results for a script run with no standard input, no
// become and no environment: the same stdout, stderr and exit status (a
// script killed by a signal gives 128 + the signal's number, as Exec).
// The script must not leave processes behind that keep its output open,
// and must not take $$ for its own process id: it is the kept shell's,
// the same for every script (remotefile.OwnPID reads the script's own).
// When the kept shell is busy or cannot be used, the script runs through
// Exec.
type QuickRunner interface {
	RunQuick(ctx context.Context, script string) (*ExecResult, error)
}

// CommandRunner is implemented by connections that can run users'
// commands (the command and shell modules' scripts) from the kept shell of
// QuickRunner, sparing the host a new session and a login shell per
// command, with what a new session gives them: the login environment, the
// home directory as working directory, no terminal, a session and process
// group of their own (with setsid, where the host has it), and an end only
// when the command has exited and its stdout and stderr have been closed by
// every process holding them (a background process the command started
// keeps the run waiting, as it keeps an SSH session open). Standard input
// is /dev/null.
//
// RunCommand has Exec's results for a command run with no standard input,
// no become and no environment. When the kept shell is busy or cannot be
// used, the command runs through Exec; once the command was sent, it is
// never sent again (a broken shell or link is an error, as for Exec).
//
// The script runs in a subshell of the kept shell, as RunQuick's do, and
// starts the user's program with `exec NewSession PROGRAM...`: in the kept
// shell that is setsid, which gives the program the session of its own a
// new SSH session would; through Exec (where sshd made the session) it is
// nothing.
type CommandRunner interface {
	RunCommand(ctx context.Context, cmd string) (*ExecResult, error)
}

// NewSession goes between exec and the program in CommandRunner scripts.
const NewSession = "${gorun_setsid-}"

// keptShell is a /bin/sh reading commands from an SSH session's stdin.
type keptShell struct {
	link   *link
	sess   *ssh.Session
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *bufio.Reader
	// pid is the shell's process id, which is also its process group's
	// (sshd makes it a session leader): killKept ends the group.
	pid int
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
	// stderr is the session's, kept on descriptor 3. The login shell starts
	// it as Exec's command lines start /bin/sh -c, so that the scripts get
	// the environment Exec's would (bash's exec builtin, say, would not set
	// $_ as a plain command does).
	// It says its process id first.
	if err := sess.Start(`/bin/sh -c 'echo $$; exec /bin/sh 3>&2 2>/dev/null'`); err != nil {
		sess.Close()
		return nil, err
	}
	// Users' commands start in a session of their own where setsid exists.
	if _, err := io.WriteString(stdin, "command -v setsid >/dev/null 2>&1 && gorun_setsid=setsid || gorun_setsid=\n"); err != nil {
		sess.Close()
		return nil, err
	}
	k := &keptShell{link: l, sess: sess, stdin: stdin,
		stdout: bufio.NewReader(stdout), stderr: bufio.NewReader(stderr)}
	line, err := k.stdout.ReadString('\n')
	if err == nil {
		k.pid, err = strconv.Atoi(strings.TrimSpace(line))
	}
	if err != nil {
		sess.Close()
		return nil, fmt.Errorf("the kept shell did not start: %v", err)
	}
	return k, nil
}

func (k *keptShell) close() {
	k.stdin.Close()
	k.sess.Close()
}

// run runs script as Exec does, whose environment carries job (see
// killKept); a random marker, printed to both streams after it, ends its
// output and carries its exit status.
//
// The script runs in a subshell of the kept shell, as the body of a
// function: a new /bin/sh would cost the host an exec (about four times
// what the fork of the subshell costs), and a function, unlike eval, runs
// its commands with the messages a /bin/sh -c gives (eval's name in front
// of every "not found"). The subshell takes the script's descriptors itself
// (dash would otherwise hold them while it waits and write its own messages
// about the script to the script's stderr) and drops the kept shell's
// variables; the function's first command drops the function. It is
// defined inside an if, so that its whole text is parsed before anything
// of it runs: a script that is no valid function body (a syntax error)
// makes "command eval" fail without ending the subshell, and runs in a new
// /bin/sh -c as through Exec, which reports the error as Exec does. What
// differs from Exec is $$ (the kept shell's id, not the script's own) and
// "local" outside a function, which a function allows.
func (k *keptShell) run(ctx context.Context, script, job string) (*ExecResult, error) {
	mark := "GORUN-END-" + randomID()
	cmd := fmt.Sprintf(`( exec </dev/null 2>&3 3>&-; unset gorun_setsid; %s ); printf '\n%s %%s\n' "$?"; printf '\n%s\n' >&3
`, asFunction(script, job, "/bin/sh -c"), mark, mark)
	res, err := k.exchange(ctx, cmd, mark)
	if err != nil {
		return nil, err
	}
	code, err := strconv.Atoi(res.last)
	if err != nil {
		return nil, err
	}
	res.ExitCode = code
	return &res.ExecResult, nil
}

// asFunction is the commands that run script in the current subshell as
// the body of a function (see run), with job in the environment; a script
// that is no valid function body runs as `exec shellCmd "$script"` instead.
func asFunction(script, job, shellCmd string) string {
	return fmt.Sprintf(`%s=%s; export %s; gorun_s=%s
command eval "if :; then gorun_f() { unset -f gorun_f; $gorun_s
}; fi" 2>/dev/null || exec %s "$gorun_s"; unset gorun_s; gorun_f`, jobVar, job, jobVar, shell.Quote(script), shellCmd)
}

// exchanged is what exchange read: the output and the rest of stdout's
// marker line.
type exchanged struct {
	ExecResult
	last string
}

// exchange writes cmd to the shell and reads both streams up to mark.
func (k *keptShell) exchange(ctx context.Context, cmd, mark string) (*exchanged, error) {
	if _, err := io.WriteString(k.stdin, cmd); err != nil {
		return nil, err
	}
	type read struct {
		out  []byte
		last string
		err  error
	}
	outc, errc := make(chan read, 1), make(chan read, 1)
	go func() {
		out, last, err := readUntil(k.stdout, mark+" ")
		outc <- read{out, strings.TrimSpace(last), err}
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
	return &exchanged{ExecResult{Stdout: o.out, Stderr: e.out}, o.last}, nil
}

// runCommand runs a user's command (see CommandRunner) in a subshell, as
// run runs scripts (which saves the host the exec of a /bin/sh -c), whose
// environment carries job; NewSession is setsid there (a script that is no
// valid function body runs in a /bin/sh -c started by setsid). Its stdout
// and stderr pass through a cat each, which end only when every process
// holding the stream has closed it; the exit status goes down the stdout
// pipe after the command's own output, on a line of a random marker of its
// own, and is taken out of it again.
func (k *keptShell) runCommand(ctx context.Context, script, job string) (*ExecResult, error) {
	mark := "GORUN-END-" + randomID()
	rcMark := "GORUN-RC-" + randomID()
	cmd := fmt.Sprintf("{ { ( exec </dev/null 3>&- 4>&-; %s ) 2>&1 >&4; "+
		"printf '\\n%s %%s\\n' \"$?\" >&4; } | cat >&3; } 4>&1 | cat; printf '\\n%s \\n'; printf '\\n%s\\n' >&3\n",
		asFunction(script, job, "$gorun_setsid /bin/sh -c"), rcMark, mark, mark)
	res, err := k.exchange(ctx, cmd, mark)
	if err != nil {
		return nil, err
	}
	at := bytes.LastIndex(res.Stdout, []byte("\n"+rcMark+" "))
	if at < 0 {
		return nil, errors.New("the command's exit status is missing from its output")
	}
	rest := res.Stdout[at+len(rcMark)+2:]
	line, after, _ := bytes.Cut(rest, []byte("\n"))
	code, err := strconv.Atoi(string(line))
	if err != nil {
		return nil, fmt.Errorf("the command's exit status %q: %v", line, err)
	}
	res.Stdout = append(res.Stdout[:at:at], after...)
	res.ExitCode = code
	return &res.ExecResult, nil
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
	res, used, _, err := c.inKept(ctx, func(k *keptShell, job string) (*ExecResult, error) {
		return k.run(ctx, script, job)
	})
	if !used || (err != nil && ctx.Err() == nil) {
		// Not run, or the shell or the link broke: Exec reconnects, or
		// says the host is unreachable.
		return c.Exec(ctx, script, ExecOptions{})
	}
	return res, err
}

// RunCommand runs a user's command in the connection's kept shell (see
// CommandRunner).
func (c *sshConn) RunCommand(ctx context.Context, cmd string) (*ExecResult, error) {
	res, used, l, err := c.inKept(ctx, func(k *keptShell, job string) (*ExecResult, error) {
		return k.runCommand(ctx, cmd, job)
	})
	switch {
	case !used:
		return c.Exec(ctx, cmd, ExecOptions{})
	case err == nil || ctx.Err() != nil:
		return res, err
	case c.linkFailed(l, err):
		// The command may have run: it is not run again.
		return nil, &UnreachableError{Host: c.host, Err: fmt.Errorf("Connection to %s closed while a command was running (%v)", c.s.hostName, err)}
	}
	return nil, fmt.Errorf("the shell running the command on %s ended (%v)", c.host, err)
}

// inKept runs one exchange in the kept shell, with a new job id. used is
// false, and nothing was sent, when the shell is busy or cannot be had. A
// failed exchange closes the shell (l is its link); a cancelled one also
// ends what it left running and returns ctx.Err().
func (c *sshConn) inKept(ctx context.Context, exchange func(k *keptShell, job string) (*ExecResult, error)) (res *ExecResult, used bool, l *link, err error) {
	if !c.kept.mu.TryLock() {
		return nil, false, nil, nil
	}
	defer c.kept.mu.Unlock()
	k := c.keptShell(ctx)
	if k == nil {
		return nil, false, nil, nil
	}
	job := randomID()
	if res, err = exchange(k, job); err == nil {
		return res, true, k.link, nil
	}
	k.close()
	c.kept.shell = nil
	if ctx.Err() != nil {
		c.killKept(job, k.pid)
		return nil, true, k.link, ctx.Err()
	}
	return nil, true, k.link, err
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

// killKept ends what is left of a cancelled script of the kept shell at
// pid: the shell's process group (its own, or its login shell's where that
// did not exec it), which holds its quick scripts' subshells and what they
// started, and every process whose environment carries the script's job
// marker (users' commands, in sessions of their own).
func (c *sshConn) killKept(job string, pid int) {
	script := fmt.Sprintf(`g=$(cut -d')' -f2- /proc/%d/stat | cut -d' ' -f4) && [ "$g" -gt 1 ] && kill -9 "-$g"; `, pid) +
		`for e in /proc/[0-9]*/environ; do grep -qsxzF '` + jobVar + "=" + job + `' "$e" || continue; ` +
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
