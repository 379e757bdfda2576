package rhel_test

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// testKey makes a fresh GPG key pair and returns its armored public key,
// its long key id and its fingerprint.
func testKey(t *testing.T) (armored, keyid, fpr string) {
	t.Helper()
	home := t.TempDir()
	gpg := func(args ...string) string {
		cmd := exec.Command("gpg", append([]string{"--homedir", home, "--batch", "--no-tty"}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %v: %v", args, err)
		}
		return string(out)
	}
	gpg("--passphrase", "", "--quick-gen-key", "gorun test <test@example.org>", "rsa2048", "sign", "never")
	for _, line := range strings.Split(gpg("--with-colons", "--fixed-list-mode", "--with-fingerprint", "--list-keys"), "\n") {
		f := strings.Split(line, ":")
		switch {
		case f[0] == "pub" && keyid == "":
			keyid = f[4]
		case f[0] == "fpr" && fpr == "":
			fpr = f[9]
		}
	}
	return gpg("--armor", "--export"), keyid, fpr
}

// testRPMKey imports and erases a key in rpm's database with both engines.
func testRPMKey(t *testing.T, l *lab) {
	armored, keyid, fpr := testKey(t)
	short := keyid[len(keyid)-8:]
	wrongFpr := strings.Repeat("A", 40)
	steps := []step{
		shell(fmt.Sprintf("printf '%%s' '%s' > /root/key.asc; echo ok", armored)),
		{module: "rpm_key", args: "{key: /root/key.asc}", check: true},
		{module: "rpm_key", args: fmt.Sprintf("{key: /root/key.asc, fingerprint: '%s'}", wrongFpr), keys: []string{"msg"}},
		{module: "rpm_key", args: fmt.Sprintf("{key: /root/key.asc, fingerprint: '%s'}", fpr[:4]+" "+fpr[4:])},
		{module: "rpm_key", args: "{key: /root/key.asc}"},
		shell("rpm -q gpg-pubkey --qf '%{name}-%{version}\\n'"),
		{module: "rpm_key", args: fmt.Sprintf("{key: '0x%s', state: absent}", strings.ToLower(short)), check: true},
		{module: "rpm_key", args: fmt.Sprintf("{key: '%s', state: absent}", keyid)},
		{module: "rpm_key", args: fmt.Sprintf("{key: '%s', state: absent}", keyid)},
		{module: "rpm_key", args: fmt.Sprintf("{key: '%s'}", keyid), keys: []string{"msg"}},
		{module: "rpm_key", args: "{key: /nonexistent.asc}", keys: []string{"msg"}},
		shell("rpm -q gpg-pubkey; echo $?"),
	}
	l.diffPlay(t, steps)
}
