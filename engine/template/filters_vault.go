package template

import (
	"fmt"

	"gorun/engine/value"
	"gorun/engine/vault"
)

// The vault and unvault filters (ansible-core's filter/encryption.py) encrypt
// and decrypt with the secret passed as argument, not with the play's vault
// secrets.
func init() {
	register("vault", filterVault)
	register("unvault", filterUnvault)
}

// filterVault is `data | vault(secret, salt=None, vaultid='filter_default', wrap_object=False)`.
func filterVault(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("do_vault", a, kw, "secret", "salt", "vaultid", "wrap_object")
	if err != nil {
		return nil, err
	}
	if !given(p[0]) {
		return nil, fmt.Errorf("do_vault() missing 1 required positional argument: 'secret'")
	}
	secret, ok := asString(p[0])
	if !ok {
		return nil, fmt.Errorf("Secret passed is required to be a string, instead we got: <class '%s'>", typeName(p[0]))
	}
	data, ok := asString(v)
	if !ok {
		return nil, fmt.Errorf("Can only vault strings, instead we got: <class '%s'>", typeName(v))
	}
	var salt []byte
	if given(p[1]) && p[1] != nil {
		salt = []byte(ToText(p[1]))
	}
	id := argStr(p[2], "filter_default")
	out, err := vault.EncryptPassword([]byte(data), []byte(secret), salt, id)
	if err != nil {
		return nil, fmt.Errorf("Unable to encrypt: %v", err)
	}
	if argBool(p[3], false) {
		return value.Vaulted{Ciphertext: string(out), Detached: true}, nil
	}
	return string(out), nil
}

// filterUnvault is `vault | unvault(secret, vaultid='filter_default')`: text
// that is not vault-encrypted comes back unchanged.
func filterUnvault(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("do_unvault", a, kw, "secret", "vaultid")
	if err != nil {
		return nil, err
	}
	if !given(p[0]) {
		return nil, fmt.Errorf("do_unvault() missing 1 required positional argument: 'secret'")
	}
	secret, ok := asString(p[0])
	if !ok {
		return nil, fmt.Errorf("Secret passed is required to be as string, instead we got: <class '%s'>", typeName(p[0]))
	}
	var text string
	switch x := v.(type) {
	case value.Vaulted:
		text = x.Ciphertext
	default:
		s, ok := asString(v)
		if !ok {
			return nil, fmt.Errorf("Vault should be in the form of a string, instead we got: <class '%s'>", typeName(v))
		}
		if !vault.IsEncrypted([]byte(s)) {
			return s, nil
		}
		text = s
	}
	secrets := vault.NewSecrets(vault.Secret{ID: argStr(p[1], "filter_default"), Password: []byte(secret)})
	out, err := secrets.Decrypt([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("Unable to decrypt: %v", err)
	}
	return string(out), nil
}
