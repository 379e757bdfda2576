package commands

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/engine/value"
	"gorun/modules/internal/remotecmd"
)

// expectModule is ansible.builtin.expect: a command run on a terminal whose
// prompts are answered. Ansible's module runs pexpect on the target; gorun
// runs the command on a pty there (util-linux's script, part of every
// Debian system) and does pexpect.run's work on the controller: it reads
// the output as it arrives, looks for the questions and writes the answers.
type expectModule struct{}

func init() { module.Register(expectModule{}) }

func (expectModule) Doc() *module.Doc { return expectDoc }

// question is one key of responses: a regular expression and its answers.
type question struct {
	text    string
	re      *regexp.Regexp
	answers []string // each with its newline
	list    bool     // successive answers (a list), not one repeated
	next    int
}

func (expectModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	command := a.String("command")
	questions, err := readQuestions(a["responses"])
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	if strings.TrimSpace(command) == "" {
		return module.Result{"failed": true, "rc": 256, "msg": "no command given"}, nil
	}
	argv, err := shell.Split(command)
	if err != nil || len(argv) == 0 {
		return module.Failed(fmt.Sprintf("cannot split the command %q: %v", command, err)), nil
	}
	dir, skip, err := expectPreflight(ctx, call.Conn, a, argv[0])
	if err != nil {
		return nil, err
	}
	switch {
	case skip == "notfound":
		return module.Failed(fmt.Sprintf("The command was not found or was not executable: %s.", argv[0])), nil
	case strings.HasPrefix(skip, "nochdir "):
		return module.Failed(fmt.Sprintf("[Errno 2] No such file or directory: '%s'", strings.TrimPrefix(skip, "nochdir "))), nil
	case skip != "":
		return remotecmd.WithLines(module.Result{"cmd": command, "stdout": skip, "changed": false, "rc": 0}), nil
	}

	var timeout time.Duration = -1 // no timeout: timeout: null
	if a.Has("timeout") {
		timeout = time.Duration(a.Int("timeout")) * time.Second
	}
	inner := "exec " + shell.Join(argv)
	if !a.Bool("echo") {
		// pexpect turns the terminal's echo off before it runs the command.
		inner = "stty -echo 2>/dev/null; " + inner
	}
	line := fmt.Sprintf("cd %s && SHELL=/bin/sh exec script -q -e -c %s /dev/null", shell.Quote(dir), shell.Quote(inner))
	start := time.Now()
	out, rc, failMsg, err := converse(ctx, call.Conn, line, questions, timeout)
	end := time.Now()
	if err != nil {
		return nil, err
	}
	if failMsg != "" {
		return module.Failed(failMsg), nil
	}
	res := module.Result{
		"cmd":     command,
		"stdout":  strings.TrimRight(out, "\r\n"),
		"rc":      rc,
		"start":   pyTime(start),
		"end":     pyTime(end),
		"delta":   pyDelta(end.Sub(start)),
		"changed": true,
	}
	switch {
	case rc == nil:
		res["failed"], res["msg"] = true, "command exceeded timeout"
	case rc != 0:
		res["failed"], res["msg"] = true, "non-zero return code"
	}
	return remotecmd.WithLines(res), nil
}

