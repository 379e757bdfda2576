package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"gorun/engine/config"
	"gorun/engine/output"
	"gorun/engine/vault"
)

// vaultSettings are the ansible.cfg / ANSIBLE_* settings ansible-vault reads.
type vaultSettings struct {
	identityList    []string // DEFAULT_VAULT_IDENTITY_LIST
	passwordFile    string   // DEFAULT_VAULT_PASSWORD_FILE
	encryptIdentity string   // DEFAULT_VAULT_ENCRYPT_IDENTITY
	idMatch         bool     // DEFAULT_VAULT_ID_MATCH
	askVaultPass    bool     // DEFAULT_ASK_VAULT_PASS
}

// run carries out one parsed ansible-vault command, like VaultCLI.run.
func (c *vaultCLI) run(o *vaultOptions) error {
	readStdin, err := o.check()
	if err != nil {
		return err
	}
	set, err := c.loadVaultSettings()
	if err != nil {
		return err
	}
	o.askVaultPass = o.askVaultPass || set.askVaultPass
	encryptID := o.encryptVaultID
	if encryptID == "" {
		encryptID = set.encryptIdentity
	}

	var secrets *vault.Secrets
	var encrypt, newSecret vault.Secret
	switch o.action {
	case "decrypt", "view", "rekey", "edit":
		secrets, err = c.readSecrets(o, set)
	case "encrypt", "encrypt_string", "create":
		secrets, encrypt, err = c.writeSecrets(o, set, encryptID)
	}
	if err != nil {
		return err
	}
	if o.action == "rekey" {
		if newSecret, err = c.rekeySecret(o, set, encryptID); err != nil {
			return err
		}
	}
	secrets.IDMatch = set.idMatch
	ed := &vaultEditor{secrets: secrets, cli: c}

	switch o.action {
	case "encrypt":
		return ed.encryptFiles(o, encrypt)
	case "encrypt_string":
		return ed.encryptStrings(o, encrypt, readStdin)
	case "decrypt":
		return ed.decryptFiles(o)
	case "create":
		if len(o.args) != 1 {
			return optionsError("ansible-vault create can take only one filename argument")
		}
		return ed.createFile(o.args[0], encrypt)
	case "edit":
		for _, f := range o.args {
			if err := ed.editFile(f); err != nil {
				return err
			}
		}
	case "view":
		for _, f := range o.args {
			pt, err := ed.plaintext(f)
			if err != nil {
				return err
			}
			c.pager(pt)
		}
	case "rekey":
		for _, f := range o.args {
			if err := ed.rekeyFile(f, newSecret); err != nil {
				return err
			}
		}
		fmt.Fprintln(c.err, "Rekey successful")
	}
	return nil
}

// readSecrets loads the secrets that decrypt, for decrypt, view, edit and rekey.
func (c *vaultCLI) readSecrets(o *vaultOptions, set vaultSettings) (*vault.Secrets, error) {
	ids := append(cloneStrings(set.identityList), o.vaultIDs...)
	secrets, err := c.setupSecrets(set, ids, o.passwordFiles, o.askVaultPass, false)
	if err == nil && secrets.Len() == 0 {
		err = optionsError("A vault password is required to use Ansible's Vault")
	}
	return secrets, err
}

// writeSecrets loads the secrets for encrypt, encrypt_string and create,
// asking for new passwords, and picks the one to encrypt with.
func (c *vaultCLI) writeSecrets(o *vaultOptions, set vaultSettings, encryptID string) (*vault.Secrets, vault.Secret, error) {
	ids := append(cloneStrings(set.identityList), o.vaultIDs...)
	secrets, err := c.setupSecrets(set, ids, o.passwordFiles, o.askVaultPass, true)
	switch {
	case err != nil:
		return nil, vault.Secret{}, err
	case secrets.Len() > 1 && encryptID == "":
		return nil, vault.Secret{}, optionsError("The vault-ids %s are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id", strings.Join(secrets.IDs(), ","))
	case secrets.Len() == 0:
		return nil, vault.Secret{}, optionsError("A vault password is required to use Ansible's Vault")
	}
	sec, err := secrets.EncryptSecret(encryptID)
	return secrets, sec, err
}

