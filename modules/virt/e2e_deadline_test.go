package virt

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// Deadlines of the end-to-end test's steps. Each is several times what the
// step takes on a 2-core machine under load (README.md has the timings), so
// that only a step that is stuck runs into one; it then fails with the
// diagnostics of e2eGuest.diagnose instead of holding up the suite until
// go test's own timeout.
const (
	buildDeadline     = 6 * time.Minute  // apt-get download, initrd, mke2fs, qemu-img
	setupDeadline     = time.Minute      // one libvirt call or lab command while setting up
	provisionDeadline = 10 * time.Minute // vm-provision.yml: upload, define, boot under TCG, SSH (waits 7)
	migrateDeadline   = 5 * time.Minute  // vm-migrate.yml: stop, stream ~30 MB, verify, start
	checkDeadline     = 9 * time.Minute  // check.yml: the second boot, SSH through the lab host (waits 7)
	backupDeadline    = 5 * time.Minute  // vm-backup.yml: snapshot, stream, block commit
	verifyDeadline    = 2 * time.Minute  // sha256sum, qemu-img convert, debugfs on the backup
	cleanupDeadline   = 30 * time.Second // each cleanup call; a stuck one is logged and left
	diagnoseDeadline  = 15 * time.Second // each command that collects diagnostics
)

// within runs fn and waits at most limit for it. fn runs in a goroutine of
// its own, so a call that never returns (a libvirt RPC whose daemon stopped
// answering) is left behind instead of blocking the test; its error, or a
// timeout error naming what was waited for, is returned.
func within(limit time.Duration, what string, fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		return fmt.Errorf("%s: no answer after %s", what, limit)
	}
}

// commandOutput runs argv with a deadline and returns its combined output;
// a command still running at the deadline is killed.
func commandOutput(limit time.Duration, argv ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s: killed after %s", strings.Join(argv, " "), limit)
	}
	return string(out), err
}

// e2eGuest is what the end-to-end test knows about its guest, for
// diagnostics: its name, the lab host it may have moved to, and the file
// on each KVM host that keeps its serial console.
type e2eGuest struct {
	name       string
	lab        *labenv.Lab // nil until the lab is up
	labHost    string
	consoleLog string
}

// labOutput runs a shell command inside the lab host with a deadline.
func (g *e2eGuest) labOutput(script string) string {
	if g.lab == nil {
		return "(no lab yet)"
	}
	out, err := g.lab.Exec(g.labHost, "timeout", "-k", "2", fmt.Sprint(int(diagnoseDeadline.Seconds())), "sh", "-c", script)
	if err != nil {
		return string(out) + err.Error()
	}
	return string(out)
}

// diagnose describes the guest on both KVM hosts: its libvirt state, the
// end of its serial console and of QEMU's log, and the daemons that run.
// Every probe has a deadline of its own, so diagnosing a stuck daemon
// cannot hang either.
func (g *e2eGuest) diagnose() string {
	var b strings.Builder
	virsh := "virsh -c qemu:///system"
	probe := fmt.Sprintf("%s list --all; %s domstate --reason %s; echo '--- serial console (%s):'; tail -n 40 %s; echo '--- qemu log:'; tail -n 15 /var/log/libvirt/qemu/%s.log; echo '--- daemons:'; pgrep -a 'libvirtd|virtlogd|qemu-system' | cut -c1-160",
		virsh, virsh, g.name, g.consoleLog, g.consoleLog, g.name)
	out, err := commandOutput(diagnoseDeadline, "sh", "-c", probe)
	if err != nil {
		out += err.Error()
	}
	fmt.Fprintf(&b, "=== this machine (kvm1):\n%s\n", out)
	fmt.Fprintf(&b, "=== lab host %s (kvm2):\n%s\n", g.labHost, g.labOutput(probe))
	return b.String()
}

// goroutines is the stack of every goroutine of the test process, to show
// where an in-process call is stuck.
func goroutines() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

// step runs fn with a deadline and fails the test with the guest's
// diagnostics when fn fails or does not return in time.
func (g *e2eGuest) step(t *testing.T, what string, limit time.Duration, fn func() error) {
	t.Helper()
	if err := within(limit, what, fn); err != nil {
		extra := ""
		if strings.Contains(err.Error(), "no answer after") {
			extra = "\n=== goroutines of the test:\n" + goroutines()
		}
		t.Fatalf("%v\n%s%s", err, g.diagnose(), extra)
	}
}

// cleanup registers fn as a cleanup with a deadline: a cleanup that is
// stuck is logged, and the test's other cleanups (the lab's removal) still
// run.
func (g *e2eGuest) cleanup(t *testing.T, what string, fn func() error) {
	t.Cleanup(func() {
		if err := within(cleanupDeadline, what, fn); err != nil {
			t.Logf("cleanup: %v", err)
		}
	})
}

// lastTask is the last task banner in a run's output: where a killed run
// was.
var lastTask = regexp.MustCompile(`(?m)^TASK \[[^\]]*\]`)

// playbook runs a playbook with the gorun binary, killed at limit. A run
// that fails or is killed fails the test with its output, the task it was
// in, and the guest's diagnostics.
func (g *e2eGuest) playbook(t *testing.T, dir, what string, limit time.Duration, args ...string) e2e.Result {
	t.Helper()
	res := e2e.Run(t, e2e.Gorun(t), args, e2e.Options{Dir: dir, Timeout: limit})
	if res.ExitCode != 0 {
		in := "(no task started)"
		if m := lastTask.FindAllString(res.Stdout, -1); len(m) > 0 {
			in = m[len(m)-1]
		}
		t.Fatalf("%s: gorun %s: exit %d after %.0fs (deadline %s), last in %s:\n%s%s\n%s",
			what, strings.Join(args, " "), res.ExitCode, res.Duration.Seconds(), limit, in, res.Stdout, res.Stderr, g.diagnose())
	}
	return res
}

// writeFile writes a test file and fails the test when it cannot.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
