package facts

import (
	"os"
	"path/filepath"
	"testing"

	"gorun/test/e2e"
)

const gatherPlay = `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: no facts yet
      debug: {msg: "{{ ansible_distribution | default('none') }}"}
    - name: gather as a task
      gather_facts: {gather_subset: [min], parallel: true}
      register: gathered
    - name: facts are there
      assert:
        that:
          - ansible_distribution == ansible_facts.distribution
          - gathered.ansible_facts.ansible_distribution is defined
          - gathered is not changed
    - name: setup options are checked
      gather_facts: {gather_subst: [min]}
      ignore_errors: true
`

// TestGatherFactsAction runs the gather_facts action as a task in both
// engines: same transcript (its facts hidden at -v, a misspelt setup
// option refused) and the facts usable afterwards.
func TestGatherFactsAction(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gather.yml"), []byte(gatherPlay), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := e2e.Options{Dir: dir}
	want := e2e.AnsibleWith(t, opts, "ansible-playbook", "-v", "gather.yml")
	got := e2e.Run(t, e2e.Gorun(t), []string{"-v", "gather.yml"}, opts)
	if g, w := e2e.NormalizeTranscript(got.Stdout), e2e.NormalizeTranscript(want.Stdout); g != w || got.ExitCode != want.ExitCode {
		t.Errorf("exit %d (ansible %d)\ngorun:\n%s\nansible:\n%s", got.ExitCode, want.ExitCode, g, w)
	}
}

const smartPlay = `- hosts: localhost
  connection: local
  gather_subset: [min]
  tasks:
    - debug: {msg: "{{ ansible_facts._ansible_facts_gathered }}"}
- hosts: localhost
  connection: local
  tasks:
    - debug: {msg: second play}
`

// TestSmartGathering: with gathering = smart, the second play does not
// gather again for a host whose facts were gathered in this run.
func TestSmartGathering(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "smart.yml"), []byte(smartPlay), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := e2e.Options{Dir: dir, Env: []string{"ANSIBLE_GATHERING=smart"}}
	want := e2e.AnsibleWith(t, opts, "ansible-playbook", "smart.yml")
	got := e2e.Run(t, e2e.Gorun(t), []string{"smart.yml"}, opts)
	if g, w := e2e.NormalizeTranscript(got.Stdout), e2e.NormalizeTranscript(want.Stdout); g != w || got.ExitCode != want.ExitCode {
		t.Errorf("exit %d (ansible %d)\ngorun:\n%s\nansible:\n%s", got.ExitCode, want.ExitCode, g, w)
	}
}
