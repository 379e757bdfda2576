package faults

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Exit codes of ansible-playbook (and gorun).
const (
	exitFailed      = 2
	exitUnreachable = 4
	exitInterrupted = 99
)

// TestSlowFaultsOnLab injects one fault at a time into one host of three
// while a play runs, and checks what Ansible promises: the other hosts
// finish, the faulty one is reported unreachable or failed, the exit code
// says so, no file is left half-written or replaced by a partial copy, no
// temporary file stays behind, and a rerun after the fault converges.
func TestSlowFaultsOnLab(t *testing.T) {
	skipUnlessSlow(t)
	f := newFaultLab(t, 3)
	t.Run("sshd killed mid-play", f.testSSHDKilled)
	t.Run("connection lost between tasks", f.testReconnect)
	t.Run("link down mid-transfer", f.testLinkDown)
	t.Run("interrupted controller", f.testInterrupt)
	t.Run("full disk", f.testFullDisk)
	t.Run("task timeout", f.testTaskTimeout)
	t.Run("slow host", f.testSlowHost)
	t.Run("unreachable keywords", f.testKeywords)
}

// blockingPlay copies a file, waits on every host until the test releases
// it, and copies another.
const blockingPlay = `- hosts: lab
  gather_facts: false
  tasks:
    - name: first
      copy: {content: "one\n", dest: /tmp/fault-one}
    - name: wait for the test
      shell: touch /tmp/fault-started; while [ ! -e /tmp/fault-release ]; do sleep 0.05; done
      changed_when: false
    - name: last
      copy: {content: "two\n", dest: /tmp/fault-two}
`

func (f *faultLab) testSSHDKilled(t *testing.T) {
	pb := f.write(t, "blocking.yml", blockingPlay)
	run := f.start(t, pb)
	waitFor(t, "h2 runs the blocking task", func() bool { return f.fileSize(t, "h2", "/tmp/fault-started") >= 0 })
	f.killSSHD(t, "h2")
	for _, h := range []string{"h1", "h2", "h3"} {
		f.sh(t, h, "touch /tmp/fault-release")
	}
	res := run.wait(t)
	wantExit(t, res, exitUnreachable)
	wantRecap(t, res, map[string]Recap{
		"h1": {OK: 3, Changed: 2}, "h3": {OK: 3, Changed: 2},
		"h2": {OK: 1, Changed: 1, Unreachable: 1},
	})
	if !strings.Contains(res.Stdout, "fatal: [h2]: UNREACHABLE!") {
		t.Errorf("h2 not reported unreachable:\n%s", res.Stdout)
	}
	if f.fileSize(t, "h2", "/tmp/fault-two") >= 0 {
		t.Errorf("h2 ran the task after its sshd died")
	}

	if err := f.StartSSH("h2"); err != nil {
		t.Fatal(err)
	}
	res = f.run(t, pb)
	wantExit(t, res, 0)
	wantRecap(t, res, map[string]Recap{
		"h1": {OK: 3}, "h3": {OK: 3}, "h2": {OK: 3, Changed: 1},
	})
}

// reconnectPlay waits on the controller between two tasks, while the
// test cuts h2's connection.
const reconnectPlay = `- hosts: lab
  gather_facts: false
  tasks:
    - copy: {content: "one\n", dest: /tmp/fault-re-one}
    - name: wait on the controller
      shell: touch waiting-{{ inventory_hostname }}; while [ ! -e release-{{ inventory_hostname }} ]; do sleep 0.05; done
      args: {chdir: "{{ playbook_dir }}"}
      delegate_to: localhost
      changed_when: false
    - copy: {content: "two\n", dest: /tmp/fault-re-two}
`

// testReconnect kills h2's sshd with its sessions while the play waits
// between tasks and starts it again: the next task reconnects, as
// ansible-playbook opens a new connection, and the play ends well.
func (f *faultLab) testReconnect(t *testing.T) {
	pb := f.write(t, "reconnect.yml", reconnectPlay)
	run := f.start(t, pb)
	waitFor(t, "h2 finished the first task", func() bool {
		_, err := os.Stat(filepath.Join(f.dir, "waiting-h2"))
		return err == nil
	})
	f.killSSHD(t, "h2")
	if err := f.StartSSH("h2"); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"h1", "h2", "h3"} {
		f.write(t, "release-"+h, "")
	}
	res := run.wait(t)
	wantExit(t, res, 0)
	for _, h := range []string{"h1", "h2", "h3"} {
		wantRecap(t, res, map[string]Recap{h: {OK: 3, Changed: 2}})
	}
}

