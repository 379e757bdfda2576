package template

import (
	"fmt"
	"strings"

	"github.com/GehirnInc/crypt"
	_ "github.com/GehirnInc/crypt/md5_crypt"
	_ "github.com/GehirnInc/crypt/sha256_crypt"
	_ "github.com/GehirnInc/crypt/sha512_crypt"
	"golang.org/x/crypto/bcrypt"
)

// cryptHash computes a crypt(3) hash as Python's crypt module (glibc) does.
func cryptHash(kind, secret, salt string, rounds int, ident string) (string, error) {
	var c crypt.Crypter
	var prefix string
	switch kind {
	case "md5_crypt":
		c, prefix = crypt.MD5.New(), "$1$"
	case "sha256_crypt":
		c, prefix = crypt.SHA256.New(), "$5$"
	case "sha512_crypt":
		c, prefix = crypt.SHA512.New(), "$6$"
	case "bcrypt":
		return bcryptHash(secret, salt, rounds, ident)
	default:
		return "", fmt.Errorf("unsupported hash type %s", kind)
	}
	setting := prefix
	if rounds > 0 {
		setting += fmt.Sprintf("rounds=%d$", rounds)
	}
	setting += salt
	return c.Generate([]byte(secret), []byte(setting))
}

// bcryptHash hashes with a fresh random salt: golang.org/x/crypto/bcrypt has
// no API for a caller-chosen salt, so an explicit salt is reported as unsupported.
func bcryptHash(secret, salt string, rounds int, ident string) (string, error) {
	if salt != "" {
		return "", fmt.Errorf("password_hash: bcrypt with an explicit salt is not supported by gorun")
	}
	if rounds == 0 {
		rounds = 12
	}
	h, err := bcrypt.GenerateFromPassword([]byte(secret), rounds)
	if err != nil {
		return "", err
	}
	if ident == "" {
		ident = "2b"
	}
	// $2a$ and $2b$ are the same algorithm; Ansible writes the ident it was given.
	return strings.Replace(string(h), "$2a$", "$"+ident+"$", 1), nil
}
