package system

import (
	"context"
	"fmt"
	"gorun/modules/internal/remotecmd"
	"gorun/modules/internal/urlerr"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
)

// aptKeyModule is ansible.builtin.apt_key: the same apt-key and gpg
// commands, keys downloaded from url on the target with curl or wget.
type aptKeyModule struct{}

func init() { module.Register(aptKeyModule{}) }

func (aptKeyModule) Doc() *module.Doc { return aptKeyDoc }

// aptKeyLang is lang_env: a locale whose messages the module can parse.
var aptKeyLang = map[string]string{"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C"}

// parseKeyID is parse_key_id: the short id (for apt-key del), the
// fingerprint compared with listed keys, and the whole id.
func parseKeyID(id string) (short, fingerprint, full string, err error) {
	hex := strings.ReplaceAll(strings.TrimSpace(id), "_", "")
	hex = strings.TrimPrefix(strings.TrimPrefix(hex, "0x"), "0X")
	if hex == "" {
		return "", "", "", fmt.Errorf("invalid key id")
	}
	for _, c := range hex {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return "", "", "", fmt.Errorf("invalid key id")
		}
	}
	full = strings.ToUpper(strings.TrimSpace(id))
	full = strings.TrimPrefix(full, "0X")
	n := len(full)
	if n != 8 && n != 16 && n <= 16 {
		return "", "", "", fmt.Errorf("key_id must be 8, 16, or 16+ hexadecimal characters in length")
	}
	short = full[n-8:]
	fingerprint = full
	if n > 16 {
		fingerprint = full[n-16:]
	}
	return short, fingerprint, full, nil
}

// parseKeyListing is parse_output_for_keys: the key ids of the pub and sub
// lines that have not expired, in apt-key's or gpg --with-colons' format.
func parseKeyListing(out string, short bool) []any {
	found := []any{}
	for _, line := range strings.Split(out, "\n") {
		if !(strings.HasPrefix(line, "pub") || strings.HasPrefix(line, "sub")) || strings.Contains(line, "expired") {
			continue
		}
		var code string
		tokens := strings.Fields(line)
		if len(tokens) > 1 && strings.Count(tokens[1], "/") == 1 {
			code = strings.SplitN(tokens[1], "/", 2)[1]
		} else if cols := strings.Split(line, ":"); len(cols) > 4 {
			code = cols[4]
		} else {
			continue
		}
		if short && len(code) > 8 {
			code = code[len(code)-8:]
		}
		found = append(found, code)
	}
	return found
}

// aptKeyRun is one apt_key call.
type aptKeyRun struct {
	t       *target
	aptKey  string
	gpg     string
	keyring string
}

// base is the apt-key command with the keyring option.
func (r *aptKeyRun) base() string {
	if r.keyring != "" {
		return r.aptKey + " --keyring " + shell.Quote(r.keyring)
	}
	return r.aptKey
}

// keys is all_keys.
func (r *aptKeyRun) keys(short bool) ([]any, module.Result, error) {
	cmd := r.base() + " adv --list-public-keys --keyid-format=long"
	o, err := r.t.Sh(nil, cmd)
	if err != nil {
		return nil, nil, err
	}
	if o.RC != 0 {
		return nil, module.Result{"failed": true, "msg": "Unable to list public keys", "cmd": cmd, "rc": o.RC, "stdout": o.Stdout, "stderr": o.Stderr}, nil
	}
	return parseKeyListing(o.Stdout, short), nil, nil
}

// keyIDFrom is get_key_id_from_file: the first key id gpg finds in file
// ("-" reads data).
func (r *aptKeyRun) keyIDFrom(file string, data []byte) (any, module.Result, error) {
	res, err := r.t.Exec(aptKeyLang, shell.Join([]string{r.gpg, "--with-colons", file}), data)
	if err != nil {
		return nil, nil, err
	}
	if res.ExitCode != 0 {
		what := file
		if data != nil {
			what = "inline data"
		}
		return nil, module.Result{"failed": true, "msg": fmt.Sprintf("Unable to extract key from '%s'", what), "stdout": string(res.Stdout), "stderr": string(res.Stderr)}, nil
	}
	if keys := parseKeyListing(string(res.Stdout), false); len(keys) > 0 {
		return keys[0], nil, nil
	}
	return nil, nil, nil
}

