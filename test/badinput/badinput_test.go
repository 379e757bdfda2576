// Package badinput runs gorun and ansible-playbook on broken playbooks and
// inventories and checks that gorun fails as Ansible does: the same exit
// code, an error that names the file, line and column and shows the
// offending line, and nothing run on any host.
package badinput

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gorun/test/e2e"
)

// marker is the first task of every playbook: a file it would create
// proves that something ran although the input was broken.
const marker = `- hosts: all
  gather_facts: false
  tasks:
    - file: {path: "{{ playbook_dir }}/ran", state: touch}
`

// badCase is one broken input.
type badCase struct {
	name     string
	playbook string // appended to marker (a second play) unless raw
	raw      bool   // the playbook as it is, without the marker play
	// where is the "line L, column C" Ansible reports ("" when it
	// reports none).
	where string
	// deviation explains why gorun's location differs from Ansible's
	// (then where is not compared); empty when they agree.
	deviation string
	args      []string
}

var cases = []badCase{
	{name: "tabs", raw: true, playbook: "- hosts: all\n  tasks:\n\t- debug: msg=1\n", where: "line 3, column 1"},
	{name: "bad indentation", raw: true, playbook: "- hosts: all\n  tasks:\n    - name: x\n      command: echo hi\n     - debug: msg=1\n",
		deviation: "yaml.v3 reports where the enclosing mapping starts, libyaml where the parser stopped"},
	{name: "unclosed flow mapping", raw: true, playbook: "- hosts: all\n  tasks:\n    - debug: {msg: 1\n",
		deviation: "yaml.v3 reports where the enclosing mapping starts, libyaml where the parser stopped"},
	{name: "unbalanced quotes in k=v", playbook: "- hosts: all\n  tasks:\n    - debug: msg=\"unterminated\n", where: "line 7, column 7"},
	{name: "unknown keyword", playbook: "- hosts: all\n  tasks:\n    - debug: msg=1\n      bogus_kw: 3\n", where: "line 7, column 7"},
	{name: "unknown module", playbook: "- hosts: all\n  tasks:\n    - nosuchmodule: a=1\n", where: "line 7, column 7"},
	{name: "missing role", playbook: "- hosts: all\n  roles: [nosuchrole]\n", where: "line 6, column 11"},
	{name: "missing tasks file", playbook: "- hosts: all\n  tasks:\n    - import_tasks: nosuch.yml\n"},
}

// location matches Ansible's "The error appears to be in 'FILE': line L, column C".
var location = regexp.MustCompile(`The error appears to be in '([^']+)': (line \d+, column \d+)`)

func TestBadPlaybooksFailAsAnsible(t *testing.T) {
	gorun := e2e.Gorun(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			text := c.playbook
			if !c.raw {
				text = marker + c.playbook
			}
			write(t, dir, "site.yml", text)
			write(t, dir, "hosts", "localhost ansible_connection=local\n")
			args := append([]string{"-i", "hosts", "site.yml"}, c.args...)
			home := t.TempDir()
			got := e2e.Run(t, gorun, args, e2e.Options{Dir: dir, Home: home})
			ranGorun := exists(filepath.Join(dir, "ran"))
			os.Remove(filepath.Join(dir, "ran"))
			want := e2e.AnsibleWith(t, e2e.Options{Dir: dir, Home: home}, "ansible-playbook", args...)

			if got.ExitCode != want.ExitCode && c.deviation == "" {
				t.Errorf("exit code %d, ansible-playbook's %d\n%s%s\n--- ansible-playbook:\n%s%s", got.ExitCode, want.ExitCode, got.Stdout, got.Stderr, want.Stdout, want.Stderr)
			}
			if got.ExitCode == 0 {
				t.Errorf("gorun accepted the broken input:\n%s", got.Stdout)
			}
			if ranGorun {
				t.Errorf("the marker task ran: errors found before running must stop every host")
			}
			out := got.Stdout + got.Stderr
			if c.deviation == "" && got.Stderr != want.Stderr {
				t.Errorf("gorun's error differs from ansible-playbook's:\n%s\n--- ansible-playbook:\n%s", got.Stderr, want.Stderr)
			}
			m, wm := location.FindStringSubmatch(out), location.FindStringSubmatch(want.Stdout+want.Stderr)
			if wm == nil {
				return
			}
			if m == nil {
				t.Fatalf("gorun names no location; ansible-playbook says %q\n%s", wm[0], out)
			}
			if m[1] != filepath.Join(dir, "site.yml") {
				t.Errorf("error names %s, not the playbook", m[1])
			}
			if !strings.Contains(out, "The offending line appears to be:") || !strings.Contains(out, "^ here") {
				t.Errorf("the offending line is not shown:\n%s", out)
			}
			if c.deviation == "" && m[2] != wm[2] {
				t.Errorf("location %s, ansible-playbook's %s\n%s\n--- ansible-playbook:\n%s", m[2], wm[2], out, want.Stdout+want.Stderr)
			}
			if c.where != "" && wm[2] != c.where {
				t.Errorf("ansible-playbook says %s, the case expects %s", wm[2], c.where)
			}
		})
	}
}

// TestBadInventoryAndVault covers inputs outside the playbook: an
// inventory line Ansible rejects and a wrong vault password.
func TestBadInventoryAndVault(t *testing.T) {
	gorun := e2e.Gorun(t)
	dir := t.TempDir()
	write(t, dir, "site.yml", marker)
	write(t, dir, "badinv", "[g]\nh1 ansible_connection=local\n[g:vars]\nnot a var line\n")
	write(t, dir, "pw", "right\n")
	write(t, dir, "wrongpw", "wrong\n")
	write(t, dir, "hosts", "localhost ansible_connection=local\n")
	vaulted := filepath.Join(dir, "vars.yml")
	write(t, dir, "vars.yml", "secret: 1\n")
	if res := e2e.Ansible(t, "ansible-vault", "encrypt", "--vault-password-file", filepath.Join(dir, "pw"), vaulted); res.ExitCode != 0 {
		t.Fatalf("ansible-vault: %s", res.Stderr)
	}
	for _, c := range []struct {
		name string
		args []string
		want string // in gorun's error
	}{
		{"bad inventory line", []string{"-i", "badinv", "site.yml"}, "badinv:4"},
		{"wrong vault password", []string{"-i", "hosts", "site.yml", "-e", "@vars.yml", "--vault-password-file", "wrongpw"}, "Decryption failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := e2e.Run(t, gorun, c.args, e2e.Options{Dir: dir})
			ran := exists(filepath.Join(dir, "ran"))
			os.Remove(filepath.Join(dir, "ran"))
			want := e2e.AnsibleWith(t, e2e.Options{Dir: dir}, "ansible-playbook", c.args...)
			os.Remove(filepath.Join(dir, "ran"))
			if got.ExitCode != want.ExitCode {
				t.Errorf("exit code %d, ansible-playbook's %d\n%s%s\n--- ansible-playbook:\n%s%s", got.ExitCode, want.ExitCode, got.Stdout, got.Stderr, want.Stdout, want.Stderr)
			}
			if ran {
				t.Errorf("the play ran despite the broken input")
			}
			if !strings.Contains(got.Stdout+got.Stderr, c.want) {
				t.Errorf("error does not say %q:\n%s%s", c.want, got.Stdout, got.Stderr)
			}
		})
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
