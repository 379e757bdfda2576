package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorun/test/labenv"
)

// Options control a run of gorun or Ansible.
type Options struct {
	// Dir is the working directory (default: a new temporary directory).
	Dir string
	// Home is HOME (default: a new temporary directory), so that the
	// machine's ~/.ansible.cfg, ~/.ssh and ~/.ansible never take part.
	Home string
	// Env adds KEY=VALUE entries to the environment, replacing defaults
	// of the same key.
	Env []string
	// Stdin is fed to the command's standard input.
	Stdin string
	// Timeout kills the command after this long (default 10 minutes), so
	// a hang fails the test instead of stalling the suite.
	Timeout time.Duration
}

// Result is what a command did.
type Result struct {
	Stdout   string
	Stderr   string
	ExitCode int // -1 when killed by a signal or the timeout
	Duration time.Duration
}

// passedThrough are the variables of the test's environment that runs
// inherit; everything else (ANSIBLE_* of the developer's shell, SSH_AUTH_SOCK,
// ...) is left out.
var passedThrough = []string{"PATH", "TMPDIR", "USER", "LOGNAME", "GOCOVERDIR"}

// Env returns the environment of a run: PATH and a few other variables of
// the test's environment, LANG=C.UTF-8, an isolated HOME, Ansible's
// settings for tests (no colour, a private ANSIBLE_LOCAL_TEMP), and then
// opts.Env. gorun and Ansible get the same.
func Env(t testing.TB, opts Options) []string {
	t.Helper()
	home := opts.Home
	if home == "" {
		home = t.TempDir()
	}
	env := map[string]string{}
	var order []string
	set := func(kv string) {
		k, v, _ := strings.Cut(kv, "=")
		if _, ok := env[k]; !ok {
			order = append(order, k)
		}
		env[k] = v
	}
	for _, k := range passedThrough {
		if v, ok := os.LookupEnv(k); ok {
			set(k + "=" + v)
		}
	}
	for _, kv := range []string{
		"LANG=C.UTF-8",
		"HOME=" + home,
		"ANSIBLE_NOCOLOR=1",
		"ANSIBLE_FORCE_COLOR=0",
		"ANSIBLE_LOCAL_TEMP=" + filepath.Join(t.TempDir(), "ansible-local"),
		"ANSIBLE_RETRY_FILES_ENABLED=0",
	} {
		set(kv)
	}
	for _, kv := range opts.Env {
		set(kv)
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		out = append(out, k+"="+env[k])
	}
	return out
}

// Run runs bin with args in the environment of Env and returns what it
// did. A command that exits non-zero is a Result, not a test failure; a
// command that cannot start fails the test.
func Run(t testing.TB, bin string, args []string, opts Options) Result {
	t.Helper()
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 10 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = Env(t, opts)
	cmd.Dir = opts.Dir
	if cmd.Dir == "" {
		cmd.Dir = t.TempDir()
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Stdin = strings.NewReader(opts.Stdin)
	// A grandchild that keeps the output pipes open (an ssh master left
	// behind) must not hold up the test.
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String(), Duration: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	case errors.Is(err, exec.ErrWaitDelay):
		res.ExitCode = cmd.ProcessState.ExitCode()
	default:
		t.Fatalf("running %s %s: %v", bin, strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Errorf("%s %s: killed after %s", bin, strings.Join(args, " "), timeout)
	}
	return res
}

var ansibleInstall struct {
	once sync.Once
	err  error
}

// Ansible runs the real Ansible tool ("ansible-playbook", "ansible",
// "ansible-inventory", ...) with args, with default Options. It installs
// ansible-core with apt-get when the machine lacks it.
func Ansible(t testing.TB, tool string, args ...string) Result {
	t.Helper()
	return AnsibleWith(t, Options{}, tool, args...)
}

// AnsibleWith is Ansible with Options.
func AnsibleWith(t testing.TB, opts Options, tool string, args ...string) Result {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		ansibleInstall.once.Do(func() { ansibleInstall.err = labenv.AptInstall("ansible-core") })
		if ansibleInstall.err != nil {
			t.Fatal(ansibleInstall.err)
		}
	}
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("e2e: %s not found after installing ansible-core: %v", tool, err)
	}
	return Run(t, path, args, opts)
}