// bigPlay copies a large file to every host, then a small one.
const bigPlay = `- hosts: lab
  gather_facts: false
  tasks:
    - name: big
      copy: {src: big.bin, dest: /tmp/fault-big}
    - name: after
      copy: {content: "after\n", dest: /tmp/fault-after}
`

// transferSetup writes a big source file, puts old content at the
// destination on h2 and throttles h2 so that its copy takes seconds.
func (f *faultLab) transferSetup(t *testing.T) (playbook string, big []byte) {
	big = make([]byte, 6<<20)
	rand.Read(big)
	f.write(t, "big.bin", string(big))
	f.sh(t, "h2", "echo old > /tmp/fault-big; rm -f /tmp/fault-after")
	if err := f.Throttle("h2", 8_000_000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Throttle("h2", 0) })
	return f.write(t, "big.yml", bigPlay), big
}

// waitMidTransfer waits until h2's temporary copy has grown past 512 KiB.
func (f *faultLab) waitMidTransfer(t *testing.T) {
	waitFor(t, "the copy to h2 is under way", func() bool { return f.fileSize(t, "h2", "/tmp/.gorun_tmp.*") > 512<<10 })
}

// checkIntactAndRerun checks that h2 kept its old file and, once its session has
// ended, no temporary file; then unthrottles it and checks that a rerun
// converges to the new content.
func (f *faultLab) checkIntactAndRerun(t *testing.T, pb string, big []byte) {
	t.Helper()
	if got := f.sh(t, "h2", "cat /tmp/fault-big"); got != "old\n" {
		t.Errorf("h2's /tmp/fault-big was replaced by %d bytes of a cut transfer", len(got))
	}
	waitFor(t, "h2's cut session removes its temporary file", func() bool { return f.tempFiles(t, "h2", "/tmp") == "" })
	if err := f.Throttle("h2", 0); err != nil {
		t.Fatal(err)
	}
	res := f.run(t, pb)
	wantExit(t, res, 0)
	// h1 and h3 may or may not have finished before the fault.
	wantRecap(t, res, map[string]Recap{"h2": {OK: 2, Changed: 2}})
	if got := f.sh(t, "h2", "cat /tmp/fault-big"); !bytes.Equal([]byte(got), big) {
		t.Errorf("after the rerun h2's /tmp/fault-big has %d bytes, not the %d of big.bin", len(got), len(big))
	}
}

func (f *faultLab) testLinkDown(t *testing.T) {
	pb, big := f.transferSetup(t)
	run := f.start(t, pb)
	f.waitMidTransfer(t)
	if err := f.LinkDown("h2"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.LinkUp("h2") })
	res := run.wait(t)
	wantExit(t, res, exitUnreachable)
	wantRecap(t, res, map[string]Recap{
		"h1": {OK: 2, Changed: 2}, "h3": {OK: 2, Changed: 2}, "h2": {Unreachable: 1},
	})
	if !strings.Contains(res.Stdout, "fatal: [h2]: UNREACHABLE!") {
		t.Errorf("h2 not reported unreachable:\n%s", res.Stdout)
	}
	if err := f.LinkUp("h2"); err != nil {
		t.Fatal(err)
	}
	f.checkIntactAndRerun(t, pb, big)
}

func (f *faultLab) testInterrupt(t *testing.T) {
	pb, big := f.transferSetup(t)
	f.sh(t, "h1", "rm -f /tmp/fault-big /tmp/fault-after")
	run := f.start(t, pb)
	f.waitMidTransfer(t)
	run.interrupt(t)
	res := run.wait(t)
	wantExit(t, res, exitInterrupted)
	if !strings.Contains(res.Stderr, "User interrupted execution") {
		t.Errorf("no interruption message:\n%s", res.Stderr)
	}
	if strings.Contains(res.Stdout, "PLAY RECAP") || strings.Contains(res.Stdout, "TASK [after]") {
		t.Errorf("the run went on after SIGINT:\n%s", res.Stdout)
	}
	if strings.Contains(res.Stdout, "fatal: [h2]") {
		t.Errorf("the interrupted host is reported as failed (Ansible just stops):\n%s", res.Stdout)
	}
	f.checkIntactAndRerun(t, pb, big)
}

