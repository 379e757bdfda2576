package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/labenv"
)

func TestGorunBuildsOnce(t *testing.T) {
	bin := Gorun(t)
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&0o111 == 0 {
		t.Fatalf("%s is not executable", bin)
	}
	if again := Gorun(t); again != bin {
		t.Errorf("second Gorun returned %s, first %s", again, bin)
	}
	if fi2, err := os.Stat(bin); err != nil || !fi2.ModTime().Equal(fi.ModTime()) {
		t.Errorf("second Gorun rebuilt %s", bin)
	}
	res := Run(t, bin, nil, Options{})
	if res.ExitCode != 0 && res.ExitCode != 2 && res.ExitCode != 1 {
		t.Errorf("gorun without arguments: exit %d, stderr %s", res.ExitCode, res.Stderr)
	}
}

func TestRunIsolatesEnvironment(t *testing.T) {
	t.Setenv("ANSIBLE_STDOUT_CALLBACK", "json")
	t.Setenv("SSH_AUTH_SOCK", "/nonexistent/agent")
	home := t.TempDir()
	res := Run(t, "/usr/bin/env", nil, Options{Home: home, Env: []string{"EXTRA=1", "ANSIBLE_NOCOLOR=0"}})
	if res.ExitCode != 0 {
		t.Fatalf("env: exit %d: %s", res.ExitCode, res.Stderr)
	}
	vars := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(res.Stdout), "\n") {
		k, v, _ := strings.Cut(line, "=")
		vars[k] = v
	}
	for k, want := range map[string]string{"HOME": home, "EXTRA": "1", "ANSIBLE_NOCOLOR": "0", "LANG": "C.UTF-8", "PATH": os.Getenv("PATH")} {
		if vars[k] != want {
			t.Errorf("%s=%q, want %q", k, vars[k], want)
		}
	}
	for _, k := range []string{"ANSIBLE_STDOUT_CALLBACK", "SSH_AUTH_SOCK"} {
		if v, ok := vars[k]; ok {
			t.Errorf("%s=%q leaked into the run", k, v)
		}
	}
	if !strings.HasPrefix(vars["ANSIBLE_LOCAL_TEMP"], os.TempDir()) {
		t.Errorf("ANSIBLE_LOCAL_TEMP=%q is not a temporary directory", vars["ANSIBLE_LOCAL_TEMP"])
	}
	if res := Run(t, "/bin/sh", []string{"-c", "exit 3"}, Options{}); res.ExitCode != 3 {
		t.Errorf("exit 3 gave ExitCode %d", res.ExitCode)
	}
}

// playbook exercises statuses, items, a debug result, a skip, an ignored
// failure and a handler on every lab host.
const playbook = `- name: lab play
  hosts: lab
  gather_facts: false
  tasks:
    - name: write a file
      copy:
        dest: /tmp/e2e-marker
        content: "{{ inventory_hostname }}\n"
      notify: announce
    - name: items
      command: echo {{ item }}
      loop: [a, b, c]
      changed_when: false
    - name: say
      debug:
        msg: "hello {{ inventory_hostname }}"
    - name: only h1
      command: "true"
      when: inventory_hostname == 'h1'
    - name: h2 fails
      command: /bin/false
      when: inventory_hostname == 'h2'
      ignore_errors: true
  handlers:
    - name: announce
      debug:
        msg: "changed {{ inventory_hostname }}"
`

// TestAnsibleTranscriptIsStable runs the same playbook twice on fresh
// lab hosts: after normalising, the transcripts are equal although hosts
// answer in a different order each time. A second run on the same hosts
// (no more changes) gives a different transcript.
func TestAnsibleTranscriptIsStable(t *testing.T) {
	dir := t.TempDir()
	pb := filepath.Join(dir, "site.yml")
	if err := os.WriteFile(pb, []byte(playbook), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(l *labenv.Lab) Result {
		inv := filepath.Join(t.TempDir(), "hosts")
		if err := l.WriteInventory(inv, "ini"); err != nil {
			t.Fatal(err)
		}
		res := AnsibleWith(t, Options{Dir: dir}, "ansible-playbook", "-i", inv, "site.yml")
		if res.ExitCode != 0 {
			t.Fatalf("ansible-playbook: exit %d\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
		}
		return res
	}
	labA, labB := labenv.ForTest(t, 3), labenv.ForTest(t, 3)
	a, b := NormalizeTranscript(run(labA).Stdout), NormalizeTranscript(run(labB).Stdout)
	if a != b {
		t.Errorf("normalised transcripts of two identical runs differ:\n%s\n---\n%s", a, b)
	}
	for _, want := range []string{"TASK [write a file]\nchanged: [h1]\nchanged: [h2]\nchanged: [h3]\n", "RUNNING HANDLER [announce]", "h2 : ok=5 changed=2 unreachable=0 failed=0 skipped=1 rescued=0 ignored=1"} {
		if !strings.Contains(a, want) {
			t.Errorf("normalised transcript lacks %q:\n%s", want, a)
		}
	}
	if again := NormalizeTranscript(run(labA).Stdout); again == a {
		t.Errorf("the second run on the same hosts (nothing to change) gives the same transcript:\n%s", again)
	}
	marker, err := labA.Exec("h3", "cat", "/tmp/e2e-marker")
	if err != nil || string(marker) != "h3\n" {
		t.Errorf("/tmp/e2e-marker on h3 = %q, %v", marker, err)
	}
}

// TestGorunSharedAcrossProcesses asks for the binary as another test
// process would (without this process's memo): it gets the same file,
// not rebuilt.
func TestGorunSharedAcrossProcesses(t *testing.T) {
	bin := Gorun(t)
	before, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	again, err := sharedGorun()
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(again)
	if again != bin || err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("a second process got %s (%v), first %s; rebuilt: %v", again, err, bin, err == nil && !after.ModTime().Equal(before.ModTime()))
	}
}

// TestSourceKey changes with what goes into the binary and only with that.
func TestSourceKey(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module m\n")
	write("a.go", "package m\n")
	write("a_test.go", "package m\n")
	write("testdata/x", "1")
	write("data.sh", "echo 1\n")
	key := func() string {
		t.Helper()
		k, err := sourceKey(root)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	k0 := key()
	write("a_test.go", "package m // changed\n")
	write("testdata/x", "2")
	if k := key(); k != k0 {
		t.Errorf("a test file or test data changed the key")
	}
	for _, change := range [][2]string{{"a.go", "package m // changed\n"}, {"data.sh", "echo 2\n"}, {"go.mod", "module m\n\ngo 1.26\n"}, {"b/b.go", "package b\n"}} {
		before := key()
		write(change[0], change[1])
		if key() == before {
			t.Errorf("changing %s left the key as it was", change[0])
		}
	}
}
