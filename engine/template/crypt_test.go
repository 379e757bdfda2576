package template

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestBcryptRandomSaltVerifies checks a bcrypt hash with a fresh salt against
// golang.org/x/crypto/bcrypt's verifier (the goldens fix the salt).
func TestBcryptRandomSaltVerifies(t *testing.T) {
	h, err := bcryptHash("correct horse", "", 4, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$2b$04$") || len(h) != 60 {
		t.Fatalf("unexpected bcrypt hash %q", h)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(h), []byte("correct horse")); err != nil {
		t.Fatalf("%s does not verify: %v", h, err)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(h), []byte("wrong")); err == nil {
		t.Fatalf("%s verifies a wrong password", h)
	}
}
