package system_test

import (
	"encoding/json"
	"testing"

	"gorun/test/labdiff"
)

// factsPart compares package_facts and service_facts: every installed
// package with its version, architecture, section and origin, and every
// SysV service with its state.
func factsPart() labdiff.Part {
	keys := []string{"ansible_facts", "msg", "skipped"}
	steps := []step{
		{Module: "package_facts", Args: "{strategy: all}", Keys: keys},
		{Module: "ansible.builtin.package_facts", Args: "{manager: [apt], strategy: all}", Check: true, Keys: keys},
		{Module: "package_facts", Args: "{manager: [pacman]}", Keys: keys},
		{Module: "service_facts", Args: "{}", Keys: keys},
		shell("test -e /etc/init.d/ssh && echo has ssh"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, "oofo.")
		pkgs, _ := got[0]["ansible_facts"].(map[string]any)["packages"].(map[string]any)
		if len(pkgs) < 100 || pkgs["dpkg"] == nil {
			t.Errorf("package_facts found %d packages, without dpkg", len(pkgs))
		}
	}}
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

// sysvinitPart compares sysvinit on an init script of its own.
func sysvinitPart() labdiff.Part {
	keys := []string{"name", "status", "msg"}
	steps := []step{
		{Module: "copy", Args: "{dest: /etc/init.d/gorun-svc, mode: '0755', content: " + jsonString(initScript) + "}"},
		{Module: "sysvinit", Args: "{name: gorun-svc, state: started, enabled: true}", Check: true, Keys: keys},
		{Module: "sysvinit", Args: "{name: gorun-svc, state: started, enabled: true}", Keys: keys},
		{Module: "sysvinit", Args: "{name: gorun-svc, state: started, enabled: true}", Keys: keys},
		{Module: "ansible.builtin.sysvinit", Args: "{service: gorun-svc, state: stopped}", Keys: keys},
		{Module: "sysvinit", Args: "{name: gorun-svc, state: restarted, sleep: 0}", Keys: keys},
		{Module: "sysvinit", Args: "{name: gorun-svc, state: started, pattern: 'sleep 1000'}", Keys: keys},
		{Module: "sysvinit", Args: "{name: gorun-svc, enabled: false, runlevels: ['2', '3']}", Keys: keys},
		{Module: "sysvinit", Args: "{name: gorun-svc, enabled: false}", Keys: keys},
		{Module: "sysvinit", Args: "{name: gorun-nosuch, state: started}", Keys: keys},
		shell("ls /etc/rc?.d | grep gorun; service gorun-svc status"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, "c cco cc o cc f .")
	}}
}

// sysvinitDaemonizePart stops and starts sysvinitPart's service with
// daemonize, with gorun alone: Ansible 2.14's daemonize fails with EOFError
// in service.py.
func sysvinitDaemonizePart() labdiff.Part {
	steps := []step{
		{Module: "sysvinit", Args: "{name: gorun-svc, state: stopped, daemonize: true}"},
		{Module: "sysvinit", Args: "{name: gorun-svc, state: started, daemonize: true}"},
		shell("service gorun-svc status"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, "cc.")
		if out := got[2]["stdout"]; out != "gorun-svc is running" {
			t.Errorf("after a daemonized start: %q", out)
		}
	}}
}

// jsonString is s as a JSON (and YAML flow) string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
