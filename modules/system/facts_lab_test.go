package system_test

import "testing"

// testFacts compares package_facts and service_facts: every installed
// package with its version, architecture, section and origin, and every
// SysV service with its state.
func testFacts(t *testing.T, l *lab) {
	keys := []string{"ansible_facts", "msg", "skipped"}
	steps := []step{
		{module: "package_facts", args: "{strategy: all}", keys: keys},
		{module: "ansible.builtin.package_facts", args: "{manager: [apt], strategy: all}", check: true, keys: keys},
		{module: "package_facts", args: "{manager: [pacman]}", keys: keys},
		{module: "service_facts", args: "{}", keys: keys},
		shell("test -e /etc/init.d/ssh && echo has ssh"),
	}
	got := l.diffPlay(t, steps)
	wantOutcomes(t, got, "oofo.")
	pkgs, _ := got[0]["ansible_facts"].(map[string]any)["packages"].(map[string]any)
	if len(pkgs) < 100 || pkgs["dpkg"] == nil {
		t.Errorf("package_facts found %d packages, without dpkg", len(pkgs))
	}
}
