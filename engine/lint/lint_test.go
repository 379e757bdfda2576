package lint

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/module"
	"gorun/engine/playbook"
	_ "gorun/modules/all"
)

func lintFile(t *testing.T, path string) []Finding {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	l := &Linter{Loader: &playbook.Loader{
		PlaybookDir: filepath.Dir(abs),
		KnownAction: func(name string, collections []string) bool {
			_, ok := module.Lookup(name, collections...)
			return ok
		},
	}}
	return l.Playbook(abs)
}

func TestLintFindsEverythingBeforeConnecting(t *testing.T) {
	got := lintFile(t, "testdata/site/site.yml")
	want := []string{
		"roles/web/tasks/main.yml:6 missing-file template: could not find template 'other.j2'",
		"roles/web/tasks/main.yml:6 undefined-handler The requested handler 'reload web' was not found",
		"site.yml:4 module-args file: value of state must be one of",
		"site.yml:8 module-args copy: Unsupported parameters for (copy) module: colour.",
		"site.yml:13 missing-file copy: could not find file 'nothere.conf'",
		"site.yml:13 undefined-handler The requested handler 'restart nothing'",
		"site.yml:22 undefined-role the role 'ghost' was not found",
		"site.yml:24 missing-tasks-file include_tasks: could not find 'missing.yml'",
		"site.yml:25 unknown-module couldn't resolve module/action 'copyy'.",
		"site.yml:28 unknown-module couldn't resolve module/action 'community.nothere.thing'.",
	}
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d:\n%v", len(got), len(want), got)
	}
	base, _ := filepath.Abs("testdata/site")
	for i := 0; i < len(got) && i < len(want); i++ {
		f := got[i]
		rel, _ := filepath.Rel(base, f.Pos.File)
		line := rel + ":" + itoa(f.Pos.Line) + " " + f.Check + " " + f.Msg
		if !strings.HasPrefix(line, want[i]) {
			t.Errorf("finding %d:\n got %s\nwant %s...", i, line, want[i])
		}
		if f.Pos.Col == 0 {
			t.Errorf("finding %d has no column", i)
		}
	}
	for _, f := range got {
		if strings.Contains(f.Msg, "templated") || f.Pos.Line == 18 {
			t.Errorf("templated arguments must not be validated: %v", f)
		}
	}
}

func TestLintReportsYAMLErrorsWithPlace(t *testing.T) {
	got := lintFile(t, "testdata/broken/site.yml")
	if len(got) != 1 || got[0].Check != "syntax" || got[0].Pos.Line == 0 || !strings.HasSuffix(got[0].Pos.File, "site.yml") {
		t.Fatalf("want one syntax finding with a place, got %v", got)
	}
	if !strings.Contains(got[0].String(), "site.yml:") {
		t.Errorf("finding text lacks file:line:col: %s", got[0])
	}
}

func itoa(n int) string { return fmt.Sprint(n) }
