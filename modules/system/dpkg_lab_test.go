package system_test

import (
	"testing"

	"gorun/test/labdiff"
)

func testDebianConfig(t *testing.T, l *labdiff.Lab) {
	keys := []string{"before", "after", "msg", "current", "previous", "diff"}
	steps := []step{
		{Module: "dpkg_selections", Args: "{name: sudo, selection: hold}", Check: true, Keys: keys},
		{Module: "dpkg_selections", Args: "{name: sudo, selection: hold}", Keys: keys},
		{Module: "dpkg_selections", Args: "{name: sudo, selection: hold}", Keys: keys},
		shell("dpkg --get-selections sudo hello"),
		{Module: "dpkg_selections", Args: "{name: hello, selection: purge}", Keys: keys},
		{Module: "dpkg_selections", Args: "{name: sudo, selection: install}", Keys: keys},
		shell("dpkg --get-selections sudo hello"),
		{Module: "debconf", Args: "{name: tzdata}", Keys: keys},
		{Module: "debconf", Args: "{name: tzdata, question: tzdata/Areas, vtype: select, value: Europe}", Check: true, Diff: true, Keys: keys},
		{Module: "debconf", Args: "{name: tzdata, question: tzdata/Areas, vtype: select, value: Europe}", Diff: true, Keys: keys},
		{Module: "debconf", Args: "{name: tzdata, question: tzdata/Areas, vtype: select, value: Europe}", Keys: keys},
		{Module: "debconf", Args: "{name: tzdata, question: gorun/flag, vtype: boolean, value: 'True', unseen: true}", Keys: keys},
		{Module: "debconf", Args: "{name: tzdata, question: tzdata/Areas}", Keys: keys},
		shell("debconf-show tzdata | sort"),
		{Module: "pam_limits", Args: "{domain: '*', limit_type: soft, limit_item: nofile, value: '64000'}", Check: true, Keys: keys},
		{Module: "pam_limits", Args: "{domain: '*', limit_type: soft, limit_item: nofile, value: '64000'}", Keys: keys},
		{Module: "pam_limits", Args: "{domain: '*', limit_type: soft, limit_item: nofile, value: '64000'}", Keys: keys},
		{Module: "community.general.pam_limits", Args: "{domain: '@admins', limit_type: '-', limit_item: nproc, value: '100', comment: team}", Keys: keys},
		{Module: "pam_limits", Args: "{domain: '@admins', limit_type: '-', limit_item: nproc, value: '50', use_max: true}", Keys: keys},
		{Module: "pam_limits", Args: "{domain: '@admins', limit_type: '-', limit_item: nproc, value: '50', use_min: true}", Keys: keys},
		{Module: "pam_limits", Args: "{domain: bob, limit_type: hard, limit_item: nice, value: '-25', dest: /etc/security/limits.d/gorun.conf}", Keys: keys},
		{Module: "pam_limits", Args: "{domain: bob, limit_type: hard, limit_item: core, value: unlimited, dest: /etc/security/limits.d/gorun.conf}", Keys: keys},
		shell("tail -n 5 /etc/security/limits.conf; cat /etc/security/limits.d/gorun.conf"),
		shell("cd /tmp && apt-get download hello >/dev/null 2>&1 && mv hello_*.deb hello.deb && echo downloaded"),
		{Module: "apt", Args: "{deb: /tmp/hello.deb}", Check: true},
		{Module: "apt", Args: "{deb: /tmp/hello.deb}"},
		{Module: "apt", Args: "{deb: /tmp/hello.deb}"},
		{Module: "apt", Args: "{deb: /tmp/hello.deb, state: absent}", Keys: []string{"msg"}},
		shell("dpkg-query -W -f='${db:Status-Abbrev} ${Version}' hello"),
		// This machine has no modprobe (nor loadable modules): both must fail alike.
		{Module: "community.general.modprobe", Args: "{name: dummy, state: present}", Check: true, Keys: []string{"msg", "name", "params", "state"}},
	}
	l.DiffPlay(t, steps)
}
