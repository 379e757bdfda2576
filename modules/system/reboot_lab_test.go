package system_test

import (
	"testing"

	"gorun/test/labdiff"
)

// fakeReboot is what a reboot looks like from the controller, on a lab host
// (which has no init to reboot and shares the machine's kernel boot_id):
// a second later sshd stops listening, open sessions drop, the boot id in
// /var/lib/gorun-boot-id changes, and two seconds on sshd is back.
const fakeReboot = `#!/bin/sh
setsid nohup sh -c '
trap "" HUP
sleep 1
kill $(cat /run/sshd*.pid)
pkill -f "^sshd: "
cat /proc/sys/kernel/random/uuid > /var/lib/gorun-boot-id
sleep 2
/etc/gorun-lab/sshd-start
' </dev/null >/dev/null 2>&1 &
`

// rebootPart compares reboot where both engines behave the same on lab
// hosts: check mode, a "reboot" that only changes the boot id (so the boot
// time check passes at once), the post-reboot test command and its
// timeout, and a failing boot time command.
func rebootPart() labdiff.Part {
	keys := []string{"rebooted", "msg", "reboot"}
	newID := `reboot_command: "/bin/sh -c 'cat /proc/sys/kernel/random/uuid > /var/lib/gorun-boot-id'", boot_time_command: cat /var/lib/gorun-boot-id`
	steps := []step{
		{Module: "copy", Args: "{dest: /usr/local/sbin/gorun-reboot, mode: '0755', content: " + jsonString(fakeReboot) + "}"},
		shell("cat /proc/sys/kernel/random/uuid > /var/lib/gorun-boot-id && echo ok"),
		{Module: "reboot", Args: "{}", Check: true, Keys: append(keys, "elapsed")},
		{Module: "reboot", Args: "{" + newID + ", test_command: 'test -s /var/lib/gorun-boot-id'}", Keys: keys},
		{Module: "ansible.builtin.reboot", Args: "{" + newID + ", test_command: 'test -e /nonexistent', reboot_timeout: 4}", Keys: keys},
		// Ansible's message ends with its ssh's "Shared connection to ... closed."
		{Module: "reboot", Args: "{boot_time_command: 'exit 3'}", Keys: []string{"rebooted", "reboot"}},
		shell("echo still here"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, "c. ccff.")
	}}
}

// rebootOutagePart is the simulated reboot with an sshd outage (the
// script rebootPart installs), with gorun alone: across it ansible-playbook
// timed out in its boot time check in most runs on lab hosts (its ssh did
// not get back in within 60 seconds), so it is no reference there.
func rebootOutagePart() labdiff.Part {
	steps := []step{
		shell("cat /var/lib/gorun-boot-id"),
		{Module: "reboot", Args: "{reboot_command: /usr/local/sbin/gorun-reboot, boot_time_command: cat /var/lib/gorun-boot-id, reboot_timeout: 60}"},
		shell("cat /var/lib/gorun-boot-id"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, ".c.")
		if got[1]["rebooted"] != true || got[0]["stdout"] == got[2]["stdout"] {
			t.Errorf("the simulated reboot: %v, boot id %v then %v", got[1], got[0]["stdout"], got[2]["stdout"])
		}
	}}
}
