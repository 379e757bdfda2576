package lang

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

const waitPlaybook = `- hosts: lab
  gather_facts: false
  tasks:
    - wait_for_connection:
        timeout: "{{ t }}"
        sleep: 1
        connect_timeout: 2
    - command: hostname
      register: name
    - debug: var=name.stdout
`

// TestWaitForConnection stops sshd on a lab host and checks that
// wait_for_connection gives up after its timeout, then that it waits for
// sshd to come back and the play goes on over the new connection.
func TestWaitForConnection(t *testing.T) {
	lab := labenv.ForTest(t, 1)
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts")
	if err := lab.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.yml"), []byte(waitPlaybook), 0o644); err != nil {
		t.Fatal(err)
	}
	gorun := e2e.Gorun(t)
	if err := lab.StopSSH("h1"); err != nil {
		t.Fatal(err)
	}
	res := e2e.Run(t, gorun, []string{"-i", inv, "-e", "t=3", "site.yml"}, e2e.Options{Dir: dir})
	if res.ExitCode != 2 || !strings.Contains(res.Stdout, "timed out waiting for ping module test") {
		t.Fatalf("with sshd stopped: exit %d, want 2 and a time-out message:\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	// sshd comes back while wait_for_connection polls: it is started once
	// gorun has printed the task's banner.
	cmd := exec.Command(gorun, "-i", inv, "-e", "t=60", "site.yml")
	cmd.Dir, cmd.Env = dir, e2e.Env(t, e2e.Options{})
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	started := false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if !started && strings.HasPrefix(sc.Text(), "TASK [wait_for_connection]") {
			started = true
			if err := lab.StartSSH("h1"); err != nil {
				t.Error(err)
			}
		}
	}
	err = cmd.Wait()
	if err != nil || !started || !strings.Contains(out.String(), `"name.stdout": "h1"`) {
		t.Fatalf("after sshd came back: %v:\n%s%s", err, out.String(), stderr.String())
	}
}
