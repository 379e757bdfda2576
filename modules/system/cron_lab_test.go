package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

func testCronSysctl(t *testing.T, l *labdiff.Lab) {
	tabs := shell("crontab -l 2>&1; echo ---; crontab -u eve -l 2>&1; echo ---; cat /etc/cron.d/gorun-test 2>&1; stat -c '%n %a' /etc/cron.d/gorun-test 2>&1; true")
	keys := []string{"jobs", "envs", "cron_file", "msg", "diff"}
	sysctls := shell("cat /etc/sysctl.d/90-gorun.conf 2>&1; sysctl -n net.ipv4.ip_forward net.core.somaxconn net.ipv4.tcp_syncookies")
	f := "sysctl_file: /etc/sysctl.d/90-gorun.conf"
	steps := []step{
		{Module: "apt", Args: "{name: cron, install_recommends: false}"},
		{Module: "user", Args: "{name: eve}"},
		{Module: "cron", Args: `{name: backup, minute: "0", hour: "3", job: /usr/local/bin/backup}`, Check: true, Diff: true, Keys: keys},
		{Module: "cron", Args: `{name: backup, minute: "0", hour: "3", job: /usr/local/bin/backup}`, Diff: true, Keys: keys},
		{Module: "cron", Args: `{name: backup, minute: "0", hour: "3", job: /usr/local/bin/backup}`, Keys: keys},
		{Module: "cron", Args: `{name: backup, minute: "30", hour: "3", job: /usr/local/bin/backup, disabled: true}`, Keys: keys},
		{Module: "cron", Args: `{name: PATH, env: true, job: "/usr/bin:/bin"}`, Keys: keys},
		{Module: "cron", Args: `{name: MAILTO, env: true, job: root, insertafter: PATH}`, Keys: keys},
		{Module: "cron", Args: `{name: MAILTO, env: true, job: root, insertafter: NOPE}`, Keys: keys},
		{Module: "cron", Args: `{name: boot, special_time: reboot, job: /bin/true, user: eve}`, Keys: keys},
		{Module: "cron", Args: `{name: boot, special_time: reboot, minute: "5", job: /bin/true}`, Keys: keys},
		{Module: "cron", Args: `{name: sweep, cron_file: gorun-test, user: root, weekday: "1-5", job: "find /tmp -mtime +7 -delete"}`, Keys: keys},
		{Module: "cron", Args: `{name: sweep, cron_file: gorun-test, job: x}`, Keys: keys},
		tabs,
		{Module: "cron", Args: `{name: backup, state: absent}`, Keys: keys},
		{Module: "cron", Args: `{name: PATH, env: true, state: absent}`, Keys: keys},
		{Module: "cron", Args: `{name: sweep, cron_file: gorun-test, state: absent}`, Keys: keys},
		tabs,
		{Module: "sysctl", Args: "{name: net.ipv4.ip_forward, value: '1', " + f + "}", Check: true},
		sysctls,
		{Module: "sysctl", Args: "{name: net.ipv4.ip_forward, value: '1', " + f + "}"},
		{Module: "sysctl", Args: "{name: net.ipv4.ip_forward, value: '1', " + f + "}"},
		{Module: "sysctl", Args: "{name: net.core.somaxconn, value: '1024', sysctl_set: true, reload: false, " + f + "}"},
		{Module: "sysctl", Args: "{name: net.ipv4.tcp_syncookies, value: 'no', sysctl_set: true, " + f + "}"},
		sysctls,
		{Module: "sysctl", Args: "{name: net.ipv4.ip_forward, state: absent, " + f + "}"},
		{Module: "sysctl", Args: "{name: net.no.such.key, value: '1', sysctl_file: /etc/sysctl.d/91-bad.conf}", Keys: []string{"msg"}},
		{Module: "sysctl", Args: "{name: net.no.such.key, value: '1', ignoreerrors: true, sysctl_file: /etc/sysctl.d/92-bad.conf}", Keys: []string{"msg"}},
		sysctls,
	}
	got := l.DiffPlay(t, steps)
	if s := got[13]["stdout"].(string); !strings.Contains(s, "#Ansible: backup\n#30 3 * * * /usr/local/bin/backup") || !strings.Contains(s, "@reboot /bin/true") {
		t.Errorf("crontabs:\n%s", s)
	}
}
