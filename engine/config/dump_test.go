package config

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDumpMatchesAnsibleConfig compares Dump with the text of
// `ansible-config dump` and `ansible-config dump --only-changed`.
func TestDumpMatchesAnsibleConfig(t *testing.T) {
	bin, err := exec.LookPath("ansible-config")
	if err != nil {
		t.Skip("ansible-config is not installed")
	}
	home, dir := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ansible.cfg"), []byte(sampleCfg), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "ANSIBLE_FORKS": "9", "ANSIBLE_CALLBACKS_ENABLED": "a, b"}
	setEnv(t, env)
	t.Chdir(dir)
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, onlyChanged := range []bool{false, true} {
		args := []string{"dump"}
		if onlyChanged {
			args = append(args, "--only-changed")
		}
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		want := comparable(strings.Split(strings.TrimSpace(string(out)), "\n"))
		got := comparable(c.Dump(onlyChanged))
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("only changed %v:\ngot:\n%s\nwant:\n%s", onlyChanged, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// tupleRe matches a value Python prints as a tuple.
var tupleRe = regexp.MustCompile(`= \((.*)\)$`)

// comparable drops tmppath settings (Ansible creates a new directory for
// each run) and prints tuples as lists, which is all Go has.
func comparable(lines []string) []string {
	var out []string
	for _, l := range lines {
		name, _, _ := strings.Cut(l, "(")
		if d := Definition(name); d != nil && d.Type == "tmppath" {
			continue
		}
		out = append(out, tupleRe.ReplaceAllString(l, "= [$1]"))
	}
	return out
}
