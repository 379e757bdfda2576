// Package labdiff runs differential module tests: the same steps, as one
// playbook, with the real ansible-playbook on one fresh lab host and with
// gorun on another. Each step's registered result is printed with debug,
// and the results are compared step by step, and the hosts' state.
package labdiff

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// Lab is a pair of lab hosts of one lab, one for each engine.
type Lab struct {
	*labenv.Lab
	inv, gorun string
	// Ansible and Mine are the names of the hosts of ansible-playbook and gorun.
	Ansible, Mine string
}

// Setup brings up one lab of two hosts for t.
func Setup(t *testing.T) *Lab {
	t.Helper()
	l := labenv.ForTest(t, 2)
	inv := filepath.Join(t.TempDir(), "hosts")
	if err := l.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	return &Lab{Lab: l, inv: inv, gorun: e2e.Gorun(t), Ansible: l.Hosts[0].Name, Mine: l.Hosts[1].Name}
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
}

// Shell is a step that reads host state: its stdout must agree.
func Shell(script string) Step {
	return Step{Module: "shell", Args: fmt.Sprintf("{cmd: %q}", script), Keys: []string{"stdout", "rc"}}
}

// Result is a registered module result.
type Result map[string]any

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

// debugBlock matches a debug result printed by the default callback.
var debugBlock = regexp.MustCompile(`(?ms)^ok: \[(\S+)\] => (\{\n.*?\n\})$`)

// runPlay runs the steps with tool ("ansible-playbook" or gorun's path) on
// host and returns the registered result of every step.
func (l *Lab) runPlay(t *testing.T, tool, host string, steps []Step) []Result {
	pb := filepath.Join(t.TempDir(), "play.yml")
	if err := os.WriteFile(pb, []byte(playbook(host, steps)), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-i", l.inv, pb}
	var r e2e.Result
	if tool == "ansible-playbook" {
		r = e2e.Ansible(t, tool, args...)
	} else {
		r = e2e.Run(t, tool, args, e2e.Options{})
	}
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
	var want []Result
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		want = l.runPlay(t, "ansible-playbook", l.Ansible, steps)
	}()
	got := l.runPlay(t, l.gorun, l.Mine, steps)
	wg.Wait()
	if want == nil || got == nil {
		t.FailNow()
	}
	for i, s := range steps {
		for _, k := range append([]string{"changed", "failed"}, s.Keys...) {
			a, _ := json.Marshal(want[i][k])
			g, _ := json.Marshal(got[i][k])
			if string(a) != string(g) {
				t.Errorf("step %d (%s: %s): %s = %s, ansible %s\ngorun: %v\nansible: %v", i, s.Module, s.Args, k, g, a, got[i], want[i])
			}
		}
	}
	return got
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
