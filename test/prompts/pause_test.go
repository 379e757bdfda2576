package prompts

import (
	"os"
	"path/filepath"
	"testing"
)

const pausePlay = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: ask
      pause:
        prompt: Type something
      register: a
    - name: hidden
      pause:
        prompt: Secret word
        echo: false
      register: b
    - name: timed
      pause:
        seconds: 300
      register: c
    - debug:
        msg: "{{ a.user_input }}|{{ b.user_input }}|{{ b.echo }}|{{ c.stdout is search('Paused for') }}|{{ c.user_input }}"
    - name: abort
      pause:
        minutes: 5
        prompt: Last chance
`

// TestPauseOnTerminal drives pause on a terminal under both tools: a
// prompt answered with a correction (backspace), a hidden answer, a timed
// pause ended early with Ctrl+C then C, and one aborted with Ctrl+C then A.
func TestPauseOnTerminal(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "play.yml"), []byte(pausePlay), 0o644); err != nil {
		t.Fatal(err)
	}
	compareOnPTY(t, dir, []string{"-i", "localhost,", "-c", "local", "play.yml"}, []step{
		{"Type something:", "helx\x7flo\r"},
		{"Secret word (output is hidden):", "psst\r"},
		{"(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)", "x\x03"},
		{"Press 'C' to continue the play or 'A' to abort", "c"},
		{"Last chance:", "\x03"},
		{"Press 'C' to continue the play or 'A' to abort", "a"},
	})
}
