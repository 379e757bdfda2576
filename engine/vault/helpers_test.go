package vault

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ansibleVault runs the real ansible-vault with a clean environment (no
// ansible.cfg, no ANSIBLE_* variables) and returns stdout, stderr and the
// exit code.
func ansibleVault(t *testing.T, dir string, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	bin, err := exec.LookPath("ansible-vault")
	if err != nil {
		t.Skip("ansible-vault is not installed")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "ANSIBLE_LOCAL_TEMP=" + filepath.Join(dir, ".tmp"), "LANG=C.UTF-8"}
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running ansible-vault: %v", err)
	}
	return out.String(), errb.String(), code
}

// writeFile writes data to dir/name with the given mode and returns the path.
func writeFile(t *testing.T, dir, name string, data []byte, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEncryptPasswordSalt checks the vault filter's entry point: a given salt
// makes the output reproducible (the goldens compare it byte for byte with
// Ansible's), an empty one is refused as VaultAES256 refuses it.
func TestEncryptPasswordSalt(t *testing.T) {
	a, err := EncryptPassword([]byte("x"), []byte("pw"), []byte("salt"), "filter_default")
	if err != nil {
		t.Fatal(err)
	}
	b, err := encryptWithSalt([]byte("x"), []byte("pw"), []byte("salt"), "filter_default")
	if err != nil || string(a) != string(b) {
		t.Fatalf("salted output differs: %q %q %v", a, b, err)
	}
	if _, err := EncryptPassword([]byte("x"), []byte("pw"), []byte{}, ""); err == nil {
		t.Error("an empty salt must be refused")
	}
	r, err := EncryptPassword([]byte("x"), []byte("pw"), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := NewSecrets(Secret{Password: []byte("pw")}).Decrypt(r); err != nil || string(pt) != "x" {
		t.Errorf("random salt round trip: %q %v", pt, err)
	}
}
