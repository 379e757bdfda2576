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

// reportPlaybook2 has a loop, no_log, a handler, include_tasks, and the
// TOGGLE RESULT and EXPECTED FAILURE markers of Ansible's junit callback.
const reportPlaybook2 = `- name: Second
  hosts: all
  gather_facts: false
  tasks:
    - name: loop
      debug:
        msg: "{{ item }}"
      loop: [1, 2]
    - name: secret
      command: echo hi
      no_log: true
      notify: h
    - include_tasks: inc.yml
    - name: TOGGLE RESULT ok
      debug: msg=x
    - name: EXPECTED FAILURE here
      fail: msg=no
  handlers:
    - name: h
      debug: msg=handled
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
	for i, text := range []string{reportPlaybook, reportPlaybook2} {
		dir := t.TempDir()
		pb := filepath.Join(dir, "pb.yml")
		write(t, pb, text, 0o644)
		write(t, filepath.Join(dir, "inc.yml"), "- debug: msg=included\n", 0o644)

		ansibleOut := filepath.Join(dir, "ansible")
		cmd := exec.Command(bin, "-i", "localhost,", "-c", "local", pb)
		cmd.Dir = dir
		cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8",
			"ANSIBLE_CALLBACKS_ENABLED=junit", "JUNIT_OUTPUT_DIR=" + ansibleOut}
		out, err := cmd.CombinedOutput()
		wantCode := 0
		if err != nil {
			wantCode = cmd.ProcessState.ExitCode()
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
		if code != wantCode {
			t.Fatalf("playbook %d: gorun exit %d, ansible-playbook %d\n%s%s\n%s", i+1, code, wantCode, stdout.String(), stderr.String(), out)
		}
		got := readOnly(t, gorunOut, "pb-*.xml")
		if normalizeJUnit(got) != normalizeJUnit(want) {
			t.Errorf("playbook %d: junit report differs from ansible-playbook's\n--- gorun\n%s\n--- ansible\n%s", i+1, normalizeJUnit(got), normalizeJUnit(want))
		}
		if flag := read(t, filepath.Join(dir, "flag.xml")); normalizeJUnit(flag) != normalizeJUnit(want) {
			t.Errorf("playbook %d: --junit report differs from ansible-playbook's\n%s", i+1, flag)
		}
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
