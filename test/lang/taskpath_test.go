package lang

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// taskPathCases are the cases whose -vv "task path:" lines are compared:
// tasks of the play, of roles (and their argument specs), of imported and
// included files, of blocks and of handlers, and of a JSON playbook
// (whose tasks have none).
var taskPathCases = []string{"roles", "includes", "blocks", "handlers", "argspecs", "json-playbook"}

var (
	taskPathLine = regexp.MustCompile(`^task path: `)
	bannerLine   = regexp.MustCompile(`^(TASK|RUNNING HANDLER) \[.*\] \*+$`)
)

// TestTaskPathVerbose runs some cases with -vv under both tools and compares
// every task banner with the "task path: FILE:LINE" line that follows it.
func TestTaskPathVerbose(t *testing.T) {
	lab := labenv.ForTest(t, 3)
	labInv := filepath.Join(t.TempDir(), "lab")
	if err := lab.WriteInventory(labInv, "ini"); err != nil {
		t.Fatal(err)
	}
	gorun := e2e.Gorun(t)
	for _, name := range taskPathCases {
		t.Run(name, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("cases", name))
			if err != nil {
				t.Fatal(err)
			}
			args := append([]string{"-vv"}, caseArgs(dir, labInv)...)
			opts := e2e.Options{Dir: dir}
			want := taskPaths(e2e.AnsibleWith(t, opts, "ansible-playbook", args...).Stdout)
			got := taskPaths(e2e.Run(t, gorun, args, opts).Stdout)
			if len(want) == 0 {
				t.Fatal("ansible-playbook -vv printed no task path")
			}
			if w, g := strings.Join(want, "\n"), strings.Join(got, "\n"); w != g {
				t.Errorf("task paths differ (- ansible, + gorun):\n%s", lineDiff(w, g))
			}
		})
	}
}

// taskPaths lists each banner followed by the task path line printed under
// it ("" when none).
func taskPaths(out string) []string {
	var list []string
	banner := ""
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimRight(l, " \r")
		switch {
		case bannerLine.MatchString(l):
			if banner != "" {
				list = append(list, banner+" => (no task path)")
			}
			banner = strings.TrimRight(strings.TrimRight(l, "*"), " ")
		case taskPathLine.MatchString(l) && banner != "":
			list = append(list, banner+" => "+l)
			banner = ""
		}
	}
	if banner != "" {
		list = append(list, banner+" => (no task path)")
	}
	return list
}
