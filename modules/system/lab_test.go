package system_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// The lab tests run the same steps twice, as one playbook: with the real
// ansible-playbook on one lab host and with gorun on another, two fresh hosts that start
// out identical. Each step's registered result is printed with debug, and the
// tests compare the results step by step, and the hosts' state.

// lab is a pair of lab hosts: ansible is Ansible's host, mine gorun's; gorun is
// the gorun binary.
type lab struct {
	*labenv.Lab
	inv, gorun    string
	ansible, mine string
}

// setup brings up a lab of two hosts for each of n tests and returns the pairs.
func setup(t *testing.T, n int) []*lab {
	t.Helper()
	l := labenv.ForTest(t, 2*n)
	inv := filepath.Join(t.TempDir(), "hosts")
	if err := l.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	bin := e2e.Gorun(t)
	pairs := make([]*lab, n)
	for i := range pairs {
		pairs[i] = &lab{Lab: l, inv: inv, gorun: bin, ansible: l.Hosts[2*i].Name, mine: l.Hosts[2*i+1].Name}
	}
	return pairs
}

// step is one task of a differential play.
type step struct {
	// module and args (YAML flow text, usually JSON) make the task.
	module, args string
	// check and diff set the task's check_mode and diff keywords.
	check, diff bool
	// keys are the result keys whose values must agree; "changed" and
	// "failed" always must.
	keys []string
	// unordered are keys among keys whose list values agree in any order
	// (Ansible builds them from a Python set).
	unordered []string
}

// shell is a step that reads host state: its stdout must agree.
func shell(script string) step {
	return step{module: "shell", args: fmt.Sprintf("{cmd: %q}", script), keys: []string{"stdout", "rc"}}
}

// result is a registered module result.
type result map[string]any

func (r result) changed() bool { b, _ := r["changed"].(bool); return b }
func (r result) failed() bool  { b, _ := r["failed"].(bool); return b }

func (r result) String() string {
	b, _ := json.MarshalIndent(map[string]any(r), "", "  ")
	return string(b)
}

// playbook writes the steps as a playbook for host.
func playbook(host string, steps []step) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- hosts: %s\n  gather_facts: false\n  tasks:\n", host)
	for i, s := range steps {
		fmt.Fprintf(&b, "    - name: step %d\n      %s: %s\n      register: r\n      ignore_errors: true\n", i, s.module, s.args)
		if s.check {
			b.WriteString("      check_mode: true\n")
		}
		if s.diff {
			b.WriteString("      diff: true\n")
		}
		fmt.Fprintf(&b, "    - name: result %d\n      debug: {var: r}\n", i)
	}
	return b.String()
}

// debugBlock matches a debug result printed by the default callback.
var debugBlock = regexp.MustCompile(`(?ms)^ok: \[(\S+)\] => (\{\n.*?\n\})$`)

// runPlay runs the steps with tool ("ansible-playbook" or gorun's path) on
// host and returns the registered result of every step.
func (l *lab) runPlay(t *testing.T, tool, host string, steps []step) []result {
	dir := t.TempDir()
	pb := filepath.Join(dir, "play.yml")
	if err := os.WriteFile(pb, []byte(playbook(host, steps)), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-i", l.inv, pb}
	var r e2e.Result
	defer func() { t.Logf("%s: %d steps in %s", filepath.Base(tool), len(steps), r.Duration) }()
	if tool == "ansible-playbook" {
		r = e2e.Ansible(t, tool, args...)
	} else {
		r = e2e.Run(t, tool, args, e2e.Options{})
	}
	var out []result
	for _, m := range debugBlock.FindAllStringSubmatch(r.Stdout, -1) {
		var v struct{ R result }
		if err := json.Unmarshal([]byte(m[2]), &v); err != nil {
			t.Fatalf("%s: debug output is not JSON: %v\n%s", tool, err, m[2])
		}
		out = append(out, v.R)
	}
	if len(out) != len(steps) {
		t.Fatalf("%s: %d results for %d steps (exit %d)\n%s\n%s", tool, len(out), len(steps), r.ExitCode, r.Stdout, r.Stderr)
	}
	return out
}

// diffPlay runs steps with ansible-playbook on l.ansible and gorun on l.mine (at the same
// time) and fails for every step whose results disagree. It returns gorun's results.
func (l *lab) diffPlay(t *testing.T, steps []step) []result {
	t.Helper()
	var want []result
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		want = l.runPlay(t, "ansible-playbook", l.ansible, steps)
	}()
	got := l.runPlay(t, l.gorun, l.mine, steps)
	wg.Wait()
	if want == nil || got == nil {
		t.FailNow()
	}
	for i, s := range steps {
		for _, k := range append([]string{"changed", "failed"}, s.keys...) {
			a, g := canonical(want[i][k], s.unordered, k), canonical(got[i][k], s.unordered, k)
			if a != g {
				t.Errorf("step %d (%s: %s): %s = %s, ansible %s\ngorun: %v\nansible: %v", i, s.module, s.args, k, g, a, got[i], want[i])
			}
		}
	}
	return got
}

// same fails unless the shell command prints the same on both hosts (run
// without SSH), and returns that output.
func (l *lab) same(t *testing.T, script string) string {
	t.Helper()
	var out [2]string
	for i, h := range []string{l.ansible, l.mine} {
		b, err := l.Exec(h, "sh", "-c", script)
		if err != nil {
			t.Fatalf("%s: %s: %v\n%s", h, script, err, b)
		}
		out[i] = string(b)
	}
	if out[0] != out[1] {
		t.Errorf("host state differs for %q:\nansible (%s): %q\ngorun   (%s): %q", script, l.ansible, out[0], l.mine, out[1])
	}
	return out[1]
}

// canonical is v as JSON, with the elements of a list sorted when key is
// one of unordered.
func canonical(v any, unordered []string, key string) string {
	l, isList := v.([]any)
	if !isList || !slices.Contains(unordered, key) {
		b, _ := json.Marshal(v)
		return string(b)
	}
	elems := make([]string, len(l))
	for i, e := range l {
		b, _ := json.Marshal(e)
		elems[i] = string(b)
	}
	sort.Strings(elems)
	return "[" + strings.Join(elems, ",") + "]"
}
