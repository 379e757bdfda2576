package prompts

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
)

const varsPromptPlay = `- hosts: localhost
  gather_facts: false
  vars:
    greeting: hello
  vars_prompt:
    - name: user_name
      prompt: Your name
      private: false
    - name: secret
      prompt: Secret
    - name: color
      prompt: "Colour ({{ greeting }})"
      default: blue
      private: false
    - name: pw
      prompt: Password
      confirm: true
    - name: hashed
      prompt: Hash me
      encrypt: sha512_crypt
      salt: abcdefgh12345678
    - name: raw
      unsafe: true
      private: false
    - name: blank
      prompt: ""
      default: [1, 'x']
    - name: given
      prompt: not asked
  tasks:
    - debug:
        msg: "{{ user_name }}|{{ secret }}|{{ color }}|{{ pw }}|{{ hashed }}|{{ raw }}|{{ blank }}|{{ given }}"
`

// varsPromptSteps answer the prompts of varsPromptPlay, with one mismatch
// under confirm.
var varsPromptSteps = []step{
	{"Your name: ", "alice\r"},
	{"Secret: ", "s3cret\r"},
	{"Colour (hello) [blue]: ", "\r"},
	{"Password: ", "one\r"},
	{"confirm Password: ", "two\r"},
	{"***** VALUES ENTERED DO NOT MATCH ****", ""},
	{"Password: ", "same\r"},
	{"confirm Password: ", "same\r"},
	{"Hash me: ", "pw\r"},
	{"raw: ", "{{ not templated }}\r"},
	{"input for blank: ", "\r"},
}

// TestVarsPromptOnTerminal answers a play's vars_prompt on a terminal under
// both tools and compares the whole terminal transcript.
func TestVarsPromptOnTerminal(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "play.yml"), []byte(varsPromptPlay), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-i", "localhost,", "-c", "local", "-e", "given=from-cli", "play.yml"}
	compareOnPTY(t, dir, args, varsPromptSteps)
}

// compareOnPTY runs ansible-playbook and gorun with args on a terminal with
// the same steps and compares the normalised transcripts.
func compareOnPTY(t *testing.T, dir string, args []string, steps []step) {
	t.Helper()
	compareOnPTYEnv(t, dir, args, nil, steps)
}

// compareOnPTYEnv is compareOnPTY with environment variables for both tools.
func compareOnPTYEnv(t *testing.T, dir string, args, env []string, steps []step) {
	t.Helper()
	opts := e2e.Options{Dir: dir, Env: env}
	ansible := ansiblePlaybook(t)
	want, werr := runOnPTY(t, ansible, args, opts, steps)
	got, gerr := runOnPTY(t, e2e.Gorun(t), args, opts, steps)
	// Both must have shown every prompt; how they exited must agree.
	if werr != nil && !isExit(werr) {
		t.Fatalf("ansible-playbook on a terminal: %v\n%s", werr, want)
	}
	if gerr != nil && !isExit(gerr) {
		t.Errorf("gorun on a terminal: %v\n%s", gerr, got)
	}
	if exitCode(werr) != exitCode(gerr) {
		t.Errorf("exit: ansible-playbook %v, gorun %v", werr, gerr)
	}
	if w, g := normalize(want), normalize(got); w != g {
		t.Errorf("terminal transcripts differ\n--- ansible-playbook:\n%s\n--- gorun:\n%s", w, g)
	}
}

// ansiblePlaybook is the path of ansible-playbook (e2e installs it when missing).
func ansiblePlaybook(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("ansible-playbook"); err == nil {
		return p
	}
	e2e.Ansible(t, "ansible-playbook", "--version")
	p, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// normalize makes terminal line ends plain newlines.
func normalize(s string) string {
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// isExit reports whether err is the command's non-zero exit (not a prompt
// that never came).
func isExit(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee)
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
