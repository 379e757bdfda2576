package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorun/test/e2e"
)

// runExamples runs the EXAMPLES of every module of Examples as one
// playbook, one check-mode play per module that ignores errors, under both
// tools, and compares each module's play in the normalised transcripts. It
// returns each module's outcome by item name ("examples-MODULE").
func runExamples(t *testing.T, gorun, inv string, only map[string]bool) map[string]string {
	dir := t.TempDir()
	var book strings.Builder
	var run []Example
	for _, ex := range Examples {
		switch {
		case len(only) > 0 && !only["examples"] && !only["examples-"+ex.Module]:
			continue
		case len(only) == 0 && !ex.Quick && os.Getenv("GORUN_CORPUS_FULL") == "":
			continue
		}
		text, err := ModuleExamples(ex.source())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, ex.Module+".yml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&book, `- name: EXAMPLES of %s
  hosts: lab
  gather_facts: false
  check_mode: true
  ignore_errors: true
  ignore_unreachable: true
  tasks:
    - import_tasks: %s.yml
`, ex.fqcn(), ex.Module)
		run = append(run, ex)
	}
	if len(run) == 0 {
		return nil
	}
	if err := os.WriteFile(filepath.Join(dir, "examples.yml"), []byte(book.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-i", inv, "examples.yml"}
	// One HOME for both runs: examples read it (lookup('env', 'HOME')).
	opts := e2e.Options{Dir: dir, Home: t.TempDir(), Timeout: 10 * time.Minute}
	want := e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
	got := e2e.Run(t, gorun, args, opts)
	if keep := os.Getenv("GORUN_CORPUS_KEEP"); keep != "" {
		os.WriteFile(filepath.Join(keep, "examples.ansible"), []byte(want.Stdout+want.Stderr), 0o644)
		os.WriteFile(filepath.Join(keep, "examples.gorun"), []byte(got.Stdout+got.Stderr), 0o644)
	}
	if want.ExitCode != got.ExitCode {
		t.Errorf("examples: exit code: gorun %d, ansible %d\n%s", got.ExitCode, want.ExitCode, got.Stderr)
	}
	wp, gp := plays(e2e.NormalizeTranscript(want.Stdout)), plays(e2e.NormalizeTranscript(got.Stdout))
	out := map[string]string{}
	for _, ex := range run {
		name := "examples-" + ex.Module
		key := "PLAY [EXAMPLES of " + ex.fqcn() + "]"
		w, g := wp[key], gp[key]
		switch {
		case w == "":
			t.Errorf("%s: ansible ran no such play", name)
			out[name] = "FAIL: ansible ran no such play"
		case w == g && ex.Differs != "":
			t.Logf("%s now matches Ansible: drop its Differs note (%s)", name, ex.Differs)
			out[name] = "pass (documented as differing)"
		case w == g:
			out[name] = "pass"
		case ex.Differs != "":
			t.Logf("%s differs as documented (%s):\n%s", name, ex.Differs, lineDiff(w, g))
			out[name] = "differs: " + ex.Differs
		default:
			t.Errorf("%s differs from ansible-playbook (- ansible, + gorun):\n%s", name, lineDiff(w, g))
			out[name] = "FAIL: transcripts differ"
		}
	}
	return out
}

// plays splits a normalised transcript into its plays, keyed by banner.
func plays(norm string) map[string]string {
	out := map[string]string{}
	cur := ""
	for _, l := range strings.Split(norm, "\n") {
		if strings.HasPrefix(l, "PLAY [") || l == "PLAY RECAP" {
			cur = l
		}
		if cur != "" {
			out[cur] += l + "\n"
		}
	}
	return out
}
