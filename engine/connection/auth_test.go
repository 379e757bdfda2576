package connection

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAuthPassword(t *testing.T) {
	l := needLab(t)
	p := hostParams(t, "h1", "lab")
	p.PrivateKeyFiles = nil
	p.Password = l.BecomePassword
	c := dial(t, p)
	if got := output(t, c, "id -un", ExecOptions{}); got != "lab\n" {
		t.Errorf("password login: id -un = %q", got)
	}
}

func TestAuthKeyboardInteractive(t *testing.T) {
	l := needLab(t)
	// A second sshd on h3 that offers keyboard-interactive only; it runs in
	// the host's namespaces and ends with the lab.
	onHost(t, "h3", "/usr/sbin/sshd -p 2200 -o PasswordAuthentication=no -o KbdInteractiveAuthentication=yes -o PubkeyAuthentication=no")
	h3, _ := l.Host("h3")
	waitListening(t, net.JoinHostPort(h3.Addr, "2200"))
	p := hostParams(t, "h3", "lab")
	p.Port = 2200
	p.PrivateKeyFiles = nil
	p.Password = l.BecomePassword
	// The second sshd has the host keys of the first, filed under port 22;
	// leave the lab's known_hosts alone.
	p.SSHCommonArgs = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
	c := dial(t, p)
	if got := output(t, c, "id -un", ExecOptions{}); got != "lab\n" {
		t.Errorf("keyboard-interactive login: id -un = %q", got)
	}
	p.Password = "wrong"
	if err := connectErr(t, p); err == nil {
		t.Error("keyboard-interactive with a wrong password succeeded")
	}
}

func TestAuthAgent(t *testing.T) {
	l := needLab(t)
	sock := filepath.Join(t.TempDir(), "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agent.Process.Kill(); agent.Wait() })
	// ssh-add retries until the agent listens (bounded).
	var err error
	for i := 0; i < 50; i++ {
		add := exec.Command("ssh-add", l.KeyFile)
		add.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
		if err = add.Run(); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("ssh-add: %v", err)
	}
	t.Setenv("SSH_AUTH_SOCK", sock)
	p := hostParams(t, "h1", "root")
	p.PrivateKeyFiles = nil
	c := dial(t, p)
	if got := output(t, c, "id -u", ExecOptions{}); got != "0\n" {
		t.Errorf("agent login: id -u = %q", got)
	}
}

func TestAuthDefaultKey(t *testing.T) {
	l := needLab(t)
	key, err := os.ReadFile(l.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(os.Getenv("HOME"), ".ssh")
	os.MkdirAll(dir, 0o700)
	path := filepath.Join(dir, "id_ecdsa")
	if err := os.WriteFile(path, key, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(path) })
	p := hostParams(t, "h1", "root")
	p.PrivateKeyFiles = nil
	c := dial(t, p)
	if got := output(t, c, "id -u", ExecOptions{}); got != "0\n" {
		t.Errorf("default key login: id -u = %q", got)
	}
}

func TestAuthKeyFileProblems(t *testing.T) {
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", locked).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing"): "private key " + filepath.Join(dir, "missing") + ": open",
		locked:                        "protected by a passphrase; add it to ssh-agent",
	} {
		p := hostParams(t, "h1", "root")
		p.PrivateKeyFiles = []string{path}
		if err := connectErr(t, p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("key %s: error %v, want it to contain %q", path, err, want)
		}
	}
	// A missing key named in ssh_config is skipped, as ssh does.
	sshDir := filepath.Join(os.Getenv("HOME"), ".ssh")
	os.MkdirAll(sshDir, 0o700)
	config := filepath.Join(sshDir, "config")
	os.WriteFile(config, []byte("Host *\n  IdentityFile ~/.ssh/no-such-key\n"), 0o600)
	t.Cleanup(func() { os.Remove(config) })
	if err := connectErr(t, hostParams(t, "h1", "root")); err != nil {
		t.Errorf("with a missing IdentityFile in ssh_config: %v", err)
	}
}

// waitListening waits until something accepts TCP connections at addr: a
// daemonising sshd returns before it listens. The wait is bounded.
func waitListening(t *testing.T, addr string) {
	t.Helper()
	for range 100 {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens at %s", addr)
}
