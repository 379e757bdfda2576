package rhel

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// rpmKeyModule is ansible.builtin.rpm_key: a GPG key in the rpm database,
// identified with the target's gpg and imported or erased with its rpm.
type rpmKeyModule struct{}

func init() { module.Register(rpmKeyModule{}) }

func (rpmKeyModule) Doc() *module.Doc { return rpmKeyDoc }

var (
	// keyIDRE is rpm_key's is_keyid, a match at the start of the string.
	keyIDRE = regexp.MustCompile(`^(?i)(0x)?[0-9a-f]{8}`)
	// pubkeyRE is rpm_key's is_pubkey.
	pubkeyRE = regexp.MustCompile(`(?s)-----BEGIN PGP PUBLIC KEY BLOCK-----.*?-----END PGP PUBLIC KEY BLOCK-----`)
)

// rpmKey is one run of the module: the tools found on the target.
type rpmKey struct {
	t        *remotecmd.Target
	rpm, gpg string
}

func (rpmKeyModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := remotecmd.New(ctx, call)
	k := &rpmKey{t: t}
	var err error
	if k.rpm, err = t.Which("rpm"); err != nil || k.rpm == "" {
		return remotecmd.MissingBin("rpm", binSearchPath), err
	}
	if k.gpg, err = t.Which("gpg"); err != nil {
		return nil, err
	}
	if k.gpg == "" {
		if k.gpg, err = t.Which("gpg2"); err != nil || k.gpg == "" {
			return remotecmd.MissingBin("gpg2", binSearchPath), err
		}
	}
	key := a.String("key")
	fingerprint := strings.ToUpper(strings.ReplaceAll(a.String("fingerprint"), " ", ""))

	var keyfile, keyid string
	var fail module.Result
	switch {
	case strings.Contains(key, "://"):
		if keyfile, fail, err = k.fetch(key, a.Bool("validate_certs")); fail != nil || err != nil {
			return fail, err
		}
		defer t.Run(nil, "rm", "-f", "--", keyfile)
		if keyid, fail, err = k.keyField(keyfile, "pub:", 4); fail != nil || err != nil {
			return fail, err
		}
	case keyIDRE.MatchString(key):
		keyid = key
	default:
		o, err := t.Run(nil, "test", "-f", key)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Failed("Not a valid key " + key), nil
		}
		keyfile = key
		if keyid, fail, err = k.keyField(keyfile, "pub:", 4); fail != nil || err != nil {
			return fail, err
		}
	}
	keyid = normalizeKeyID(keyid)

	imported, fail, err := k.imported(keyid)
	if fail != nil || err != nil {
		return fail, err
	}
	if a.String("state") == "absent" {
		if !imported {
			return module.Result{"changed": false}, nil
		}
		if !call.Check {
			if fail, err := k.exec(k.rpm, "--erase", "--allmatches", eraseName(keyid)); fail != nil || err != nil {
				return fail, err
			}
		}
		return module.Result{"changed": true}, nil
	}
	if imported {
		return module.Result{"changed": false}, nil
	}
	if keyfile == "" {
		return module.Failed("When importing a key, a valid file must be given"), nil
	}
	if fingerprint != "" {
		has, fail, err := k.keyField(keyfile, "fpr:", 9, "--with-fingerprint")
		if fail != nil || err != nil {
			return fail, err
		}
		if has != fingerprint {
			return module.Failed(fmt.Sprintf("The specified fingerprint, '%s', does not match the key fingerprint '%s'", fingerprint, has)), nil
		}
	}
	if !call.Check {
		if fail, err := k.exec(k.rpm, "--import", keyfile); fail != nil || err != nil {
			return fail, err
		}
	}
	return module.Result{"changed": true}, nil
}

// normalizeKeyID is rpm_key's normalize_keyid: trimmed, upper case, no 0x.
func normalizeKeyID(id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	return strings.TrimPrefix(id, "0X")
}

// eraseName is the package rpm --erase removes for a key: gpg-pubkey- and
// the key id's last eight digits in lower case.
func eraseName(keyid string) string {
	if len(keyid) > 8 {
		keyid = keyid[len(keyid)-8:]
	}
	return "gpg-pubkey-" + strings.ToLower(keyid)
}

// gpgList is the gpg command line that lists a key file's keys.
func (k *rpmKey) gpgList(extra ...string) []string {
	return append([]string{k.gpg, "--no-tty", "--batch", "--with-colons", "--fixed-list-mode"}, extra...)
}

// exec runs argv and fails with its stderr as execute_command does.
func (k *rpmKey) exec(argv ...string) (module.Result, error) {
	o, err := k.t.Run(nil, argv...)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Failed(o.Stderr), nil
	}
	return nil, nil
}

