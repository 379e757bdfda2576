package files_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// BenchmarkFilesVsAnsible runs 200 copy/template/lineinfile tasks over 10
// lab hosts, first with ansible-playbook and then with gorun on fresh
// hosts, and reports both wall times and their ratio. Run it with
//
//	go test -run X -bench FilesVsAnsible -benchtime 1x ./modules/files
func BenchmarkFilesVsAnsible(b *testing.B) {
	l := labenv.ForTest(b, 10)
	dir := b.TempDir()
	inv := filepath.Join(dir, "hosts")
	if err := l.WriteInventory(inv, "ini"); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		b.Fatal(err)
	}
	tmpl := "# {{ ansible_managed }}\nhost={{ inventory_hostname }}\n{% for i in range(n) %}\nline {{ i }}\n{% endfor %}\n"
	if err := os.WriteFile(filepath.Join(dir, "templates", "t.j2"), []byte(tmpl), 0o644); err != nil {
		b.Fatal(err)
	}
	var tasks strings.Builder
	for i := 0; i < 200; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&tasks, "    - copy: {content: \"file %d\\n\", dest: /srv/bench/c%d, mode: \"0644\"}\n", i, i)
		case 1:
			fmt.Fprintf(&tasks, "    - template: {src: t.j2, dest: /srv/bench/t%d}\n      vars: {n: %d}\n", i, i%7)
		case 2:
			fmt.Fprintf(&tasks, "    - lineinfile: {path: /srv/bench/c%d, line: \"added %d\"}\n", i-2, i)
		}
	}
	play := "- hosts: all\n  gather_facts: false\n  tasks:\n    - file: {path: /srv/bench, state: directory}\n" + tasks.String()
	if err := os.WriteFile(filepath.Join(dir, "bench.yml"), []byte(play), 0o644); err != nil {
		b.Fatal(err)
	}
	reset := func() {
		for _, h := range l.Hosts {
			if out, err := l.Exec(h.Name, "rm", "-rf", "/srv/bench"); err != nil {
				b.Fatalf("%v: %s", err, out)
			}
		}
	}
	opts := e2e.Options{Dir: dir, Timeout: time.Hour, Env: []string{"ANSIBLE_FORKS=10"}}
	var ansible, gorun time.Duration
	for i := 0; i < b.N; i++ {
		reset()
		a := e2e.AnsibleWith(b, opts, "ansible-playbook", "-f", "10", "-i", inv, "bench.yml")
		if a.ExitCode != 0 {
			b.Fatalf("ansible-playbook: %s\n%s", a.Stdout, a.Stderr)
		}
		reset()
		g := e2e.Run(b, e2e.Gorun(b), []string{"-f", "10", "-i", inv, "bench.yml"}, opts)
		if g.ExitCode != 0 {
			b.Fatalf("gorun: %s\n%s", g.Stdout, g.Stderr)
		}
		ansible += a.Duration
		gorun += g.Duration
	}
	b.ReportMetric(ansible.Seconds()/float64(b.N), "ansible-s/run")
	b.ReportMetric(gorun.Seconds()/float64(b.N), "gorun-s/run")
	b.ReportMetric(ansible.Seconds()/gorun.Seconds(), "ratio")
}
