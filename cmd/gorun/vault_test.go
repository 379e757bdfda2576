package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// result is what one ansible-vault run printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// gorunVault runs vaultMain in dir.
func gorunVault(t *testing.T, dir string, stdin string, args ...string) result {
	t.Helper()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code := vaultMain(args, strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), code}
}

// realVault runs the installed ansible-vault in dir with no ansible.cfg and
// no ANSIBLE_* settings.
func realVault(t *testing.T, dir string, stdin string, env []string, args ...string) result {
	t.Helper()
	bin, err := exec.LookPath("ansible-vault")
	if err != nil {
		t.Skip("ansible-vault is not installed")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// vaultDir makes a directory with password files and a script.
func vaultDir(t *testing.T) string {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	dir := t.TempDir()
	t.Setenv("HOME", dir)             // no ~/.ansible.cfg of the machine
	for _, kv := range os.Environ() { // and no ANSIBLE_* settings: realVault gets none either
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ANSIBLE_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	write(t, filepath.Join(dir, "pw1"), "first\n", 0o600)
	write(t, filepath.Join(dir, "pw2"), "second", 0o600)
	write(t, filepath.Join(dir, "pw-script.sh"), "#!/bin/sh\necho second\n", 0o700)
	write(t, filepath.Join(dir, "pass-client.sh"), "#!/bin/sh\n[ \"$1 $2\" = '--vault-id prod' ] || { echo \"unknown $2\" >&2; exit 2; }\necho first\n", 0o700)
	return dir
}

func write(t *testing.T, p, data string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVaultEncryptDecryptInterop(t *testing.T) {
	dir := vaultDir(t)
	write(t, filepath.Join(dir, "a.yml"), "a: 1\n", 0o644)
	if r := gorunVault(t, dir, "", "encrypt", "--vault-password-file", "pw1", "a.yml"); r.code != 0 {
		t.Fatalf("encrypt: %+v", r)
	}
	if !strings.HasPrefix(read(t, filepath.Join(dir, "a.yml")), "$ANSIBLE_VAULT;1.1;AES256\n") {
		t.Fatal("a.yml is not vault 1.1")
	}
	if info, _ := os.Stat(filepath.Join(dir, "a.yml")); info.Mode().Perm() != 0o600 {
		t.Errorf("encrypted file mode %v, ansible-vault leaves 0600", info.Mode().Perm())
	}
	if r := realVault(t, dir, "", nil, "view", "--vault-password-file", "pw1", "a.yml"); r.code != 0 || r.stdout != "a: 1\n" {
		t.Fatalf("ansible-vault view of gorun's file: %+v", r)
	}

	// 1.2 with a label, made by ansible-vault, opened by gorun among other ids.
	write(t, filepath.Join(dir, "b.yml"), "b: 2\n", 0o644)
	if r := realVault(t, dir, "", nil, "encrypt", "--vault-id", "prod@pw2", "b.yml"); r.code != 0 {
		t.Fatalf("ansible-vault encrypt: %+v", r)
	}
	r := gorunVault(t, dir, "", "decrypt", "--vault-id", "dev@pw1", "--vault-id", "prod@pw-script.sh", "--output", "-", "b.yml")
	if r.code != 0 || r.stdout != "b: 2\n" {
		t.Fatalf("gorun decrypt: %+v", r)
	}
	if r := gorunVault(t, dir, "", "decrypt", "--vault-id", "prod@pass-client.sh", "--output", "out.yml", "b.yml"); r.code != 1 {
		t.Fatalf("client script with wrong password decrypted: %+v", r)
	}
}

// TestVaultErrorsMatchAnsible runs failing commands with both tools and
// compares what they print and return.
func TestVaultErrorsMatchAnsible(t *testing.T) {
	dir := vaultDir(t)
	write(t, filepath.Join(dir, "plain.yml"), "x: 1\n", 0o644)
	if r := realVault(t, dir, "", nil, "encrypt", "--vault-password-file", "pw1", "--output", "enc.yml", "plain.yml"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	enc := read(t, filepath.Join(dir, "enc.yml"))
	write(t, filepath.Join(dir, "damaged.yml"), enc[:len(enc)-7], 0o600)
	write(t, filepath.Join(dir, "badhex.yml"), strings.Replace(enc, "3", "z", 1), 0o600)
	cases := [][]string{
		{"view", "--vault-password-file", "pw1", "damaged.yml"},       // odd length
		{"decrypt", "--vault-password-file", "pw1", "badhex.yml"},     // not hex
		{"encrypt", "--vault-password-file", "pw1", "enc.yml"},        // already encrypted
		{"edit", "--vault-password-file", "pw1", "plain.yml"},         // not encrypted
		{"view", "--vault-password-file", "pw2", "enc.yml"},           // wrong password
		{"decrypt", "--vault-id", "x@pw2", "enc.yml"},                 // wrong password, realpath in message
		{"view", "--vault-password-file", "pw1", "plain.yml"},         // not encrypted
		{"view", "--vault-password-file", "pw1", "missing.yml"},       // no such file
		{"view", "--vault-password-file", "nope", "enc.yml"},          // no password file
		{"encrypt", "--vault-id", "a@pw1", "--vault-id", "pw2", "x"},  // two ids, no --encrypt-vault-id
		{"encrypt", "--vault-id", "a;b@pw1", "x"},                     // ';' in id
		{"encrypt", "--vault-id", "a@pw1", "--encrypt-vault-id", "b"}, // unknown encrypt id
		{"create", "--vault-password-file", "pw1", "enc.yml"},         // exists
		{"decrypt", "--vault-password-file", "pw1", "--output", "o", "a", "b"},
		{"view", "--vault-id", "prod@pass-client.sh", "--vault-id", "qa@pass-client.sh", "enc.yml"},
	}
	for _, args := range cases {
		want := realVault(t, dir, "", nil, args...)
		got := gorunVault(t, dir, "", args...)
		if got.code != want.code || got.stderr != want.stderr {
			t.Errorf("%v:\ngorun exit %d, stderr:\n%s\nansible-vault exit %d, stderr:\n%s", args, got.code, got.stderr, want.code, want.stderr)
		}
	}
}

func TestVaultEncryptString(t *testing.T) {
	dir := vaultDir(t)
	r := gorunVault(t, dir, "", "encrypt_string", "--vault-id", "dev@pw1", "--name", "db_pass", "s3cr3t")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "db_pass: !vault |\n          $ANSIBLE_VAULT;1.2;AES256;dev\n          ") {
		t.Fatalf("%+v", r)
	}
	want := realVault(t, dir, "", nil, "encrypt_string", "--vault-id", "dev@pw1", "--name", "db_pass", "s3cr3t")
	if strings.Count(want.stdout, "\n") != strings.Count(r.stdout, "\n") || strings.HasSuffix(want.stdout, "\n") != strings.HasSuffix(r.stdout, "\n") {
		t.Errorf("layout differs from ansible-vault:\n%s\nwant like:\n%s", r.stdout, want.stdout)
	}
	// The block, unindented, is vault text ansible-vault can open.
	var vt strings.Builder
	for _, l := range strings.Split(r.stdout, "\n")[1:] {
		vt.WriteString(strings.TrimSpace(l) + "\n")
	}
	if d := realVault(t, dir, vt.String(), nil, "decrypt", "--vault-password-file", "pw1", "--output", "-"); d.code != 0 || d.stdout != "s3cr3t" {
		t.Fatalf("ansible-vault decrypt of encrypt_string output: %+v", d)
	}

	// From stdin with a name, and several inputs with the delimiter comments.
	r = gorunVault(t, dir, "from stdin", "encrypt_string", "--vault-password-file", "pw2", "--stdin-name", "v", "arg1")
	want = realVault(t, dir, "from stdin", nil, "encrypt_string", "--vault-password-file", "pw2", "--stdin-name", "v", "arg1")
	if r.code != 0 || r.stderr != want.stderr || !strings.HasPrefix(r.stdout, "v: !vault |\n") {
		t.Fatalf("gorun %+v\nansible %+v", r, want)
	}
	if r := gorunVault(t, dir, "", "encrypt_string", "--vault-password-file", "pw2"); r.code != 5 || !strings.Contains(r.stderr, "ERROR! stdin was empty, not encrypting") {
		t.Fatalf("%+v", r)
	}
}

func TestVaultRekey(t *testing.T) {
	dir := vaultDir(t)
	f := filepath.Join(dir, "r.yml")
	write(t, f, "r: 1\n", 0o640)
	if r := gorunVault(t, dir, "", "encrypt", "--vault-password-file", "pw1", f); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	os.Chmod(f, 0o640)
	r := gorunVault(t, dir, "", "rekey", "--vault-password-file", "pw1", "--new-vault-id", "new@pw2", f)
	if r.code != 0 || r.stderr != "Rekey successful\n" {
		t.Fatalf("%+v", r)
	}
	if !strings.HasPrefix(read(t, f), "$ANSIBLE_VAULT;1.2;AES256;new\n") {
		t.Errorf("rekeyed header: %q", read(t, f)[:40])
	}
	if info, _ := os.Stat(f); info.Mode().Perm() != 0o640 {
		t.Errorf("rekey changed the mode to %v", info.Mode().Perm())
	}
	if v := realVault(t, dir, "", nil, "view", "--vault-password-file", "pw2", f); v.stdout != "r: 1\n" {
		t.Fatalf("ansible-vault view after rekey: %+v", v)
	}
}

// TestVaultEditCreate uses a shell script as $EDITOR and checks that no
// plaintext is left in the temporary directory.
func TestVaultEditCreate(t *testing.T) {
	dir := vaultDir(t)
	tmp := os.Getenv("TMPDIR")
	editor := filepath.Join(dir, "editor.sh")
	write(t, editor, "#!/bin/sh\necho 'added: true' >> \"$1\"\n", 0o700)
	t.Setenv("EDITOR", editor+" ")

	f := filepath.Join(dir, "sub", "new.yml")
	r := gorunVault(t, dir, "", "create", "--vault-id", "dev@pw1", f)
	if r.code != 0 || !strings.Contains(strings.Join(strings.Fields(r.stderr), " "), "[WARNING]: "+filepath.Join(dir, "sub")+" does not exist, creating...") {
		t.Fatalf("create: %+v", r)
	}
	if v := realVault(t, dir, "", nil, "view", "--vault-id", "dev@pw1", f); v.stdout != "added: true\n" {
		t.Fatalf("ansible-vault view of created file: %+v", v)
	}

	// Edit a 1.2 file made by ansible-vault: content changes, id stays.
	g := filepath.Join(dir, "g.yml")
	write(t, g, "g: 1\n", 0o644)
	if v := realVault(t, dir, "", nil, "encrypt", "--vault-id", "prod@pw2", g); v.code != 0 {
		t.Fatal(v)
	}
	os.Chmod(g, 0o644)
	if r := gorunVault(t, dir, "", "edit", "--vault-password-file", "pw1", "--vault-id", "prod@pw2", g); r.code != 0 {
		t.Fatalf("edit: %+v", r)
	}
	if !strings.HasPrefix(read(t, g), "$ANSIBLE_VAULT;1.2;AES256;prod\n") {
		t.Errorf("edit changed the header: %q", read(t, g)[:40])
	}
	if info, _ := os.Stat(g); info.Mode().Perm() != 0o644 {
		t.Errorf("edit changed the mode to %v", info.Mode().Perm())
	}
	if v := realVault(t, dir, "", nil, "view", "--vault-id", "prod@pw2", g); v.stdout != "g: 1\nadded: true\n" {
		t.Fatalf("ansible-vault view of edited file: %+v", v)
	}
	// A failing editor start still removes the plaintext.
	t.Setenv("EDITOR", filepath.Join(dir, "no-such-editor"))
	if r := gorunVault(t, dir, "", "edit", "--vault-id", "prod@pw2", g); r.code != 1 || !strings.Contains(r.stderr, "Unable to execute the command") {
		t.Fatalf("edit with missing editor: %+v", r)
	}
	// An interrupt while the editor runs aborts without saving, and still
	// removes the plaintext.
	before := read(t, g)
	interrupting := filepath.Join(dir, "interrupting.sh")
	write(t, interrupting, "#!/bin/sh\necho 'lost: true' >> \"$1\"\nkill -INT $PPID\nsleep 1\n", 0o700)
	t.Setenv("EDITOR", interrupting)
	if r := gorunVault(t, dir, "", "edit", "--vault-id", "prod@pw2", g); r.code != 99 || r.stderr != "ERROR! User interrupted execution\n" {
		t.Fatalf("interrupted edit: %+v", r)
	}
	if read(t, g) != before {
		t.Error("interrupted edit changed the file")
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestVaultAskPass feeds passwords on stdin, as getpass does without a
// terminal, and compares the prompts with ansible-vault's.
func TestVaultAskPass(t *testing.T) {
	dir := vaultDir(t)
	r := gorunVault(t, dir, "typed\ntyped\n", "encrypt_string", "--ask-vault-pass", "secret")
	if r.code != 0 || r.stderr != "New Vault password: \nConfirm New Vault password: \n" {
		t.Fatalf("%+v", r)
	}
	vt := strings.ReplaceAll(strings.TrimPrefix(r.stdout, "!vault |\n"), "          ", "")
	write(t, filepath.Join(dir, "typed"), "typed", 0o600)
	if v := realVault(t, dir, vt+"\n", nil, "decrypt", "--vault-password-file", "typed", "--output", "-"); v.stdout != "secret" {
		t.Fatalf("%+v", v)
	}
	got := gorunVault(t, dir, "one\ntwo\n", "encrypt_string", "--vault-id", "x@prompt", "s")
	want := realVault(t, dir, "one\ntwo\n", nil, "encrypt_string", "--vault-id", "x@prompt", "s")
	if got.code != want.code || got.stderr != withoutGetpassNoise(want.stderr) {
		t.Errorf("mismatched passwords: gorun %+v\nansible-vault %+v", got, want)
	}
}

// withoutGetpassNoise drops the lines Python's getpass prints when it cannot
// turn off echo, which gorun does not imitate.
func withoutGetpassNoise(s string) string {
	var keep []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if strings.Contains(l, "getpass") || strings.Contains(l, "Password input may be echoed") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "")
}

// TestVaultConfigSettings checks the vault settings read from ansible.cfg
// and ANSIBLE_* against ansible-vault with the same settings.
func TestVaultConfigSettings(t *testing.T) {
	dir := vaultDir(t)
	write(t, filepath.Join(dir, "ansible.cfg"), "[defaults]\nvault_password_file = pw2\n", 0o644)
	write(t, filepath.Join(dir, "c.yml"), "c: 3\n", 0o644)
	if r := gorunVault(t, dir, "", "encrypt", "c.yml"); r.code != 0 {
		t.Fatalf("encrypt with vault_password_file from ansible.cfg: %+v", r)
	}
	if v := realVault(t, dir, "", nil, "view", "c.yml"); v.stdout != "c: 3\n" {
		t.Fatalf("ansible-vault view with the same ansible.cfg: %+v", v)
	}

	// A vault id list from the environment comes before --vault-id.
	env := []string{"ANSIBLE_VAULT_IDENTITY_LIST=dev@pw1", "ANSIBLE_VAULT_ID_MATCH=true"}
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		t.Setenv(k, v)
	}
	args := []string{"encrypt_string", "--encrypt-vault-id", "dev", "--output", "-", "x"}
	if r := gorunVault(t, dir, "", args...); r.code != 0 || !strings.Contains(r.stdout, "$ANSIBLE_VAULT;1.2;AES256;dev") {
		t.Fatalf("%+v", r)
	}
	// With vault_id_match, a secret under another id is not tried.
	write(t, filepath.Join(dir, "d.yml"), "d: 4\n", 0o644)
	if v := realVault(t, dir, "", nil, "encrypt", "--vault-id", "prod@pw1", "--encrypt-vault-id", "prod", "d.yml"); v.code != 0 {
		t.Fatal(v)
	}
	got := gorunVault(t, dir, "", "view", "d.yml")
	want := realVault(t, dir, "", env, "view", "d.yml")
	if got.code != want.code || got.stderr != want.stderr {
		t.Errorf("vault_id_match: gorun %+v\nansible-vault %+v", got, want)
	}

	// A vault identity label other than "default" is refused, not ignored.
	t.Setenv("ANSIBLE_VAULT_IDENTITY", "mine")
	if r := gorunVault(t, dir, "", "view", "d.yml"); r.code != 1 || !strings.Contains(r.stderr, "vault_identity = mine (from env: ANSIBLE_VAULT_IDENTITY) is not supported") {
		t.Errorf("vault_identity: %+v", r)
	}
	os.Unsetenv("ANSIBLE_VAULT_IDENTITY")

	// A broken setting stops everything, with Ansible's message and code.
	t.Setenv("ANSIBLE_FORKS", "lots")
	got = gorunVault(t, dir, "", "view", "d.yml")
	want = realVault(t, dir, "", append(env, "ANSIBLE_FORKS=lots"), "view", "d.yml")
	if got.code != want.code || got.stderr != want.stderr {
		t.Errorf("bad setting: gorun %+v\nansible-vault %+v", got, want)
	}
}
