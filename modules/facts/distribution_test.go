package facts

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDistributionMatchesAnsible runs Ansible's own distribution code
// (testdata/ansible_distribution.py) and gorun's port on the same release
// files of many distributions (testdata/distros/NAME/etc/...).
func TestDistributionMatchesAnsible(t *testing.T) {
	if _, err := os.Stat("/usr/lib/python3/dist-packages/ansible"); err != nil {
		t.Skip("Ansible's Python sources are not installed")
	}
	roots, err := filepath.Glob(filepath.Join("testdata", "distros", "*"))
	if err != nil || len(roots) == 0 {
		t.Fatal("no testdata/distros", err)
	}
	for _, root := range roots {
		abs, _ := filepath.Abs(root)
		out, err := exec.Command("/usr/bin/python3", filepath.Join("testdata", "ansible_distribution.py"), abs).Output()
		if err != nil {
			t.Fatalf("%s: ansible_distribution.py: %v", root, err)
		}
		var want map[string]any
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatal(err)
		}

		r := parseRaw("", "")
		r.cmds["uname"], r.rcs["uname"] = "Linux host 6.1.0 #1 SMP Debian x86_64\n", 0
		filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel := p[len(abs):]
				r.files[rel] = string(b)
				r.exists[rel] = true
			}
			return nil
		})
		got := map[string]any{}
		distributionFacts(r, got)
		if !equalJSON(got, want) {
			gb, _ := json.Marshal(got)
			t.Errorf("%s:\n gorun   %s\n ansible %s", filepath.Base(root), gb, out)
		}
	}
}
