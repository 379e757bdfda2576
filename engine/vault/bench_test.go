package vault

import "testing"

// BenchmarkDecryptFirst measures decrypting a small vault text the first
// time: the 10000 PBKDF2 rounds Ansible's format requires dominate it.
func BenchmarkDecryptFirst(b *testing.B) {
	sec := Secret{Password: []byte("bench")}
	enc, err := NewSecrets(sec).Encrypt([]byte("password: hunter2\n"), "")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := NewSecrets(sec).Decrypt(enc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecryptRepeat measures decrypting the same vault text again
// with the same Secrets, which reuses the derived keys.
func BenchmarkDecryptRepeat(b *testing.B) {
	s := NewSecrets(Secret{Password: []byte("bench")})
	enc, err := s.Encrypt([]byte("password: hunter2\n"), "")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Decrypt(enc); err != nil {
			b.Fatal(err)
		}
	}
}
