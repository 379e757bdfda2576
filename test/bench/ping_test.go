// Package bench measures gorun against ansible on the same lab hosts.
// Benchmarks run only with -bench; the tests check the properties the
// numbers rest on (one SSH handshake per host for a whole run).
package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// handshakes counts the logins each host's sshd has accepted so far.
func handshakes(t testing.TB, lab *labenv.Lab) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, h := range lab.Hosts {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(h.UpperDir), "console.log"))
		if err != nil {
			t.Fatal(err)
		}
		out[h.Name] = strings.Count(string(data), "Accepted publickey")
	}
	return out
}

const manyTasks = `
- hosts: all
  gather_facts: true
  tasks:
    - command: "true"
    - shell: echo one
    - command: hostname
    - ping:
    - shell: echo {{ inventory_hostname }}
`

// TestOneHandshakePerHostPerRun checks that an ad-hoc ping and a playbook of
// several tasks each cost exactly one SSH login per host.
func TestOneHandshakePerHostPerRun(t *testing.T) {
	lab := labenv.ForTest(t, 10)
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts")
	if err := lab.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	pb := filepath.Join(dir, "many.yml")
	if err := os.WriteFile(pb, []byte(manyTasks), 0o644); err != nil {
		t.Fatal(err)
	}
	gorun := e2e.Gorun(t)
	for _, args := range [][]string{{"all", "-i", inv, "-m", "ping"}, {pb, "-i", inv}} {
		before := handshakes(t, lab)
		r := e2e.Run(t, gorun, args, e2e.Options{})
		if r.ExitCode != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, r.ExitCode, r.Stdout, r.Stderr)
		}
		after := handshakes(t, lab)
		for h, n := range after {
			if n-before[h] != 1 {
				t.Errorf("%v: %s accepted %d logins, want 1", args, h, n-before[h])
			}
		}
	}
}

// BenchmarkAdhocPing10 is `-m ping` on 10 lab hosts, by gorun and by ansible
// (default settings), one after the other on the same hosts:
//
//	go test -run X -bench AdhocPing10 -benchtime 5x ./test/bench
func BenchmarkAdhocPing10(b *testing.B) {
	lab := labenv.ForTest(b, 10)
	inv := filepath.Join(b.TempDir(), "hosts")
	if err := lab.WriteInventory(inv, "ini"); err != nil {
		b.Fatal(err)
	}
	gorun := e2e.Gorun(b)
	args := []string{"all", "-i", inv, "-m", "ping", "-f", "10"}
	b.Run("gorun", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if r := e2e.Run(b, gorun, args, e2e.Options{}); r.ExitCode != 0 {
				b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
			}
		}
	})
	b.Run("ansible", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if r := e2e.Ansible(b, "ansible", args...); r.ExitCode != 0 {
				b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
			}
		}
	})
}
