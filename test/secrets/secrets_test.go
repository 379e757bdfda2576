// Package secrets checks that secrets stay secret: no_log results, vaulted
// values and become passwords never appear in gorun's output at -vvvv, in
// its JSON and JUnit reports, or in any file left on the target.
package secrets

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

	// A second inventory logs in with a password (ansible_password, the
	// lab user's, which is also its become password) instead of the key,
	// over the paramiko connection: the ssh one needs sshpass for passwords,
	// in gorun as in Ansible.
	h := lab.Hosts[0]
	write("hosts-password", "[lab]\n"+h.Name+" ansible_host="+h.Addr+"\n[lab:vars]\nansible_connection=paramiko\nansible_user="+labenv.BecomeUser+
		"\nansible_password="+becomePass+"\nansible_become_password="+becomePass+
		"\nansible_ssh_common_args='-o UserKnownHostsFile="+lab.KnownHostsFile+" -o StrictHostKeyChecking=yes -o PubkeyAuthentication=no'\n")

	gorun := e2e.Gorun(t)
	junitDir := filepath.Join(dir, "junit")
	args := []string{"-i", "hosts", "site.yml", "-e", "@" + vars, "--vault-password-file", pwFile, "-vvvv"}
	passwordArgs := append([]string{"-i", "hosts-password"}, args[2:]...)
	// While the runs go on, the controller's process list is watched for
	// the secrets (a password on a command line, as sshpass would have it).
	stop := watchProcesses(t, noLogSecret, vaultSecret, vaultPassword, becomePass)
	outputs := map[string]e2e.Result{
		"default": e2e.Run(t, gorun, args, e2e.Options{Dir: dir}),
		"json": e2e.Run(t, gorun, args, e2e.Options{Dir: dir, Env: []string{
			"ANSIBLE_STDOUT_CALLBACK=json", "ANSIBLE_CALLBACKS_ENABLED=junit", "JUNIT_OUTPUT_DIR=" + junitDir}}),
		"password login": e2e.Run(t, gorun, passwordArgs, e2e.Options{Dir: dir}),
	}
	if seen := stop(); seen != "" {
		t.Errorf("a controller process showed a secret on its command line or in its environment: %s", seen)
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

// watchProcesses scans the controller's processes (command lines and
// environments) every few milliseconds until the returned stop is called,
// which reports the first secret it saw and where ("" when none). The lab
// hosts' processes are left out by their own pid namespaces: a task's
// command line on the target is the task's business (Ansible's too).
func watchProcesses(t *testing.T, secrets ...string) (stop func() string) {
	done := make(chan struct{})
	found := make(chan string, 1)
	self := fmt.Sprint(os.Getpid())
	ourNS, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		seen := ""
		for {
			procs, _ := filepath.Glob("/proc/[0-9]*")
			for _, p := range procs {
				if seen != "" || filepath.Base(p) == self {
					continue
				}
				if ns, err := os.Readlink(filepath.Join(p, "ns/pid")); err != nil || ns != ourNS {
					continue
				}
				for _, f := range []string{"cmdline", "environ"} {
					data, err := os.ReadFile(filepath.Join(p, f))
					if err != nil {
						continue
					}
					for _, s := range secrets {
						if strings.Contains(string(data), s) {
							seen = fmt.Sprintf("%q in %s/%s: %q", s, p, f, strings.ReplaceAll(string(data), "\x00", " "))
						}
					}
				}
			}
			select {
			case <-done:
				found <- seen
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() string {
		close(done)
		return <-found
	}
}
