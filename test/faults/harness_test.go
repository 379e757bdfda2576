package faults

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// slowEnv is the variable that turns the slow suites on; `make test-slow`
// (which `make test` runs) sets it.
const slowEnv = "GORUN_SLOW_TESTS"

// skipUnlessSlow skips t unless the slow suites were asked for.
func skipUnlessSlow(t *testing.T) {
	t.Helper()
	if os.Getenv(slowEnv) == "" {
		t.Skipf("slow suite: set %s=1 (make test-slow)", slowEnv)
	}
}

// faultLab is a lab whose inventory notices a dead link within seconds:
// keepalives every second, three missed ones end the connection.
type faultLab struct {
	*labenv.Lab
	dir   string // holds the inventory and the playbooks
	inv   string
	gorun string
}

func newFaultLab(t *testing.T, n int) *faultLab {
	lab := labenv.ForTest(t, n)
	inv, err := lab.Inventory("ini", "root")
	if err != nil {
		t.Fatal(err)
	}
	inv += "ansible_ssh_extra_args='-o ServerAliveInterval=1 -o ServerAliveCountMax=3'\n"
	// ansible-playbook's ssh control sockets live under HOME and must fit
	// a socket path: a test's TempDir is too long.
	dir, err := os.MkdirTemp("", "faults")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "hosts")
	if err := os.WriteFile(path, []byte(inv), 0o644); err != nil {
		t.Fatal(err)
	}
	return &faultLab{Lab: lab, dir: dir, inv: path, gorun: e2e.Gorun(t)}
}

// write puts a file into the lab's playbook directory.
func (f *faultLab) write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(f.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs gorun with the lab's inventory to the end.
func (f *faultLab) run(t *testing.T, args ...string) e2e.Result {
	t.Helper()
	return e2e.Run(t, f.gorun, append([]string{"-i", f.inv}, args...), e2e.Options{Dir: f.dir})
}

// ansible runs ansible-playbook with the lab's inventory.
func (f *faultLab) ansible(t *testing.T, args ...string) e2e.Result {
	t.Helper()
	return e2e.AnsibleWith(t, e2e.Options{Dir: f.dir, Home: f.dir}, "ansible-playbook", append([]string{"-i", f.inv}, args...)...)
}

// background is a gorun run that goes on while the test injects a fault.
type background struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

// start starts gorun with the lab's inventory and returns at once.
func (f *faultLab) start(t *testing.T, args ...string) *background {
	t.Helper()
	b := &background{cmd: exec.Command(f.gorun, append([]string{"-i", f.inv}, args...)...)}
	b.cmd.Env = e2e.Env(t, e2e.Options{})
	b.cmd.Dir = f.dir
	b.cmd.Stdout, b.cmd.Stderr = &b.stdout, &b.stderr
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b.cmd.ProcessState == nil {
			b.cmd.Process.Kill()
			b.cmd.Wait()
		}
	})
	return b
}

// wait waits for the run to end, bounded so that a hang fails the test.
func (b *background) wait(t *testing.T) e2e.Result {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		b.cmd.Process.Kill()
		<-done
		t.Fatalf("gorun did not end after the fault\n%s%s", b.stdout.String(), b.stderr.String())
	}
	code := b.cmd.ProcessState.ExitCode()
	return e2e.Result{Stdout: b.stdout.String(), Stderr: b.stderr.String(), ExitCode: code}
}

// interrupt sends SIGINT to the run, as Ctrl-C would.
func (b *background) interrupt(t *testing.T) {
	t.Helper()
	if err := b.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds; it is how a test waits for a state
// of a host (a file appeared, a process ended), never a fixed sleep. The
// bound only turns a state that never comes into a failure.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("gave up waiting until %s", what)
}

// sh runs a shell command inside host (without SSH) and returns its output.
func (f *faultLab) sh(t *testing.T, host, script string) string {
	t.Helper()
	out, err := f.Exec(host, "/bin/sh", "-c", script)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// fileSize is the size of the largest file matching glob on host (-1 when
// none does).
func (f *faultLab) fileSize(t *testing.T, host, glob string) int {
	out := strings.TrimSpace(f.sh(t, host, "stat -c %s "+glob+" 2>/dev/null | sort -n | tail -1"))
	if out == "" {
		return -1
	}
	n, _ := strconv.Atoi(out)
	return n
}

// tempFiles lists gorun's temporary files (of remotefile.Write) left in dir on host.
func (f *faultLab) tempFiles(t *testing.T, host, dir string) string {
	return strings.TrimSpace(f.sh(t, host, "ls -A "+dir+" | grep '^\\.gorun_tmp' || true"))
}

// killSSHD kills every sshd process of host: the listener and the
// sessions, as when the daemon crashes or the host is shutting down.
func (f *faultLab) killSSHD(t *testing.T, host string) {
	t.Helper()
	f.sh(t, host, "kill -9 $(pidof sshd sshd-session) 2>/dev/null; true")
}

// Recap is one host's line of a PLAY RECAP.
type Recap struct {
	OK, Changed, Unreachable, Failed, Skipped, Rescued, Ignored int
}

var recapLine = regexp.MustCompile(`(?m)^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)`)

// recaps parses the PLAY RECAP of a run by host.
func recaps(out string) map[string]Recap {
	res := map[string]Recap{}
	for _, m := range recapLine.FindAllStringSubmatch(out, -1) {
		n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
		res[m[1]] = Recap{n(2), n(3), n(4), n(5), n(6), n(7), n(8)}
	}
	return res
}

// wantRecap checks the recap of every host named in want.
func wantRecap(t *testing.T, res e2e.Result, want map[string]Recap) {
	t.Helper()
	got := recaps(res.Stdout)
	for host, w := range want {
		if got[host] != w {
			t.Errorf("recap of %s: got %+v, want %+v\n%s%s", host, got[host], w, res.Stdout, res.Stderr)
		}
	}
}

// wantExit checks a run's exit code.
func wantExit(t *testing.T, res e2e.Result, code int) {
	t.Helper()
	if res.ExitCode != code {
		t.Errorf("exit code %d, want %d\n%s%s", res.ExitCode, code, res.Stdout, res.Stderr)
	}
}
