package system_test

import (
	"strings"
	"testing"
)

func testApt(t *testing.T, l *lab) {
	installed := shell("dpkg-query -W -f='${db:Status-Abbrev} ${Package}\\n' hello sl 2>&1 | sort; apt-mark showmanual hello sl")
	pkgs := `{name: [hello, sl], install_recommends: false}`
	steps := []step{
		// A real apt-get update takes minutes on a loaded machine; the lists the
		// lab hosts inherit are recent enough to install from, so the update
		// itself runs in check mode and the freshness check with a long validity.
		{module: "apt", args: "{update_cache: true}", check: true, keys: []string{"cache_updated", "cache_update_time"}},
		{module: "apt", args: "{update_cache: true, cache_valid_time: 315360000}", keys: []string{"cache_updated", "cache_update_time"}},
		{module: "apt", args: pkgs, check: true},
		installed,
		{module: "apt", args: pkgs, keys: []string{"cache_updated"}},
		installed,
		{module: "apt", args: "{name: hello, state: present}"},
		{module: "apt", args: "{name: hello, state: latest}"},
		{module: "package", args: "{name: hello, state: present}"},
		{module: "ansible.builtin.package", args: "{name: [hello, sl], state: absent}", check: true},
		{module: "apt", args: "{name: 'hello=2.10*'}"},
		{module: "apt", args: "{name: no-such-package-gorun}", keys: []string{"msg"}},
		{module: "apt", args: "{name: sl, state: absent, purge: true}"},
		installed,
		{module: "apt", args: "{name: sl, state: absent}"},
		{module: "apt", args: "{name: hello, state: absent}", check: true},
		installed,
	}
	got := l.diffPlay(t, steps)
	if !got[4].changed() || !strings.Contains(got[5]["stdout"].(string), "ii  hello") {
		t.Errorf("hello not installed: %v\n%v", got[4], got[5])
	}
}
