package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
	"gorun/test/lang"
)

// TestCorpusUnchanged runs every item of the corpus under ansible-playbook
// and gorun on one lab of two hosts and compares exit codes, recaps and
// normalised transcripts. Items gorun cannot run yet must be refused with
// the error their Missing note names. GORUN_CORPUS=a,b runs some items;
// GORUN_CORPUS_KEEP=dir keeps both transcripts of each item there;
// GORUN_CORPUS_FULL=1 runs the EXAMPLES of every module of Examples.
func TestCorpusUnchanged(t *testing.T) {
	if _, err := os.Stat(collections); err != nil {
		t.Skipf("Debian's ansible package is not installed: %v", err)
	}
	only := map[string]bool{}
	for _, n := range strings.Split(os.Getenv("GORUN_CORPUS"), ",") {
		if n != "" {
			only[n] = true
		}
	}
	lab := labenv.ForTest(t, 2)
	inv := filepath.Join(t.TempDir(), "lab")
	if err := lab.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	gorun := e2e.Gorun(t)
	var mu sync.Mutex
	outcome := map[string]string{}
	t.Run("items", func(t *testing.T) {
		// The items run concurrentItems at a time, in the order of the
		// list (the parts of the examples, the longest, first), from goroutines rather
		// than with t.Parallel, which go test limits to GOMAXPROCS (two
		// here) at a time.
		running := make(chan struct{}, concurrentItems)
		var wg sync.WaitGroup
		start := func(name string, run func(t *testing.T)) {
			running <- struct{}{}
			wg.Go(func() {
				defer func() { <-running }()
				t.Run(name, run)
			})
		}
		for i, part := range splitExamples(t, selectExamples(only), examplesParts) {
			start(fmt.Sprintf("examples-%d", i+1), func(t *testing.T) {
				for name, status := range runExamples(t, gorun, inv, part.exs, part.pipelined) {
					mu.Lock()
					outcome[name] = status
					mu.Unlock()
				}
			})
		}
		for _, it := range Items {
			if len(only) > 0 && !only[it.Name] {
				continue
			}
			if len(only) == 0 && it.Slow && os.Getenv("GORUN_CORPUS_FULL") == "" {
				continue
			}
			start(it.Name, func(t *testing.T) {
				status := runItem(t, gorun, inv, it)
				mu.Lock()
				outcome[it.Name] = status
				mu.Unlock()
			})
		}
		wg.Wait()
	})
	names := make([]string, 0, len(outcome))
	for n := range outcome {
		names = append(names, n)
	}
	sort.Strings(names)
	var report strings.Builder
	counts := map[string]int{}
	for _, n := range names {
		fmt.Fprintf(&report, "%-32s %s\n", n, outcome[n])
		counts[strings.TrimSuffix(strings.Fields(outcome[n])[0], ":")]++
	}
	t.Logf("corpus: %d items: %d pass, %d fail, %d differ as documented, %d missing (refused as documented)\n%s",
		len(names), counts["pass"], counts["FAIL"], counts["differs"], counts["missing"], report.String())
}

// concurrentItems is how many items run at once. An item is one
// ansible-playbook run and one gorun run, one after the other, on the
// lab's two hosts (in check mode, or leaving the hosts as found); much of
// an Ansible run is spent waiting for its hosts, so one more than the two
// cores.
const concurrentItems = 3

// pipelined is opts for an ansible-playbook run, pipelined if pipe: one
// SSH session a task instead of four (temporary directory, upload, chmod,
// run). The runs of the default set (all items but the Slow ones, the
// Quick examples) were checked to give the same transcripts with it (the
// same outcomes, and the same differences where documented), except
// ping's examples, which run without it (Example.Unpipelined). gorun's
// runs do not depend on it.
func pipelined(opts e2e.Options, pipe bool) e2e.Options {
	if pipe {
		opts.Env = append(append([]string(nil), opts.Env...), "ANSIBLE_PIPELINING=True")
	}
	return opts
}

