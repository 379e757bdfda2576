package vault

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// plaintexts exercises padding edges (empty, one block, one byte short of a
// block), binary data, non-ASCII text and text spanning many lines.
var plaintexts = map[string][]byte{
	"empty":     {},
	"block":     []byte("0123456789abcdef"),
	"short":     []byte("0123456789abcde"),
	"yaml":      []byte("db_password: s3cr3t\nlist:\n  - a\n  - b\n"),
	"binary":    {0, 1, 2, 0xff, 0xfe, '\n', '\r', 0x80},
	"unicode":   []byte("pässwörd ✓\n"),
	"long":      bytes.Repeat([]byte("line of text\n"), 300),
	"nonewline": []byte("no newline at end"),
}

// TestEncryptMatchesAnsibleBytes encrypts with a fixed salt both in Go and
// with Ansible's own VaultLib, and requires identical bytes.
func TestEncryptMatchesAnsibleBytes(t *testing.T) {
	if _, err := exec.LookPath("ansible-vault"); err != nil {
		t.Skip("ansible-vault is not installed")
	}
	salt := bytes.Repeat([]byte{0x5a, 0x01, 0xc3, 0x7e}, 8)
	// One Python process encrypts every case: lines of "id hex(plaintext)"
	// in, one vault text per case out, separated by NUL bytes.
	const script = `
import sys, binascii
from ansible.parsing.vault import VaultLib, VaultSecret
salt = binascii.unhexlify(sys.argv[1])
out = []
for line in sys.stdin.read().splitlines():
    vid, pt = line.split(" ")
    out.append(VaultLib().encrypt(binascii.unhexlify(pt), VaultSecret(b"correct horse"), vault_id=vid.strip("-") or None, salt=salt))
sys.stdout.buffer.write(b"\0".join(out))
`
	type tc struct{ id, name string }
	var cases []tc
	var in strings.Builder
	for _, id := range []string{"", "default", "dev"} {
		for name, pt := range plaintexts {
			cases = append(cases, tc{id, name})
			fmt.Fprintf(&in, "-%s %s\n", id, hex.EncodeToString(pt))
		}
	}
	cmd := exec.Command("/usr/bin/python3", "-c", script, hex.EncodeToString(salt))
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python VaultLib.encrypt: %v", err)
	}
	wants := bytes.Split(out, []byte{0})
	if len(wants) != len(cases) {
		t.Fatalf("python returned %d vault texts for %d cases", len(wants), len(cases))
	}
	for i, c := range cases {
		got, err := encryptWithSalt(plaintexts[c.name], []byte("correct horse"), salt, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, wants[i]) {
			t.Errorf("id %q, %s: Go output differs from Ansible:\n%s\nwant:\n%s", c.id, c.name, got, wants[i])
		}
	}
}

// TestDecryptAnsibleVaultFiles decrypts files written by ansible-vault in
// formats 1.1 and 1.2.
func TestDecryptAnsibleVaultFiles(t *testing.T) {
	dir := t.TempDir()
	pwFile := writeFile(t, dir, "pw", []byte("hunter2\n"), 0o600)
	for name, pt := range plaintexts {
		src := writeFile(t, dir, name, pt, 0o600)
		if _, errOut, code := ansibleVault(t, dir, nil, "encrypt", "--vault-password-file", pwFile, src, "--output", src+".11"); code != 0 {
			t.Fatalf("ansible-vault encrypt: %s", errOut)
		}
		if _, errOut, code := ansibleVault(t, dir, nil, "encrypt", "--vault-id", "prod@"+pwFile, src, "--output", src+".12"); code != 0 {
			t.Fatalf("ansible-vault encrypt: %s", errOut)
		}
		for _, ext := range []string{".11", ".12"} {
			data := readFile(t, src+ext)
			wantHeader := "$ANSIBLE_VAULT;1.1;AES256\n"
			if ext == ".12" {
				wantHeader = "$ANSIBLE_VAULT;1.2;AES256;prod\n"
			}
			if !strings.HasPrefix(string(data), wantHeader) {
				t.Fatalf("%s%s: unexpected header in %q", name, ext, data)
			}
			got, err := NewSecrets(Secret{ID: "prod", Password: []byte("hunter2")}).Decrypt(data)
			if err != nil {
				t.Fatalf("%s%s: %v", name, ext, err)
			}
			if !bytes.Equal(got, pt) {
				t.Errorf("%s%s: decrypted %q, want %q", name, ext, got, pt)
			}
		}
	}
}

// TestAnsibleVaultDecryptsOurs has ansible-vault decrypt what Go encrypted.
func TestAnsibleVaultDecryptsOurs(t *testing.T) {
	dir := t.TempDir()
	pwFile := writeFile(t, dir, "pw", []byte("s3cret"), 0o600)
	secrets := NewSecrets(Secret{ID: "dev", Password: []byte("s3cret")})
	for name, pt := range plaintexts {
		for _, id := range []string{"", "dev"} {
			enc, err := secrets.Encrypt(pt, id)
			if err != nil {
				t.Fatal(err)
			}
			f := writeFile(t, dir, name+".vault", enc, 0o600)
			out, errOut, code := ansibleVault(t, dir, nil, "decrypt", "--vault-id", "dev@"+pwFile, "--output", "-", f)
			if code != 0 {
				t.Fatalf("%s id %q: ansible-vault decrypt failed (%d): %s", name, id, code, errOut)
			}
			if out != string(pt) {
				t.Errorf("%s id %q: ansible-vault decrypted %q, want %q", name, id, out, pt)
			}
		}
	}
}

