package files_test

import (
	"os"
	"path/filepath"
	"testing"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// The self-checking playbooks of testdata/selfcheck (tasks followed by
// asserts on results and checksums, in the style of Ansible's integration
// targets) run in one playbook under ansible-playbook on h1, to show that
// their expectations are Ansible's, and under gorun on h2, beside the
// scenarios' runs. A failed assert ends
// the playbook's run on the host, so a play that reaches its end passes:
// the batch adds a last task that writes a marker on the controller.

// prepareSelfCheck writes the self-check's playbook, its last play named
// selfcheck/NAME (for the output's excerpts) and ending with the marker task, and registers it.
func (b *labBatch) prepareSelfCheck(t *testing.T, name string) {
	t.Helper()
	src := filepath.Join("testdata", "selfcheck", name+".yml")
	v, _, err := yamlx.LoadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	plays, ok := v.([]any)
	if !ok || len(plays) == 0 {
		t.Fatalf("%s: not a list of plays", src)
	}
	last, ok := plays[len(plays)-1].(*value.Dict)
	if !ok {
		t.Fatalf("%s: the last play is not a mapping", src)
	}
	last.Set("name", "selfcheck/"+name)
	tasks, _ := last.Get("tasks")
	list, ok := tasks.([]any)
	if !ok {
		t.Fatalf("%s: the last play has no list of tasks", src)
	}
	marker := value.DictOf(
		"copy", value.DictOf("content", "passed\n", "dest", "{{ dump_dir }}/"+selfCheckMarker(name)),
		"delegate_to", "localhost", "check_mode", false, "diff", false)
	last.Set("tasks", append(list, marker))
	writePlays(t, filepath.Join(b.dir, "selfcheck", name+".yml"), plays)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.selfChecks = append(b.selfChecks, name)
}

func selfCheckMarker(name string) string { return "selfcheck-" + name + ".passed" }

// checkSelfCheck fails unless both engines reached the end of the
// self-check's playbook.
func (b *labBatch) checkSelfCheck(t *testing.T, name string) {
	t.Helper()
	for _, key := range []string{"h1/selfcheck.yml", "h2/selfcheck.yml"} {
		r := b.runs[key]
		if _, err := os.Stat(filepath.Join(r.dumps, selfCheckMarker(name))); err != nil {
			what := "gorun fails"
			if r.engine == "ansible" {
				what = "ansible-playbook fails its own expectations"
			}
			t.Errorf("%s (exit %d):\n%s", what, r.res.ExitCode, r.excerpt("selfcheck/"+name))
		}
	}
}
