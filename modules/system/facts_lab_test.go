package system_test

import (
	"encoding/json"
	"testing"
)

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

// initScript is a SysV init script for a service that is a sleep process.
const initScript = `#!/bin/sh
### BEGIN INIT INFO
# Provides: gorun-svc
# Required-Start:
# Required-Stop:
# Default-Start: 2 3 4 5
# Default-Stop: 0 1 6
# Short-Description: gorun test service
### END INIT INFO
P=/run/gorun-svc.pid
case "$1" in
start) setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > $P; echo started ;;
stop) test -f $P && kill $(cat $P) 2>/dev/null; rm -f $P; echo stopped ;;
status) if test -f $P && kill -0 $(cat $P) 2>/dev/null; then echo "gorun-svc is running"; else echo "gorun-svc is stopped"; exit 3; fi ;;
*) exit 2 ;;
esac
`

// testSysvinit compares sysvinit on an init script of its own.
func testSysvinit(t *testing.T, l *lab) {
	keys := []string{"name", "status", "msg"}
	steps := []step{
		{module: "copy", args: "{dest: /etc/init.d/gorun-svc, mode: '0755', content: " + jsonString(initScript) + "}"},
		{module: "sysvinit", args: "{name: gorun-svc, state: started, enabled: true}", check: true, keys: keys},
		{module: "sysvinit", args: "{name: gorun-svc, state: started, enabled: true}", keys: keys},
		{module: "sysvinit", args: "{name: gorun-svc, state: started, enabled: true}", keys: keys},
		{module: "ansible.builtin.sysvinit", args: "{service: gorun-svc, state: stopped}", keys: keys},
		{module: "sysvinit", args: "{name: gorun-svc, state: restarted, sleep: 0}", keys: keys},
		{module: "sysvinit", args: "{name: gorun-svc, state: started, pattern: 'sleep 1000'}", keys: keys},
		{module: "sysvinit", args: "{name: gorun-svc, enabled: false, runlevels: ['2', '3']}", keys: keys},
		{module: "sysvinit", args: "{name: gorun-svc, enabled: false}", keys: keys},
		{module: "sysvinit", args: "{name: gorun-nosuch, state: started}", keys: keys},
		shell("ls /etc/rc?.d | grep gorun; service gorun-svc status"),
	}
	got := l.diffPlay(t, steps)
	wantOutcomes(t, got, "c cco cc o cc f .")

	// Ansible 2.14's daemonize fails with EOFError in service.py, so
	// gorun's runs alone.
	got = l.runPlay(t, l.gorun, l.mine, []step{
		{module: "sysvinit", args: "{name: gorun-svc, state: stopped, daemonize: true}"},
		{module: "sysvinit", args: "{name: gorun-svc, state: started, daemonize: true}"},
		shell("service gorun-svc status"),
	})
	wantOutcomes(t, got, "cc.")
	if out := got[2]["stdout"]; out != "gorun-svc is running" {
		t.Errorf("after a daemonized start: %q", out)
	}
}

// jsonString is s as a JSON (and YAML flow) string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
