package labenv

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"fmt"

	"golang.org/x/crypto/ssh"
)

// keyPair is an SSH key: the private key in OpenSSH PEM form and the public
// key.
type keyPair struct {
	Private []byte
	Public  ssh.PublicKey
}

// AuthorizedLine is the public key as a line of authorized_keys or a .pub
// file.
func (k keyPair) AuthorizedLine(comment string) []byte {
	line := ssh.MarshalAuthorizedKey(k.Public) // ends in "\n"
	if comment == "" {
		return line
	}
	return append(line[:len(line)-1], []byte(" "+comment+"\n")...)
}

// newKey generates a key of type "ed25519" or "ecdsa" (P-256).
func newKey(kind, comment string) (keyPair, error) {
	var priv crypto.Signer
	var err error
	switch kind {
	case "ed25519":
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	case "ecdsa":
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return keyPair{}, fmt.Errorf("labenv: unknown key type %q", kind)
	}
	if err != nil {
		return keyPair{}, fmt.Errorf("labenv: generating %s key: %w", kind, err)
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return keyPair{}, fmt.Errorf("labenv: encoding %s key: %w", kind, err)
	}
	pub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		return keyPair{}, fmt.Errorf("labenv: %w", err)
	}
	return keyPair{Private: pem.EncodeToMemory(block), Public: pub}, nil
}
