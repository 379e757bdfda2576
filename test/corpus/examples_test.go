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

// examplesParts is how many ansible-playbook runs the examples are split
// into, so that they run beside each other and the items: in one run they
// were the corpus's longest item by far (4 minutes under load).
const examplesParts = 3

// selectExamples returns the modules of Examples whose EXAMPLES run: the
// Quick ones, every one with GORUN_CORPUS_FULL=1, or those GORUN_CORPUS
// names ("examples" for all).
func selectExamples(only map[string]bool) []Example {
	var out []Example
	for _, ex := range Examples {
		switch {
		case len(only) > 0 && !only["examples"] && !only["examples-"+ex.Module]:
			continue
		case len(only) == 0 && !ex.Quick && os.Getenv("GORUN_CORPUS_FULL") == "":
			continue
		}
		out = append(out, ex)
	}
	return out
}

// examplesPart is the modules whose EXAMPLES one ansible-playbook run
// (pipelined or not) and one gorun run play.
type examplesPart struct {
	exs       []Example
	pipelined bool
}

// splitExamples splits exs, in their order, into at most n pipelined
// parts of about the same number of tasks (the top-level list entries of
// their EXAMPLES), from the Quick examples that may run pipelined, and
// one more part of the others, if any.
func splitExamples(t *testing.T, exs []Example, n int) []examplesPart {
	var pipe, rest []Example
	for _, ex := range exs {
		if ex.Quick && !ex.Unpipelined {
			pipe = append(pipe, ex)
		} else {
			rest = append(rest, ex)
		}
	}
	tasks := make([]int, len(pipe))
	total := 0
	for i, ex := range pipe {
		text, err := ModuleExamples(ex.source())
		if err != nil {
			t.Fatal(err)
		}
		tasks[i] = max(1, strings.Count("\n"+text, "\n- "))
		total += tasks[i]
	}
	var parts []examplesPart
	var part []Example
	sum := 0
	for i, ex := range pipe {
		part = append(part, ex)
		sum += tasks[i]
		if sum*n >= total*(len(parts)+1) && len(parts) < n-1 {
			parts = append(parts, examplesPart{part, true})
			part = nil
		}
	}
	if len(part) > 0 {
		parts = append(parts, examplesPart{part, true})
	}
	if len(rest) > 0 {
		parts = append(parts, examplesPart{rest, false})
	}
	return parts
}

// runExamples runs the EXAMPLES of the modules exs as one playbook, one
// check-mode play per module that ignores errors, under both tools
// (Ansible pipelined if pipe), and compares each module's play in the
// normalised transcripts. It returns each module's outcome by item name
// ("examples-MODULE").
func runExamples(t *testing.T, gorun, inv string, exs []Example, pipe bool) map[string]string {
	dir := t.TempDir()
	var book strings.Builder
	var run []Example
	for _, ex := range exs {
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
	want := e2e.AnsibleWith(t, pipelined(opts, pipe), "ansible-playbook", args...)
	got := e2e.Run(t, gorun, args, opts)
	t.Logf("examples of %d modules: ansible-playbook %s, gorun %s", len(run), want.Duration.Round(time.Millisecond), got.Duration.Round(time.Millisecond))
	if keep := os.Getenv("GORUN_CORPUS_KEEP"); keep != "" {
		base := filepath.Join(keep, "examples-"+run[0].Module)
		os.WriteFile(base+".ansible", []byte(want.Stdout+want.Stderr), 0o644)
		os.WriteFile(base+".gorun", []byte(got.Stdout+got.Stderr), 0o644)
	}
	if want.ExitCode != got.ExitCode {
		t.Errorf("examples of %s to %s: exit code: gorun %d, ansible %d\n%s", run[0].Module, run[len(run)-1].Module, got.ExitCode, want.ExitCode, got.Stderr)
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
