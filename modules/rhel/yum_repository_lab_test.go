package rhel_test

import (
	"gorun/test/labdiff"
	"strings"
	"testing"
)

// yumRepositoryPart writes, changes and removes repositories in .repo files
// with both engines and compares results, diffs and the files' bytes.
func yumRepositoryPart() labdiff.Part {
	keys := []string{"repo", "state", "diff", "msg"}
	steps := []step{
		shell("mkdir -p /etc/yum.repos.d && echo ok"),
		{Module: "yum_repository", Args: "{name: epel, description: EPEL YUM repo, baseurl: 'https://example.org/epel/$releasever/$basearch/'}", Check: true, Diff: true, Keys: keys},
		{Module: "yum_repository", Args: "{name: epel, description: EPEL YUM repo, baseurl: 'https://example.org/epel/$releasever/$basearch/'}", Diff: true, Keys: keys},
		{Module: "yum_repository", Args: "{name: epel, description: EPEL YUM repo, baseurl: 'https://example.org/epel/$releasever/$basearch/'}", Keys: keys},
		{Module: "ansible.builtin.yum_repository", Args: "{name: zabbix, description: Zabbix 6.0, file: external, baseurl: [http://a.example/z, http://b.example/z], gpgcheck: true, gpgkey: [http://a.example/key], exclude: [foo, 'bar*'], enabled: false, priority: 10, mode: '0600'}", Diff: true, Keys: keys},
		{Module: "yum_repository", Args: "{name: rpmforge, description: RPMforge, file: external, mirrorlist: http://m.example/list, sslverify: false, async: true, includepkgs: a}", Diff: true, Keys: keys},
		shell("cat /etc/yum.repos.d/epel.repo /etc/yum.repos.d/external.repo; stat -c %a /etc/yum.repos.d/external.repo"),
		// A hand-written file: comments, continuation lines, upper-case keys.
		shell("printf '# local\\n[local]\\nName = Local\\nbaseurl = file:///srv/a\\n  file:///srv/b\\n\\n; gone\\n[other]\\nname=x\\nbaseurl : y\\n' > /etc/yum.repos.d/local.repo; echo ok"),
		{Module: "yum_repository", Args: "{name: local, description: Local, baseurl: [file:///srv/a, file:///srv/b]}", Diff: true, Keys: keys},
		{Module: "yum_repository", Args: "{name: local, description: Local, baseurl: [file:///srv/a]}", Diff: true, Keys: keys},
		shell("cat /etc/yum.repos.d/local.repo"),
		{Module: "yum_repository", Args: "{name: other, file: local, state: absent}", Check: true, Diff: true, Keys: keys},
		{Module: "yum_repository", Args: "{name: other, file: local, state: absent}", Diff: true, Keys: keys},
		{Module: "yum_repository", Args: "{name: zabbix, file: external, state: absent, mode: '0640'}", Keys: keys},
		{Module: "yum_repository", Args: "{name: rpmforge, file: external, state: absent}", Diff: true, Keys: keys},
		shell("ls /etc/yum.repos.d; cat /etc/yum.repos.d/local.repo"),
		// Failures.
		{Module: "yum_repository", Args: "{name: x, description: X}", Keys: keys},
		{Module: "yum_repository", Args: "{name: x, baseurl: http://x}", Keys: keys},
		{Module: "yum_repository", Args: "{name: x, description: X, baseurl: http://x, reposdir: /nonexistent}", Keys: keys},
		{Module: "yum_repository", Args: "{name: x, description: X, baseurl: http://x, params: {a: 1}}", Keys: keys},
		// The files' bytes, the same on both hosts.
		shell("cd /etc/yum.repos.d && for f in *; do echo \"== $f\"; cat \"$f\"; done"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		if out, _ := got[len(got)-1]["stdout"].(string); !strings.Contains(out, "baseurl = https://example.org/epel/$releasever/$basearch/") {
			t.Errorf("epel.repo lacks its baseurl:\n%s", out)
		}
	}}
}