// rekeySecret loads the new secret for rekey from --new-vault-id or
// --new-vault-password-file (asking when neither is given).
func (c *vaultCLI) rekeySecret(o *vaultOptions, set vaultSettings, encryptID string) (vault.Secret, error) {
	var ids, files []string
	if encryptID != "" {
		ids = cloneStrings(set.identityList)
	}
	if o.newVaultID != "" {
		ids = append(ids, o.newVaultID)
	}
	if o.newPasswordFile != "" {
		files = append(files, o.newPasswordFile)
	}
	secrets, err := c.setupSecrets(set, ids, files, o.askVaultPass, true)
	if err != nil {
		return vault.Secret{}, err
	}
	if secrets.Len() == 0 {
		return vault.Secret{}, optionsError("A new vault password is required to use Ansible's Vault rekey")
	}
	return secrets.EncryptSecret(encryptID)
}

// cloneStrings copies a list so appending to it leaves the original alone.
func cloneStrings(s []string) []string { return append([]string(nil), s...) }

// setupSecrets loads the secrets for vaultIDs and password files the way
// CLI.setup_vault_secrets does, adding the configured password file.
func (c *vaultCLI) setupSecrets(set vaultSettings, vaultIDs, files []string, ask, newPassword bool) (*vault.Secrets, error) {
	files = cloneStrings(files)
	if set.passwordFile != "" {
		files = append(files, set.passwordFile)
	}
	specs := vault.BuildSpecs(vaultIDs, files, ask, true)
	l := &vault.Loader{
		Prompt:      c.promptPassword,
		NewPassword: newPassword,
		Warn:        c.warn,
	}
	return l.Load(specs)
}

// warn prints an Ansible warning, wrapped at 79 columns as Display does
// when stdout is not a terminal.
func (c *vaultCLI) warn(msg string) {
	fmt.Fprint(c.err, output.WrapText("[WARNING]: "+msg, 79)+"\n")
}

// promptPassword asks for a password on stdin, without echo on a terminal.
func (c *vaultCLI) promptPassword(text string) ([]byte, error) {
	return vault.ReaderPrompt(c.in, c.err)(text)
}

// readLine reads one line from stdin without its line break.
func (c *vaultCLI) readLine() ([]byte, error) {
	return vault.ReadLine(c.in)
}

// isTerminal reports whether w is a terminal, as Python's isatty.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// loadVaultSettings reads the vault settings from ansible.cfg and the
// environment, printing the configuration's warnings as Ansible does.
func (c *vaultCLI) loadVaultSettings() (vaultSettings, error) {
	cfg, err := config.Load()
	if err != nil {
		// Ansible fails while importing its constants, before the CLI runs.
		return vaultSettings{}, &vaultError{code: 5, msg: err.Error(), plain: true}
	}
	if id := cfg.String("DEFAULT_VAULT_IDENTITY"); id != vault.DefaultID {
		// Ansible would label unlabelled secrets with it; gorun always uses "default".
		return vaultSettings{}, fmt.Errorf("vault_identity = %s (from %s) is not supported by gorun yet; only the default label %q is", id, cfg.Origin("DEFAULT_VAULT_IDENTITY"), vault.DefaultID)
	}
	for _, w := range cfg.Warnings() {
		c.warn(w)
	}
	for _, d := range cfg.Deprecations() {
		fmt.Fprintln(c.err, output.WrapText("[DEPRECATION WARNING]: "+d, 79))
	}
	return vaultSettings{
		identityList:    cfg.List("DEFAULT_VAULT_IDENTITY_LIST"),
		passwordFile:    cfg.String("DEFAULT_VAULT_PASSWORD_FILE"),
		encryptIdentity: cfg.String("DEFAULT_VAULT_ENCRYPT_IDENTITY"),
		idMatch:         cfg.Bool("DEFAULT_VAULT_ID_MATCH"),
		askVaultPass:    cfg.Bool("DEFAULT_ASK_VAULT_PASS"),
	}, nil
}
