package vault

import (
	"testing"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// TestInlineVaultFromAnsible decrypts a !vault value that ansible-vault
// encrypt_string wrote, after reading the YAML with yamlx.
func TestInlineVaultFromAnsible(t *testing.T) {
	dir := t.TempDir()
	pw := writeFile(t, dir, "pw", []byte("inline"), 0o600)
	out, errOut, code := ansibleVault(t, dir, nil, "encrypt_string", "--vault-id", "dev@"+pw, "--name", "db_password", "s3cr3t value")
	if code != 0 {
		t.Fatalf("encrypt_string: %s", errOut)
	}
	doc, _, err := yamlx.Load([]byte("other: 1\n"+out+"\n"), "vars.yml")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := value.Lookup(doc, "db_password")
	vaulted, ok := v.(value.Vaulted)
	if !ok {
		t.Fatalf("db_password is %T, not value.Vaulted", v)
	}
	got, err := NewSecrets(Secret{ID: "dev", Password: []byte("inline")}).DecryptVaulted(vaulted)
	if err != nil || got != "s3cr3t value" {
		t.Fatalf("got %q, %v", got, err)
	}
}
