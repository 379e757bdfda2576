package vault

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gorun/engine/config"
)

// PasswordSpec is one source of a vault password: --vault-id ID@SOURCE.
// ID is "" when the option had no "label@" part. Source is "prompt" (ask,
// showing the vault id), "prompt_ask_vault_pass" (ask as --ask-vault-pass
// does), or a file: a password file, an executable script printing the
// password, or a "*-client" script called with --vault-id ID.
type PasswordSpec struct{ ID, Source string }

// Prompt sources understood by Ansible.
const (
	SourcePrompt       = "prompt"
	SourceAskVaultPass = "prompt_ask_vault_pass"
)

// ParseVaultID splits a --vault-id value at its first "@" like
// CLI.split_vault_id: "dev@file" is {dev, file}; "file" is {"", file}.
func ParseVaultID(s string) PasswordSpec {
	id, src, ok := strings.Cut(s, "@")
	if !ok {
		return PasswordSpec{Source: s}
	}
	return PasswordSpec{ID: id, Source: src}
}

// BuildSpecs turns command-line options into password specs in Ansible's
// order (CLI.build_vault_ids): the --vault-id values, then each
// --vault-password-file as "default@FILE", then a prompt when askVaultPass
// is set or, with autoPrompt, when nothing else was given.
func BuildSpecs(vaultIDs, passwordFiles []string, askVaultPass, autoPrompt bool) []PasswordSpec {
	var specs []PasswordSpec
	for _, v := range vaultIDs {
		specs = append(specs, ParseVaultID(v))
	}
	for _, f := range passwordFiles {
		specs = append(specs, PasswordSpec{ID: DefaultID, Source: f})
	}
	if askVaultPass || (len(specs) == 0 && autoPrompt) {
		specs = append(specs, PasswordSpec{ID: DefaultID, Source: SourceAskVaultPass})
	}
	return specs
}

// LoadSecrets resolves specs into secrets the way Ansible's
// CLI.setup_vault_secrets does. prompt is called with the text to show (for
// example "Vault password (dev): ") and returns what the user typed; io.EOF
// means the user pressed ctrl-d. Problems with a password file are warned
// about on stderr and skipped; the last one is returned only when no secret
// could be loaded at all.
func LoadSecrets(specs []PasswordSpec, prompt func(label string) ([]byte, error)) (*Secrets, error) {
	l := &Loader{Prompt: prompt}
	return l.Load(specs)
}

// Loader resolves password specs into secrets with more control than
// LoadSecrets.
type Loader struct {
	// Prompt asks the user; see LoadSecrets. Nil makes prompt sources fail.
	Prompt func(text string) ([]byte, error)
	// NewPassword asks for a new password and its confirmation, as
	// ansible-vault does for create, encrypt and rekey.
	NewPassword bool
	// Warn receives Ansible's warnings (without the "[WARNING]: " prefix);
	// nil prints them on stderr.
	Warn func(msg string)
}

// Load resolves specs in order. A password file may itself be vault
// encrypted with a secret loaded earlier in the list.
func (l *Loader) Load(specs []PasswordSpec) (*Secrets, error) {
	secrets := NewSecrets()
	var lastErr error
	found := false
	for _, spec := range specs {
		if spec.Source == SourcePrompt || spec.Source == SourceAskVaultPass {
			sec, err := l.prompted(spec)
			if err != nil {
				l.warn(fmt.Sprintf("Error in vault password prompt (%s): %s", pyName(spec.ID), err))
				return nil, err
			}
			secrets.Add(sec)
			found = true
			continue
		}
		pw, err := l.fromFile(spec, secrets)
		if err != nil {
			l.warn(fmt.Sprintf("%s (%s): %s", err.stage, pyName(spec.ID), err.err))
			lastErr = err.err
			continue
		}
		secrets.Add(Secret{ID: spec.ID, Password: pw})
		found = true
	}
	if lastErr != nil && !found {
		return nil, lastErr
	}
	return secrets, nil
}

func (l *Loader) warn(msg string) {
	if l.Warn != nil {
		l.Warn(msg)
		return
	}
	fmt.Fprintf(os.Stderr, "[WARNING]: %s\n", msg)
}

// pyName renders an optional vault id as Python's "%s" renders None.
func pyName(id string) string {
	if id == "" {
		return "None"
	}
	return id
}

