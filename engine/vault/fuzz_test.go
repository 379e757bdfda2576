package vault

import (
	"bytes"
	"testing"
)

// FuzzDecrypt feeds arbitrary text to the vault decoder: it must never
// panic, and what it decrypts must encrypt back to the same plaintext.
func FuzzDecrypt(f *testing.F) {
	s := NewSecrets(Secret{ID: "dev", Password: []byte("fuzz")})
	good, err := s.Encrypt([]byte("seed: 1\n"), "dev")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("$ANSIBLE_VAULT;1.1;AES256\n"))
	f.Add([]byte("$ANSIBLE_VAULT;1.2;AES256;x\r\n6162\r\n"))
	f.Add([]byte("$ANSIBLE_VAULT"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pt, used, err := s.DecryptNamed(data, "fuzz.yml")
		if err != nil {
			return
		}
		again, err := NewSecrets(used).Encrypt(pt, used.ID)
		if err != nil {
			if IsEncrypted(pt) {
				return // vault text inside vault text cannot be encrypted again
			}
			t.Fatalf("re-encrypt: %v", err)
		}
		back, err := s.Decrypt(again)
		if err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("round trip: %q, %v", back, err)
		}
	})
}
