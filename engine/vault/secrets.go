// Package vault reads and writes Ansible Vault data (formats 1.1 and 1.2,
// cipher AES256), byte-compatible with ansible-vault 2.14, and resolves vault
// passwords from --vault-id, --vault-password-file and --ask-vault-pass the
// way Ansible does.
//
// Passwords never appear in errors or logs: messages name vault ids and
// password files only.
package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
)

// Secret is one vault password and the vault id it is known by.
type Secret struct {
	ID       string
	Password []byte
}

// String hides the password so that a Secret printed by mistake leaks nothing.
func (s Secret) String() string { return fmt.Sprintf("vault secret %q", s.ID) }

// GoString hides the password from %#v as well.
func (s Secret) GoString() string {
	return fmt.Sprintf("vault.Secret{ID: %q, Password: <hidden>}", s.ID)
}

// Secrets is an ordered list of secrets, tried in order like Ansible's
// VaultLib secrets.
type Secrets struct {
	list []Secret
	keys keyCache

	// IDMatch, when set, only tries the secrets whose id equals the id in
	// the vault header (Ansible's DEFAULT_VAULT_ID_MATCH / vault_id_match).
	IDMatch bool
}

// NewSecrets returns the secrets s in order. An empty ID stands for DefaultID.
func NewSecrets(s ...Secret) *Secrets {
	out := &Secrets{}
	for _, sec := range s {
		out.Add(sec)
	}
	return out
}

// String names the vault ids only, never the passwords.
func (s *Secrets) String() string { return fmt.Sprintf("vault secrets %s", quoteList(s.IDs())) }

// GoString hides the passwords from %#v as well.
func (s *Secrets) GoString() string { return "&vault.Secrets{" + quoteList(s.IDs()) + "}" }

// Add appends a secret, trying it after those already known.
func (s *Secrets) Add(sec Secret) {
	if sec.ID == "" {
		sec.ID = DefaultID
	}
	s.list = append(s.list, sec)
}

// Len is the number of secrets.
func (s *Secrets) Len() int {
	if s == nil {
		return 0
	}
	return len(s.list)
}

// IDs lists the vault ids of the secrets in order.
func (s *Secrets) IDs() []string {
	if s == nil {
		return nil
	}
	ids := make([]string, len(s.list))
	for i, sec := range s.list {
		ids[i] = sec.ID
	}
	return ids
}

// Decrypt decrypts whole vault text of any format.
func (s *Secrets) Decrypt(data []byte) ([]byte, error) {
	pt, _, err := s.DecryptNamed(data, "")
	return pt, err
}

// DecryptNamed decrypts vault text and returns the secret that opened it.
// name, if not empty, is the file the text came from; Ansible's messages
// mention it ("Decryption failed (...) on NAME").
//
// Every secret is tried in order (the id in the header does not reorder
// them; with IDMatch only secrets with that id are tried). A format error
// stops the search at once, as in Ansible.
func (s *Secrets) DecryptNamed(data []byte, name string) ([]byte, Secret, error) {
	if !IsEncrypted(data) {
		msg := "input is not vault encrypted data. "
		if name != "" {
			msg += name + " is not a vault encrypted file"
		}
		return nil, Secret{}, errors.New(msg)
	}
	env, err := ParseEnvelope(data, name)
	if err != nil {
		return nil, Secret{}, err
	}
	if env.Cipher != "AES256" {
		return nil, Secret{}, fmt.Errorf("%s cipher could not be found", env.Cipher)
	}
	if s.Len() == 0 {
		return nil, Secret{}, errors.New("Attempting to decrypt but no vault secrets found")
	}
	var p *payload
	for _, sec := range s.list {
		if s.IDMatch && sec.ID != env.ID {
			continue
		}
		if p == nil { // parsed lazily: Ansible reports format errors only when it has a secret to try
			if p, err = parsePayload(env.Body); err != nil {
				return nil, Secret{}, err
			}
		}
		pt, err := decryptAES256(p, sec.Password, &s.keys)
		var fe *FormatError
		switch {
		case err == nil:
			return pt, sec, nil
		case errors.As(err, &fe), errors.Is(err, errPadding):
			return nil, Secret{}, err
		}
	}
	msg := "Decryption failed (no vault secrets were found that could decrypt)"
	if name != "" {
		msg += " on " + name
	}
	return nil, Secret{}, errors.New(msg)
}