// prompted asks for a password with Ansible's prompt texts (PromptVaultSecret).
func (l *Loader) prompted(spec PasswordSpec) (Secret, error) {
	id := spec.ID
	if id == "" {
		id = DefaultID
	}
	var texts []string
	switch {
	case spec.Source == SourceAskVaultPass && l.NewPassword:
		texts = []string{"New Vault password: ", "Confirm New Vault password: "}
	case spec.Source == SourceAskVaultPass:
		texts = []string{"Vault password: "}
	case l.NewPassword:
		texts = []string{"New vault password (" + id + "): ", "Confirm new vault password (" + id + "): "}
	default:
		texts = []string{"Vault password (" + id + "): "}
	}
	if l.Prompt == nil {
		return Secret{}, fmt.Errorf("cannot prompt for the vault password of vault id %s: no terminal", id)
	}
	var answers [][]byte
	for _, t := range texts {
		pw, err := l.Prompt(t)
		if errors.Is(err, io.EOF) {
			return Secret{}, fmt.Errorf("EOFError (ctrl-d) on prompt for (%s)", id)
		}
		if err != nil {
			return Secret{}, err
		}
		if len(pw) == 0 {
			return Secret{}, errors.New("Invalid vault password was provided")
		}
		answers = append(answers, bytes.TrimSpace(pw))
	}
	for _, a := range answers[1:] {
		if !bytes.Equal(a, answers[0]) {
			return Secret{}, errors.New("Passwords do not match")
		}
	}
	return Secret{ID: id, Password: answers[0]}, nil
}

// fileError is a failure reading a password source, with the stage Ansible
// names in its warning.
type fileError struct {
	stage string
	err   error
}

// fromFile reads a password from a file or runs a password script
// (get_file_vault_secret and the *VaultSecret classes).
func (l *Loader) fromFile(spec PasswordSpec, known *Secrets) ([]byte, *fileError) {
	path := config.Unfrack(spec.Source, "")
	info, err := os.Stat(path)
	if err != nil {
		return nil, &fileError{"Error getting vault password file", fmt.Errorf("The vault password file %s was not found", path)}
	}
	const loading = "Error in vault password file loading"
	if info.Mode().Perm()&0o111 != 0 && !info.IsDir() {
		pw, err := runScript(path, spec.ID, isClientScript(spec.Source))
		if err != nil {
			return nil, &fileError{loading, err}
		}
		return pw, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &fileError{loading, fmt.Errorf("Could not read vault password file %s: %v", path, errors.Unwrap(err))}
	}
	data = bytes.TrimSpace(data)
	if IsEncrypted(data) {
		if data, _, err = known.DecryptNamed(data, path); err != nil {
			return nil, &fileError{loading, err}
		}
	}
	data = bytes.Trim(data, "\r\n")
	if len(data) == 0 {
		return nil, &fileError{loading, fmt.Errorf("Invalid vault password was provided from file (%s)", path)}
	}
	return data, nil
}

// isClientScript reports whether a password script takes --vault-id: its
// name without extension ends in "-client".
func isClientScript(name string) bool {
	return strings.HasSuffix(strings.TrimSuffix(name, filepath.Ext(name)), "-client")
}

// runScript runs a password script and returns its output without the
// surrounding line breaks. A plain script's stderr goes to ours so it can
// prompt; a client script's stderr is captured for the error message.
func runScript(path, id string, client bool) ([]byte, error) {
	cmd := exec.Command(path)
	kind := "script"
	if client {
		kind = "client script"
		if id != "" {
			cmd.Args = append(cmd.Args, "--vault-id", id)
		}
	}
	var stderr bytes.Buffer
	if client {
		cmd.Stderr = &stderr
	} else {
		cmd.Stderr = os.Stderr
	}
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && client && exit.ExitCode() == 2:
		return nil, fmt.Errorf("Vault password client script %s did not find a secret for vault-id=%s: %s", path, pyName(id), pyBytes(stderr.Bytes()))
	case errors.As(err, &exit) && client:
		return nil, fmt.Errorf("Vault password client script %s returned non-zero (%d) when getting secret for vault-id=%s: %s", path, exit.ExitCode(), pyName(id), pyBytes(stderr.Bytes()))
	case errors.As(err, &exit):
		return nil, fmt.Errorf("Vault password script %s returned non-zero (%d): None", path, exit.ExitCode())
	case err != nil:
		return nil, fmt.Errorf("Problem running vault password %s %s (%v). If this is not a script, remove the executable bit from the file.", kind, path, err)
	}
	pw := bytes.Trim(out, "\r\n")
	if len(pw) == 0 {
		return nil, fmt.Errorf("Invalid vault password was provided from %s (%s)", "script", path)
	}
	return pw, nil
}

// pyBytes renders b as Python's repr of bytes, as Ansible's messages show
// a script's stderr.
func pyBytes(b []byte) string {
	var s strings.Builder
	s.WriteString("b'")
	for _, c := range b {
		switch {
		case c == '\\' || c == '\'':
			s.WriteByte('\\')
			s.WriteByte(c)
		case c == '\n':
			s.WriteString(`\n`)
		case c == '\r':
			s.WriteString(`\r`)
		case c == '\t':
			s.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&s, `\x%02x`, c)
		default:
			s.WriteByte(c)
		}
	}
	s.WriteString("'")
	return s.String()
}
