// Package callbacks compares gorun's notification callbacks (profile_tasks,
// timer) with ansible-playbook's on the same playbook.
package callbacks

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"gorun/test/e2e"
)

const play = `- hosts: localhost
  gather_facts: false
  tasks:
    - name: first
      command: "true"
    - name: a task with a long name that fills most of the line before the time
      command: "true"
    - debug: msg=hi
  handlers: []
`

// digits masks what differs from run to run: times and dates.
var digits = regexp.MustCompile(`[0-9]+`)

// weekday and month names are part of the timestamp line.
var names = regexp.MustCompile(`\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)\b`)

// TestProfileTasksAndTimerAsAnsible enables ansible.posix.profile_tasks and
// timer in both engines: the output must be the same once times are masked
// (the summary's order depends on timings, so only two tasks of clearly
// different length are compared there).
func TestProfileTasksAndTimerAsAnsible(t *testing.T) {
	dir := t.TempDir()
	pb := filepath.Join(dir, "profile.yml")
	if err := os.WriteFile(pb, []byte(play), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, verbosity := range []string{"-v", "-vv"} {
		opts := e2e.Options{Dir: dir, Env: []string{"ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks,ansible.posix.timer",
			"PROFILE_TASKS_SORT_ORDER=none"}}
		want := e2e.AnsibleWith(t, opts, "ansible-playbook", verbosity, "profile.yml")
		got := e2e.Run(t, e2e.Gorun(t), []string{verbosity, "profile.yml"}, opts)
		mask := func(s string) string { return names.ReplaceAllString(digits.ReplaceAllString(s, "N"), "DAY") }
		if g, w := mask(strip(got.Stdout)), mask(strip(want.Stdout)); g != w || got.ExitCode != want.ExitCode {
			t.Errorf("%s: exit %d (ansible %d); gorun:\n%s\nansible:\n%s", verbosity, got.ExitCode, want.ExitCode, g, w)
		}
	}
}

// preamble drops the lines only the CLIs' version preambles print.
var preamble = regexp.MustCompile(`(?m)^(ansible-playbook \[core.*|gorun .*compatible\)|  [a-z ]+ = .*|Skipping callback .*)\n`)

func strip(s string) string { return preamble.ReplaceAllString(s, "") }
