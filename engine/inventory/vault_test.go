package inventory

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ansibleVaultDecrypt returns a Decrypt function backed by the real
// ansible-vault with the given password file.
func ansibleVaultDecrypt(t *testing.T, passwordFile string) func([]byte) ([]byte, error) {
	bin, err := exec.LookPath("ansible-vault")
	if err != nil {
		t.Skip("ansible-vault not installed")
	}
	return func(data []byte) ([]byte, error) {
		cmd := exec.Command(bin, "decrypt", "--vault-password-file", passwordFile, "--output", "-", "-")
		cmd.Stdin = bytes.NewReader(data)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, &vaultError{stderr.String()}
		}
		return out, nil
	}
}

type vaultError struct{ msg string }

func (e *vaultError) Error() string { return strings.TrimSpace(e.msg) }

// TestVaultedGroupVars: an encrypted group_vars file is decrypted through
// Options.Decrypt, an inline !vault value is listed as Ansible lists it, and
// without Decrypt the error is Ansible's.
func TestVaultedGroupVars(t *testing.T) {
	dir, _ := filepath.Abs("testdata/vault")
	src, pw := filepath.Join(dir, "hosts"), filepath.Join(dir, "password")
	want, stderr, err := ansibleInventory(t, "-i", src, "--list", "--vault-password-file", pw)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	inv, err := Load(Options{Sources: []string{src}, Decrypt: ansibleVaultDecrypt(t, pw)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ListJSON(inv)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "--list with vault", got, want)
	wantYAML, stderr, err := ansibleInventory(t, "-i", src, "--list", "--yaml", "--vault-password-file", pw)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if y, err := ListYAML(inv); err != nil || y != wantYAML {
		t.Errorf("--list --yaml with vault differs (%v)\n%s", err, unifiedDiff(t, y, wantYAML))
	}

	_, stderr, err = ansibleInventory(t, "-i", src, "--list")
	if err == nil {
		t.Fatal("ansible-inventory succeeded without vault secrets")
	}
	inv, err = Load(Options{Sources: []string{src}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ListJSON(inv)
	if err == nil || !strings.Contains(stderr, err.Error()) {
		t.Errorf("without secrets: got %v; Ansible says %s", err, stderr)
	}
}