// runItem runs one item and returns its outcome for the report: "pass",
// "FAIL ..." or "missing: why".
func runItem(t *testing.T, gorun, inv string, it Item) string {
	dir := t.TempDir()
	books, err := itemPlaybooks(dir, it)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-i", inv}, it.Args...)
	args = append(args, books...)
	// A hang fails the item instead of stalling the suite.
	opts := e2e.Options{Dir: dir, Timeout: 5 * time.Minute}
	if it.Missing != "" {
		got := e2e.Run(t, gorun, args, opts)
		if got.ExitCode == 0 || !strings.Contains(got.Stderr, it.MissingError) {
			t.Errorf("gorun should stop on %s (%s) with %q; it said (exit %d):\n%s%s",
				it.Name, it.Missing, it.MissingError, got.ExitCode, got.Stdout, got.Stderr)
			return "FAIL (not refused as documented)"
		}
		return "missing: " + it.Missing
	}
	want := e2e.AnsibleWith(t, pipelined(opts, !it.Slow), "ansible-playbook", args...)
	got := e2e.Run(t, gorun, args, opts)
	t.Logf("%s: ansible-playbook %s, gorun %s", it.Name, want.Duration.Round(time.Millisecond), got.Duration.Round(time.Millisecond))
	if keep := os.Getenv("GORUN_CORPUS_KEEP"); keep != "" {
		base := filepath.Join(keep, it.Name)
		os.WriteFile(base+".ansible", []byte(want.Stdout+want.Stderr), 0o644)
		os.WriteFile(base+".gorun", []byte(got.Stdout+got.Stderr), 0o644)
	}
	var problems []string
	if want.ExitCode != got.ExitCode {
		problems = append(problems, fmt.Sprintf("exit code: gorun %d, ansible %d", got.ExitCode, want.ExitCode))
	}
	wt, werr := lang.Parse(want.Stdout)
	gt, gerr := lang.Parse(got.Stdout)
	switch {
	case werr != nil || gerr != nil:
		problems = append(problems, fmt.Sprintf("reading the transcripts: ansible: %v, gorun: %v", werr, gerr))
	case len(wt.Recap) == 0:
		problems = append(problems, "ansible printed no recap: the item tests nothing")
	default:
		for _, h := range lang.Hosts(wt, gt) {
			if w, g := wt.Recap[h], gt.Recap[h]; w != g {
				problems = append(problems, fmt.Sprintf("recap of %s: gorun %+v, ansible %+v", h, g, w))
			}
		}
	}
	if w, g := e2e.NormalizeTranscript(want.Stdout), e2e.NormalizeTranscript(got.Stdout); w != g {
		problems = append(problems, "normalised transcripts differ (- ansible, + gorun):\n"+lineDiff(w, g))
	}
	switch {
	case len(problems) == 0 && it.Differs != "":
		t.Logf("%s now matches Ansible: drop its Differs note (%s)", it.Name, it.Differs)
		return "pass (documented as differing)"
	case len(problems) == 0:
		return "pass"
	case it.Differs != "":
		t.Logf("%s differs as documented (%s):\n%s", it.Name, it.Differs, strings.Join(problems, "\n"))
		return "differs: " + it.Differs
	}
	t.Errorf("%s differs from ansible-playbook:\n%s\n--- ansible (exit %d):\n%s%s\n--- gorun (exit %d):\n%s%s",
		it.Name, strings.Join(problems, "\n"), want.ExitCode, want.Stdout, want.Stderr, got.ExitCode, got.Stdout, got.Stderr)
	return "FAIL: " + strings.SplitN(problems[0], "\n", 2)[0]
}

// itemPlaybooks writes what an item needs into dir and returns the
// playbooks to run.
func itemPlaybooks(dir string, it Item) ([]string, error) {
	roles := it.Roles
	if it.Role != "" {
		roles = append([]string{it.Role}, roles...)
	}
	if len(roles) > 0 {
		book := filepath.Join(dir, "role.yml")
		var text strings.Builder
		for _, r := range roles {
			fmt.Fprintf(&text, "- name: role %s\n  hosts: lab\n  roles:\n    - %s\n", r, r)
		}
		return []string{book}, os.WriteFile(book, []byte(text.String()), 0o644)
	}
	return it.Playbooks, nil
}

// lineDiff shows two texts from the first line that differs.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "line %d:\n", i+1)
	for _, l := range w[max(0, i-3):i] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	for _, l := range w[i:min(len(w), i+8)] {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	for _, l := range g[i:min(len(g), i+8)] {
		fmt.Fprintf(&b, "+ %s\n", l)
	}
	return b.String()
}
