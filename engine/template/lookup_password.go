package template

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// lookupPassword is the password lookup: the password stored in a file,
// generated (and stored with mode 0600) when the file does not exist yet.
// The file holds "PASSWORD" or "PASSWORD salt=SALT[ ident=IDENT]" as Ansible writes it.
func lookupPassword(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		relpath, params, err := passwordParams(ToText(t), kw)
		if err != nil {
			return nil, err
		}
		path := ev.passwordPath(relpath)
		length, err := strconv.Atoi(params["length"])
		if err != nil {
			return nil, fmt.Errorf("invalid length %q for password lookup", params["length"])
		}
		chars := passwordChars(params["chars"])
		if chars == "" {
			return nil, fmt.Errorf("password lookup: no characters to choose from")
		}
		encrypt, ident := params["encrypt"], params["ident"]
		var content *string
		if b, err := os.ReadFile(path); err == nil {
			s := strings.TrimRight(string(b), " \t\r\n")
			content = &s
		}
		var plaintext, salt string
		changed := false
		if content == nil || path == "/dev/null" {
			var seed any
			if s, ok := params["seed"]; ok {
				seed = s
			}
			plaintext = randomPassword(length, chars, seed)
			changed = true
		} else {
			var storedIdent string
			plaintext, salt, storedIdent = parsePasswordContent(*content)
			if ident == "" {
				ident = storedIdent
			} else if storedIdent != "" && storedIdent != ident {
				return nil, fmt.Errorf("The ident parameter provided (%s) does not match the stored one (%s).", ident, storedIdent)
			}
		}
		saltSizes := map[string]int{"md5_crypt": 8, "bcrypt": 22, "sha256_crypt": 16, "sha512_crypt": 16}
		if encrypt != "" && salt == "" {
			size, ok := saltSizes[encrypt]
			if !ok {
				size = 8
			}
			salt = randomPassword(size, saltChars, nil)
			changed = true
		}
		if encrypt == "bcrypt" && ident == "" {
			ident = "2b"
			changed = true
		}
		if changed && path != "/dev/null" {
			formatted := plaintext
			if salt != "" {
				formatted += " salt=" + salt
				if ident != "" {
					formatted += " ident=" + ident
				}
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, err
			}
			if err := os.WriteFile(path, []byte(formatted+"\n"), 0o600); err != nil {
				return nil, err
			}
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, err
			}
		}
		if encrypt != "" {
			h, err := cryptHash(encrypt, plaintext, salt, 0, ident)
			if err != nil {
				return nil, err
			}
			out = append(out, h)
			continue
		}
		out = append(out, plaintext)
	}
	return out, nil
}

// passwordPath resolves the file as Ansible's path_dwim does: relative to the
// playbook directory (the last entry of the search path).
func (ev *evaluator) passwordPath(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	sp := ev.sess.ctx.SearchPath
	if len(sp) == 0 {
		return rel
	}
	return filepath.Join(sp[len(sp)-1], rel)
}

var passwordOptions = setOf("length encrypt chars ident seed")

func passwordParams(term string, kw *value.Dict) (string, map[string]string, error) {
	// chars defaults to the list ['ascii_letters', 'digits', '.,:-_'] (no comma parsing)
	params := map[string]string{"length": "20", "chars": ""}
	for _, k := range kw.Keys() {
		v, _ := kw.Get(k)
		if !passwordOptions[k] {
			return "", nil, fmt.Errorf("Unrecognized parameter(s) given to password lookup: %s", k)
		}
		if l, ok := asList(v); ok && k == "chars" {
			var parts []string
			for _, x := range l {
				parts = append(parts, strings.ReplaceAll(ToText(x), ",", ",,"))
			}
			v = strings.Join(parts, ",")
		}
		params[k] = ToText(v)
	}
	relpath, rest, _ := strings.Cut(term, " ")
	var raw []string
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			raw = append(raw, f)
			continue
		}
		if !passwordOptions[k] {
			return "", nil, fmt.Errorf("Unrecognized parameter(s) given to password lookup: %s", k)
		}
		params[k] = strings.Trim(v, `"'`)
	}
	if len(raw) > 0 {
		relpath += " " + strings.Join(raw, " ")
		if !strings.HasPrefix(term, relpath) {
			return "", nil, fmt.Errorf("Unrecognized value after key=value parameters given to password lookup")
		}
	}
	return relpath, params, nil
}

var pyStringSets = map[string]string{
	"ascii_letters":   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"ascii_lowercase": "abcdefghijklmnopqrstuvwxyz",
	"ascii_uppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"digits":          "0123456789",
	"hexdigits":       "0123456789abcdefABCDEF",
	"octdigits":       "01234567",
	"punctuation":     "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
	"whitespace":      " \t\n\r\x0b\x0c",
}

func init() {
	pyStringSets["printable"] = pyStringSets["digits"] + pyStringSets["ascii_letters"] + pyStringSets["punctuation"] + pyStringSets["whitespace"]
	lookups["password"] = lookupPassword
}

// passwordChars expands the chars option as _gen_candidate_chars does (",," is a comma).
func passwordChars(spec string) string {
	if spec == "" {
		return pyStringSets["ascii_letters"] + pyStringSets["digits"] + ".,:-_"
	}
	var specs []string
	if strings.Contains(spec, ",,") {
		specs = append(specs, ",")
	}
	for _, c := range strings.Split(strings.ReplaceAll(spec, ",,", ","), ",") {
		if c != "" {
			specs = append(specs, c)
		}
	}
	var b strings.Builder
	for _, s := range specs {
		if set, ok := pyStringSets[s]; ok {
			b.WriteString(set)
		} else {
			b.WriteString(s)
		}
	}
	return strings.NewReplacer(`"`, "", "'", "").Replace(b.String())
}

// randomPassword is encrypt.random_password: Python's Random(seed).choice, or the system RNG.
func randomPassword(length int, chars string, seed any) string {
	below := sysRandbelow
	if seed != nil {
		below = newPyRandom(seed).randbelow
	}
	r := []rune(chars)
	var b strings.Builder
	for i := 0; i < length; i++ {
		b.WriteRune(r[below(len(r))])
	}
	return b.String()
}

func parsePasswordContent(content string) (password, salt, ident string) {
	password = content
	if i := strings.LastIndex(content, " salt="); i >= 0 {
		rem := content[i+len(" salt="):]
		password = content[:i]
		if j := strings.LastIndex(rem, " ident="); j >= 0 {
			return password, rem[:j], rem[j+len(" ident="):]
		}
		return password, rem, ""
	}
	return password, "", ""
}
