// Package e2e is the harness of gorun's integration tests: it builds the
// gorun binary, runs it and the real Ansible in the same controlled
// environment, and normalises Ansible's default-callback transcript so
// that differential tests can compare the two engines on the same lab
// hosts (see gorun/test/labenv).
//
// A differential test typically reads:
//
//	lab := labenv.ForTest(t, 3)
//	inv := filepath.Join(t.TempDir(), "hosts")
//	lab.WriteInventory(inv, "ini")
//	want := e2e.Ansible(t, "ansible-playbook", "-i", inv, "site.yml")
//	got := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, "site.yml"}, e2e.Options{})
//	if e2e.NormalizeTranscript(got.Stdout) != e2e.NormalizeTranscript(want.Stdout) { ... }
//	if got.ExitCode != want.ExitCode { ... }
package e2e