// download fetches url on the target, as the Python module does there.
func (r *aptKeyRun) download(url string, validate bool) ([]byte, module.Result, error) {
	insecure := ""
	if !validate {
		insecure = "k"
	}
	script := fmt.Sprintf(`if command -v curl >/dev/null; then exec curl -fsSL%s %[2]s; elif command -v wget >/dev/null; then exec wget -qO- %[3]s %[2]s; else echo "neither curl nor wget is installed" >&2; exit 127; fi`,
		insecure, shell.Quote(url), map[bool]string{true: "", false: "--no-check-certificate"}[validate])
	res, err := r.t.Exec(nil, script, nil)
	if err != nil {
		return nil, nil, err
	}
	if res.ExitCode != 0 {
		msg := strings.TrimSpace(string(res.Stderr))
		if text, ok := urlerr.FromCurl(res.ExitCode, msg); ok {
			msg = "Request failed: " + text
		}
		return nil, module.Failed(fmt.Sprintf("Failed to download key at %s: %s", url, msg)), nil
	}
	return res.Stdout, nil, nil
}

// add is add_key: from a file on the target, or data on stdin.
func (r *aptKeyRun) add(file string, data []byte) (module.Result, error) {
	cmd := r.base() + " add " + shell.Quote(file)
	var o remotecmd.Output
	var err error
	if data != nil {
		cmd = r.base() + " add -"
		o, err = r.t.ShIn(cmd, data)
	} else {
		o, err = r.t.Sh(nil, cmd)
	}
	if err != nil || o.RC == 0 {
		return nil, err
	}
	res := module.Result{"failed": true, "cmd": cmd, "rc": o.RC, "stdout": o.Stdout, "stderr": o.Stderr, "msg": "Unable to add a key from binary data"}
	if data == nil {
		res["msg"], res["keyfile"] = "Unable to add a key from file "+file, file
	}
	return res, nil
}

// recv is import_key: apt-key adv --recv from a keyserver, five tries.
func (r *aptKeyRun) recv(keyserver, id string) (module.Result, error) {
	cmd := r.base() + " adv --no-tty --keyserver " + shell.Quote(keyserver) + " --recv " + shell.Quote(id)
	var o remotecmd.Output
	var err error
	for try := 0; try < 5; try++ {
		if o, err = r.t.Sh(aptKeyLang, cmd); err != nil {
			return nil, err
		}
		if o.RC == 0 {
			return nil, nil
		}
	}
	env := map[string]any{}
	for k, v := range aptKeyLang {
		env[k] = v
	}
	if o.RC == 2 && strings.Contains(o.Stdout, "not found on keyserver") {
		return module.Result{"failed": true, "cmd": cmd, "msg": fmt.Sprintf("Key %s not found on keyserver %s", id, keyserver), "forced_environment": env}, nil
	}
	return module.Result{"failed": true, "cmd": cmd, "msg": fmt.Sprintf("Error fetching key %s from keyserver: %s", id, keyserver), "forced_environment": env, "rc": o.RC, "stdout": o.Stdout, "stderr": o.Stderr}, nil
}

