package inventory

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// ansibleInventory runs the real ansible-inventory with args and returns its
// stdout; the test is skipped when Ansible is not installed.
func ansibleInventory(t *testing.T, args ...string) ([]byte, string) {
	t.Helper()
	bin, err := exec.LookPath("ansible-inventory")
	if err != nil {
		t.Skip("ansible-inventory not installed")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ANSIBLE_NOCOLOR=1", "ANSIBLE_INVENTORY_UNPARSED_WARNING=True")
	cmd.Dir = t.TempDir()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("ansible-inventory %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes(), errb.String()
}

func TestManualCompare(t *testing.T) {
	src := os.Getenv("INV")
	if src == "" {
		t.Skip()
	}
	want, _ := ansibleInventory(t, "-i", src, "--list")
	inv, err := Load(Options{Sources: []string{src}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ListJSON(inv)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if !bytes.Equal(got, want) {
		os.WriteFile(filepath.Join(t.TempDir(), "x"), got, 0o644)
		t.Errorf("differs:\n--- gorun\n%s\n--- ansible\n%s", got, want)
	}
	var a, b any
	json.Unmarshal(got, &a)
	json.Unmarshal(want, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("semantic diff")
	}
	_ = strings.TrimSpace
	t.Log(inv.Warnings)
}
