package system_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// testAptSources compares apt_repository and apt_key: sources files
// written, normalised, removed and restored after a failed cache update;
// keys added from files and inline data, listed and deleted.
func testAptSources(t *testing.T, l *lab) {
	k1, k2 := testKey(t, "gorun one"), testKey(t, "gorun two")
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	repo := []string{"changed", "repo", "state", "diff", "msg"}
	key := []string{"id", "short_id", "fp", "key_id", "before", "after", "msg"}
	contrib := `repo: "deb http://mirror.gorun.test/debian bookworm contrib", update_cache: false`
	steps := []step{
		shell("mkdir -p /srv/repo /srv/other /srv/local && touch /srv/repo/Packages /srv/other/Packages /srv/local/Packages && printf '#deb [trusted=yes] file:/srv/repo ./\\n\\n# a comment\\ndeb   [trusted=yes]  file:/srv/other  ./ # kept\\n' > /etc/apt/sources.list.d/pre.list && echo ok"),
		{module: "apt_repository", args: "{" + contrib + "}", check: true, diff: true, keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: "{" + contrib + "}", diff: true, keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: "{" + contrib + "}", keys: repo, unordered: []string{"diff"}},
		{module: "ansible.builtin.apt_repository", args: `{repo: "deb-src http://mirror.gorun.test/debian bookworm main", filename: gorun, mode: "0600", update_cache: false}`, keys: repo, unordered: []string{"diff"}},
		shell("cd /etc/apt/sources.list.d && for f in *.list; do stat -c '%n %a' $f; cat $f; done"),
		{module: "apt_repository", args: "{" + contrib + ", state: absent}", diff: true, keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: "{" + contrib + ", state: absent}", keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: `{repo: "deb-src http://mirror.gorun.test/debian bookworm main", state: absent, update_cache: false}`, keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: `{repo: "deb [trusted=yes] file:/srv/repo ./", update_cache: false}`, diff: true, keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: `{repo: "deb [trusted=yes] file:/srv/local ./", filename: local, update_cache_retries: 1}`, keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: `{repo: "deb [trusted=yes] file:/srv/missing ./", filename: missing, update_cache_retries: 1}`, keys: []string{"repo"}},
		{module: "apt_repository", args: `{repo: "foo bar # baz"}`, keys: repo, unordered: []string{"diff"}},
		{module: "apt_repository", args: `{repo: "#deb http://x/ y z"}`, keys: repo, unordered: []string{"diff"}},
		shell("cd /etc/apt/sources.list.d && for f in *.list; do stat -c '%n %a' $f; cat $f; done"),

		shell("apt-key list 2>/dev/null | grep -c '^pub'"),
		{module: "copy", args: "{dest: /tmp/k1.asc, content: " + q(k1.armor) + "}"},
		{module: "apt_key", args: "{file: /tmp/k1.asc}", check: true, keys: key},
		{module: "apt_key", args: "{file: /tmp/k1.asc}", keys: key},
		{module: "apt_key", args: "{file: /tmp/k1.asc}", keys: key},
		{module: "ansible.builtin.apt_key", args: "{data: " + q(k2.armor) + ", keyring: /etc/apt/trusted.gpg.d/gorun.gpg}", keys: key},
		{module: "apt_key", args: "{id: " + k2.fpr[32:] + ", keyring: /etc/apt/trusted.gpg.d/gorun.gpg}", keys: key},
		{module: "apt_key", args: "{id: '0x" + k1.fpr + "', state: absent}", check: true, keys: key},
		{module: "apt_key", args: "{id: '0x" + k1.fpr + "', state: absent}", keys: key},
		{module: "apt_key", args: "{id: " + k1.fpr + ", state: absent}", keys: key},
		{module: "apt_key", args: "{id: 12zz}", keys: key},
		{module: "apt_key", args: "{keyserver: keys.example}", keys: key},
		shell("apt-key adv --list-public-keys --keyid-format=long 2>/dev/null | grep -E '^(pub|uid)' | sort; ls /etc/apt/trusted.gpg.d/gorun.gpg"),
	}
	got := l.diffPlay(t, steps)
	wantOutcomes(t, got, ".ccoc. cocccfff. .cccoco ccoff.")
}

// gpgKey is an OpenPGP public key made for a test.
type gpgKey struct{ armor, fpr string }

// testKey makes a new signing key in a temporary GnuPG home and returns it
// ASCII-armored with its fingerprint.
func testKey(t *testing.T, name string) gpgKey {
	home, err := os.MkdirTemp("", "gorun-gpg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	gpg := func(args ...string) string {
		cmd := exec.Command("gpg", append([]string{"--homedir", home, "--batch"}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %v: %v", args, err)
		}
		return string(out)
	}
	gpg("--passphrase", "", "--quick-gen-key", name+" <"+strings.ReplaceAll(name, " ", ".")+"@gorun.test>", "ed25519", "sign", "never")
	var fpr string
	for _, line := range strings.Split(gpg("--with-colons", "--list-keys"), "\n") {
		if f := strings.Split(line, ":"); f[0] == "fpr" && fpr == "" {
			fpr = f[9]
		}
	}
	exec.Command("gpgconf", "--homedir", home, "--kill", "all").Run()
	return gpgKey{armor: gpg("--armor", "--export"), fpr: fpr}
}

// wantOutcomes fails unless each step's result is as the letter says: c
// changed, o ok (neither changed nor failed), f failed, . anything (shell steps).
func wantOutcomes(t *testing.T, got []result, outcomes string) {
	t.Helper()
	outcomes = strings.ReplaceAll(outcomes, " ", "")
	if len(outcomes) != len(got) {
		t.Fatalf("%d outcomes for %d results", len(outcomes), len(got))
	}
	for i, r := range got {
		o := "o"
		switch {
		case r.failed():
			o = "f"
		case r.changed():
			o = "c"
		}
		if w := outcomes[i : i+1]; w != "." && w != o {
			t.Errorf("step %d: outcome %s, want %s: %v", i, o, w, r)
		}
	}
}
