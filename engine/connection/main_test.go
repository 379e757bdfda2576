package connection

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"gorun/test/labenv"
)

// lab is the lab of real sshd hosts the tests of this package share, or nil
// when labs cannot run here (the tests needing one are then skipped).
var lab *labenv.Lab

// labSkip says why lab is nil.
var labSkip error

// TestMain brings one lab up for the package, since starting hosts costs
// more than most tests, and gives the tests a home directory of their own so
// that this machine's ~/.ssh and ssh-agent play no part.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "conn-test-home-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("HOME", home)
	os.Unsetenv("SSH_AUTH_SOCK")
	if labSkip = labenv.Available(); labSkip == nil {
		// The t- prefix lets other tests' labenv.ForTest clean the lab up
		// should this process die before Down.
		name := "t-conn-" + strings.ToLower(rand.Text()[:6])
		if lab, err = labenv.Up(name, 3, labenv.Options{}); err != nil {
			fmt.Fprintf(os.Stderr, "bringing up lab %s: %v\n", name, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if lab != nil {
		if err := lab.Down(); err != nil {
			fmt.Fprintf(os.Stderr, "taking down lab %s: %v\n", lab.Name, err)
			code = 1
		}
	}
	os.RemoveAll(home)
	os.Exit(code)
}

// needLab returns the lab or skips the test.
func needLab(t testing.TB) *labenv.Lab {
	t.Helper()
	if lab == nil {
		t.Skip(labSkip)
	}
	return lab
}

// hostParams are the connection settings of a lab host for user, checking
// host keys against the lab's known_hosts.
func hostParams(t testing.TB, name, user string) Params {
	t.Helper()
	l := needLab(t)
	h, err := l.Host(name)
	if err != nil {
		t.Fatal(err)
	}
	return Params{
		Host:            name,
		Address:         h.Addr,
		User:            user,
		PrivateKeyFiles: []string{l.KeyFile},
		HostKeyChecking: true,
		SSHCommonArgs:   "-o UserKnownHostsFile=" + l.KnownHostsFile,
		Timeout:         10 * time.Second,
	}
}

// dial opens a connection with p, closed when the test ends.
func dial(t testing.TB, p Params) Conn {
	t.Helper()
	pool := NewPool()
	t.Cleanup(pool.CloseAll)
	c, err := pool.Get(context.Background(), p)
	if err != nil {
		t.Fatalf("connecting to %s: %v", p.Host, err)
	}
	return c
}

// run runs cmd on c and fails the test if it cannot be run.
func run(t testing.TB, c Conn, cmd string, opts ExecOptions) *ExecResult {
	t.Helper()
	res, err := c.Exec(context.Background(), cmd, opts)
	if err != nil {
		t.Fatalf("Exec(%q): %v", cmd, err)
	}
	return res
}

// output runs cmd, requires exit status 0 and returns its stdout.
func output(t testing.TB, c Conn, cmd string, opts ExecOptions) string {
	t.Helper()
	res := run(t, c, cmd, opts)
	if res.ExitCode != 0 {
		t.Fatalf("Exec(%q): exit status %d, stderr %q", cmd, res.ExitCode, res.Stderr)
	}
	return string(res.Stdout)
}

// onHost runs a shell command on a lab host as root, without SSH, for test
// setup.
func onHost(t testing.TB, host, script string) string {
	t.Helper()
	out, err := needLab(t).Exec(host, "/bin/sh", "-c", script)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
