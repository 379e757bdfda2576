package callbacks

import (
	"os"
	"path/filepath"
	"testing"

	"gorun/test/e2e"
)

const optionsPlay = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: skipped
      debug: msg=never
      when: false
    - name: ok
      debug: msg=shown
    - name: changed
      command: "true"
    - name: stats
      set_stats:
        data: {answer: 42, names: [a], conf: {x: {y: 1}}, word: ab}
    - name: more stats
      set_stats:
        data: {answer: 8, names: [b], conf: {x: {z: 2}}, word: cd}
    - name: replaced stats and per host
      set_stats:
        data: {word: new}
        aggregate: false
    - set_stats:
        data: {packages: 3}
        per_host: true
    - set_stats:
        data: {packages: 4}
        per_host: true
`

// TestDefaultCallbackOptionsAsAnsible sets the default callback's options
// through the environment, as users do in CI, and compares the transcripts.
func TestDefaultCallbackOptionsAsAnsible(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "options.yml"), []byte(optionsPlay), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, env := range [][]string{
		{"ANSIBLE_DISPLAY_SKIPPED_HOSTS=false", "ANSIBLE_DISPLAY_OK_HOSTS=false"},
		{"ANSIBLE_SHOW_PER_HOST_START=true", "ANSIBLE_SHOW_CUSTOM_STATS=true", "ANSIBLE_CHECK_MODE_MARKERS=true"},
	} {
		opts := e2e.Options{Dir: dir, Env: env}
		want := e2e.AnsibleWith(t, opts, "ansible-playbook", "options.yml")
		got := e2e.Run(t, e2e.Gorun(t), []string{"options.yml"}, opts)
		if g, w := e2e.NormalizeTranscript(got.Stdout), e2e.NormalizeTranscript(want.Stdout); g != w {
			t.Errorf("%v: gorun:\n%s\nansible:\n%s", env, g, w)
		}
	}
}
