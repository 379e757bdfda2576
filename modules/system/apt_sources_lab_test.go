package system_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// aptSourcesPart compares apt_repository and apt_key: sources files
// written, normalised, removed and restored after a failed cache update;
// keys added from files and inline data, listed and deleted.
func aptSourcesPart(t *testing.T) labdiff.Part {
	k1, k2 := testKey(t, "gorun one"), testKey(t, "gorun two")
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	repo := []string{"changed", "repo", "state", "diff", "msg"}
	key := []string{"id", "short_id", "fp", "key_id", "before", "after", "msg"}
	contrib := `repo: "deb http://mirror.gorun.test/debian bookworm contrib", update_cache: false`
	steps := []step{
		shell("mkdir -p /srv/repo /srv/other /srv/local && touch /srv/repo/Packages /srv/other/Packages /srv/local/Packages && printf '#deb [trusted=yes] file:/srv/repo ./\\n\\n# a comment\\ndeb   [trusted=yes]  file:/srv/other  ./ # kept\\n' > /etc/apt/sources.list.d/pre.list && echo ok"),
		{Module: "apt_repository", Args: "{" + contrib + "}", Check: true, Diff: true, Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: "{" + contrib + "}", Diff: true, Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: "{" + contrib + "}", Keys: repo, Unordered: []string{"diff"}},
		{Module: "ansible.builtin.apt_repository", Args: `{repo: "deb-src http://mirror.gorun.test/debian bookworm main", filename: gorun, mode: "0600", update_cache: false}`, Keys: repo, Unordered: []string{"diff"}},
		shell("cd /etc/apt/sources.list.d && for f in *.list; do stat -c '%n %a' $f; cat $f; done"),
		{Module: "apt_repository", Args: "{" + contrib + ", state: absent}", Diff: true, Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: "{" + contrib + ", state: absent}", Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: `{repo: "deb-src http://mirror.gorun.test/debian bookworm main", state: absent, update_cache: false}`, Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: `{repo: "deb [trusted=yes] file:/srv/repo ./", update_cache: false}`, Diff: true, Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: `{repo: "deb [trusted=yes] file:/srv/local ./", filename: local, update_cache_retries: 1}`, Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: `{repo: "deb [trusted=yes] file:/srv/missing ./", filename: missing, update_cache_retries: 1}`, Keys: []string{"repo"}},
		{Module: "apt_repository", Args: `{repo: "foo bar # baz"}`, Keys: repo, Unordered: []string{"diff"}},
		{Module: "apt_repository", Args: `{repo: "#deb http://x/ y z"}`, Keys: repo, Unordered: []string{"diff"}},
		shell("cd /etc/apt/sources.list.d && for f in *.list; do stat -c '%n %a' $f; cat $f; done"),

		shell("apt-key list 2>/dev/null | grep -c '^pub'"),
		{Module: "copy", Args: "{dest: /tmp/k1.asc, content: " + q(k1.armor) + "}"},
		{Module: "apt_key", Args: "{file: /tmp/k1.asc}", Check: true, Keys: key},
		{Module: "apt_key", Args: "{file: /tmp/k1.asc}", Keys: key},
		{Module: "apt_key", Args: "{file: /tmp/k1.asc}", Keys: key},
		{Module: "ansible.builtin.apt_key", Args: "{data: " + q(k2.armor) + ", keyring: /etc/apt/trusted.gpg.d/gorun.gpg}", Keys: key},
		{Module: "apt_key", Args: "{id: " + k2.fpr[32:] + ", keyring: /etc/apt/trusted.gpg.d/gorun.gpg}", Keys: key},
		{Module: "apt_key", Args: "{id: '0x" + k1.fpr + "', state: absent}", Check: true, Keys: key},
		{Module: "apt_key", Args: "{id: '0x" + k1.fpr + "', state: absent}", Keys: key},
		{Module: "apt_key", Args: "{id: " + k1.fpr + ", state: absent}", Keys: key},
		{Module: "apt_key", Args: "{id: 12zz}", Keys: key},
		{Module: "apt_key", Args: "{keyserver: keys.example}", Keys: key},
		shell("apt-key adv --list-public-keys --keyid-format=long 2>/dev/null | grep -E '^(pub|uid)' | sort; ls /etc/apt/trusted.gpg.d/gorun.gpg"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		labdiff.WantOutcomes(t, got, ".ccoc. cocccfff. .cccoco ccoff.")
	}}
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
