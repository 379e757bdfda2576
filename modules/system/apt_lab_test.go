package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

func testApt(t *testing.T, l *labdiff.Lab) {
	installed := shell("dpkg-query -W -f='${db:Status-Abbrev} ${Package}\\n' hello sl 2>&1 | sort; apt-mark showmanual hello sl")
	pkgs := `{name: [hello, sl], install_recommends: false}`
	steps := []step{
		// A real apt-get update takes minutes on a loaded machine; the lists the
		// lab hosts inherit are recent enough to install from, so the update
		// itself runs in check mode and the freshness check with a long validity.
		{Module: "apt", Args: "{update_cache: true}", Check: true, Keys: []string{"cache_updated", "cache_update_time"}},
		{Module: "apt", Args: "{update_cache: true, cache_valid_time: 315360000}", Keys: []string{"cache_updated", "cache_update_time"}},
		{Module: "apt", Args: pkgs, Check: true},
		installed,
		{Module: "apt", Args: pkgs, Keys: []string{"cache_updated"}},
		installed,
		{Module: "apt", Args: "{name: hello, state: present}"},
		{Module: "apt", Args: "{name: hello, state: latest}"},
		{Module: "package", Args: "{name: hello, state: present}"},
		{Module: "ansible.builtin.package", Args: "{name: [hello, sl], state: absent}", Check: true},
		{Module: "apt", Args: "{name: 'hello=2.10*'}"},
		{Module: "apt", Args: "{name: no-such-package-gorun}", Keys: []string{"msg"}},
		{Module: "apt", Args: "{name: sl, state: absent, purge: true}"},
		installed,
		{Module: "apt", Args: "{name: sl, state: absent}"},
		{Module: "apt", Args: "{name: hello, state: absent}", Check: true},
		installed,
	}
	got := l.DiffPlay(t, steps)
	if !got[4].Changed() || !strings.Contains(got[5]["stdout"].(string), "ii  hello") {
		t.Errorf("hello not installed: %v\n%v", got[4], got[5])
	}
}
