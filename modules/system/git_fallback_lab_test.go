package system_test

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// gitRepoScript makes the same repository wherever it runs ($1 is the
// directory): fixed authors and dates give the same commit IDs on the
// controller and on a lab host.
const gitRepoScript = `set -e
export GIT_AUTHOR_NAME=lab GIT_AUTHOR_EMAIL=lab@example.org GIT_COMMITTER_NAME=lab GIT_COMMITTER_EMAIL=lab@example.org
export GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z
rm -rf "$1/gsrc.git" "$1/gwork"
git init -q --bare -b main "$1/gsrc.git"
git init -q -b main "$1/gwork"
cd "$1/gwork"
echo one > f; mkdir d; echo two > d/g; printf '#!/bin/sh\necho run\n' > run.sh; chmod +x run.sh; ln -s f link
git add -A; git commit -qm first; git tag v1; git tag -a v1a -m annotated
git checkout -qb dev; echo dev > f; echo extra > e; git add -A; git commit -qm dev
git checkout -q main; echo three > f; git rm -q d/g; git commit -qam second
git push -q "$1/gsrc.git" main dev v1 v1a`

// gitPushScript adds a commit to main.
const gitPushScript = `set -e
export GIT_AUTHOR_NAME=lab GIT_AUTHOR_EMAIL=lab@example.org GIT_COMMITTER_NAME=lab GIT_COMMITTER_EMAIL=lab@example.org
export GIT_AUTHOR_DATE=2026-01-02T00:00:00Z GIT_COMMITTER_DATE=2026-01-02T00:00:00Z
cd "$1/gwork"; echo four > f; echo new > n; git add -A; git commit -qm third; git push -q "$1/gsrc.git" main`

// testGitFromController compares ansible.builtin.git on a host with git
// (Ansible's module) with gorun's on a host where git is hidden: gorun
// clones with go-git on the controller, from the same repository made on
// the controller, and pushes the checkout. Return values, check mode and
// the files left must agree, and the pushed .git must be a repository git
// accepts once it is back.
func testGitFromController(t *testing.T, l *labdiff.Lab) {
	ctrl := t.TempDir()
	for _, run := range []func(string) ([]byte, error){
		func(s string) ([]byte, error) { return exec.Command("sh", "-c", s, "sh", ctrl).CombinedOutput() },
		func(s string) ([]byte, error) { return l.Exec(l.Ansible, "sh", "-c", s, "sh", "/srv") },
	} {
		if out, err := run(gitRepoScript); err != nil {
			t.Fatalf("making the repository: %v\n%s", err, out)
		}
	}
	if out, err := l.Exec(l.Mine, "sh", "-c", "mv /usr/bin/git /usr/bin/git.gorun-hidden"); err != nil {
		t.Fatalf("hiding git: %v\n%s", err, out)
	}
	defer l.Exec(l.Mine, "sh", "-c", "mv /usr/bin/git.gorun-hidden /usr/bin/git")
	keys := []string{"before", "after", "remote_url_changed", "msg", "diff"}
	steps := func(repo string) []step {
		co := func(args string) string { return "{repo: " + repo + ", dest: /srv/gco, " + args + "}" }
		g := func(args string, check, diff bool, keys ...string) step {
			return step{Module: "git", Args: args, Check: check, Diff: diff, Keys: keys}
		}
		return []step{
			g(co("version: HEAD"), true, true, keys...),
			g(co("version: HEAD"), false, true, keys...),
			g(co("version: HEAD"), false, false, keys...),
			g(co("version: v1"), false, false, keys...),
			g(co("version: v1a"), false, false, keys...),
			g(co("version: dev"), true, false, keys...),
			g(co("version: dev"), false, false, keys...),
			shell("echo changed > /srv/gco/f && echo untracked > /srv/gco/new && echo ok"),
			g(co("version: dev"), false, false, keys...),
			g(co("version: dev, force: true"), false, false, keys...),
			g("{repo: "+repo+", dest: /srv/gnone, clone: false, version: v1a}", false, false, keys...),
			g(co("update: false"), false, false, keys...),
			g("{repo: "+repo+", dest: /srv/gum, umask: '0077'}", false, false, keys...),
			g("{repo: "+repo+", dest: /srv/gshallow, depth: 1, version: dev}", false, false, keys...),
			// The messages of these failures are git's or go-git's own.
			g("{repo: "+repo+"-missing, dest: /srv/gx}", false, false),
			g("{repo: "+repo+", dest: /srv/gum3, version: nosuchref}", false, false),
			shell("cd /srv/gco && cat f e new; ls -a; readlink link; cat .git/HEAD; stat -c '%a %n' run.sh /srv/gum/f; ls /srv/gshallow; test -e /srv/gnone || echo no gnone"),
		}
	}
	second := func(repo string) []step {
		co := "{repo: " + repo + ", dest: /srv/gco, version: main}"
		return []step{
			{Module: "git", Args: co, Check: true, Keys: keys},
			{Module: "ansible.builtin.git", Args: co, Diff: true, Keys: keys},
			{Module: "git", Args: co, Keys: keys},
			shell("cd /srv/gco && cat f n; ls -a"),
		}
	}
	mine := "file://" + ctrl + "/gsrc.git"
	l.DiffPlays(t, steps("/srv/gsrc.git"), steps(mine))
	for _, run := range []func(string) ([]byte, error){
		func(s string) ([]byte, error) { return exec.Command("sh", "-c", s, "sh", ctrl).CombinedOutput() },
		func(s string) ([]byte, error) { return l.Exec(l.Ansible, "sh", "-c", s, "sh", "/srv") },
	} {
		if out, err := run(gitPushScript); err != nil {
			t.Fatalf("pushing: %v\n%s", err, out)
		}
	}
	got := l.DiffPlays(t, second("/srv/gsrc.git"), second(mine))
	if d, _ := json.Marshal(got[1]["diff"]); !strings.Contains(string(d), "+four") {
		t.Errorf("the diff of main's new commit lacks its change: %s", d)
	}
	// With git back, the pushed checkout is a repository git reads as
	// Ansible's clone: same branch, commit, upstream, remote, and a clean
	// status. (Local branches of earlier checkouts, dev here, are not kept:
	// each push brings the controller's clone's .git.)
	l.Exec(l.Mine, "sh", "-c", "mv /usr/bin/git.gorun-hidden /usr/bin/git")
	a := l.Same(t, "cd /srv/gco && git status --porcelain && git log --format=%s -1 && git rev-parse --abbrev-ref HEAD && git rev-parse HEAD@{upstream} && git remote && { git fsck --no-progress 2>&1 | grep -v dangling || true; }")
	if !strings.Contains(a, "\nmain\n") {
		t.Errorf("the checkout is not on main: %s", a)
	}
}
