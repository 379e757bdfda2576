package labenv

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// testPrefix starts the names of the labs ForTest makes; ForTest removes
// such labs whose test process is gone.
const testPrefix = "t-"

var namespaces struct {
	once sync.Once
	err  error
}

// Available reports why labs cannot run here, or nil if they can: it
// needs root and the right to make network, mount and pid namespaces.
func Available() error {
	namespaces.once.Do(func() {
		if os.Geteuid() != 0 {
			namespaces.err = fmt.Errorf("labenv: lab hosts need root (running as uid %d)", os.Geteuid())
			return
		}
		out, err := exec.Command("unshare", "--net", "--mount", "--uts", "--ipc", "--pid", "--fork", "true").CombinedOutput()
		if err != nil {
			namespaces.err = fmt.Errorf("labenv: cannot make namespaces: %v: %s", err, strings.TrimSpace(string(out)))
		}
	})
	return namespaces.err
}

var unsafeChars = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// ForTest brings up a lab of n hosts for the test t and takes it down when
// the test ends. The lab gets a name of its own (from the test's name), so
// tests may run in parallel with each other and with other labs. It skips
// the test when not running as root or when namespaces are not available,
// and fails it when the lab does not come up.
func ForTest(t testing.TB, n int) *Lab {
	t.Helper()
	return ForTestWith(t, n, Options{})
}

// ForTestWith is ForTest with Options.
func ForTestWith(t testing.TB, n int, opts Options) *Lab {
	t.Helper()
	if err := Available(); err != nil {
		t.Skip(err)
	}
	removeOrphanTestLabs(t)
	name := unsafeChars.ReplaceAllString(t.Name(), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	name = testPrefix + name + "-" + strings.ToLower(rand.Text()[:6])
	l, err := Up(name, n, opts)
	if err != nil {
		t.Fatalf("bringing up lab %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := l.Down(); err != nil {
			t.Errorf("taking down lab %s: %v", name, err)
		}
	})
	return l
}

// removeOrphanTestLabs takes down the labs of test processes that died
// before their cleanup ran.
func removeOrphanTestLabs(t testing.TB) {
	names, err := Names()
	if err != nil {
		return
	}
	for _, name := range names {
		if !strings.HasPrefix(name, testPrefix) {
			continue
		}
		l, err := readState(name)
		if err != nil || l.Owner <= 0 || syscall.Kill(l.Owner, 0) == nil {
			continue
		}
		t.Logf("taking down lab %s left by dead test process %d", name, l.Owner)
		if err := Down(name); err != nil {
			t.Logf("taking down lab %s: %v", name, err)
		}
	}
}
