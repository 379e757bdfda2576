package connection

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// connectErr tries to connect with p and returns the error.
func connectErr(t *testing.T, p Params) error {
	t.Helper()
	pool := NewPool()
	defer pool.CloseAll()
	_, err := pool.Get(t.Context(), p)
	return err
}

func TestHostKeyUnknown(t *testing.T) {
	p := hostParams(t, "h1", "root")
	kh := filepath.Join(t.TempDir(), "known_hosts")
	p.SSHCommonArgs = "-o UserKnownHostsFile=" + kh
	err := connectErr(t, p)
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) || !strings.Contains(err.Error(), "Host key verification failed") || !strings.Contains(err.Error(), kh) {
		t.Fatalf("unknown host key: error %v, want an UnreachableError saying host key verification failed, naming %s", err, kh)
	}
	// host_key_checking = False accepts the key and records it, as OpenSSH
	// does with StrictHostKeyChecking=no.
	p.HostKeyChecking = false
	if err := connectErr(t, p); err != nil {
		t.Fatalf("with host key checking off: %v", err)
	}
	// The key is recorded (hashed or not, as HashKnownHosts in
	// /etc/ssh/ssh_config says) and now satisfies strict checking.
	recorded, _ := os.ReadFile(kh)
	if strings.Count(string(recorded), "\n") != 1 {
		t.Errorf("known_hosts after accepting: %q, want one line", recorded)
	}
	p.HostKeyChecking = true
	if err := connectErr(t, p); err != nil {
		t.Errorf("with the key recorded: %v", err)
	}
}

func TestHostKeyUnknownStrictNoViaArgs(t *testing.T) {
	p := hostParams(t, "h1", "root")
	p.SSHCommonArgs = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
	if err := connectErr(t, p); err != nil {
		t.Fatalf("StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null: %v", err)
	}
}

func TestHostKeyChangedIsRefused(t *testing.T) {
	p := hostParams(t, "h1", "root")
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	// A hashed entry, as Debian's HashKnownHosts writes them, on line 2.
	line := knownhosts.HashHostname(p.Address) + " " + string(ssh.MarshalAuthorizedKey(signer.PublicKey()))
	if err := os.WriteFile(kh, []byte("# comment\n"+line), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, checking := range []bool{true, false} {
		p.HostKeyChecking = checking
		p.SSHCommonArgs = "-o UserKnownHostsFile=" + kh
		err := connectErr(t, p)
		if err == nil || !strings.Contains(err.Error(), "HAS CHANGED") || !strings.Contains(err.Error(), kh+" line 2") {
			t.Errorf("changed host key (host_key_checking=%v): error %v, want a refusal naming %s line 2", checking, err, kh)
		}
	}
}

func TestHostKeyHashedEntryAccepted(t *testing.T) {
	l := needLab(t)
	p := hostParams(t, "h1", "root")
	// Rewrite the lab's known_hosts with hashed host names.
	data, err := os.ReadFile(l.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	var hashed []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		host, key, _ := strings.Cut(line, " ")
		for _, h := range strings.Split(host, ",") {
			hashed = append(hashed, knownhosts.HashHostname(h)+" "+key)
		}
	}
	kh := filepath.Join(t.TempDir(), "known_hosts")
	os.WriteFile(kh, []byte(strings.Join(hashed, "\n")+"\n"), 0o600)
	p.SSHCommonArgs = "-o UserKnownHostsFile=" + kh
	if err := connectErr(t, p); err != nil {
		t.Errorf("hashed known_hosts entries: %v", err)
	}
}
