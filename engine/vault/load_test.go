package vault

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadSecretsSources(t *testing.T) {
	dir := t.TempDir()
	plain := writeFile(t, dir, "plain", []byte("  spaced pw \r\n\n"), 0o600)
	script := writeFile(t, dir, "pw.sh", []byte("#!/bin/sh\nprintf 'from script\\r\\n'\n"), 0o700)
	client := writeFile(t, dir, "vault-client.py", []byte("#!/bin/sh\n[ \"$2\" = dev ] && echo client-dev && exit 0\necho \"no $2\" >&2\nexit 2\n"), 0o700)
	// A password file may itself be vaulted with a password loaded before it.
	inner, err := NewSecrets(Secret{Password: []byte("spaced pw")}).Encrypt([]byte("unwrapped\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	vaulted := writeFile(t, dir, "vaulted", inner, 0o600)

	var warnings []string
	l := &Loader{
		Prompt: func(text string) ([]byte, error) { return []byte(" typed \n"), nil },
		Warn:   func(m string) { warnings = append(warnings, m) },
	}
	specs := BuildSpecs([]string{"a@" + plain, "b@" + script, "dev@" + client, "c@" + vaulted, "p@prompt"}, nil, false, true)
	s, err := l.Load(specs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "spaced pw", "b": "from script", "dev": "client-dev", "c": "unwrapped", "p": "typed"}
	if got := strings.Join(s.IDs(), ","); got != "a,b,dev,c,p" {
		t.Fatalf("ids %s", got)
	}
	for i, id := range s.IDs() {
		if string(s.At(i).Password) != want[id] {
			t.Errorf("%s: password %q, want %q", id, s.At(i).Password, want[id])
		}
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}

	// A client script that does not know the id, and a missing file, are
	// warnings while another secret loads...
	s, err = l.Load([]PasswordSpec{{ID: "qa", Source: client}, {ID: "x", Source: filepath.Join(dir, "missing")}, {Source: plain}})
	if err != nil || s.Len() != 1 || s.At(0).ID != DefaultID {
		t.Fatalf("got %v, %v", s.IDs(), err)
	}
	wantWarn := []string{
		"Error in vault password file loading (qa): Vault password client script " + client + " did not find a secret for vault-id=qa: b'no qa\\n'",
		"Error getting vault password file (x): The vault password file " + filepath.Join(dir, "missing") + " was not found",
	}
	if strings.Join(warnings, "\n") != strings.Join(wantWarn, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(wantWarn, "\n"))
	}
	// ...and the last error when nothing loads.
	_, err = l.Load([]PasswordSpec{{ID: "x", Source: filepath.Join(dir, "missing")}})
	if err == nil || !strings.Contains(err.Error(), "was not found") {
		t.Fatalf("got %v", err)
	}

	// Prompt failures stop loading.
	l.Prompt = func(string) ([]byte, error) { return nil, io.EOF }
	if _, err := l.Load([]PasswordSpec{{Source: SourceAskVaultPass}}); err == nil || err.Error() != "EOFError (ctrl-d) on prompt for (default)" {
		t.Fatalf("got %v", err)
	}
	answers := [][]byte{[]byte("one"), []byte("two")}
	l.Prompt = func(string) ([]byte, error) { a := answers[0]; answers = answers[1:]; return a, nil }
	l.NewPassword = true
	if _, err := l.Load([]PasswordSpec{{ID: "n", Source: SourcePrompt}}); err == nil || err.Error() != "Passwords do not match" {
		t.Fatalf("got %v", err)
	}
}

func TestNilSecrets(t *testing.T) {
	enc, err := NewSecrets(Secret{Password: []byte("p")}).Encrypt([]byte("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	var s *Secrets
	if _, err := s.Decrypt(enc); err == nil || err.Error() != "Attempting to decrypt but no vault secrets found" {
		t.Errorf("Decrypt: %v", err)
	}
	if _, err := s.Encrypt([]byte("x"), ""); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Encrypt: %v", err)
	}
}

func TestSecretPrintingHidesPassword(t *testing.T) {
	sec := Secret{ID: "dev", Password: []byte("topsecret")}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(format, sec); strings.Contains(out, "topsecret") || !strings.Contains(out, "dev") {
			t.Errorf("%s printed %q", format, out)
		}
	}
	if out := fmt.Sprintf("%+v %#v", NewSecrets(sec), NewSecrets(sec)); strings.Contains(out, "topsecret") || strings.Contains(out, "116 111 112") {
		t.Errorf("Secrets printed %q", out)
	}
}
