// Package labdiff runs differential module tests: the same steps, as one
// playbook, with the real ansible-playbook on one fresh lab host and with
// gorun on another. Each step's registered result is printed with debug,
// and the results are compared step by step, and the hosts' state.
//
// Setup gives a test one pair of hosts; Pairs gives several tests of a
// package a pair each from one lab. DiffPlay compares one list of steps;
// DiffParts runs several tests' steps (Parts) as one play, so that a pair
// costs one ansible-playbook run rather than one a test.
package labdiff

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
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// Lab is a pair of lab hosts of one lab, one for each engine.
type Lab struct {
	*labenv.Lab
	inv, gorun string
	// Ansible and Mine are the names of the hosts of ansible-playbook and gorun.
	Ansible, Mine string
	// Pipelining runs ansible-playbook with ANSIBLE_PIPELINING=True: one
	// SSH session a task instead of four (temporary directory, upload,
	// chmod, run). Set it where the package's results were checked to be
	// the same with it; gorun's runs do not depend on it.
	Pipelining bool
}

// Setup brings up one lab of two hosts for t.
func Setup(t *testing.T) *Lab {
	t.Helper()
	return Pairs(t, 1)[0]
}

// Pairs brings up one lab of 2n hosts for t and returns n pairs of its
// hosts, so that n differential tests share the lab and may run at once.
func Pairs(t *testing.T, n int) []*Lab {
	t.Helper()
	l := labenv.ForTest(t, 2*n)
	inv := filepath.Join(t.TempDir(), "hosts")
	if err := l.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	bin := e2e.Gorun(t)
	pairs := make([]*Lab, n)
	for i := range pairs {
		pairs[i] = &Lab{Lab: l, inv: inv, gorun: bin, Ansible: l.Hosts[2*i].Name, Mine: l.Hosts[2*i+1].Name}
	}
	return pairs
}

// Step is one task of a differential play.
type Step struct {
	// Module and Args (YAML flow text) make the task.
	Module, Args string
	// Check and Diff set the task's check_mode and diff keywords.
	Check, Diff bool
	// Keys are the result keys whose values must agree; "changed" and
	// "failed" always must.
	Keys []string
	// Unordered are keys among Keys whose list values agree in any order
	// (Ansible builds them from a Python set).
	Unordered []string
}

// Shell is a step that reads host state: its stdout must agree.
func Shell(script string) Step {
	return Step{Module: "shell", Args: fmt.Sprintf("{cmd: %q}", script), Keys: []string{"stdout", "rc"}}
}

// Result is a registered module result.
type Result map[string]any

// Changed is the result's "changed".
func (r Result) Changed() bool { b, _ := r["changed"].(bool); return b }

// Failed is the result's "failed".
func (r Result) Failed() bool { b, _ := r["failed"].(bool); return b }

// String is the result as indented JSON.
func (r Result) String() string {
	b, _ := json.MarshalIndent(map[string]any(r), "", "  ")
	return string(b)
}

// playbook writes the steps as a playbook for host.
func playbook(host string, steps []Step) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- hosts: %s\n  gather_facts: false\n  tasks:\n", host)
	for i, s := range steps {
		fmt.Fprintf(&b, "    - name: step %d\n      %s: %s\n      register: r\n      ignore_errors: true\n", i, s.Module, s.Args)
		if s.Check {
			b.WriteString("      check_mode: true\n")
		}
		if s.Diff {
			b.WriteString("      diff: true\n")
		}
		fmt.Fprintf(&b, "    - name: result %d\n      debug: {var: r}\n", i)
	}
	return b.String()
}

// playTimeout is how long one play may run before it is killed (and the
// test fails). Plays of 30 to 50 steps of apt or git took 6 minutes with
// ansible-playbook on this machine under load, so e2e's 10 minutes are too
// near.
const playTimeout = 20 * time.Minute

// debugBlock matches a debug result printed by the default callback.
var debugBlock = regexp.MustCompile(`(?ms)^ok: \[(\S+)\] => (\{\n.*?\n\})$`)

// RunAnsible runs the steps with ansible-playbook on l.Ansible and
// returns the registered result of every step.
func (l *Lab) RunAnsible(t *testing.T, steps []Step) []Result {
	t.Helper()
	return l.run(t, "ansible-playbook", l.Ansible, steps)
}

// RunGorun runs the steps with gorun on l.Mine and returns the registered
// result of every step.
func (l *Lab) RunGorun(t *testing.T, steps []Step) []Result {
	t.Helper()
	return l.run(t, l.gorun, l.Mine, steps)
}

