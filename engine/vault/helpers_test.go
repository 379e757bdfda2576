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