// keyField returns field n of the first line of gpg's listing of keyfile
// that starts with prefix: the key id of "pub:" (getkeyid) or the
// fingerprint of "fpr:" (getfingerprint).
func (k *rpmKey) keyField(keyfile, prefix string, n int, extra ...string) (string, module.Result, error) {
	o, err := k.t.Run(nil, append(k.gpgList(extra...), keyfile)...)
	if err != nil {
		return "", nil, err
	}
	if o.RC != 0 {
		return "", module.Failed(o.Stderr), nil
	}
	for _, line := range pytext.SplitLines(o.Stdout) {
		line = strings.TrimSpace(line)
		if f := strings.Split(line, ":"); strings.HasPrefix(line, prefix) && len(f) > n {
			return f[n], nil, nil
		}
	}
	return "", module.Failed("Unexpected gpg output"), nil
}

// imported is is_key_imported: whether any gpg-pubkey package in the rpm
// database holds keyid, by feeding the packages' descriptions to gpg.
func (k *rpmKey) imported(keyid string) (bool, module.Result, error) {
	cmd := k.rpm + " -q  gpg-pubkey"
	o, err := k.t.Sh(nil, cmd)
	if err != nil || o.RC != 0 {
		return false, nil, err
	}
	o, err = k.t.Sh(nil, cmd+` --qf "%{description}" | `+shell.Join(k.gpgList("-")))
	if err != nil {
		return false, nil, err
	}
	if o.RC != 0 {
		return false, module.Failed(o.Stderr), nil
	}
	for _, line := range pytext.SplitLines(o.Stdout) {
		if f := strings.Split(line, ":"); len(f) > 4 && strings.Contains(f[4], keyid) {
			return true, nil, nil
		}
	}
	return false, nil, nil
}

// fetch downloads a key URL on the target (where Ansible's fetch_url runs)
// with curl or wget into a temporary file, and checks it is a public key.
func (k *rpmKey) fetch(url string, validate bool) (string, module.Result, error) {
	insecureCurl, insecureWget := "", ""
	if !validate {
		insecureCurl, insecureWget = " -k", " --no-check-certificate"
	}
	u := shell.Quote(url)
	script := `f=$(mktemp) || exit 1
if command -v curl >/dev/null; then curl -fsSL` + insecureCurl + ` -o "$f" ` + u + ` || { rm -f "$f"; exit 2; }
elif command -v wget >/dev/null; then wget -q` + insecureWget + ` -O "$f" ` + u + ` || { rm -f "$f"; exit 2; }
else rm -f "$f"; echo "neither curl nor wget is installed on the target" >&2; exit 2; fi
echo "$f"; cat "$f"`
	o, err := k.t.Sh(nil, script)
	if err != nil {
		return "", nil, err
	}
	if o.RC != 0 {
		return "", module.Failed(fmt.Sprintf("failed to fetch key at %s , error was: %s", url, strings.TrimSpace(o.Stderr))), nil
	}
	path, body, _ := strings.Cut(o.Stdout, "\n")
	if !pubkeyRE.MatchString(body) {
		k.t.Run(nil, "rm", "-f", "--", path)
		return "", module.Failed("Not a public key: " + url), nil
	}
	return path, nil, nil
}

var rpmKeyDoc = &module.Doc{
	Name:  "rpm_key",
	Names: []string{"ansible.builtin.rpm_key"},
	Short: "Adds or removes a gpg key from the rpm db",
	Description: []string{
		"Adds or removes (rpm --import) a gpg key to your rpm database.",
		"The target needs rpm and gpg (or gpg2); a key URL is fetched on the target with curl or wget.",
	},
	Options: []module.Option{
		{Name: "fingerprint", Description: "The long-form fingerprint of the key being imported. This will be used to verify the specified key."},
		{Name: "key", Required: true, Description: "Key that will be modified. Can be a url, a file on the managed node, or a keyid if the key already exists in the database."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "If the key will be imported or removed from the rpm db."},
		{Name: "validate_certs", Type: "bool", Default: true, Description: "If false and the key is a url starting with https, SSL certificates will not be validated. This should only be used on personally controlled sites using self-signed certificates."},
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Import a key from a url
  ansible.builtin.rpm_key:
    state: present
    key: http://apt.sw.be/RPM-GPG-KEY.dag.txt

- name: Import a key from a file
  ansible.builtin.rpm_key:
    state: present
    key: /path/to/key.gpg

- name: Ensure a key is not present in the db
  ansible.builtin.rpm_key:
    state: absent
    key: DEADB33F

- name: Verify the key, using a fingerprint, before import
  ansible.builtin.rpm_key:
    key: /path/to/RPM-GPG-KEY.dag.txt
    fingerprint: EBC6 E12C 62B1 C734 026B  2122 A20E 5214 6B8D 79E6`,
}
