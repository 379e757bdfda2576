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
