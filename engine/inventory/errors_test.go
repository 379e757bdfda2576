package inventory

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	spaces = regexp.MustCompile(`\s+`)
	// hyphenBreak is where Python's textwrap broke a line after a hyphen
	// inside a word ("/work/ci-" and "fleet/...").
	hyphenBreak = regexp.MustCompile(`(\S-)\n(\S)`)
)

// collapse joins Ansible's wrapped warning lines so messages compare as text.
func collapse(s string) string {
	return strings.TrimSpace(spaces.ReplaceAllString(hyphenBreak.ReplaceAllString(s, "$1$2"), " "))
}

// TestBadSourcesWarnLikeAnsible loads inventories Ansible cannot parse and
// checks that gorun gives the same warnings (the INI plugin's message with
// file and line, "Unable to parse ... as an inventory source") and, like
// Ansible, no error. The YAML plugin's message quotes PyYAML and is only
// checked for presence.
func TestBadSourcesWarnLikeAnsible(t *testing.T) {
	entries, err := os.ReadDir("testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			src, _ := filepath.Abs(filepath.Join("testdata/bad", e.Name()))
			_, stderr, err := ansibleInventory(t, "-i", src, "--list")
			if err != nil {
				t.Fatalf("ansible-inventory failed: %v\n%s", err, stderr)
			}
			ansibleWarnings := collapse(strings.ReplaceAll(stderr, "[WARNING]:", "\n"))
			inv, err := Load(Options{Sources: []string{src}})
			if err != nil {
				t.Fatalf("Load: %v (Ansible only warns)", err)
			}
			if len(inv.Warnings) == 0 {
				t.Fatalf("no warnings; Ansible printed:\n%s", stderr)
			}
			ours := collapse(strings.Join(inv.Warnings, "\n"))
			for _, marker := range []string{"* Failed to parse", "Unable to parse", "No inventory was parsed"} {
				if a, g := strings.Count(ansibleWarnings, marker), strings.Count(ours, marker); a != g {
					t.Errorf("%q: Ansible warned %d times, gorun %d times\n%s\n---\n%s", marker, a, g, stderr, ours)
				}
			}
			for _, w := range inv.Warnings {
				if strings.Contains(w, "with yaml plugin") {
					if !strings.Contains(ansibleWarnings, collapse(w[:strings.Index(w, "plugin:")+7])) {
						t.Errorf("warning %q not given by Ansible:\n%s", w, stderr)
					}
					continue
				}
				if !strings.Contains(ansibleWarnings, collapse(w)) {
					t.Errorf("warning %q not given by Ansible:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestUnparsedIsFailed: with INVENTORY_ANY_UNPARSED_IS_FAILED or
// INVENTORY_UNPARSED_IS_FAILED, Ansible stops with an error; so does gorun.
func TestUnparsedIsFailed(t *testing.T) {
	src, _ := filepath.Abs("testdata/bad/no_value")
	for _, tc := range []struct {
		env  string
		opts Options
	}{
		{"ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=True", Options{Sources: []string{src}, AnyUnparsedIsFailed: true}},
		{"ANSIBLE_INVENTORY_UNPARSED_FAILED=True", Options{Sources: []string{src}, UnparsedIsFailed: true}},
	} {
		t.Setenv(strings.SplitN(tc.env, "=", 2)[0], "True")
		_, stderr, err := ansibleInventory(t, "-i", src, "--list")
		os.Unsetenv(strings.SplitN(tc.env, "=", 2)[0])
		if err == nil {
			t.Fatalf("%s: ansible-inventory succeeded", tc.env)
		}
		_, gerr := Load(tc.opts)
		if gerr == nil || !strings.Contains(collapse(stderr), "ERROR! "+gerr.Error()) {
			t.Errorf("%s: gorun error %v; Ansible:\n%s", tc.env, gerr, stderr)
		}
	}
}

// TestInventoryPluginConfigIsUnsupported: a YAML file that configures an
// inventory plugin (constructed, a cloud plugin...) is an error naming the
// plugin, not a silent warning, because gorun has no inventory plugins.
func TestInventoryPluginConfigIsUnsupported(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "inv.yml")
	if err := os.WriteFile(src, []byte("plugin: constructed\nstrict: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Options{Sources: []string{src}})
	if err == nil || !strings.Contains(err.Error(), "'constructed'") || !strings.Contains(err.Error(), "not supported by gorun") {
		t.Errorf("got %v", err)
	}
}

// TestBadVarsFilesFailLikeAnsible: a group_vars file that is not a mapping
// stops ansible-inventory with "failed to combine variables"; gorun returns
// the same error.
func TestBadVarsFilesFailLikeAnsible(t *testing.T) {
	for _, name := range []string{"list", "string"} {
		src, _ := filepath.Abs(filepath.Join("testdata/bad_vars", name, "hosts"))
		_, stderr, err := ansibleInventory(t, "-i", src, "--list")
		if err == nil {
			t.Fatalf("%s: ansible-inventory succeeded", name)
		}
		inv, err := Load(Options{Sources: []string{src}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ListJSON(inv)
		if err == nil || !strings.Contains(stderr, "ERROR! "+err.Error()) {
			t.Errorf("%s: gorun %v\nansible: %s", name, err, stderr)
		}
	}
}
