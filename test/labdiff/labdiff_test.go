package labdiff

import (
	"strings"
	"testing"
)

func TestPlaybookRegistersAndPrintsEveryStep(t *testing.T) {
	got := playbook("h1", []Step{
		{Module: "apt", Args: "{name: hello}", Check: true},
		Shell("echo 'x'"),
		{Module: "user", Args: "{name: bob}", Diff: true},
	})
	want := `- hosts: h1
  gather_facts: false
  tasks:
    - name: step 0
      apt: {name: hello}
      register: r
      ignore_errors: true
      check_mode: true
    - name: result 0
      debug: {var: r}
    - name: step 1
      shell: {cmd: "echo 'x'"}
      register: r
      ignore_errors: true
    - name: result 1
      debug: {var: r}
    - name: step 2
      user: {name: bob}
      register: r
      ignore_errors: true
      diff: true
    - name: result 2
      debug: {var: r}
`
	if got != want {
		t.Errorf("playbook:\n%s\nwant:\n%s", got, want)
	}
}

func TestCanonicalSortsOnlyUnorderedLists(t *testing.T) {
	v := []any{"b", "a", map[string]any{"k": 1}}
	if got := canonical(v, []string{"diff"}, "diff"); got != `["a","b",{"k":1}]` {
		t.Errorf("unordered: %s", got)
	}
	if got := canonical(v, []string{"diff"}, "msg"); got != `["b","a",{"k":1}]` {
		t.Errorf("ordered: %s", got)
	}
	if got := canonical("s", []string{"msg"}, "msg"); got != `"s"` {
		t.Errorf("scalar: %s", got)
	}
}

func TestRunPartsGivesEachPartItsResults(t *testing.T) {
	parts := []Part{
		{Steps: []Step{Shell("a"), Shell("b")}},
		{Steps: []Step{Shell("c")}},
		{Steps: []Step{Shell("d"), Shell("e")}},
	}
	var checked []string
	for i := range parts {
		parts[i].Check = func(t *testing.T, got []Result) {
			var ids []string
			for _, r := range got {
				ids = append(ids, r["stdout"].(string))
			}
			checked = append(checked, strings.Join(ids, ""))
		}
	}
	parts[1].Check = nil
	var ran int
	runParts(t, func(t *testing.T, steps []Step) []Result {
		ran++
		out := make([]Result, len(steps))
		for i := range steps {
			out[i] = Result{"stdout": string(rune('a' + i))}
		}
		return out
	}, parts)
	if ran != 1 || strings.Join(checked, " ") != "ab de" {
		t.Errorf("%d plays, checks saw %q; want 1 play, \"ab de\"", ran, checked)
	}
}

func TestResultOutcome(t *testing.T) {
	r := Result{"changed": true, "failed": false}
	if !r.Changed() || r.Failed() || (Result{}).Changed() {
		t.Errorf("Changed/Failed of %v", r)
	}
	if !strings.Contains(r.String(), `"changed": true`) {
		t.Errorf("String: %s", r)
	}
}
