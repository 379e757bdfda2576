package system_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// testKnownHosts compares known_hosts: keys added, replaced, hashed and
// removed, in a file of its own and in root's default one.
func testKnownHosts(t *testing.T, l *lab) {
	ed1, ed2, ec := sshKey(t, "ed25519"), sshKey(t, "ed25519"), sshKey(t, "ecdsa")
	keys := []string{"name", "key", "path", "hash_host", "state", "diff", "msg", "mode", "owner"}
	kh := func(args string) string { return "{path: /root/kh, " + args + "}" }
	steps := []step{
		{module: "known_hosts", args: kh("name: gorun.test, key: 'gorun.test " + ed1 + "'"), check: true, diff: true, keys: keys},
		{module: "known_hosts", args: kh("name: gorun.test, key: 'gorun.test " + ed1 + "'"), diff: true, keys: keys},
		{module: "known_hosts", args: kh("name: gorun.test, key: 'gorun.test " + ed1 + "'"), keys: keys},
		{module: "known_hosts", args: kh("name: Other.test, key: 'other.test,10.0.0.9 " + ec + "'"), diff: true, keys: keys},
		{module: "known_hosts", args: kh("name: gorun.test, key: 'gorun.test " + ed2 + "'"), diff: true, keys: keys},
		{module: "known_hosts", args: kh("name: gorun.test, key: 'gorun.test " + ec + "'"), keys: keys},
		{module: "known_hosts", args: kh("name: other.test, key: 'other.test " + ed1 + "', state: absent"), diff: true, keys: keys},
		{module: "known_hosts", args: kh("name: 10.0.0.9, key: 'other.test,10.0.0.9 " + ec + "', state: absent"), diff: true, keys: keys},
		{module: "known_hosts", args: kh("name: gorun.test, state: absent"), check: true, keys: keys},
		{module: "known_hosts", args: kh("name: gorun.test, state: absent"), keys: keys},
		{module: "known_hosts", args: kh("name: a.test, key: 'b.test " + ed1 + "'"), keys: keys},
		{module: "known_hosts", args: kh("name: 'a.test, b.test', key: 'a.test " + ed1 + "'"), keys: keys},
		{module: "known_hosts", args: kh("name: a.test"), keys: keys},
		{module: "ansible.builtin.known_hosts", args: "{host: x.test, key: 'x.test " + ed1 + "'}", keys: keys},
		{module: "known_hosts", args: kh("name: hashed.test, key: 'hashed.test " + ed1 + "', hash_host: true"), keys: []string{"name", "path", "hash_host", "state"}},
		{module: "known_hosts", args: kh("name: hashed.test, key: 'hashed.test " + ed1 + "', hash_host: true"), keys: []string{"name", "path", "hash_host", "state"}},
		shell("grep -v '^|1|' /root/kh; grep -c '^|1|' /root/kh; stat -c %a /root/kh; ls /root/kh.old; tail -n1 /root/.ssh/known_hosts"),
	}
	got := l.diffPlay(t, steps)
	wantOutcomes(t, got, "ccoccc occc fffc co .")
}

// sshKey makes a new key pair of type kind and returns the public key's
// type and base64 fields.
func sshKey(t *testing.T, kind string) string {
	dir := t.TempDir()
	f := filepath.Join(dir, "key")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", kind, "-N", "", "-f", f).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(f + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(pub))
	return fields[0] + " " + fields[1]
}

// gitSetup makes the same repositories on both hosts: /srv/work with
// commits of fixed dates (so their ids agree), its bare clone /srv/src.git,
// and /srv/src2.git, a copy.
const gitSetup = `set -e
export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z' GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
git init -q -b main /srv/work && cd /srv/work
echo one > f && git add f && git commit -qm one && git tag v1 && git tag -a v1a -m annotated
echo two > f && git commit -qam two
git checkout -q -b dev && echo three > f && git commit -qam three && git checkout -q main
git clone -q --bare /srv/work /srv/src.git && cp -a /srv/src.git /srv/src2.git && echo ok`

// gitPush adds a commit to main in /srv/src.git.
const gitPush = `set -e
export GIT_AUTHOR_DATE='2024-01-02T00:00:00Z' GIT_COMMITTER_DATE='2024-01-02T00:00:00Z' GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
cd /srv/work && echo four > f && git commit -qam four && git push -q /srv/src.git main && echo ok`

