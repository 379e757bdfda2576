package rhel_test

import (
	"fmt"
	"gorun/test/labdiff"
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

// rpmKeyPart imports and erases a key in rpm's database with both engines.
func rpmKeyPart(t *testing.T) labdiff.Part {
	armored, keyid, fpr := testKey(t)
	short := keyid[len(keyid)-8:]
	wrongFpr := strings.Repeat("A", 40)
	steps := []step{
		shell(fmt.Sprintf("printf '%%s' '%s' > /root/key.asc; echo ok", armored)),
		{Module: "rpm_key", Args: "{key: /root/key.asc}", Check: true},
		{Module: "rpm_key", Args: fmt.Sprintf("{key: /root/key.asc, fingerprint: '%s'}", wrongFpr), Keys: []string{"msg"}},
		{Module: "rpm_key", Args: fmt.Sprintf("{key: /root/key.asc, fingerprint: '%s'}", fpr[:4]+" "+fpr[4:])},
		{Module: "rpm_key", Args: "{key: /root/key.asc}"},
		shell("rpm -q gpg-pubkey --qf '%{name}-%{version}\\n'"),
		{Module: "rpm_key", Args: fmt.Sprintf("{key: '0x%s', state: absent}", strings.ToLower(short)), Check: true},
		{Module: "rpm_key", Args: fmt.Sprintf("{key: '%s', state: absent}", keyid)},
		{Module: "rpm_key", Args: fmt.Sprintf("{key: '%s', state: absent}", keyid)},
		{Module: "rpm_key", Args: fmt.Sprintf("{key: '%s'}", keyid), Keys: []string{"msg"}},
		{Module: "rpm_key", Args: "{key: /nonexistent.asc}", Keys: []string{"msg"}},
		shell("rpm -q gpg-pubkey; echo $?"),
	}
	return labdiff.Part{Steps: steps}
}