func (aptKeyModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	r := &aptKeyRun{t: t, keyring: call.Args.String("keyring")}
	for _, bin := range []struct{ name string }{{"apt-key"}, {"gpg"}} {
		p, err := t.Which(bin.name)
		if err != nil {
			return nil, err
		}
		if p == "" {
			return module.Failed(fmt.Sprintf("Failed to find required executable %q in paths: %s", bin.name, "$PATH:/sbin:/usr/sbin:/usr/local/sbin")), nil
		}
		if bin.name == "apt-key" {
			r.aptKey = p
		} else {
			r.gpg = p
		}
	}
	var keyID any = call.Args["id"]
	url, file, keyserver, state := call.Args.String("url"), call.Args.String("file"), call.Args.String("keyserver"), call.Args.String("state")
	var data []byte
	if call.Args.Has("data") {
		data = []byte(call.Args.String("data"))
	}
	if call.Args.String("id") == "" {
		if keyserver != "" {
			return module.Failed("Missing key_id, required with keyserver."), nil
		}
		if url != "" {
			d, fail, err := r.download(url, call.Args.Bool("validate_certs"))
			if err != nil || fail != nil {
				return fail, err
			}
			data = d
		}
		var fail module.Result
		var err error
		if file != "" {
			keyID, fail, err = r.keyIDFrom(file, nil)
		} else if len(data) > 0 {
			keyID, fail, err = r.keyIDFrom("-", data)
		}
		if err != nil || fail != nil {
			return fail, err
		}
	}
	res := module.Result{"changed": false, "id": keyID}
	idText, _ := keyID.(string)
	short, fingerprint, full, err := parseKeyID(idText)
	if err != nil {
		res["failed"], res["msg"] = true, "Invalid key_id"
		return res, nil
	}
	res["short_id"], res["fp"], res["key_id"] = short, fingerprint, full
	shortFormat := len(full) == 8
	keys, fail, err := r.keys(shortFormat)
	if err != nil || fail != nil {
		return fail, err
	}
	res["before"] = keys
	has := func(keys []any, id string) bool {
		for _, k := range keys {
			if k == id {
				return true
			}
		}
		return false
	}
	want := fingerprint
	if shortFormat {
		want = short
	}
	switch state {
	case "present":
		if has(keys, want) {
			return res, nil
		}
		res["changed"] = true
		if call.Check {
			return res, nil
		}
		switch {
		case file != "":
			fail, err = r.add(file, nil)
		case keyserver != "":
			fail, err = r.recv(keyserver, full)
		case len(data) > 0:
			fail, err = r.add("-", data)
		case url != "":
			var d []byte
			if d, fail, err = r.download(url, call.Args.Bool("validate_certs")); err == nil && fail == nil {
				fail, err = r.add("-", d)
			}
		default:
			return withFailure(res, "No key to add ... how did i get here?!?!"), nil
		}
		if err != nil || fail != nil {
			return fail, err
		}
		after, fail, err := r.keys(shortFormat)
		if err != nil || fail != nil {
			return fail, err
		}
		res["after"] = after
		if !has(after, want) {
			return withFailure(res, "apt-key did not return an error, but failed to add the key (check that the id is correct and *not* a subkey)"), nil
		}
	case "absent":
		if !has(keys, fingerprint) {
			return res, nil
		}
		res["changed"] = true
		if call.Check {
			return res, nil
		}
		cmd := r.base() + " del " + short
		o, err := t.Sh(nil, cmd)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Result{"failed": true, "msg": "Unable to remove a key with id " + short, "cmd": cmd, "rc": o.RC, "key_id": short, "stdout": o.Stdout, "stderr": o.Stderr}, nil
		}
		after, fail, err := r.keys(shortFormat)
		if err != nil || fail != nil {
			return fail, err
		}
		res["after"] = after
		if has(after, fingerprint) {
			return withFailure(res, "apt-key did not return an error, but the key was not removed (check that the id is correct and *not* a subkey)"), nil
		}
	}
	return res, nil
}

// withFailure marks res failed with msg.
func withFailure(res module.Result, msg string) module.Result {
	res["failed"], res["msg"] = true, msg
	return res
}

