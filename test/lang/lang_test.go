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
// GORUN_LANG_CASES=a,b limits the run to some cases.
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
	})
}

// runCase runs one case under both tools and compares.
func runCase(t *testing.T, gorun, labInv, dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-i", labInv}
	if _, err := os.Stat(filepath.Join(abs, "inventory")); err == nil {
		args = append(args, "-i", filepath.Join(abs, "inventory"))
	}
	if data, err := os.ReadFile(filepath.Join(abs, "args")); err == nil {
		for _, a := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if a = strings.TrimSpace(a); a != "" && !strings.HasPrefix(a, "#") {
				args = append(args, a)
			}
		}
	}
	args = append(args, "site.yml")
	opts := e2e.Options{Dir: abs}
	want := e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
	got := e2e.Run(t, gorun, args, opts)
	report := func() string {
		return fmt.Sprintf("ansible-playbook %s\n--- ansible (exit %d):\n%s\n%s\n--- gorun (exit %d):\n%s\n%s",
			strings.Join(args, " "), want.ExitCode, want.Stdout, want.Stderr, got.ExitCode, got.Stdout, got.Stderr)
	}
	if want.ExitCode != got.ExitCode {
		t.Errorf("exit code: gorun %d, ansible %d", got.ExitCode, want.ExitCode)
	}
	wt, err := Parse(want.Stdout)
	if err != nil {
		t.Fatalf("reading ansible's output: %v\n%s", err, report())
	}
	gt, err := Parse(got.Stdout)
	if err != nil {
		t.Fatalf("reading gorun's output: %v\n%s", err, report())
	}
	if !strings.Contains(want.Stdout, "PLAY RECAP") {
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