// TestMultipleIDs checks that every secret is tried in order whatever the
// header says, and that IDMatch restricts the search to the header's id.
func TestMultipleIDs(t *testing.T) {
	dev := Secret{ID: "dev", Password: []byte("devpw")}
	prod := Secret{ID: "prod", Password: []byte("prodpw")}
	enc, err := NewSecrets(prod).Encrypt([]byte("x: 1\n"), "prod")
	if err != nil {
		t.Fatal(err)
	}
	s := NewSecrets(dev, prod)
	pt, used, err := s.DecryptNamed(enc, "f.yml")
	if err != nil || string(pt) != "x: 1\n" || used.ID != "prod" {
		t.Fatalf("got %q, %v, %v", pt, used, err)
	}
	// The header id is a hint only: a secret under another label still opens it.
	relabeled := NewSecrets(Secret{ID: "other", Password: []byte("prodpw")})
	if _, err := relabeled.Decrypt(enc); err != nil {
		t.Fatalf("relabeled secret: %v", err)
	}
	relabeled.IDMatch = true
	if _, err := relabeled.Decrypt(enc); err == nil {
		t.Fatal("IDMatch: a secret with another id decrypted the data")
	}
	// Encrypting with an id picks that secret.
	enc, err = s.Encrypt([]byte("y"), "dev")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSecrets(dev).Decrypt(enc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Encrypt([]byte("y"), "qa"); err == nil || err.Error() != "Did not find a match for --encrypt-vault-id=qa in the known vault-ids ['dev', 'prod']" {
		t.Fatalf("unknown encrypt id: %v", err)
	}
}

// TestWrongPasswordMatchesAnsible compares the wrong-password failure with
// the one ansible-vault prints.
func TestWrongPasswordMatchesAnsible(t *testing.T) {
	dir := t.TempDir()
	enc, err := NewSecrets(Secret{Password: []byte("right")}).Encrypt([]byte("data"), "")
	if err != nil {
		t.Fatal(err)
	}
	f := writeFile(t, dir, "secret.yml", enc, 0o600)
	pw := writeFile(t, dir, "pw", []byte("wrong"), 0o600)
	_, errOut, code := ansibleVault(t, dir, nil, "view", "--vault-password-file", pw, f)
	if code != 1 {
		t.Fatalf("ansible-vault exit %d", code)
	}
	_, _, err = NewSecrets(Secret{Password: []byte("wrong")}).DecryptNamed(enc, f)
	if err == nil {
		t.Fatal("wrong password decrypted")
	}
	if want := "ERROR! " + err.Error() + " for " + f; !strings.Contains(errOut, want) {
		t.Errorf("ansible-vault said %q, want it to contain %q", errOut, want)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error reveals the password: %v", err)
	}
}

// TestNotEncrypted checks the message for plain input.
func TestNotEncrypted(t *testing.T) {
	_, _, err := NewSecrets(Secret{Password: []byte("p")}).DecryptNamed([]byte("a: b\n"), "vars.yml")
	if err == nil || err.Error() != "input is not vault encrypted data. vars.yml is not a vault encrypted file" {
		t.Fatalf("got %v", err)
	}
	if IsEncrypted([]byte("$ANSIBLE_VAULT;1.1;AES256\n\xff")) {
		t.Error("non-ASCII data reported as encrypted")
	}
	if _, err := NewSecrets(Secret{Password: []byte("p")}).Encrypt([]byte("$ANSIBLE_VAULT;1.1;AES256\n"), ""); err == nil {
		t.Error("encrypted already-encrypted input")
	}
}

// TestFormatErrors compares messages for damaged vault text with Ansible's.
func TestFormatErrors(t *testing.T) {
	good, err := NewSecrets(Secret{Password: []byte("p")}).Encrypt([]byte("hello"), "")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"short header": []byte("$ANSIBLE_VAULT;1.1\n6162\n"),
		"odd length":   []byte("$ANSIBLE_VAULT;1.1;AES256\n616\n"),
		"not hex":      []byte("$ANSIBLE_VAULT;1.1;AES256\n6g\n"),
		"two parts":    []byte("$ANSIBLE_VAULT;1.1;AES256\n" + hex.EncodeToString([]byte("00\n00")) + "\n"),
		"bad cipher":   []byte("$ANSIBLE_VAULT;1.1;AES\n6162\n"),
		"truncated":    good[:len(good)-10],
	}
	dir := t.TempDir()
	pw := writeFile(t, dir, "pw", []byte("p"), 0o600)
	for name, data := range cases {
		f := writeFile(t, dir, strings.ReplaceAll(name, " ", "_"), data, 0o600)
		_, _, goErr := NewSecrets(Secret{Password: []byte("p")}).DecryptNamed(data, f)
		_, errOut, code := ansibleVault(t, dir, nil, "view", "--vault-password-file", pw, f)
		if goErr == nil || code == 0 {
			t.Fatalf("%s: go err %v, ansible exit %d", name, goErr, code)
		}
		if want := "ERROR! " + goErr.Error() + " for " + f; !strings.Contains(errOut, want) {
			t.Errorf("%s: ansible-vault said %q, want it to contain %q", name, errOut, want)
		}
	}
}