var aptKeyDoc = &module.Doc{
	Name:  "apt_key",
	Names: []string{"ansible.builtin.apt_key"},
	Short: "Add or remove an apt key",
	Description: []string{
		"Add or remove an I(apt) key, optionally downloading it.",
	},
	Options: []module.Option{
		{Name: "data", Description: "The keyfile contents to add to the keyring."},
		{Name: "file", Type: "path", Description: "The path to a keyfile on the remote server to add to the keyring."},
		{Name: "id", Description: "The identifier of the key. Including this allows check mode to correctly report the changed state. If specifying a subkey's id be aware that apt-key does not understand how to remove keys via a subkey id.  Specify the primary key's id instead. This parameter is required when C(state) is set to C(absent)."},
		{Name: "keyring", Type: "path", Description: "The full path to specific keyring file in C(/etc/apt/trusted.gpg.d/)."},
		{Name: "keyserver", Description: "The keyserver to retrieve key from."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Ensures that the key is present (added) or absent (revoked)."},
		{Name: "url", Description: "The URL to retrieve key from."},
		{Name: "validate_certs", Type: "bool", Default: true, Description: "If C(false), SSL certificates for the target url will not be validated. This should only be used on personally controlled sites using self-signed certificates."},
	},
	Examples: `- name: One way to avoid apt_key once it is removed from your distro
	  block:
	    - name: somerepo |no apt key
	      ansible.builtin.get_url:
	        url: https://download.example.com/linux/ubuntu/gpg
	        dest: /etc/apt/trusted.gpg.d/somerepo.asc

	    - name: somerepo | apt source
	      ansible.builtin.apt_repository:
	        repo: "deb [arch=amd64 signed-by=/etc/apt/trusted.gpg.d/myrepo.asc] https://download.example.com/linux/ubuntu {{ ansible_distribution_release }} stable"
	        state: present

	- name: Add an apt key by id from a keyserver
	  ansible.builtin.apt_key:
	    keyserver: keyserver.ubuntu.com
	    id: 36A1D7869245C8950F966E92D8576A8BA88D21E9

	- name: Add an Apt signing key, uses whichever key is at the URL
	  ansible.builtin.apt_key:
	    url: https://ftp-master.debian.org/keys/archive-key-6.0.asc
	    state: present

	- name: Add an Apt signing key, will not download if present
	  ansible.builtin.apt_key:
	    id: 9FED2BCBDCD29CDF762678CBAED4B06F473041FA
	    url: https://ftp-master.debian.org/keys/archive-key-6.0.asc
	    state: present

	- name: Remove a Apt specific signing key, leading 0x is valid
	  ansible.builtin.apt_key:
	    id: 0x9FED2BCBDCD29CDF762678CBAED4B06F473041FA
	    state: absent

	# Use armored file since utf-8 string is expected. Must be of "PGP PUBLIC KEY BLOCK" type.
	- name: Add a key from a file on the Ansible server
	  ansible.builtin.apt_key:
	    data: "{{ lookup('ansible.builtin.file', 'apt.asc') }}"
	    state: present

	- name: Add an Apt signing key to a specific keyring file
	  ansible.builtin.apt_key:
	    id: 9FED2BCBDCD29CDF762678CBAED4B06F473041FA
	    url: https://ftp-master.debian.org/keys/archive-key-6.0.asc
	    keyring: /etc/apt/trusted.gpg.d/debian.gpg

	- name: Add Apt signing key on remote server to keyring
	  ansible.builtin.apt_key:
	    id: 9FED2BCBDCD29CDF762678CBAED4B06F473041FA
	    file: /tmp/apt.gpg
	    state: present`,
	Returns: []module.Return{
		{Name: "after", Description: "List of apt key ids or fingerprints after any modification", Returned: "on change", Type: "list"},
		{Name: "before", Description: "List of apt key ids or fingprints before any modifications", Returned: "always", Type: "list"},
		{Name: "fp", Description: "Fingerprint of the key to import", Returned: "always", Type: "str"},
		{Name: "id", Description: "key id from source", Returned: "always", Type: "str"},
		{Name: "key_id", Description: "calculated key id, it should be same as 'id', but can be different", Returned: "always", Type: "str"},
		{Name: "short_id", Description: "calculated short key id", Returned: "always", Type: "str"},
	},
	Notes: []string{"The apt-key command has been deprecated and suggests to 'manage keyring files in trusted.gpg.d instead'. See the Debian wiki for details. This module is kept for backwards compatibility for systems that still use apt-key as the main way to manage apt repository keys.", "As a sanity check, downloaded key id must match the one specified.", "Use full fingerprint (40 characters) key ids to avoid key collisions. To generate a full-fingerprint imported key: C(apt-key adv --list-public-keys --with-fingerprint --with-colons).", "If you specify both the key id and the URL with C(state=present), the task can verify or add the key as needed.", "Adding a new key requires an apt cache update (e.g. using the M(ansible.builtin.apt) module's update_cache option)."},
	Check: module.Full,
	Diff:  module.None,
}