// Encrypt encrypts plaintext with the secret whose vault id is id, or with
// the first secret when id is "". The result is format 1.1 when id is "" or
// "default", 1.2 with id in the header otherwise, wrapped at 80 columns and
// ending in a newline, exactly as ansible-vault writes it.
func (s *Secrets) Encrypt(plaintext []byte, id string) ([]byte, error) {
	sec, err := s.EncryptSecret(id)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return encryptWithSalt(plaintext, sec.Password, salt, id)
}

// EncryptSecret picks the secret to encrypt with, like Ansible's
// match_encrypt_secret: the first one with vault id id, or the first secret
// when id is "".
func (s *Secrets) EncryptSecret(id string) (Secret, error) {
	if s.Len() == 0 {
		return Secret{}, errors.New("A vault password must be specified to encrypt data")
	}
	if id == "" {
		return s.list[0], nil
	}
	for _, sec := range s.list {
		if sec.ID == id {
			return sec, nil
		}
	}
	return Secret{}, fmt.Errorf("Did not find a match for --encrypt-vault-id=%s in the known vault-ids %s", id, quoteList(s.IDs()))
}

// EncryptPassword encrypts plaintext with password as the vault filter does
// (VaultLib.encrypt with one secret): salt nil draws a random 32-byte salt,
// otherwise the given bytes are the salt, so the output is reproducible.
func EncryptPassword(plaintext, password, salt []byte, id string) ([]byte, error) {
	if salt == nil {
		salt = make([]byte, saltLen)
		if _, err := rand.Read(salt); err != nil {
			return nil, err
		}
	} else if len(salt) == 0 {
		return nil, errors.New("Empty or invalid salt passed")
	}
	return encryptWithSalt(plaintext, password, salt, id)
}

// encryptWithSalt is Encrypt with a given salt, so tests can compare bytes
// with ansible-vault's output.
func encryptWithSalt(plaintext, password, salt []byte, id string) ([]byte, error) {
	if IsEncrypted(plaintext) {
		return nil, errors.New("input is already encrypted")
	}
	body, err := encryptAES256(plaintext, password, salt)
	if err != nil {
		return nil, err
	}
	return formatEnvelope(body, id), nil
}

// At returns the i-th secret.
func (s *Secrets) At(i int) Secret { return s.list[i] }

// keyCache remembers derived keys by password and salt. Templating may
// decrypt the same inline !vault value for every host and task, and the
// 10000 PBKDF2 rounds are the whole cost of a decryption. The cache holds
// keys, never plaintext.
type keyCache struct {
	mu   sync.Mutex
	keys map[[sha256.Size]byte][]byte
}

// maxCachedKeys bounds the cache; past it, the cache starts over.
const maxCachedKeys = 4096

// derive returns the PBKDF2 output for password and salt, from the cache
// when it is there.
func (c *keyCache) derive(password, salt []byte) ([]byte, error) {
	h := sha256.New()
	h.Write(password)
	h.Write([]byte{0})
	h.Write(salt)
	var id [sha256.Size]byte
	h.Sum(id[:0])

	c.mu.Lock()
	k, ok := c.keys[id]
	c.mu.Unlock()
	if ok {
		return k, nil
	}
	k, err := deriveKey(password, salt)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= maxCachedKeys {
		c.keys = map[[sha256.Size]byte][]byte{}
	}
	c.keys[id] = k
	c.mu.Unlock()
	return k, nil
}
