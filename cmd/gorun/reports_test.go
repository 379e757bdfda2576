package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// reportPlaybook has ok, changed, skipped, ignored-failed and failed tasks.
const reportPlaybook = `- name: Demo play
  hosts: all
  gather_facts: false
  tasks:
    - name: ok task
      debug:
        msg: hello
    - name: changed task
      command: echo hi
    - name: skipped task
      command: echo no
      when: false
    - name: failed ignored
      command: /bin/false
      ignore_errors: true
    - name: failed task
      fail:
        msg: "boom <&>"
`

// normalizeJUnit blanks what differs between two runs: times, the command
// module's timestamps, and Python's interpreter discovery fact.
func normalizeJUnit(s string) string {
	s = regexp.MustCompile(`time="[^"]*"`).ReplaceAllString(s, `time="T"`)
	s = regexp.MustCompile(`&quot;(delta|end|start)&quot;: &quot;[^&]*&quot;`).ReplaceAllString(s, `&quot;$1&quot;: X`)
	s = regexp.MustCompile(`&quot;ansible_facts&quot;: \{\n&quot;discovered_interpreter_python&quot;: &quot;[^&]*&quot;\n\},\n`).ReplaceAllString(s, "")
	return s
}

func TestJUnitMatchesAnsible(t *testing.T) {
	bin, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("ansible-playbook is not installed")
	}
	dir := t.TempDir()
	pb := filepath.Join(dir, "pb.yml")
	write(t, pb, reportPlaybook, 0o644)

	ansibleOut := filepath.Join(dir, "ansible")
	cmd := exec.Command(bin, "-i", "localhost,", "-c", "local", pb)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8",
		"ANSIBLE_CALLBACKS_ENABLED=junit", "JUNIT_OUTPUT_DIR=" + ansibleOut}
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("ansible-playbook should fail on the failed task:\n%s", out)
	}
	want := readOnly(t, ansibleOut, "pb-*.xml")

	// gorun through callbacks_enabled and JUNIT_OUTPUT_DIR, and through --junit.
	gorunOut := filepath.Join(dir, "gorun")
	t.Setenv("HOME", dir)
	t.Setenv("ANSIBLE_CALLBACKS_ENABLED", "junit")
	t.Setenv("JUNIT_OUTPUT_DIR", gorunOut)
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := playbookMain("gorun", []string{"-i", "localhost,", "-c", "local", pb, "--junit", "flag.xml"}, &stdout, &stderr)
	if code != 2 {
		t.Fatalf("gorun exit %d, want 2\n%s%s", code, stdout.String(), stderr.String())
	}
	got := readOnly(t, gorunOut, "pb-*.xml")
	if normalizeJUnit(got) != normalizeJUnit(want) {
		t.Errorf("junit report differs from ansible-playbook's\n--- gorun\n%s\n--- ansible\n%s", normalizeJUnit(got), normalizeJUnit(want))
	}
	if flag := read(t, filepath.Join(dir, "flag.xml")); normalizeJUnit(flag) != normalizeJUnit(want) {
		t.Errorf("--junit report differs from ansible-playbook's\n%s", flag)
	}
}

// readOnly reads the one file matching pattern in dir.
func readOnly(t *testing.T, dir, pattern string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(files) != 1 {
		t.Fatalf("want one %s in %s, got %v", pattern, dir, files)
	}
	return read(t, files[0])
}

func TestPlanShowsEachChangeOnce(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "hosts"), "[web]\nweb1 ansible_connection=local\nweb2 ansible_connection=local\nweb3 ansible_connection=local\n", 0o644)
	write(t, filepath.Join(dir, "shared.conf"), "old\n", 0o644)
	write(t, filepath.Join(dir, "web3.conf"), "per host web3\n", 0o644)
	write(t, filepath.Join(dir, "pb.yml"), `- hosts: web
  gather_facts: false
  tasks:
    - name: shared config
      copy:
        dest: "{{ playbook_dir }}/shared.conf"
        content: "new\n"
    - name: per-host config
      copy:
        dest: "{{ playbook_dir }}/{{ inventory_hostname }}.conf"
        content: "per host {{ inventory_hostname }}\n"
    - name: unchanged
      debug:
        msg: nothing
`, 0o644)
	t.Setenv("HOME", dir)
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := playbookMain("gorun", []string{"-i", "hosts", "pb.yml", "--check", "--diff", "--plan", "plan.md"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	plan := read(t, filepath.Join(dir, "plan.md"))
	if read(t, filepath.Join(dir, "shared.conf")) != "old\n" {
		t.Fatal("check mode changed a file")
	}
	for _, want := range []string{
		"(check mode)",
		"3 of 3 hosts would change.",
		"| web1 | 2 | 0 | 0 |",
		"| web3 | 1 | 0 | 0 |",
		"**shared config** on web1, web2, web3",
		"**per-host config** on web1 (",
		"**per-host config** on web2 (",
		"+per host web1",
		"-old\n",
		"(`pb.yml:8`)",
		"<details><summary>diff",
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if n := strings.Count(plan, "+new"); n != 1 {
		t.Errorf("the shared change is shown %d times, want once:\n%s", n, plan)
	}
	if strings.Contains(plan, "on web3 (") || strings.Contains(plan, "unchanged") {
		t.Errorf("unchanged results are listed:\n%s", plan)
	}
}
