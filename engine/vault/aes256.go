package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// Parameters of the AES256 vault cipher (VaultAES256 in Ansible).
const (
	keyLen     = 32 // AES-256 key and HMAC-SHA256 key
	ivLen      = aes.BlockSize
	saltLen    = 32
	iterations = 10000
)

// errHMAC is what a wrong password produces; it is never shown to users,
// who see "Decryption failed ..." once every secret has been tried.
var errHMAC = errors.New("HMAC verification failed: Signature did not match digest.")

// deriveKey runs PBKDF2-HMAC-SHA256 over a password and salt, giving the
// AES key, the HMAC key and the CTR initial counter block, in that order.
func deriveKey(password, salt []byte) ([]byte, error) {
	return pbkdf2.Key(sha256.New, string(password), salt, iterations, 2*keyLen+ivLen)
}

// splitKey cuts derived key material into its three parts.
func splitKey(k []byte) (aesKey, hmacKey, iv []byte) {
	return k[:keyLen], k[keyLen : 2*keyLen], k[2*keyLen:]
}

// encryptAES256 returns the vault body (before wrapping) for plaintext.
func encryptAES256(plaintext, password, salt []byte) ([]byte, error) {
	k, err := deriveKey(password, salt)
	if err != nil {
		return nil, err
	}
	aesKey, hmacKey, iv := splitKey(k)
	ct := pad(plaintext)
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	cipher.NewCTR(block, iv).XORKeyStream(ct, ct)
	mac := hmac.New(sha256.New, hmacKey)
	mac.Write(ct)

	inner := hex.EncodeToString(salt) + "\n" + hex.EncodeToString(mac.Sum(nil)) + "\n" + hex.EncodeToString(ct)
	return []byte(hex.EncodeToString([]byte(inner))), nil
}

// decryptAES256 opens a parsed payload with password. A wrong password gives
// errHMAC; a malformed HMAC field gives a *FormatError as in Ansible.
func decryptAES256(p *payload, password []byte, keys *keyCache) ([]byte, error) {
	k, err := keys.derive(password, p.salt)
	if err != nil {
		return nil, err
	}
	aesKey, hmacKey, iv := splitKey(k)
	want, err := unhexlify(p.hmac)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, hmacKey)
	mac.Write(p.ciphertext)
	if !hmac.Equal(mac.Sum(nil), want) { // constant time
		return nil, errHMAC
	}
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	pt := make([]byte, len(p.ciphertext))
	cipher.NewCTR(block, iv).XORKeyStream(pt, p.ciphertext)
	return unpad(pt)
}

// pad applies PKCS#7 padding to a whole number of AES blocks, returning a new slice.
func pad(b []byte) []byte {
	n := aes.BlockSize - len(b)%aes.BlockSize
	out := make([]byte, len(b), len(b)+n)
	copy(out, b)
	for range n {
		out = append(out, byte(n))
	}
	return out
}

// errPadding matches the ValueError of the cryptography library's unpadder.
var errPadding = errors.New("Invalid padding bytes.")

// unpad removes PKCS#7 padding, checking it as the cryptography library does.
func unpad(b []byte) ([]byte, error) {
	if len(b) == 0 || len(b)%aes.BlockSize != 0 {
		return nil, errPadding
	}
	n := int(b[len(b)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, errPadding
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, errPadding
		}
	}
	return b[:len(b)-n], nil
}
