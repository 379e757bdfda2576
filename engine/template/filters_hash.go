package template

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/blake2s"

	"gorun/engine/value"
)

// Hash, encoding and password filters.

func init() {
	register("b64encode", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return base64.StdEncoding.EncodeToString([]byte(ToText(v))), nil
	})
	register("b64decode", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		s := ToText(v)
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			if b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "=")); err != nil {
				return nil, fmt.Errorf("b64decode: %v", err)
			}
		}
		return string(b), nil
	})
	register("md5", hashFilter("md5"))
	register("sha1 checksum", hashFilter("sha1"))
	register("hash", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("hash", a, kw, "hashtype")
		if err != nil {
			return nil, err
		}
		return hashFilter(argStr(p[0], "sha1"))(ev, v, nil, value.NewDict())
	})
	register("to_uuid", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("to_uuid", a, kw, "namespace")
		if err != nil {
			return nil, err
		}
		ns, err := uuid.Parse(argStr(p[0], "361E6D51-FAEC-444A-9079-341386DA8E2E"))
		if err != nil {
			return nil, fmt.Errorf("Invalid value '%s' for 'namespace': %v", argStr(p[0], ""), err)
		}
		return uuid.NewSHA1(ns, []byte(ToText(v))).String(), nil
	})
	register("password_hash", filterPasswordHash)
}

func hashFilter(kind string) filterFunc {
	return func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		var h hash.Hash
		switch kind {
		case "md5":
			h = md5.New()
		case "sha1":
			h = sha1.New()
		case "sha224":
			h = sha256.New224()
		case "sha256":
			h = sha256.New()
		case "sha384":
			h = sha512.New384()
		case "sha512":
			h = sha512.New()
		case "sha512_224":
			h = sha512.New512_224()
		case "sha512_256":
			h = sha512.New512_256()
		case "sha3_224":
			h = sha3.New224()
		case "sha3_256":
			h = sha3.New256()
		case "sha3_384":
			h = sha3.New384()
		case "sha3_512":
			h = sha3.New512()
		case "blake2b":
			h, _ = blake2b.New512(nil)
		case "blake2s":
			h, _ = blake2s.New256(nil)
		default:
			return nil, fmt.Errorf("unsupported hash type %s", kind)
		}
		h.Write([]byte(ToText(v)))
		return hex.EncodeToString(h.Sum(nil)), nil
	}
}

var saltChars = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func filterPasswordHash(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("password_hash", a, kw, "hashtype", "salt", "salt_size", "rounds", "ident")
	if err != nil {
		return nil, err
	}
	kind := argStr(p[0], "sha512")
	kind = map[string]string{"md5": "md5_crypt", "blowfish": "bcrypt", "sha256": "sha256_crypt", "sha512": "sha512_crypt"}[kind] + ""
	if kind == "" {
		kind = argStr(p[0], "")
	}
	type algo struct {
		id       string
		saltSize int
		implicit int
	}
	algos := map[string]algo{"md5_crypt": {"1", 8, 0}, "bcrypt": {"2b", 22, 12}, "sha256_crypt": {"5", 16, 535000}, "sha512_crypt": {"6", 16, 656000}}
	al, ok := algos[kind]
	if !ok {
		return nil, fmt.Errorf("crypt.crypt does not support '%s' algorithm", kind)
	}
	saltSize := al.saltSize
	if given(p[2]) && p[2] != nil {
		saltSize, _ = toInt(p[2])
	}
	salt := ""
	if given(p[1]) && p[1] != nil {
		salt = ToText(p[1])
	} else if kind != "bcrypt" {
		for i := 0; i < saltSize; i++ {
			salt += string(saltChars[sysRandbelow(len(saltChars))])
		}
	}
	for _, r := range salt {
		if !strings.ContainsRune(saltChars, r) {
			return nil, fmt.Errorf("invalid characters in salt")
		}
	}
	rounds := 0
	if given(p[3]) && p[3] != nil {
		rounds, _ = toInt(p[3])
	}
	if rounds == 0 && kind != "bcrypt" {
		// Ansible passes the implicit rounds explicitly, so they appear in the hash.
		rounds = al.implicit
	}
	return cryptHash(kind, ToText(v), salt, rounds, argStr(p[4], ""))
}
