package inventory

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestIgnoreOptionsAgainstAnsible: INVENTORY_IGNORE_EXTS and
// INVENTORY_IGNORE_PATTERNS change which files of a directory are read.
func TestIgnoreOptionsAgainstAnsible(t *testing.T) {
	src, _ := filepath.Abs("testdata/dir_mixed")
	for _, tc := range []struct {
		env  []string
		opts Options
	}{
		{[]string{"ANSIBLE_INVENTORY_IGNORE=.yml,.py"}, Options{IgnoreExts: []string{".yml", ".py"}}},
		{[]string{"ANSIBLE_INVENTORY_IGNORE_REGEX=^01-,script"}, Options{IgnorePatterns: []string{"^01-", "script"}}},
	} {
		for _, e := range tc.env {
			kv := strings.SplitN(e, "=", 2)
			t.Setenv(kv[0], kv[1])
		}
		want, stderr, err := ansibleInventory(t, "-i", src, "--list")
		for _, e := range tc.env {
			os.Unsetenv(strings.SplitN(e, "=", 2)[0])
		}
		if err != nil {
			t.Fatalf("%v: %v\n%s", tc.env, err, stderr)
		}
		tc.opts.Sources = []string{src}
		inv, err := Load(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ListJSON(inv)
		if err != nil {
			t.Fatal(err)
		}
		sameJSON(t, strings.Join(tc.env, " "), got, want)
	}
}

// TestPatternMismatchError: with HOST_PATTERN_MISMATCH=error a pattern that
// matches nothing is an error with Ansible's message.
func TestPatternMismatchError(t *testing.T) {
	skipShort(t)
	bin, err := exec.LookPath("ansible")
	if err != nil {
		t.Skip("ansible not installed")
	}
	src, _ := filepath.Abs("testdata/patterns/hosts")
	cmd := exec.Command(bin, "nomatch", "-i", src, "-m", "ping", "-c", "local")
	cmd.Env = append(os.Environ(), "ANSIBLE_HOST_PATTERN_MISMATCH=error")
	cmd.Dir = t.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("ansible accepted the pattern")
	}
	inv, err := Load(Options{Sources: []string{src}, PatternMismatch: "error"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = inv.Hosts("nomatch")
	if err == nil || !strings.Contains(stderr.String(), "ERROR! "+err.Error()) {
		t.Errorf("gorun: %v; ansible: %s", err, stderr.String())
	}
	inv, _ = Load(Options{Sources: []string{src}, PatternMismatch: "ignore"})
	before := len(inv.Warnings)
	if hs, err := inv.Hosts("nomatch"); err != nil || len(hs) != 0 || len(inv.Warnings) != before {
		t.Errorf("ignore: %v %v %q", hs, err, inv.Warnings)
	}
}
