package system_test

import "testing"

func testDebianConfig(t *testing.T, l *lab) {
	keys := []string{"before", "after", "msg", "current", "previous", "diff"}
	steps := []step{
		{module: "dpkg_selections", args: "{name: sudo, selection: hold}", check: true, keys: keys},
		{module: "dpkg_selections", args: "{name: sudo, selection: hold}", keys: keys},
		{module: "dpkg_selections", args: "{name: sudo, selection: hold}", keys: keys},
		shell("dpkg --get-selections sudo hello"),
		{module: "dpkg_selections", args: "{name: hello, selection: purge}", keys: keys},
		{module: "dpkg_selections", args: "{name: sudo, selection: install}", keys: keys},
		shell("dpkg --get-selections sudo hello"),
		{module: "debconf", args: "{name: tzdata}", keys: keys},
		{module: "debconf", args: "{name: tzdata, question: tzdata/Areas, vtype: select, value: Europe}", check: true, diff: true, keys: keys},
		{module: "debconf", args: "{name: tzdata, question: tzdata/Areas, vtype: select, value: Europe}", diff: true, keys: keys},
		{module: "debconf", args: "{name: tzdata, question: tzdata/Areas, vtype: select, value: Europe}", keys: keys},
		{module: "debconf", args: "{name: tzdata, question: gorun/flag, vtype: boolean, value: 'True', unseen: true}", keys: keys},
		{module: "debconf", args: "{name: tzdata, question: tzdata/Areas}", keys: keys},
		shell("debconf-show tzdata | sort"),
		{module: "pam_limits", args: "{domain: '*', limit_type: soft, limit_item: nofile, value: '64000'}", check: true, keys: keys},
		{module: "pam_limits", args: "{domain: '*', limit_type: soft, limit_item: nofile, value: '64000'}", keys: keys},
		{module: "pam_limits", args: "{domain: '*', limit_type: soft, limit_item: nofile, value: '64000'}", keys: keys},
		{module: "community.general.pam_limits", args: "{domain: '@admins', limit_type: '-', limit_item: nproc, value: '100', comment: team}", keys: keys},
		{module: "pam_limits", args: "{domain: '@admins', limit_type: '-', limit_item: nproc, value: '50', use_max: true}", keys: keys},
		{module: "pam_limits", args: "{domain: '@admins', limit_type: '-', limit_item: nproc, value: '50', use_min: true}", keys: keys},
		{module: "pam_limits", args: "{domain: bob, limit_type: hard, limit_item: nice, value: '-25', dest: /etc/security/limits.d/gorun.conf}", keys: keys},
		{module: "pam_limits", args: "{domain: bob, limit_type: hard, limit_item: core, value: unlimited, dest: /etc/security/limits.d/gorun.conf}", keys: keys},
		shell("tail -n 5 /etc/security/limits.conf; cat /etc/security/limits.d/gorun.conf"),
		shell("cd /tmp && apt-get download hello >/dev/null 2>&1 && mv hello_*.deb hello.deb && echo downloaded"),
		{module: "apt", args: "{deb: /tmp/hello.deb}", check: true},
		{module: "apt", args: "{deb: /tmp/hello.deb}"},
		{module: "apt", args: "{deb: /tmp/hello.deb}"},
		{module: "apt", args: "{deb: /tmp/hello.deb, state: absent}", keys: []string{"msg"}},
		shell("dpkg-query -W -f='${db:Status-Abbrev} ${Version}' hello"),
		// This machine has no modprobe (nor loadable modules): both must fail alike.
		{module: "community.general.modprobe", args: "{name: dummy, state: present}", check: true, keys: []string{"msg", "name", "params", "state"}},
	}
	l.diffPlay(t, steps)
}
