package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestLintCodeQualityReport(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "site.yml"), `- hosts: all
  tasks:
    - name: bad option
      file:
        path: /tmp/x
        colour: red
    - name: missing template
      template:
        src: nothere.j2
        dest: /tmp/y
`, 0o644)
	t.Setenv("HOME", dir)
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	if code := lintMain("gorun lint", []string{"--codeclimate", "cq.json", "site.yml"}, &stdout, &stderr); code != 2 {
		t.Fatalf("exit %d, want 2\n%s%s", code, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "site.yml:3:7: file: Unsupported parameters for (file) module: colour") ||
		!strings.HasPrefix(lines[1], "site.yml:7:7: template: could not find template 'nothere.j2'") {
		t.Errorf("plain findings:\n%s", stdout.String())
	}
	var issues []map[string]any
	if err := json.Unmarshal([]byte(read(t, filepath.Join(dir, "cq.json"))), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 2 {
		t.Fatalf("want 2 issues, got %v", issues)
	}
	fps := map[string]bool{}
	for _, is := range issues {
		// The fields GitLab's Code Quality report requires.
		loc, _ := is["location"].(map[string]any)
		lines, _ := loc["lines"].(map[string]any)
		if is["description"] == "" || is["check_name"] == "" || is["severity"] != "major" || loc["path"] != "site.yml" || lines["begin"] == nil {
			t.Errorf("incomplete issue: %v", is)
		}
		fps[is["fingerprint"].(string)] = true
	}
	if len(fps) != 2 {
		t.Errorf("fingerprints are not unique: %v", fps)
	}

	// A clean playbook: exit 0 and an empty report.
	write(t, filepath.Join(dir, "ok.yml"), "- hosts: all\n  tasks:\n    - debug: msg=hi\n", 0o644)
	stdout.Reset()
	if code := lintMain("gorun lint", []string{"--codeclimate", "ok.json", "ok.yml"}, &stdout, &stderr); code != 0 || stdout.Len() != 0 {
		t.Errorf("clean playbook: exit %d\n%s", code, stdout.String())
	}
	if got := strings.TrimSpace(read(t, filepath.Join(dir, "ok.json"))); got != "[]" {
		t.Errorf("clean report: %s", got)
	}
}
