package facts

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLocalFactsMatchAnsible puts JSON, INI, executable, failing and broken
// *.fact files in a fact_path and compares ansible_local with Ansible's.
func TestLocalFactsMatchAnsible(t *testing.T) {
	dir := t.TempDir()
	files := map[string]struct {
		body string
		mode os.FileMode
	}{
		"json.fact":    {`{"b": 1, "a": [true, null, "x"], "nested": {"k": 2.5}}`, 0o644},
		"ini.fact":     {"[DEFAULT]\nshared = d\n\n[first]\nName = one\nother: two\n  continued\npath = %(shared)s/x\n\n[second]\nk=v\n", 0o644},
		"exec.fact":    {"#!/bin/sh\necho '{\"from\": \"script\"}'\n", 0o755},
		"failing.fact": {"#!/bin/sh\necho oops >&2\nexit 3\n", 0o755},
		"broken.fact":  {"not json, not ini\n", 0o644},
		"empty.fact":   {"", 0o644},
		"ignored.txt":  {"{}", 0o644},
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(f.body), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	want := ansibleSetup(t, "gather_subset=!all,!min,local fact_path="+dir)
	var warnings []string
	got := gorunSetup(t, Options{Subset: []string{"!all", "!min", "local"}, FactPath: dir, Warn: func(w string) { warnings = append(warnings, w) }})
	if !reflect.DeepEqual(got["ansible_local"], want["ansible_local"]) {
		t.Errorf("ansible_local = %s\nansible has %s", trunc(got["ansible_local"]), trunc(want["ansible_local"]))
	}
	if len(warnings) != 2 {
		t.Errorf("warnings %q, want one for failing.fact and one for broken.fact", warnings)
	}
}
