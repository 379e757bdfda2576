package template

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/GehirnInc/crypt"
	_ "github.com/GehirnInc/crypt/md5_crypt"
	_ "github.com/GehirnInc/crypt/sha256_crypt"
	_ "github.com/GehirnInc/crypt/sha512_crypt"
	"golang.org/x/crypto/blowfish"
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
	// passlib leaves out 5000, the rounds crypt(3) implies for SHA hashes.
	if rounds > 0 && !(rounds == 5000 && kind != "md5_crypt") {
		setting += fmt.Sprintf("rounds=%d$", rounds)
	}
	setting += salt
	return c.Generate([]byte(secret), []byte(setting))
}

// bcryptHash is passlib's bcrypt as Ansible calls it: a 22-character salt
// (its unused low bits cleared, as passlib's repair_unused does), cost 12
// unless rounds is given, and the ident written as given (2a, 2b and 2y are
// the same algorithm). golang.org/x/crypto/bcrypt always draws its own salt,
// so the hash is computed here from x/crypto/blowfish, as that package does.
func bcryptHash(secret, salt string, rounds int, ident string) (string, error) {
	if rounds == 0 {
		rounds = 12
	}
	if rounds < 4 || rounds > 31 {
		return "", fmt.Errorf("Could not hash the secret.. rounds must be between 4 and 31")
	}
	switch ident {
	case "":
		ident = "2b"
	case "2a", "2b", "2y":
	default:
		return "", fmt.Errorf("Could not hash the secret.. invalid ident: '%s'", ident)
	}
	var raw []byte
	if salt == "" {
		raw = make([]byte, 16)
		if _, err := rand.Read(raw); err != nil {
			return "", err
		}
	} else {
		switch {
		case len(salt) < 22:
			return "", fmt.Errorf("Could not hash the secret.. salt too small (bcrypt requires exactly 22 chars)")
		case len(salt) > 22:
			return "", fmt.Errorf("Could not hash the secret.. salt too large (bcrypt requires exactly 22 chars)")
		}
		var err error
		if raw, err = bcrypt64.DecodeString(salt); err != nil {
			return "", fmt.Errorf("Could not hash the secret.. invalid characters in bcrypt salt")
		}
	}
	sum, err := bcryptSum([]byte(secret), raw, rounds)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$%s$%02d$%s%s", ident, rounds, bcrypt64.EncodeToString(raw), bcrypt64.EncodeToString(sum)), nil
}

// bcrypt64 is bcrypt's own base64 alphabet, unpadded.
var bcrypt64 = base64.NewEncoding("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789").WithPadding(base64.NoPadding)

// bcryptSum is the EksBlowfish hash of key with a 16-byte salt and cost:
// "OrpheanBeholderScryDoubt" encrypted 64 times, of which the C
// implementations (and so every bcrypt hash) keep 23 bytes.
func bcryptSum(key, salt []byte, cost int) ([]byte, error) {
	// C implementations hash the key's terminating NUL too, and read at most 72 bytes.
	ckey := append(append([]byte{}, key...), 0)
	if len(ckey) > 72 {
		ckey = ckey[:72]
	}
	c, err := blowfish.NewSaltedCipher(ckey, salt)
	if err != nil {
		return nil, err
	}
	for i := uint64(0); i < 1<<uint(cost); i++ {
		blowfish.ExpandKey(ckey, c)
		blowfish.ExpandKey(salt, c)
	}
	data := []byte("OrpheanBeholderScryDoubt")
	for i := 0; i < 24; i += 8 {
		for j := 0; j < 64; j++ {
			c.Encrypt(data[i:i+8], data[i:i+8])
		}
	}
	return data[:23], nil
}
