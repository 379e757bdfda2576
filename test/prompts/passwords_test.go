package prompts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
)

// TestPasswordPromptsOnTerminal answers -k, -K and --ask-vault-password
// (ansible-core 2.14 has no -J) on a terminal under
// both tools: the prompts, their order and the vaulted value the play
// prints must be Ansible's; then -K alone with the become method named in
// the prompt (AGNOSTIC_BECOME_PROMPT off), and a wrong vault password.
func TestPasswordPromptsOnTerminal(t *testing.T) {
	dir := t.TempDir()
	pwFile := filepath.Join(dir, "vault-pw")
	if err := os.WriteFile(pwFile, []byte("vpw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	enc := e2e.Ansible(t, "ansible-vault", "encrypt_string", "--vault-password-file", pwFile, "--name", "secret", "the vaulted text")
	if enc.ExitCode != 0 {
		t.Fatalf("ansible-vault: %s", enc.Stderr)
	}
	play := "- hosts: localhost\n  gather_facts: false\n  vars:\n" + indent(strings.TrimRight(enc.Stdout, "\n")+"\n", "    ") +
		"  tasks:\n    - debug:\n        msg: \"{{ secret }}\"\n"
	if err := os.WriteFile(filepath.Join(dir, "play.yml"), []byte(play), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"-i", "localhost,", "-c", "local", "play.yml"}
	t.Run("ask-pass-become-vault", func(t *testing.T) {
		compareOnPTY(t, dir, append([]string{"-k", "-K", "--ask-vault-password"}, base...), []step{
			{"SSH password: ", "sshpw\r"},
			{"BECOME password[defaults to SSH password]: ", "\r"},
			{"Vault password: ", "vpw\r"},
		})
	})
	t.Run("become-method-prompt", func(t *testing.T) {
		compareOnPTYEnv(t, dir, append([]string{"--ask-become-pass", "--become-method", "su", "--ask-vault-password"}, base...),
			[]string{"ANSIBLE_AGNOSTIC_BECOME_PROMPT=False"}, []step{
				{"SU password: ", "pw\r"},
				{"Vault password: ", "vpw\r"},
			})
	})
	t.Run("wrong-vault-password", func(t *testing.T) {
		compareOnPTY(t, dir, append([]string{"--ask-vault-pass"}, base...), []step{
			{"Vault password: ", "nope\r"},
		})
	})
}

func indent(s, pre string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString(pre + l)
		}
	}
	return b.String()
}