// run runs the steps with tool ("ansible-playbook" or gorun's path) on
// host and returns the registered result of every step.
func (l *Lab) run(t *testing.T, tool, host string, steps []Step) []Result {
	pb := filepath.Join(t.TempDir(), "play.yml")
	if err := os.WriteFile(pb, []byte(playbook(host, steps)), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-i", l.inv, pb}
	opts := e2e.Options{Timeout: playTimeout}
	var r e2e.Result
	if tool == "ansible-playbook" {
		if l.Pipelining {
			opts.Env = []string{"ANSIBLE_PIPELINING=True"}
		}
		r = e2e.AnsibleWith(t, opts, tool, args...)
	} else {
		r = e2e.Run(t, tool, args, opts)
	}
	t.Logf("%s: %d steps in %s", filepath.Base(tool), len(steps), r.Duration)
	var out []Result
	for _, m := range debugBlock.FindAllStringSubmatch(r.Stdout, -1) {
		var v struct{ R Result }
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

// DiffPlay runs steps with ansible-playbook on l.Ansible and gorun on
// l.Mine (at the same time) and fails for every step whose results
// disagree. It returns gorun's results.
func (l *Lab) DiffPlay(t *testing.T, steps []Step) []Result {
	t.Helper()
	return l.DiffPlays(t, steps, steps)
}

// DiffPlays is DiffPlay where the engines' steps differ in their
// arguments (a path only one host has, say): ansible runs on l.Ansible,
// mine on l.Mine, and the results are compared by mine's Keys.
func (l *Lab) DiffPlays(t *testing.T, ansible, mine []Step) []Result {
	t.Helper()
	var want []Result
	var wg sync.WaitGroup
	wg.Go(func() { want = l.RunAnsible(t, ansible) })
	got := l.RunGorun(t, mine)
	wg.Wait()
	if want == nil || got == nil {
		t.FailNow()
	}
	Compare(t, mine, want, got)
	return got
}

// Part is a piece of a differential play: its steps, and what a test
// checks of gorun's results beyond their agreeing with Ansible's.
type Part struct {
	Steps []Step
	// Check, if set, is given gorun's results of Steps.
	Check func(t *testing.T, got []Result)
}

// DiffParts runs the steps of every part, in order, as one DiffPlay (one
// ansible-playbook run instead of one a part), then each part's Check on
// its share of the results.
func (l *Lab) DiffParts(t *testing.T, parts ...Part) {
	t.Helper()
	runParts(t, l.DiffPlay, parts)
}

// GorunParts runs the steps of every part, in order, as one play with
// gorun alone (where Ansible is no reference), then each part's Check.
func (l *Lab) GorunParts(t *testing.T, parts ...Part) {
	t.Helper()
	runParts(t, l.RunGorun, parts)
}

// runParts runs the parts' steps with run, then each part's Check on its
// share of the results.
func runParts(t *testing.T, run func(*testing.T, []Step) []Result, parts []Part) {
	var steps []Step
	for _, p := range parts {
		steps = append(steps, p.Steps...)
	}
	got := run(t, steps)
	for _, p := range parts {
		if p.Check != nil {
			p.Check(t, got[:len(p.Steps)])
		}
		got = got[len(p.Steps):]
	}
}

// Compare fails for every step whose results, Ansible's want and gorun's
// got, disagree in "changed", "failed" or one of the step's Keys.
func Compare(t *testing.T, steps []Step, want, got []Result) {
	t.Helper()
	for i, s := range steps {
		for _, k := range append([]string{"changed", "failed"}, s.Keys...) {
			a, g := canonical(want[i][k], s.Unordered, k), canonical(got[i][k], s.Unordered, k)
			if a != g {
				t.Errorf("step %d (%s: %s): %s = %s, ansible %s\ngorun: %v\nansible: %v", i, s.Module, s.Args, k, g, a, got[i], want[i])
			}
		}
	}
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

// WantOutcomes fails unless each result is as its letter in outcomes
// says: c changed, o ok (neither changed nor failed), f failed, . anything
// (steps that read host state). Spaces in outcomes only group the letters.
func WantOutcomes(t *testing.T, got []Result, outcomes string) {
	t.Helper()
	outcomes = strings.ReplaceAll(outcomes, " ", "")
	if len(outcomes) != len(got) {
		t.Fatalf("%d outcomes for %d results", len(outcomes), len(got))
	}
	for i, r := range got {
		o := "o"
		switch {
		case r.Failed():
			o = "f"
		case r.Changed():
			o = "c"
		}
		if w := outcomes[i : i+1]; w != "." && w != o {
			t.Errorf("step %d: outcome %s, want %s: %v", i, o, w, r)
		}
	}
}

// Same fails unless the shell command prints the same on both hosts (run
// without SSH), and returns that output.
func (l *Lab) Same(t *testing.T, script string) string {
	t.Helper()
	var out [2]string
	for i, h := range []string{l.Ansible, l.Mine} {
		b, err := l.Exec(h, "sh", "-c", script)
		if err != nil {
			t.Fatalf("%s: %s: %v\n%s", h, script, err, b)
		}
		out[i] = string(b)
	}
	if out[0] != out[1] {
		t.Errorf("host state differs for %q:\nansible (%s): %q\ngorun   (%s): %q", script, l.Ansible, out[0], l.Mine, out[1])
	}
	return out[1]
}
