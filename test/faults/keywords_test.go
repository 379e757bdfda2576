package faults

import (
	"testing"
)

// keywordPlays are one playbook per keyword that decides what happens to
// a play when a host is unreachable.
var keywordPlays = map[string]string{
	"ignore_unreachable": `- hosts: lab
  gather_facts: false
  tasks:
    - command: "true"
      ignore_unreachable: true
    - command: "true"
`,
	"any_errors_fatal": `- hosts: lab
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - command: "true"
    - command: "true"
- hosts: lab
  gather_facts: false
  tasks:
    - command: "true"
`,
	"max_fail_percentage": `- hosts: lab
  gather_facts: false
  max_fail_percentage: 20
  tasks:
    - command: "true"
    - command: "true"
- hosts: lab
  gather_facts: false
  tasks:
    - command: "true"
`,
}

// testKeywords stops h2's sshd and runs each keyword's playbook with gorun
// and with ansible-playbook: recaps and exit codes must agree.
func (f *faultLab) testKeywords(t *testing.T) {
	if err := f.StopSSH("h2"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.StartSSH("h2") })
	for name, play := range keywordPlays {
		t.Run(name, func(t *testing.T) {
			pb := f.write(t, name+".yml", play)
			got, want := f.run(t, pb), f.ansible(t, pb)
			if got.ExitCode != want.ExitCode {
				t.Errorf("exit code %d, ansible-playbook's %d\n%s\n--- ansible-playbook:\n%s", got.ExitCode, want.ExitCode, got.Stdout, want.Stdout)
			}
			if g, w := recaps(got.Stdout), recaps(want.Stdout); len(w) == 0 || !equalRecaps(g, w) {
				t.Errorf("recap %+v, ansible-playbook's %+v\n%s\n--- ansible-playbook:\n%s", g, w, got.Stdout, want.Stdout)
			}
		})
	}
}

func equalRecaps(a, b map[string]Recap) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
