package system_test

import (
	"testing"

	"gorun/test/labdiff"
)

func testWaitForHostname(t *testing.T, l *labdiff.Lab) {
	keys := []string{"state", "port", "path", "search_regex", "match_groups", "match_groupdict", "msg"}
	steps := []step{
		{Module: "wait_for", Args: "{port: 22, timeout: 5}", Keys: keys},
		{Module: "wait_for", Args: "{port: 22, host: 127.0.0.1, search_regex: OpenSSH, timeout: 5}", Keys: keys},
		{Module: "wait_for", Args: "{port: 2, timeout: 2}", Keys: keys},
		{Module: "wait_for", Args: "{port: 2, state: stopped, timeout: 2}", Keys: keys},
		{Module: "wait_for", Args: "{path: /etc/hostname, timeout: 2}", Keys: keys},
		{Module: "wait_for", Args: `{path: /etc/os-release, search_regex: 'VERSION_ID="(?P<v>\d+)"', timeout: 2}`, Keys: keys},
		// A FIFO (like a socket) exists but cannot be read: waiting for it
		// is waiting for its existence.
		shell("mkfifo /tmp/wait_for.fifo"),
		{Module: "wait_for", Args: "{path: /tmp/wait_for.fifo, timeout: 2}", Keys: keys},
		{Module: "wait_for", Args: "{path: /nonexistent, state: absent, timeout: 2}", Keys: keys},
		{Module: "wait_for", Args: "{path: /nonexistent, timeout: 1, msg: custom}", Keys: keys},
		{Module: "wait_for", Args: "{path: /etc/passwd, port: 22}", Keys: keys},
		{Module: "wait_for", Args: "{timeout: 1}", Keys: keys},
		{Module: "hostname", Args: "{name: web01.example.com}", Check: true, Keys: []string{"name"}},
		{Module: "hostname", Args: "{name: web01.example.com}", Keys: []string{"name"}},
		{Module: "hostname", Args: "{name: web01.example.com}", Keys: []string{"name"}},
		shell("cat /etc/hostname"),
		{Module: "hostname", Args: "{name: web01, use: systemd}", Keys: []string{"name", "msg"}},
	}
	l.DiffPlay(t, steps)
}
