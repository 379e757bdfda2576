// Package inventorycli checks `gorun inventory` (and the ansible-inventory
// link) against the real ansible-inventory on the same inventories.
package inventorycli

import (
	"os"
	"path/filepath"
	"testing"

	"gorun/test/e2e"
)

// The inventories of engine/inventory's differential tests: INI, YAML,
// script and a directory mixing them, each with group_vars/host_vars.
var sources = []string{"ini_basic/hosts", "yaml_basic/inventory.yml", "script_inv/inv.py", "dir_mixed"}

func TestListGraphHostMatchAnsibleInventory(t *testing.T) {
	gorun := e2e.Gorun(t)
	link := filepath.Join(t.TempDir(), "ansible-inventory")
	if err := os.Symlink(gorun, link); err != nil {
		t.Fatal(err)
	}
	for _, src := range sources {
		path, err := filepath.Abs(filepath.Join("../../engine/inventory/testdata", src))
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range [][]string{{"--list"}, {"--graph", "--vars"}, {"--list", "--export"}} {
			args := append([]string{"-i", path}, mode...)
			want := e2e.Ansible(t, "ansible-inventory", args...)
			for name, cmd := range map[string][]string{"gorun inventory": append([]string{"inventory"}, args...), "ansible-inventory link": args} {
				bin := gorun
				if name == "ansible-inventory link" {
					bin = link
				}
				got := e2e.Run(t, bin, cmd, e2e.Options{})
				if got.ExitCode != want.ExitCode || got.Stdout != want.Stdout {
					t.Errorf("%s %v: exit %d (ansible %d)\n--- gorun\n%s\n--- ansible-inventory\n%s\nstderr: %s", name, args, got.ExitCode, want.ExitCode, got.Stdout, want.Stdout, got.Stderr)
				}
			}
		}
	}
}
