package system_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// knownHostsPart compares known_hosts: keys added, replaced, hashed and
// removed, in a file of its own and in root's default one.
func knownHostsPart(t *testing.T) labdiff.Part {
	ed1, ed2, ec := sshKey(t, "ed25519"), sshKey(t, "ed25519"), sshKey(t, "ecdsa")
	keys := []string{"name", "key", "path", "hash_host", "state", "diff", "msg", "mode", "owner"}
	kh := func(args string) string { return "{path: /root/kh, " + args + "}" }
	steps := []step{
		{Module: "known_hosts", Args: kh("name: gorun.test, key: 'gorun.test " + ed1 + "'"), Check: true, Diff: true, Keys: keys},
		{Module: "known_hosts", Args: kh("name: gorun.test, key: 'gorun.test " + ed1 + "'"), Diff: true, Keys: keys},
		{Module: "known_hosts", Args: kh("name: gorun.test, key: 'gorun.test " + ed1 + "'"), Keys: keys},
		{Module: "known_hosts", Args: kh("name: Other.test, key: 'other.test,10.0.0.9 " + ec + "'"), Diff: true, Keys: keys},
		{Module: "known_hosts", Args: kh("name: gorun.test, key: 'gorun.test " + ed2 + "'"), Diff: true, Keys: keys},
		{Module: "known_hosts", Args: kh("name: gorun.test, key: 'gorun.test " + ec + "'"), Keys: keys},
		{Module: "known_hosts", Args: kh("name: other.test, key: 'other.test " + ed1 + "', state: absent"), Diff: true, Keys: keys},
		{Module: "known_hosts", Args: kh("name: 10.0.0.9, key: 'other.test,10.0.0.9 " + ec + "', state: absent"), Diff: true, Keys: keys},
		{Module: "known_hosts", Args: kh("name: gorun.test, state: absent"), Check: true, Keys: keys},
		{Module: "known_hosts", Args: kh("name: gorun.test, state: absent"), Keys: keys},
		{Module: "known_hosts", Args: kh("name: a.test, key: 'b.test " + ed1 + "'"), Keys: keys},
		{Module: "known_hosts", Args: kh("name: 'a.test, b.test', key: 'a.test " + ed1 + "'"), Keys: keys},
		{Module: "known_hosts", Args: kh("name: a.test"), Keys: keys},
		{Module: "ansible.builtin.known_hosts", Args: "{host: x.test, key: 'x.test " + ed1 + "'}", Keys: keys},
		{Module: "known_hosts", Args: kh("name: hashed.test, key: 'hashed.test " + ed1 + "', hash_host: true"), Keys: []string{"name", "path", "hash_host", "state"}},
		{Module: "known_hosts", Args: kh("name: hashed.test, key: 'hashed.test " + ed1 + "', hash_host: true"), Keys: []string{"name", "path", "hash_host", "state"}},
		shell("grep -v '^|1|' /root/kh; grep -c '^|1|' /root/kh; stat -c %a /root/kh; ls /root/kh.old; tail -n1 /root/.ssh/known_hosts"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, "ccoccc occc fffc co .")
	}}
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