// diskPlay copies 1 MiB into a directory that is a 256 KiB tmpfs on h2.
const diskPlay = `- hosts: lab
  gather_facts: false
  tasks:
    - name: fill
      copy: {src: mib.bin, dest: /mnt/fault-small/f}
    - name: after
      copy: {content: "after\n", dest: /tmp/fault-disk-after}
`

func (f *faultLab) testFullDisk(t *testing.T) {
	mib := make([]byte, 1<<20)
	rand.Read(mib)
	f.write(t, "mib.bin", string(mib))
	for _, h := range []string{"h1", "h3"} {
		f.sh(t, h, "mkdir -p /mnt/fault-small")
	}
	f.sh(t, "h2", "mkdir -p /mnt/fault-small && mount -t tmpfs -o size=256k tmpfs /mnt/fault-small && echo old > /mnt/fault-small/f")
	pb := f.write(t, "disk.yml", diskPlay)
	res := f.run(t, pb)
	wantExit(t, res, exitFailed)
	wantRecap(t, res, map[string]Recap{
		"h1": {OK: 2, Changed: 2}, "h3": {OK: 2, Changed: 2}, "h2": {Failed: 1},
	})
	if !strings.Contains(res.Stdout, "No space left on device") {
		t.Errorf("the failure does not say the disk is full:\n%s", res.Stdout)
	}
	if got := f.sh(t, "h2", "cat /mnt/fault-small/f"); got != "old\n" {
		t.Errorf("h2's file was replaced by %d bytes of a failed copy", len(got))
	}
	if tmp := f.tempFiles(t, "h2", "/mnt/fault-small"); tmp != "" {
		t.Errorf("temporary files left on the full disk: %s", tmp)
	}

	f.sh(t, "h2", "mount -o remount,size=4m /mnt/fault-small")
	res = f.run(t, pb)
	wantExit(t, res, 0)
	wantRecap(t, res, map[string]Recap{"h1": {OK: 2}, "h3": {OK: 2}, "h2": {OK: 2, Changed: 2}})
}

// timeoutPlay runs a command that never ends on h2, under a task timeout.
const timeoutPlay = `- hosts: lab
  gather_facts: false
  tasks:
    - name: never ends
      command: sleep 3607
      timeout: 2
      when: inventory_hostname == 'h2'
    - name: after
      copy: {content: "after\n", dest: /tmp/fault-timeout-after}
`

func (f *faultLab) testTaskTimeout(t *testing.T) {
	pb := f.write(t, "timeout.yml", timeoutPlay)
	res := f.run(t, pb)
	wantExit(t, res, exitFailed)
	wantRecap(t, res, map[string]Recap{
		"h1": {OK: 1, Changed: 1, Skipped: 1}, "h3": {OK: 1, Changed: 1, Skipped: 1}, "h2": {Failed: 1},
	})
	want := `fatal: [h2]: FAILED! => {"changed": false, "msg": "The command action failed to execute in the expected time frame (2) and was terminated"}`
	if !strings.Contains(res.Stdout, want) {
		t.Errorf("want %s in\n%s", want, res.Stdout)
	}
	// The lab logs in as root, whose sessions sshd refuses SSH signal
	// requests: gorun must end the command another way.
	waitFor(t, "the timed-out command ends on h2", func() bool {
		return !strings.Contains(f.sh(t, "h2", "ps -eo args"), "sleep 3607")
	})
}

// testSlowHost runs a play while h2's link is throttled hard: netem,
// which would add latency, is missing from this kernel, so a slow link
// stands in for a slow host. The host is slow, not dead: it must finish.
func (f *faultLab) testSlowHost(t *testing.T) {
	if err := f.Throttle("h2", 200_000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Throttle("h2", 0) })
	pb := f.write(t, "slow.yml", `- hosts: lab
  gather_facts: false
  tasks:
    - copy: {content: "{{ 'x' * 100000 }}", dest: /tmp/fault-slow}
    - command: cat /tmp/fault-slow
      register: r
      changed_when: false
    - assert: {that: "r.stdout | length == 100000"}
`)
	f.sh(t, "h2", "rm -f /tmp/fault-slow")
	res := f.run(t, pb)
	wantExit(t, res, 0)
	wantRecap(t, res, map[string]Recap{"h2": {OK: 3, Changed: 1}})
}
