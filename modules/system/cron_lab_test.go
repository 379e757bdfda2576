package system_test

import (
	"strings"
	"testing"
)

func testCronSysctl(t *testing.T, l *lab) {
	tabs := shell("crontab -l 2>&1; echo ---; crontab -u eve -l 2>&1; echo ---; cat /etc/cron.d/gorun-test 2>&1; stat -c '%n %a' /etc/cron.d/gorun-test 2>&1; true")
	keys := []string{"jobs", "envs", "cron_file", "msg", "diff"}
	sysctls := shell("cat /etc/sysctl.d/90-gorun.conf 2>&1; sysctl -n net.ipv4.ip_forward net.core.somaxconn net.ipv4.tcp_syncookies")
	f := "sysctl_file: /etc/sysctl.d/90-gorun.conf"
	steps := []step{
		{module: "apt", args: "{name: cron, install_recommends: false}"},
		{module: "user", args: "{name: eve}"},
		{module: "cron", args: `{name: backup, minute: "0", hour: "3", job: /usr/local/bin/backup}`, check: true, diff: true, keys: keys},
		{module: "cron", args: `{name: backup, minute: "0", hour: "3", job: /usr/local/bin/backup}`, diff: true, keys: keys},
		{module: "cron", args: `{name: backup, minute: "0", hour: "3", job: /usr/local/bin/backup}`, keys: keys},
		{module: "cron", args: `{name: backup, minute: "30", hour: "3", job: /usr/local/bin/backup, disabled: true}`, keys: keys},
		{module: "cron", args: `{name: PATH, env: true, job: "/usr/bin:/bin"}`, keys: keys},
		{module: "cron", args: `{name: MAILTO, env: true, job: root, insertafter: PATH}`, keys: keys},
		{module: "cron", args: `{name: MAILTO, env: true, job: root, insertafter: NOPE}`, keys: keys},
		{module: "cron", args: `{name: boot, special_time: reboot, job: /bin/true, user: eve}`, keys: keys},
		{module: "cron", args: `{name: boot, special_time: reboot, minute: "5", job: /bin/true}`, keys: keys},
		{module: "cron", args: `{name: sweep, cron_file: gorun-test, user: root, weekday: "1-5", job: "find /tmp -mtime +7 -delete"}`, keys: keys},
		{module: "cron", args: `{name: sweep, cron_file: gorun-test, job: x}`, keys: keys},
		tabs,
		{module: "cron", args: `{name: backup, state: absent}`, keys: keys},
		{module: "cron", args: `{name: PATH, env: true, state: absent}`, keys: keys},
		{module: "cron", args: `{name: sweep, cron_file: gorun-test, state: absent}`, keys: keys},
		tabs,
		{module: "sysctl", args: "{name: net.ipv4.ip_forward, value: '1', " + f + "}", check: true},
		sysctls,
		{module: "sysctl", args: "{name: net.ipv4.ip_forward, value: '1', " + f + "}"},
		{module: "sysctl", args: "{name: net.ipv4.ip_forward, value: '1', " + f + "}"},
		{module: "sysctl", args: "{name: net.core.somaxconn, value: '1024', sysctl_set: true, reload: false, " + f + "}"},
		{module: "sysctl", args: "{name: net.ipv4.tcp_syncookies, value: 'no', sysctl_set: true, " + f + "}"},
		sysctls,
		{module: "sysctl", args: "{name: net.ipv4.ip_forward, state: absent, " + f + "}"},
		{module: "sysctl", args: "{name: net.no.such.key, value: '1', sysctl_file: /etc/sysctl.d/91-bad.conf}", keys: []string{"msg"}},
		{module: "sysctl", args: "{name: net.no.such.key, value: '1', ignoreerrors: true, sysctl_file: /etc/sysctl.d/92-bad.conf}", keys: []string{"msg"}},
		sysctls,
	}
	got := l.diffPlay(t, steps)
	if s := got[13]["stdout"].(string); !strings.Contains(s, "#Ansible: backup\n#30 3 * * * /usr/local/bin/backup") || !strings.Contains(s, "@reboot /bin/true") {
		t.Errorf("crontabs:\n%s", s)
	}
}
