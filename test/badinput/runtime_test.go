package badinput

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"gorun/test/e2e"
)

// runtimePlay holds the errors Ansible finds only while running, one per
// host, so that one run of each engine covers them all: each host fails
// at its own task and must not run the tasks after it.
const runtimePlay = `- hosts: all
  gather_facts: false
  tasks:
    - name: unknown option
      copy: {content: x, dest: /tmp/badinput-x, nosuchopt: 1}
      when: inventory_hostname == 'unknown_option'
    - name: wrong option type
      file: {path: /tmp/badinput-x, recurse: maybe}
      when: inventory_hostname == 'wrong_type'
    - name: undefined variable
      debug: {msg: "{{ nosuchvar }}"}
      when: inventory_hostname == 'undefined_var'
    - name: missing template
      template: {src: nosuch.j2, dest: /tmp/badinput-x}
      when: inventory_hostname == 'missing_template'
    - name: missing file
      copy: {src: nosuch.txt, dest: /tmp/badinput-x}
      when: inventory_hostname == 'missing_file'
    - name: after
      debug: {msg: reached}
`

var runtimeHosts = []string{"unknown_option", "wrong_type", "undefined_var", "missing_template", "missing_file"}

// fatalLine matches the result line of a failed host: "fatal: [h]: FAILED! => {...}".
var fatalLine = regexp.MustCompile(`(?m)^fatal: \[(\w+)\]: FAILED! => (.*)$`)

func TestRuntimeErrorsFailTheirHost(t *testing.T) {
	dir := t.TempDir()
	var inv strings.Builder
	for _, h := range runtimeHosts {
		inv.WriteString(h + " ansible_connection=local\n")
	}
	write(t, dir, "hosts", inv.String())
	write(t, dir, "site.yml", runtimePlay)
	home := t.TempDir()
	args := []string{"-i", "hosts", "site.yml"}
	got := e2e.Run(t, e2e.Gorun(t), args, e2e.Options{Dir: dir, Home: home})
	want := e2e.AnsibleWith(t, e2e.Options{Dir: dir, Home: home}, "ansible-playbook", args...)
	if got.ExitCode != want.ExitCode || got.ExitCode != 2 {
		t.Errorf("exit code %d, ansible-playbook's %d (want 2)\n%s", got.ExitCode, want.ExitCode, got.Stdout)
	}
	msgs := func(out string) map[string]string {
		m := map[string]string{}
		for _, f := range fatalLine.FindAllStringSubmatch(out, -1) {
			m[f[1]] = f[2]
		}
		return m
	}
	g, w := msgs(got.Stdout), msgs(want.Stdout)
	for _, h := range runtimeHosts {
		if g[h] == "" || w[h] == "" {
			t.Errorf("%s: gorun failed it: %v, ansible-playbook: %v\n%s\n--- ansible-playbook:\n%s", h, g[h] != "", w[h] != "", got.Stdout, want.Stdout)
			continue
		}
		// The first sentence of the message must agree (Ansible's lists of
		// valid values come in random order, its search paths in its own,
		// and it names its action plugin ansible.legacy.copy).
		first := func(result string) string {
			var r struct{ Msg string }
			json.Unmarshal([]byte(result), &r)
			s, _, _ := strings.Cut(strings.ReplaceAll(r.Msg, "ansible.legacy.", ""), ". ")
			s, _, _ = strings.Cut(s, "\n")
			return s
		}
		if first(g[h]) == "" || first(g[h]) != first(w[h]) {
			t.Errorf("%s: gorun says\n  %s\nansible-playbook says\n  %s", h, g[h], w[h])
		}
	}
	if strings.Contains(got.Stdout, "reached") {
		t.Errorf("a failed host went on to the next task:\n%s", got.Stdout)
	}
}
