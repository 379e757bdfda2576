package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
)

// TestListings compares --list-tasks --list-tags of every case with
// ansible-playbook's, byte for byte (--list-hosts is left out: Ansible lists
// a set of hosts, in an order that changes from run to run). Nothing
// connects to a host, so no lab is needed.
func TestListings(t *testing.T) {
	cases, err := filepath.Glob("cases/*/site.yml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	inv := filepath.Join(t.TempDir(), "hosts")
	if err := os.WriteFile(inv, []byte("[lab]\nh1\nh2\nh3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gorun := e2e.Gorun(t)
	sem := make(chan struct{}, 2)
	t.Run("cases", func(t *testing.T) {
		for _, site := range cases {
			dir, err := filepath.Abs(filepath.Dir(site))
			if err != nil {
				t.Fatal(err)
			}
			t.Run(filepath.Base(dir), func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				args := caseArgs(dir, inv)
				args = append(args[:len(args)-1], "--list-tasks", "--list-tags", "site.yml")
				opts := e2e.Options{Dir: dir}
				want := e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
				got := e2e.Run(t, gorun, args, opts)
				if want.ExitCode != got.ExitCode {
					t.Errorf("exit code: gorun %d, ansible %d", got.ExitCode, want.ExitCode)
				}
				if w, g := errorText(want.Stderr), errorText(got.Stderr); w != g {
					t.Errorf("errors differ:\n--- ansible:\n%s\n--- gorun:\n%s", w, g)
				}
				if want.Stdout != got.Stdout {
					t.Errorf("listings differ (- ansible, + gorun):\n%s", lineDiff(want.Stdout, got.Stdout))
				}
			})
		}
	})
}

// caseArgs are the command-line arguments of a case: the inventories (the
// given one and the case's own), the case's args file, and site.yml last.
func caseArgs(dir, inv string) []string {
	args := []string{"-i", inv}
	if _, err := os.Stat(filepath.Join(dir, "inventory")); err == nil {
		args = append(args, "-i", filepath.Join(dir, "inventory"))
	}
	if data, err := os.ReadFile(filepath.Join(dir, "args")); err == nil {
		for _, a := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if a = strings.TrimSpace(a); a != "" && !strings.HasPrefix(a, "#") {
				args = append(args, a)
			}
		}
	}
	return append(args, "site.yml")
}
