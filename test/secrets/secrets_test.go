// Package secrets checks that secrets stay secret: no_log results, vaulted
// values and become passwords never appear in gorun's output at -vvvv, in
// its JSON and JUnit reports, or in any file left on the target.
package secrets

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// Secrets of the test; each is distinctive so that finding it anywhere
// means it leaked.
const (
	noLogSecret   = "nolog-s3cret-7f1d"
	vaultSecret   = "vault-s3cret-91ac"
	vaultPassword = "vault-pw-55e2"
	becomePass    = "become-pw-c0de"
)

// playbook uses each secret the way playbooks do: a no_log task (its
// result, its loop items, its failure), a vaulted variable given to a
// module, and become with a password, which must not show in the target's
// process list either.
const playbook = `- hosts: lab
  gather_facts: false
  become: true
  vars:
    plain_secret: "` + noLogSecret + `"
  tasks:
    - name: no_log command
      command: echo {{ plain_secret }}
      no_log: true
    - name: no_log loop
      debug: {msg: "{{ item }}"}
      loop: ["{{ plain_secret }}"]
      no_log: true
    - name: no_log failure
      command: sh -c 'echo {{ plain_secret }}; exit 3'
      no_log: true
      ignore_errors: true
    - name: vaulted value through a module, no_log
      copy: {content: "{{ vaulted }}", dest: /root/secret-file, mode: "0600"}
      no_log: true
    - name: become works
      command: id -u
      register: id
      changed_when: false
    - assert: {that: "id.stdout == '0'"}
    - name: the target's process list while a command runs through sudo
      command: ps -eww -o args
      register: ps
      changed_when: false
    - assert: {that: "ansible_become_password not in ps.stdout and 'sudo' in ps.stdout"}
`

func TestSecretsNeverLeak(t *testing.T) {
	lab := labenv.ForTestWith(t, 1, labenv.Options{BecomePassword: becomePass})
	dir := t.TempDir()
	inv, err := lab.Inventory("ini", labenv.BecomeUser)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(inv, becomePass) {
		t.Fatalf("the inventory does not carry the become password:\n%s", inv)
	}
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("hosts", inv)
	write("site.yml", playbook)
	pwFile := write("vault-pw", vaultPassword+"\n")
	enc, err := exec.Command("ansible-vault", "encrypt_string", "--vault-password-file", pwFile, vaultSecret, "--name", "vaulted").Output()
	if err != nil {
		t.Fatalf("ansible-vault encrypt_string: %v", err)
	}
	vars := write("vars.yml", string(enc))

	gorun := e2e.Gorun(t)
	junitDir := filepath.Join(dir, "junit")
	args := []string{"-i", "hosts", "site.yml", "-e", "@" + vars, "--vault-password-file", pwFile, "-vvvv"}
	outputs := map[string]e2e.Result{
		"default": e2e.Run(t, gorun, args, e2e.Options{Dir: dir}),
		"json": e2e.Run(t, gorun, args, e2e.Options{Dir: dir, Env: []string{
			"ANSIBLE_STDOUT_CALLBACK=json", "ANSIBLE_CALLBACKS_ENABLED=junit", "JUNIT_OUTPUT_DIR=" + junitDir}}),
	}
	for name, res := range outputs {
		if res.ExitCode != 0 {
			t.Fatalf("%s run: exit %d\n%s%s", name, res.ExitCode, res.Stdout, res.Stderr)
		}
		for _, s := range []string{noLogSecret, vaultSecret, vaultPassword, becomePass} {
			if strings.Contains(res.Stdout+res.Stderr, s) {
				t.Errorf("%s output at -vvvv shows the secret %q:\n%s%s", name, s, res.Stdout, res.Stderr)
			}
		}
	}
	if !strings.Contains(outputs["default"].Stdout, "the output has been hidden due to the fact that 'no_log: true' was specified for this result") {
		t.Errorf("no_log results are not censored as Ansible censors them:\n%s", outputs["default"].Stdout)
	}

	reports, _ := filepath.Glob(filepath.Join(junitDir, "*.xml"))
	if len(reports) == 0 {
		t.Fatalf("no JUnit report in %s", junitDir)
	}
	for _, r := range reports {
		data, err := os.ReadFile(r)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{noLogSecret, vaultSecret, vaultPassword, becomePass} {
			if strings.Contains(string(data), s) {
				t.Errorf("JUnit report %s shows the secret %q", r, s)
			}
		}
	}

	// Every file the host has changed is in its upper directory. The
	// vaulted value was written to /root/secret-file on purpose; nothing
	// else may hold a secret (temp files, sudo's files, logs).
	upper := lab.Hosts[0].UpperDir
	for _, s := range []string{noLogSecret, vaultSecret, vaultPassword, becomePass} {
		out, _ := exec.Command("grep", "-rlaF", "--", s, upper).Output()
		for _, f := range strings.Fields(string(out)) {
			if f == filepath.Join(upper, "root/secret-file") && s == vaultSecret {
				continue
			}
			t.Errorf("the host kept the secret %q in %s", s, strings.TrimPrefix(f, upper))
		}
	}
	if data, err := os.ReadFile(filepath.Join(upper, "root/secret-file")); err != nil || string(data) != vaultSecret {
		t.Errorf("the vaulted value did not reach the host decrypted: %q, %v", data, err)
	}
}
