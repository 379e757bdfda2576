package system_test

import "testing"

func testWaitForHostname(t *testing.T, l *lab) {
	keys := []string{"state", "port", "path", "search_regex", "match_groups", "match_groupdict", "msg"}
	steps := []step{
		{module: "wait_for", args: "{port: 22, timeout: 5}", keys: keys},
		{module: "wait_for", args: "{port: 22, host: 127.0.0.1, search_regex: OpenSSH, timeout: 5}", keys: keys},
		{module: "wait_for", args: "{port: 2, timeout: 2}", keys: keys},
		{module: "wait_for", args: "{port: 2, state: stopped, timeout: 2}", keys: keys},
		{module: "wait_for", args: "{path: /etc/hostname, timeout: 2}", keys: keys},
		{module: "wait_for", args: `{path: /etc/os-release, search_regex: 'VERSION_ID="(?P<v>\d+)"', timeout: 2}`, keys: keys},
		// A FIFO (like a socket) exists but cannot be read: waiting for it
		// is waiting for its existence.
		shell("mkfifo /tmp/wait_for.fifo"),
		{module: "wait_for", args: "{path: /tmp/wait_for.fifo, timeout: 2}", keys: keys},
		{module: "wait_for", args: "{path: /nonexistent, state: absent, timeout: 2}", keys: keys},
		{module: "wait_for", args: "{path: /nonexistent, timeout: 1, msg: custom}", keys: keys},
		{module: "wait_for", args: "{path: /etc/passwd, port: 22}", keys: keys},
		{module: "wait_for", args: "{timeout: 1}", keys: keys},
		{module: "hostname", args: "{name: web01.example.com}", check: true, keys: []string{"name"}},
		{module: "hostname", args: "{name: web01.example.com}", keys: []string{"name"}},
		{module: "hostname", args: "{name: web01.example.com}", keys: []string{"name"}},
		shell("cat /etc/hostname"),
		{module: "hostname", args: "{name: web01, use: systemd}", keys: []string{"name", "msg"}},
	}
	l.diffPlay(t, steps)
}
