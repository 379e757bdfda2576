package connection

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"gorun/engine/shell"
)

// asExecScripts are scripts whose stdout, stderr and exit status must be
// the same from the kept shell as through Exec.
var asExecScripts = []string{
	"echo out; echo err >&2",
	"printf 'no last newline'; printf 'err too' >&2",
	"printf '\\n\\n'; printf '\\n' >&2",
	"",
	"exit 3",
	"echo before; exit 255",
	"false",
	"nosuchcommand-gorun",
	"echo 'unbalanced",               // a syntax error
	"sh -c 'kill -TERM $$'; echo $?", // a child killed by a signal
	"exec sh -c 'kill -KILL $$'",     // the script itself killed
	"cat; echo read $?",              // stdin is at its end at once
	"seq 1 200000; seq 1 100000 >&2", // more than the channel's window on both streams
}

// sameAsExec runs each script through Exec and through via: the results
// must agree.
func sameAsExec(t *testing.T, c Conn, name string, scripts []string, via func(string) (*ExecResult, error)) {
	t.Helper()
	for _, s := range scripts {
		want := run(t, c, s, ExecOptions{})
		got, err := via(s)
		if err != nil {
			t.Fatalf("%s(%q): %v", name, s, err)
		}
		if got.ExitCode != want.ExitCode || string(got.Stdout) != string(want.Stdout) || string(got.Stderr) != string(want.Stderr) {
			t.Errorf("%q:\n%s: exit %d stdout %q stderr %q\nExec: exit %d stdout %q stderr %q",
				s, name, got.ExitCode, short(got.Stdout), short(got.Stderr), want.ExitCode, short(want.Stdout), short(want.Stderr))
		}
	}
}

// TestRunQuickAsExec runs scripts both in the kept shell and through Exec:
// stdout, stderr and exit status must be the same.
func TestRunQuickAsExec(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	q, ok := c.(QuickRunner)
	if !ok {
		t.Fatalf("%T is no QuickRunner", c)
	}
	scripts := append([]string{
		"x=1; cd /tmp; umask 077; set -f",    // nothing of this lasts...
		`echo "${x:-unset} $(pwd) $(umask)"`, // ...into the next script
		"p=/etc/passwd\n[ -f \"$p\" ] && echo yes\nstat -c %n -- \"$p\"",
		// The shell's own messages, with their line numbers.
		"echo a\nnosuch-gorun-2\necho b > /nonexistent-gorun/x\necho c; cd /nonexistent-gorun",
		"set -u; echo $gorun_unset_var",
		"trap 'echo bye; exit 4' EXIT; echo hi; false",
		"echo a\n}\necho b",            // a stray brace: a syntax error after output
		"echo a; if true; then echo b", // the end is missing
		"# only a comment",
		"echo \"$gorun_setsid-$gorun_s-$(type gorun_f >/dev/null 2>&1 && echo f)\"", // nothing of the kept shell's
	}, asExecScripts...)
	sameAsExec(t, c, "RunQuick", scripts, func(s string) (*ExecResult, error) { return q.RunQuick(context.Background(), s) })
}

// TestRunQuickConcurrent runs scripts from several goroutines at once: the
// ones that find the kept shell busy go through Exec, and each gets its
// own output.
func TestRunQuickConcurrent(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	q := c.(QuickRunner)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				res, err := q.RunQuick(context.Background(), fmt.Sprintf("echo %d-%d; echo e%d >&2; exit %d", i, j, i, j))
				if err != nil {
					t.Error(err)
					return
				}
				if string(res.Stdout) != fmt.Sprintf("%d-%d\n", i, j) || string(res.Stderr) != fmt.Sprintf("e%d\n", i) || res.ExitCode != j {
					t.Errorf("script %d-%d: stdout %q stderr %q exit %d", i, j, res.Stdout, res.Stderr, res.ExitCode)
				}
			}
		}(i)
	}
	wg.Wait()
}

// TestRunQuickCancel ends a script that hangs when its context is done;
// the script's processes are killed and the next script runs.
func TestRunQuickCancel(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	q := c.(QuickRunner)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		// The script goes on after the sleep: it must end too, or it
		// starts the next (its stderr is no longer the session's, whose
		// closing would end it when it reports the killed sleep).
		_, err := q.RunQuick(ctx, "echo started; exec 2>/dev/null; sleep 1000; exec sleep 1001")
		done <- err
	}()
	// Wait until the sleep runs, then cancel.
	for i := 0; ; i++ {
		out := output(t, c, "pgrep -x -f 'sleep 1000' || true", ExecOptions{})
		if strings.TrimSpace(out) != "" {
			break
		}
		if i == 200 {
			t.Fatal("the script's sleep never started")
		}
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("RunQuick after cancel: %v, want context.Canceled", err)
	}
	if out := output(t, c, "pgrep -x -f 'sleep 1000' || echo none", ExecOptions{}); strings.TrimSpace(out) != "none" {
		t.Errorf("the cancelled script's sleep still runs: pid %s", out)
	}
	res, err := q.RunQuick(context.Background(), "echo again")
	if err != nil || string(res.Stdout) != "again\n" {
		t.Fatalf("RunQuick after a cancelled one: %v, %q", err, res.Stdout)
	}
	if out := output(t, c, "pgrep -x -f 'sleep 1001' || echo none", ExecOptions{}); strings.TrimSpace(out) != "none" {
		t.Errorf("the cancelled script went on: pid %s", out)
	}
}

func short(b []byte) string {
	if len(b) > 200 {
		return string(b[:100]) + "..." + string(b[len(b)-100:])
	}
	return string(b)
}

// TestRunCommandAsExec runs users' commands both from the kept shell and
// through Exec: stdout, stderr and exit status must be the same, including
// for commands that leave a process holding their output (both wait for
// it), kill their own process group, or look at their environment,
// directory, limits and session.
func TestRunCommandAsExec(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	r, ok := c.(CommandRunner)
	if !ok {
		t.Fatalf("%T is no CommandRunner", c)
	}
	scripts := append([]string{
		// The environment (but for the job marker and the client's port),
		// the directory, umask, limits and open descriptors.
		"env | grep -v -e ^GORUN_JOB= -e ^SSH_C | sort; pwd; umask; ulimit -a; ls /proc/self/fd | wc -l",
		// A session and process group of its own, no terminal.
		`[ "$(cut -d' ' -f6 /proc/$$/stat)" = $$ ] && echo own session; tty; echo $?`,
		"kill 0; echo not reached",
		// A background process keeps the output open: both wait for it.
		"(sleep 0.3; echo late; echo late-err >&2) & echo now",
		"(sleep 0.3; echo late-err >&2) >/dev/null & echo now",
		"echo GORUN-RC-x 0; echo GORUN-END-y",
	}, asExecScripts...)
	// As the command module starts them: the program through NewSession,
	// after a few commands of the script's own.
	for i, s := range scripts {
		scripts[i] = "x=1; exec " + NewSession + " /bin/sh -c " + shell.Quote(s)
	}
	sameAsExec(t, c, "RunCommand", scripts, func(s string) (*ExecResult, error) { return r.RunCommand(context.Background(), s) })
	// The kept shell is still the same one: none of the commands ended it.
	q := c.(QuickRunner)
	a, err1 := q.RunQuick(context.Background(), "echo $PPID")
	b, err2 := q.RunQuick(context.Background(), "echo $PPID")
	if err1 != nil || err2 != nil || string(a.Stdout) != string(b.Stdout) {
		t.Errorf("the kept shell changed: %v %v %q %q", err1, err2, a.Stdout, b.Stdout)
	}
}
