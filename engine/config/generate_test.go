package config

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedTableIsCurrent regenerates settings_gen.go from the
// installed ansible-core and requires the checked-in file to be identical.
func TestGeneratedTableIsCurrent(t *testing.T) {
	if _, err := os.Stat("/usr/lib/python3/dist-packages/ansible/config/base.yml"); err != nil && os.Getenv("ANSIBLE_SRC") == "" {
		t.Skip("ansible-core sources not installed")
	}
	out := filepath.Join(t.TempDir(), "settings_gen.go")
	cmd := exec.Command("go", "run", "./internal/gen", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, msg)
	}
	want, _ := os.ReadFile(out)
	got, _ := os.ReadFile("settings_gen.go")
	if !bytes.Equal(got, want) {
		t.Error("settings_gen.go is stale: run go generate ./engine/config/")
	}
}
