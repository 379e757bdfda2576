package commands

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"gorun/engine/connection"
	"gorun/test/labenv"
)

// TestModulesMatchAnsibleOnLabHost runs the cases of TestModulesMatchAnsible
// over SSH on a lab host, with Ansible and with gorun.
func TestModulesMatchAnsibleOnLabHost(t *testing.T) {
	if _, err := exec.LookPath("ansible-playbook"); err != nil {
		t.Skip("ansible-playbook is not installed")
	}
	l := labenv.ForTest(t, 1)
	h := l.Hosts[0]
	dir := t.TempDir()
	writeScripts(t, dir)
	inv := filepath.Join(dir, "hosts.ini")
	must(t, l.WriteInventory(inv, "ini"))

	ctx := context.Background()
	conn, err := connection.NewPool().Get(ctx, connection.Params{
		Host: h.Name, Address: h.Addr, Port: h.Port, User: "root",
		PrivateKeyFiles: []string{l.KeyFile}, HostKeyChecking: true,
		SSHCommonArgs: "-o UserKnownHostsFile=" + l.KnownHostsFile, Timeout: 10 * time.Second,
	})
	must(t, err)
	defer conn.Close()

	// The target directory of the cases lives on the lab host.
	remote := "/tmp/gorun-command-cases"
	res, err := conn.Exec(ctx, "mkdir -p "+remote+" && echo x > "+remote+"/a.txt", connection.ExecOptions{})
	must(t, err)
	if res.ExitCode != 0 {
		t.Fatalf("preparing %s on %s: %s", remote, h.Name, res.Stderr)
	}

	cases := commandCases(remote)
	want := runAnsible(t, dir, target{host: h.Name, inventory: inv}, cases)
	// Over SSH, Ansible runs raw and script in a pseudo-terminal (ssh -tt),
	// which merges stderr into stdout and ends lines with \r\n; gorun keeps
	// them apart, so only the outcome is compared for those.
	outcomeOnly := func(c refCase) []string {
		if c.module == "raw" || c.module == "script" {
			return []string{"rc", "changed", "failed", "skipped", "msg"}
		}
		return nil
	}
	runCases(t, dir, conn, cases, want, outcomeOnly)
}
