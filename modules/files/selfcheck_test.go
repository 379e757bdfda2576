package files_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// selfCheck runs a self-checking playbook from testdata/selfcheck (tasks
// followed by asserts on results and checksums, in the style of Ansible's
// integration targets) under ansible-playbook on h1, to show that its
// expectations are Ansible's, and under gorun on h2.
func selfCheck(t *testing.T, l *labenv.Lab, name string) {
	t.Helper()
	src, err := filepath.Abs(filepath.Join("testdata", "selfcheck", name+".yml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts")
	if err := l.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	play := filepath.Join(dir, name+".yml")
	if err := os.WriteFile(play, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := e2e.Options{Dir: dir}
	a := e2e.AnsibleWith(t, opts, "ansible-playbook", "-i", inv, "-l", "h1", play)
	if a.ExitCode != 0 || !recapOK(a.Stdout) {
		t.Fatalf("ansible-playbook fails its own expectations (%d):\n%s\n%s", a.ExitCode, a.Stdout, a.Stderr)
	}
	g := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, "-l", "h2", play}, opts)
	if g.ExitCode != 0 || !recapOK(g.Stdout) {
		t.Fatalf("gorun fails (%d):\n%s\n%s", g.ExitCode, g.Stdout, g.Stderr)
	}
}

var recapFailed = regexp.MustCompile(`(?i)fail\w*[=:]\s*([1-9])`)

// recapOK reports a play recap without failures.
func recapOK(out string) bool {
	i := strings.LastIndex(out, "PLAY RECAP")
	return i >= 0 && !recapFailed.MatchString(out[i:])
}
