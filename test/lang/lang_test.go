package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// TestDifferential runs every case under ansible-playbook and gorun on one
// lab of three hosts and compares exit codes, recaps and shown results.
// GORUN_LANG_CASES=a,b limits the run to some cases (detached-jobs is
// runDetached's).
func TestDifferential(t *testing.T) {
	cases, err := filepath.Glob("cases/*/site.yml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	only := map[string]bool{}
	for _, c := range strings.Split(os.Getenv("GORUN_LANG_CASES"), ",") {
		if c != "" {
			only[c] = true
		}
	}
	lab := labenv.ForTest(t, 3)
	labInv := filepath.Join(t.TempDir(), "lab")
	if err := lab.WriteInventory(labInv, "ini"); err != nil {
		t.Fatal(err)
	}
	gorun := e2e.Gorun(t)
	// Two cases at a time: the cases only read the hosts, and the machine
	// has few cores.
	sem := make(chan struct{}, 2)
	t.Run("cases", func(t *testing.T) {
		for _, site := range cases {
			dir := filepath.Dir(site)
			name := filepath.Base(dir)
			if len(only) > 0 && !only[name] {
				continue
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				runCase(t, gorun, labInv, dir)
			})
		}
		if len(only) == 0 || only["detached-jobs"] {
			t.Run("detached-jobs", func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				runDetached(t, gorun, labInv)
			})
		}
	})
}

// runCase runs one case under both tools and compares.
func runCase(t *testing.T, gorun, labInv, dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	args := caseArgs(abs, labInv)
	// Each run gets a scratch directory of its own in GORUN_CASE_TMP, for
	// cases that change files on the controller (an inventory refreshed
	// mid-run).
	opts := e2e.Options{Dir: abs, Env: []string{"GORUN_CASE_TMP=" + t.TempDir()}}
	want := e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
	opts.Env = []string{"GORUN_CASE_TMP=" + t.TempDir()}
	got := e2e.Run(t, gorun, args, opts)
	report := func() string {
		return fmt.Sprintf("ansible-playbook %s\n--- ansible (exit %d):\n%s\n%s\n--- gorun (exit %d):\n%s\n%s",
			strings.Join(args, " "), want.ExitCode, want.Stdout, want.Stderr, got.ExitCode, got.Stdout, got.Stderr)
	}
	if want.ExitCode != got.ExitCode {
		t.Errorf("exit code: gorun %d, ansible %d", got.ExitCode, want.ExitCode)
	}
	if w, g := errorText(want.Stderr), errorText(got.Stderr); w != g {
		t.Errorf("errors differ:\n--- ansible:\n%s\n--- gorun:\n%s", w, g)
	}
	wt, err := Parse(want.Stdout)
	if err != nil {
		t.Fatalf("reading ansible's output: %v\n%s", err, report())
	}
	gt, err := Parse(got.Stdout)
	if err != nil {
		t.Fatalf("reading gorun's output: %v\n%s", err, report())
	}
	if !strings.Contains(want.Stdout, "PLAY RECAP") && errorText(want.Stderr) == "" {
		t.Errorf("ansible printed no recap: the case tests nothing")
	}
	for _, h := range Hosts(wt, gt) {
		if w, g := wt.Recap[h], gt.Recap[h]; w != g {
			t.Errorf("recap of %s: gorun %+v, ansible %+v", h, g, w)
		}
		if d := diffShown(wt.Shown[h], gt.Shown[h]); d != "" {
			t.Errorf("results of %s differ (- ansible, + gorun):\n%s", h, d)
		}
	}
	if w, g := e2e.NormalizeTranscript(want.Stdout), e2e.NormalizeTranscript(got.Stdout); w != g {
		// A case may say why its transcript cannot match (the reason is
		// in the file); its results and recap are still compared.
		if why, err := os.ReadFile(filepath.Join(abs, "transcript-differs")); err == nil {
			t.Logf("transcripts differ as expected (%s):\n%s", strings.TrimSpace(string(why)), lineDiff(w, g))
		} else {
			t.Errorf("normalised transcripts differ (- ansible, + gorun):\n%s", lineDiff(w, g))
		}
	}
	if keep := os.Getenv("GORUN_LANG_KEEP"); keep != "" {
		// Keep both transcripts for a closer look.
		base := filepath.Join(keep, filepath.Base(dir))
		os.WriteFile(base+".ansible", []byte(want.Stdout+want.Stderr), 0o644)
		os.WriteFile(base+".gorun", []byte(got.Stdout+got.Stderr), 0o644)
	} else if t.Failed() {
		t.Log(report())
	}
}

// diffShown lists where two hosts' result sequences part.
func diffShown(want, got []Shown) string {
	same := len(want) == len(got)
	for i := 0; same && i < len(want); i++ {
		same = want[i].Same(got[i])
	}
	if same {
		return ""
	}
	var b strings.Builder
	n := max(len(want), len(got))
	for i := 0; i < n; i++ {
		var w, g string
		if i < len(want) {
			w = want[i].String()
		}
		if i < len(got) {
			g = got[i].String()
		}
		if i < len(want) && i < len(got) && want[i].Same(got[i]) {
			continue
		}
		if w != "" {
			fmt.Fprintf(&b, "- %s\n", w)
		}
		if g != "" {
			fmt.Fprintf(&b, "+ %s\n", g)
		}
	}
	return b.String()
}

// lineDiff shows the lines of two texts from the first that differs, with
// a few lines of each side.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	from := max(0, i-3)
	var b strings.Builder
	fmt.Fprintf(&b, "line %d:\n", i+1)
	for _, l := range w[from:i] {
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

// errorText is what a run says after "ERROR!" on standard error (the error
// and the excerpt of the file), or "" when it has no error.
func errorText(stderr string) string {
	i := strings.Index(stderr, "ERROR!")
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(stderr[i:])
}
