package rhel_test

import (
	"strings"
	"testing"
)

// testYumRepository writes, changes and removes repositories in .repo files
// with both engines and compares results, diffs and the files' bytes.
func testYumRepository(t *testing.T, l *lab) {
	keys := []string{"repo", "state", "diff", "msg"}
	steps := []step{
		shell("mkdir -p /etc/yum.repos.d && echo ok"),
		{module: "yum_repository", args: "{name: epel, description: EPEL YUM repo, baseurl: 'https://example.org/epel/$releasever/$basearch/'}", check: true, diff: true, keys: keys},
		{module: "yum_repository", args: "{name: epel, description: EPEL YUM repo, baseurl: 'https://example.org/epel/$releasever/$basearch/'}", diff: true, keys: keys},
		{module: "yum_repository", args: "{name: epel, description: EPEL YUM repo, baseurl: 'https://example.org/epel/$releasever/$basearch/'}", keys: keys},
		{module: "ansible.builtin.yum_repository", args: "{name: zabbix, description: Zabbix 6.0, file: external, baseurl: [http://a.example/z, http://b.example/z], gpgcheck: true, gpgkey: [http://a.example/key], exclude: [foo, 'bar*'], enabled: false, priority: 10, mode: '0600'}", diff: true, keys: keys},
		{module: "yum_repository", args: "{name: rpmforge, description: RPMforge, file: external, mirrorlist: http://m.example/list, sslverify: false, async: true, includepkgs: a}", diff: true, keys: keys},
		shell("cat /etc/yum.repos.d/epel.repo /etc/yum.repos.d/external.repo; stat -c %a /etc/yum.repos.d/external.repo"),
		// A hand-written file: comments, continuation lines, upper-case keys.
		shell("printf '# local\\n[local]\\nName = Local\\nbaseurl = file:///srv/a\\n  file:///srv/b\\n\\n; gone\\n[other]\\nname=x\\nbaseurl : y\\n' > /etc/yum.repos.d/local.repo; echo ok"),
		{module: "yum_repository", args: "{name: local, description: Local, baseurl: [file:///srv/a, file:///srv/b]}", diff: true, keys: keys},
		{module: "yum_repository", args: "{name: local, description: Local, baseurl: [file:///srv/a]}", diff: true, keys: keys},
		shell("cat /etc/yum.repos.d/local.repo"),
		{module: "yum_repository", args: "{name: other, file: local, state: absent}", check: true, diff: true, keys: keys},
		{module: "yum_repository", args: "{name: other, file: local, state: absent}", diff: true, keys: keys},
		{module: "yum_repository", args: "{name: zabbix, file: external, state: absent, mode: '0640'}", keys: keys},
		{module: "yum_repository", args: "{name: rpmforge, file: external, state: absent}", diff: true, keys: keys},
		shell("ls /etc/yum.repos.d; cat /etc/yum.repos.d/local.repo"),
		// Failures.
		{module: "yum_repository", args: "{name: x, description: X}", keys: keys},
		{module: "yum_repository", args: "{name: x, baseurl: http://x}", keys: keys},
		{module: "yum_repository", args: "{name: x, description: X, baseurl: http://x, reposdir: /nonexistent}", keys: keys},
		{module: "yum_repository", args: "{name: x, description: X, baseurl: http://x, params: {a: 1}}", keys: keys},
	}
	l.diffPlay(t, steps)
	out := l.same(t, "cd /etc/yum.repos.d && for f in *; do echo \"== $f\"; cat \"$f\"; done")
	if !strings.Contains(out, "baseurl = https://example.org/epel/$releasever/$basearch/") {
		t.Errorf("epel.repo lacks its baseurl:\n%s", out)
	}
}