// testGit compares git: clones (full, shallow, bare, umask), checkouts of
// tags and branches, local modifications, updates, remote URL changes and
// ls-remote-only runs, all from repositories on the host itself.
func testGit(t *testing.T, l *lab) {
	keys := []string{"before", "after", "remote_url_changed", "msg", "diff", "submodules_changed", "warnings"}
	co := func(args string) string { return "{repo: /srv/src.git, dest: /srv/co, " + args + "}" }
	steps := []step{
		shell(gitSetup),
		{module: "git", args: co("version: HEAD"), check: true, diff: true, keys: keys},
		{module: "git", args: co("version: HEAD"), diff: true, keys: keys},
		{module: "git", args: co("version: HEAD"), keys: keys},
		{module: "git", args: co("version: v1"), diff: true, keys: keys},
		{module: "git", args: co("version: v1a"), keys: keys},
		{module: "git", args: co("version: dev"), check: true, keys: keys},
		{module: "git", args: co("version: dev"), keys: keys},
		shell("echo changed > /srv/co/f && echo untracked > /srv/co/new && echo ok"),
		{module: "git", args: co("version: dev"), keys: keys},
		{module: "git", args: co("version: dev, force: true"), keys: keys},
		shell(gitPush),
		{module: "git", args: co("version: main"), check: true, diff: true, keys: keys},
		{module: "ansible.builtin.git", args: co("version: main"), diff: true, keys: keys},
		{module: "git", args: "{repo: file:///srv/src2.git, dest: /srv/co}", keys: keys},
		{module: "git", args: "{repo: file:///srv/src.git, dest: /srv/shallow, depth: 1, version: dev}", keys: keys},
		{module: "git", args: "{repo: file:///srv/src.git, dest: /srv/shallow, depth: 1, version: main}", keys: keys},
		{module: "git", args: "{repo: /srv/src.git, dest: /srv/bare.git, bare: true}", keys: keys},
		{module: "git", args: "{repo: /srv/src.git, dest: /srv/bare.git, bare: true}", keys: keys},
		{module: "git", args: "{repo: /srv/src.git, dest: /srv/none, clone: false, version: v1a}", keys: keys},
		{module: "git", args: "{repo: /srv/src.git, dest: /srv/co, update: false}", keys: keys},
		{module: "git", args: "{repo: /srv/missing.git, dest: /srv/x}", keys: []string{"msg", "rc"}},
		{module: "git", args: "{repo: /srv/src.git, dest: /srv/um, umask: '0077'}", keys: keys},
		{module: "git", args: "{repo: /srv/src.git, dest: /srv/um2, umask: 22}", keys: keys},
		{module: "git", args: "{repo: /srv/src.git, dest: /srv/um3, version: nosuchref}", keys: []string{"msg"}},
		shell("cd /srv/co && git log --format=%s -1 && git branch && git remote -v && git status --porcelain; cd /srv/shallow && git rev-list --count HEAD && git branch; ls /srv; stat -c %a /srv/um/f; git -C /srv/bare.git log --format=%s -1 main"),
	}
	got := l.diffPlay(t, steps)
	wantOutcomes(t, got, ".cco cocc. fc. ccc cc co co f cff .")
}

// testTimezoneAlternatives compares timezone (the file strategy: lab hosts
// have timedatectl but no systemd) and alternatives.
func testTimezoneAlternatives(t *testing.T, l *lab) {
	keys := []string{"diff", "msg"}
	alt := func(args string) string { return "{name: gorun, " + args + "}" }
	steps := []step{
		{module: "timezone", args: "{name: Europe/Berlin}", check: true, diff: true, keys: keys},
		{module: "community.general.timezone", args: "{name: Europe/Berlin}", diff: true, keys: keys},
		{module: "timezone", args: "{name: Europe/Berlin}", keys: keys},
		{module: "timezone", args: "{name: Nowhere/Void}", keys: keys},
		{module: "timezone", args: "{name: America/New_York, hwclock: UTC}", check: true, keys: keys},
		{module: "timezone", args: "{rtc: local}"},
		shell("cat /etc/timezone; readlink /etc/localtime; cat /etc/default/rcS"),

		shell("printf '#!/bin/sh\\necho a\\n' > /usr/local/bin/gorun-a && printf '#!/bin/sh\\necho b\\n' > /usr/local/bin/gorun-b && chmod +x /usr/local/bin/gorun-? && mkdir -p /usr/local/share/man/man1 && touch /usr/local/share/man/man1/gorun-b.1 && echo ok"),
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-a, link: /usr/bin/gorun, state: present"), check: true, diff: true, keys: keys},
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-a, link: /usr/bin/gorun, state: present"), diff: true, keys: keys},
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-a, link: /usr/bin/gorun, state: present"), keys: keys},
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-b, priority: 60, subcommands: [{name: gorun.1, link: /usr/share/man/man1/gorun.1, path: /usr/local/share/man/man1/gorun-b.1}]"), diff: true, keys: keys},
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-b, priority: 60, slaves: [{name: gorun.1, link: /usr/share/man/man1/gorun.1, path: /usr/local/share/man/man1/gorun-b.1}]"), diff: true, keys: keys},
		{module: "community.general.alternatives", args: alt("path: /usr/local/bin/gorun-a, state: auto"), diff: true, keys: keys},
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-a, priority: 70"), diff: true, keys: keys},
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-b, state: absent"), diff: true, keys: keys},
		{module: "alternatives", args: alt("path: /usr/local/bin/gorun-b, state: absent"), diff: true, keys: keys},
		{module: "alternatives", args: alt("path: /nonexistent, link: /usr/bin/gorun"), keys: keys},
		{module: "alternatives", args: "{name: gorun-new, path: /usr/local/bin/gorun-a}", keys: keys},
		shell("update-alternatives --display gorun; readlink -f /usr/bin/gorun"),
	}
	got := l.diffPlay(t, steps)
	wantOutcomes(t, got, "cco fcf. . cco co ccco ff .")
}