// gitPart compares git: clones (full, shallow, bare, umask), checkouts of
// tags and branches, local modifications, updates, remote URL changes and
// ls-remote-only runs, all from repositories on the host itself.
func gitPart() labdiff.Part {
	keys := []string{"before", "after", "remote_url_changed", "msg", "diff", "submodules_changed", "warnings"}
	co := func(args string) string { return "{repo: /srv/src.git, dest: /srv/co, " + args + "}" }
	steps := []step{
		shell(gitSetup),
		{Module: "git", Args: co("version: HEAD"), Check: true, Diff: true, Keys: keys},
		{Module: "git", Args: co("version: HEAD"), Diff: true, Keys: keys},
		{Module: "git", Args: co("version: HEAD"), Keys: keys},
		{Module: "git", Args: co("version: v1"), Diff: true, Keys: keys},
		{Module: "git", Args: co("version: v1a"), Keys: keys},
		{Module: "git", Args: co("version: dev"), Check: true, Keys: keys},
		{Module: "git", Args: co("version: dev"), Keys: keys},
		shell("echo changed > /srv/co/f && echo untracked > /srv/co/new && echo ok"),
		{Module: "git", Args: co("version: dev"), Keys: keys},
		{Module: "git", Args: co("version: dev, force: true"), Keys: keys},
		shell(gitPush),
		{Module: "git", Args: co("version: main"), Check: true, Diff: true, Keys: keys},
		{Module: "ansible.builtin.git", Args: co("version: main"), Diff: true, Keys: keys},
		{Module: "git", Args: "{repo: file:///srv/src2.git, dest: /srv/co}", Keys: keys},
		{Module: "git", Args: "{repo: file:///srv/src.git, dest: /srv/shallow, depth: 1, version: dev}", Keys: keys},
		{Module: "git", Args: "{repo: file:///srv/src.git, dest: /srv/shallow, depth: 1, version: main}", Keys: keys},
		{Module: "git", Args: "{repo: /srv/src.git, dest: /srv/bare.git, bare: true}", Keys: keys},
		{Module: "git", Args: "{repo: /srv/src.git, dest: /srv/bare.git, bare: true}", Keys: keys},
		{Module: "git", Args: "{repo: /srv/src.git, dest: /srv/none, clone: false, version: v1a}", Keys: keys},
		{Module: "git", Args: "{repo: /srv/src.git, dest: /srv/co, update: false}", Keys: keys},
		{Module: "git", Args: "{repo: /srv/missing.git, dest: /srv/x}", Keys: []string{"msg", "rc"}},
		{Module: "git", Args: "{repo: /srv/src.git, dest: /srv/um, umask: '0077'}", Keys: keys},
		{Module: "git", Args: "{repo: /srv/src.git, dest: /srv/um2, umask: 22}", Keys: keys},
		{Module: "git", Args: "{repo: /srv/src.git, dest: /srv/um3, version: nosuchref}", Keys: []string{"msg"}},
		shell("cd /srv/co && git log --format=%s -1 && git branch && git remote -v && git status --porcelain; cd /srv/shallow && git rev-list --count HEAD && git branch; ls /srv; stat -c %a /srv/um/f; git -C /srv/bare.git log --format=%s -1 main"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, ".cco cocc. fc. ccc cc co co f cff .")
	}}
}

// timezoneAlternativesPart compares timezone (the file strategy: lab hosts
// have timedatectl but no systemd) and alternatives.
func timezoneAlternativesPart() labdiff.Part {
	keys := []string{"diff", "msg"}
	alt := func(args string) string { return "{name: gorun, " + args + "}" }
	steps := []step{
		{Module: "timezone", Args: "{name: Europe/Berlin}", Check: true, Diff: true, Keys: keys},
		{Module: "community.general.timezone", Args: "{name: Europe/Berlin}", Diff: true, Keys: keys},
		{Module: "timezone", Args: "{name: Europe/Berlin}", Keys: keys},
		{Module: "timezone", Args: "{name: Nowhere/Void}", Keys: keys},
		{Module: "timezone", Args: "{name: America/New_York, hwclock: UTC}", Check: true, Keys: keys},
		{Module: "timezone", Args: "{rtc: local}"},
		shell("cat /etc/timezone; readlink /etc/localtime; cat /etc/default/rcS"),

		shell("printf '#!/bin/sh\\necho a\\n' > /usr/local/bin/gorun-a && printf '#!/bin/sh\\necho b\\n' > /usr/local/bin/gorun-b && chmod +x /usr/local/bin/gorun-? && mkdir -p /usr/local/share/man/man1 && touch /usr/local/share/man/man1/gorun-b.1 && echo ok"),
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-a, link: /usr/bin/gorun, state: present"), Check: true, Diff: true, Keys: keys},
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-a, link: /usr/bin/gorun, state: present"), Diff: true, Keys: keys},
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-a, link: /usr/bin/gorun, state: present"), Keys: keys},
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-b, priority: 60, subcommands: [{name: gorun.1, link: /usr/share/man/man1/gorun.1, path: /usr/local/share/man/man1/gorun-b.1}]"), Diff: true, Keys: keys},
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-b, priority: 60, slaves: [{name: gorun.1, link: /usr/share/man/man1/gorun.1, path: /usr/local/share/man/man1/gorun-b.1}]"), Diff: true, Keys: keys},
		{Module: "community.general.alternatives", Args: alt("path: /usr/local/bin/gorun-a, state: auto"), Diff: true, Keys: keys},
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-a, priority: 70"), Diff: true, Keys: keys},
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-b, state: absent"), Diff: true, Keys: keys},
		{Module: "alternatives", Args: alt("path: /usr/local/bin/gorun-b, state: absent"), Diff: true, Keys: keys},
		{Module: "alternatives", Args: alt("path: /nonexistent, link: /usr/bin/gorun"), Keys: keys},
		{Module: "alternatives", Args: "{name: gorun-new, path: /usr/local/bin/gorun-a}", Keys: keys},
		shell("update-alternatives --display gorun; readlink -f /usr/bin/gorun"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, "cco fcf. . cco co ccco ff .")
	}}
}