// readQuestions reads responses in the order given (pexpect prefers, of
// two questions matching at the same place, the first).
func readQuestions(responses any) ([]*question, error) {
	var qs []*question
	for _, k := range value.Keys(responses) {
		v, _ := value.Lookup(responses, k)
		// pexpect compiles the questions with re.DOTALL.
		re, err := regexp.Compile("(?s)" + k)
		if err != nil {
			return nil, fmt.Errorf("responses: the question %q is not a regular expression gorun can read: %v", k, err)
		}
		q := &question{text: k, re: re}
		if list, ok := v.([]any); ok {
			q.list = true
			for _, r := range list {
				q.answers = append(q.answers, strings.TrimRight(pytext.Str(r), "\n")+"\n")
			}
		} else {
			q.answers = []string{strings.TrimRight(pytext.Str(v), "\n") + "\n"}
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// expectPreflight changes to chdir and checks creates, removes and that
// the command exists, in one round trip. It returns the directory to run
// in and, when the command must not run, why: Ansible's "skipped, since
// ..." text, "notfound" or "nochdir DIR".
func expectPreflight(ctx context.Context, conn connection.Conn, a module.Args, program string) (string, string, error) {
	var b strings.Builder
	if d := a.String("chdir"); d != "" {
		fmt.Fprintf(&b, "d=%s\ncd \"$d\" 2>/dev/null || { printf 'nochdir %%s\\n' \"$d\"; exit 0; }\n", expandPath(d))
	} else {
		// The module runs in the directory Ansible starts modules in.
		b.WriteString("cd ~ 2>/dev/null\n")
	}
	if c := a.String("creates"); c != "" {
		fmt.Fprintf(&b, "c=%s\nif [ -e \"$c\" ]; then printf 'skipped, since %%s exists\\n' \"$c\"; exit 0; fi\n", expandPath(c))
	}
	if r := a.String("removes"); r != "" {
		fmt.Fprintf(&b, "r=%s\nif [ ! -e \"$r\" ]; then printf 'skipped, since %%s does not exist\\n' \"$r\"; exit 0; fi\n", expandPath(r))
	}
	fmt.Fprintf(&b, "e=%s\n%sif [ -z \"$e\" ] || [ -d \"$e\" ] || [ ! -x \"$e\" ]; then echo notfound; exit 0; fi\necho \"run $(pwd)\"\n", shell.Quote(program), pathSearch)
	res, err := conn.Exec(ctx, b.String(), connection.ExecOptions{})
	if err != nil {
		return "", "", err
	}
	out := strings.TrimRight(string(res.Stdout), "\n")
	if dir, ok := strings.CutPrefix(out, "run "); ok {
		return dir, "", nil
	}
	if out == "" {
		return "", "", fmt.Errorf("expect: the check before the command printed nothing (rc=%d): %s", res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
	return "", out, nil
}

// converse runs line and answers its questions as pexpect.run does: the
// output is searched for the question that matches earliest; the output up
// to the end of the match is kept and the answer written; the wait for a
// question is bounded by timeout (negative: none). It returns the output,
// the exit status (nil when the command was stopped for taking too long)
// and, when a list of answers ran out, the module's failure message.
func converse(ctx context.Context, conn connection.Conn, line string, qs []*question, timeout time.Duration) (string, any, string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stdinR, stdinW := io.Pipe()
	defer stdinW.Close()
	out := &streamBuffer{arrived: make(chan struct{}, 1)}
	type exit struct {
		res *connection.ExecResult
		err error
	}
	exited := make(chan exit, 1)
	go func() {
		res, err := conn.Exec(ctx, line, connection.ExecOptions{Stdin: stdinR, Stdout: out, Stderr: out})
		exited <- exit{res, err}
	}()

	var kept strings.Builder // pexpect's child_result_list, joined
	pending := ""            // output not yet matched
	var timer <-chan time.Time
	resetTimer := func() {
		if timeout >= 0 {
			timer = time.After(timeout)
		}
	}
	resetTimer()
	// answer matches the questions against pending output and answers
	// each match; it returns a failure message when answers ran out.
	answer := func() string {
		for {
			q, end := earliestMatch(qs, pending)
			if q == nil {
				return ""
			}
			seen := pending[:end]
			kept.WriteString(seen)
			pending = pending[end:]
			if q.next >= len(q.answers) {
				return fmt.Sprintf("No remaining responses for '%s', output was '%s'", q.text, pyBytes(seen))
			}
			stdinW.Write([]byte(q.answers[q.next]))
			if q.list {
				q.next++
			}
			resetTimer()
		}
	}
	for {
		select {
		case <-out.arrived:
			pending += out.take()
			if msg := answer(); msg != "" {
				return "", nil, msg, nil
			}
		case e := <-exited:
			if e.err != nil {
				if ctx.Err() != nil && e.res == nil {
					return kept.String() + pending, nil, "", nil
				}
				return "", nil, "", e.err
			}
			pending += out.take()
			if msg := answer(); msg != "" {
				return "", nil, msg, nil
			}
			kept.WriteString(pending)
			return kept.String(), e.res.ExitCode, "", nil
		case <-timer:
			pending += out.take()
			kept.WriteString(pending)
			cancel()
			<-exited
			return kept.String(), nil, "", nil
		}
	}
}

// earliestMatch is the question whose match starts first in s (the first
// question on a tie), as pexpect's searcher_re picks it, and the end of its
// match.
func earliestMatch(qs []*question, s string) (*question, int) {
	var best *question
	bestStart, bestEnd := -1, 0
	for _, q := range qs {
		loc := q.re.FindStringIndex(s)
		if loc == nil {
			continue
		}
		if best == nil || loc[0] < bestStart {
			best, bestStart, bestEnd = q, loc[0], loc[1]
		}
	}
	return best, bestEnd
}

// streamBuffer collects output as it arrives and signals each arrival.
type streamBuffer struct {
	mu      sync.Mutex
	buf     strings.Builder
	arrived chan struct{}
}

func (s *streamBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.buf.Write(p)
	s.mu.Unlock()
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	return len(p), nil
}

// take returns what arrived since the last call.
func (s *streamBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.buf.String()
	s.buf.Reset()
	return t
}
