package system

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/modules/files"
)

// authorizedKeyModule is ansible.posix.authorized_key, a port of its
// parsing, merging and serializing of authorized_keys files (so the files it
// writes are byte for byte the ones Ansible writes).
type authorizedKeyModule struct{}

func init() { module.Register(authorizedKeyModule{}) }

func (authorizedKeyModule) Doc() *module.Doc { return akDoc }

// sshKeyTypes are the key types authorized_key recognises.
var sshKeyTypes = map[string]bool{
	"sk-ecdsa-sha2-nistp256@openssh.com": true, "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com": true,
	"webauthn-sk-ecdsa-sha2-nistp256@openssh.com": true, "ecdsa-sha2-nistp256": true,
	"ecdsa-sha2-nistp256-cert-v01@openssh.com": true, "ecdsa-sha2-nistp384": true,
	"ecdsa-sha2-nistp384-cert-v01@openssh.com": true, "ecdsa-sha2-nistp521": true,
	"ecdsa-sha2-nistp521-cert-v01@openssh.com": true, "sk-ssh-ed25519@openssh.com": true,
	"sk-ssh-ed25519-cert-v01@openssh.com": true, "ssh-ed25519": true, "ssh-ed25519-cert-v01@openssh.com": true,
	"ssh-dss": true, "ssh-rsa": true, "ssh-xmss@openssh.com": true, "ssh-xmss-cert-v01@openssh.com": true,
	"rsa-sha2-256": true, "rsa-sha2-512": true, "ssh-rsa-cert-v01@openssh.com": true,
	"rsa-sha2-256-cert-v01@openssh.com": true, "rsa-sha2-512-cert-v01@openssh.com": true,
	"ssh-dss-cert-v01@openssh.com": true,
}

// keyOption is one ssh key option; value is nil for a flag like no-pty.
type keyOption struct {
	name  string
	value *string
}

// authKey is a parsed authorized_keys line (the module's 5-tuple). For
// lines that are not keys, typ is "skipped" and key is the raw line.
type authKey struct {
	key, typ string
	options  []keyOption
	comment  string
	rank     int
}

// same compares key, type, options and comment (the tuple's first four).
func (k authKey) same(o authKey) bool {
	if k.key != o.key || k.typ != o.typ || k.comment != o.comment || len(k.options) != len(o.options) {
		return false
	}
	m := map[string]*string{}
	for _, op := range o.options {
		m[op.name] = op.value
	}
	for _, op := range k.options {
		v, ok := m[op.name]
		if !ok || (v == nil) != (op.value == nil) || v != nil && *v != *op.value {
			return false
		}
	}
	return true
}

var keyOptionRE = regexp.MustCompile(`((?:[^,"']|"[^"]*"|'[^']*')+)`)

// parseKeyOptions is parseoptions: a,b="x,y",c as ordered options.
func parseKeyOptions(s string) []keyOption {
	var out []keyOption
	for _, part := range keyOptionRE.FindAllString(s, -1) {
		if k, v, ok := strings.Cut(part, "="); ok {
			out = append(out, keyOption{k, &v})
		} else {
			out = append(out, keyOption{name: part})
		}
	}
	return out
}

// parseKey is parsekey: ok is false when the line holds no known key type.
func parseKey(raw string, rank int) (authKey, bool) {
	raw = strings.ReplaceAll(raw, `\#`, "#")
	parts := strings.Fields(raw)
	if len(parts) > 0 && parts[0] == "#" {
		return authKey{key: raw, typ: "skipped", rank: rank}, true
	}
	idx := -1
	for i, p := range parts {
		if sshKeyTypes[p] {
			idx = i
			break
		}
	}
	if idx < 0 || idx+1 >= len(parts) {
		return authKey{}, false
	}
	k := authKey{typ: parts[idx], key: parts[idx+1], rank: rank, comment: strings.Join(parts[idx+2:], " ")}
	if idx > 0 {
		k.options = parseKeyOptions(strings.Join(parts[:idx], " "))
	}
	return k, true
}

// keyList is the module's keydict: keys in insertion order, found by key.
type keyList struct {
	order []string
	byKey map[string]authKey
}

func (l *keyList) set(k authKey) {
	if _, ok := l.byKey[k.key]; !ok {
		l.order = append(l.order, k.key)
	}
	l.byKey[k.key] = k
}

func (l *keyList) del(key string) {
	delete(l.byKey, key)
	for i, k := range l.order {
		if k == key {
			l.order = append(l.order[:i], l.order[i+1:]...)
			return
		}
	}
}

// parseKeys is parsekeys over a file's lines (each keeps its newline).
func parseKeys(content string) *keyList {
	l := &keyList{byKey: map[string]authKey{}}
	for i, line := range strings.SplitAfter(content, "\n") {
		if line == "" {
			continue
		}
		if k, ok := parseKey(line, i); ok {
			l.set(k)
		} else {
			l.set(authKey{key: line, typ: "skipped", rank: i})
		}
	}
	return l
}

// serialize writes the keys ordered by rank, as the module's serialize.
func (l *keyList) serialize() string {
	keys := make([]authKey, 0, len(l.order))
	for _, k := range l.order {
		keys = append(keys, l.byKey[k])
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].rank < keys[j].rank })
	var b strings.Builder
	for _, k := range keys {
		if k.typ == "skipped" {
			b.WriteString(k.key)
			continue
		}
		if len(k.options) > 0 {
			var opts []string
			for _, o := range k.options {
				if o.value == nil {
					opts = append(opts, o.name)
				} else {
					opts = append(opts, o.name+"="+*o.value)
				}
			}
			b.WriteString(strings.Join(opts, ",") + " ")
		}
		fmt.Fprintf(&b, "%s %s %s\n", k.typ, k.key, k.comment)
	}
	return b.String()
}

func (authorizedKeyModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	key := a.String("key")
	if strings.HasPrefix(key, "http") {
		// As the module: any key starting with "http" is a URL whose
		// content is the keys, fetched on the target (fetch_url).
		fetched, failed, err := files.FetchURL(ctx, call, key)
		if err != nil || failed != nil {
			return failed, err
		}
		if fetched.Status != 200 {
			return module.Failed("Error getting key from: " + key), nil
		}
		key = string(fetched.Body)
	}
	result := module.Result{}
	for _, k := range []string{"user", "key", "path", "manage_dir", "state", "key_options", "exclusive", "comment", "validate_certs", "follow"} {
		result[k] = a[k]
	}
	user, state := a.String("user"), a.String("state")

	acct, err := readAccounts(t, user)
	if err != nil {
		return nil, err
	}
	keyfile := a.String("path")
	if call.Check && keyfile != "" {
		// Ansible uses the path as given in check mode.
	} else if acct.user == nil {
		if call.Check {
			return module.Failed("Either user must exist or you must provide full path to key file in check mode"), nil
		}
		return module.Failed(fmt.Sprintf("Failed to lookup user %s: \"getpwnam(): name not found: '%s'\"", user, user)), nil
	} else if keyfile == "" {
		keyfile = path.Join(acct.user.home, ".ssh", "authorized_keys")
	}
	result["keyfile"] = keyfile

	existing, _, err := t.readFile(keyfile)
	if err != nil {
		return nil, err
	}
	keys := parseKeys(existing)
	maxRank := len(keys.order)
	var wanted []string
	write := false
	var newKeys []string
	for _, line := range pytext.SplitLines(key) {
		if line != "" && !strings.HasPrefix(line, "#") {
			newKeys = append(newKeys, line)
		}
	}
	for i, line := range newKeys {
		k, ok := parseKey(line, i)
		if !ok {
			return module.Failed("invalid key specified: " + line), nil
		}
		if a.Has("key_options") {
			k.options = parseKeyOptions(a.String("key_options"))
		}
		if a.Has("comment") {
			k.comment = a.String("comment")
		}
		matched := false
		old, exists := keys.byKey[k.key]
		if exists {
			if !k.same(old) && state == "present" {
				keys.del(k.key)
				write = true
			} else {
				matched = true
			}
		}
		if state == "present" {
			wanted = append(wanted, k.key)
			if !matched {
				k.rank += maxRank
				keys.set(k)
				write = true
			}
		} else if matched {
			keys.del(k.key)
			write = true
		}
	}
	if state == "present" && a.Bool("exclusive") {
		for _, k := range append([]string(nil), keys.order...) {
			if !contains(wanted, k) {
				keys.del(k)
				write = true
			}
		}
	}
	if !write {
		result["changed"] = false
		return result, addPathInfo(t, result)
	}
	target := keyfile
	if a.Bool("follow") {
		o, err := t.Run(nil, "realpath", "-m", keyfile)
		if err != nil {
			return nil, err
		}
		target = strings.TrimSpace(o.Stdout)
	}
	content := keys.serialize()
	if call.Diff {
		result["diff"] = map[string]any{"before_header": keyfile, "after_header": target, "before": existing, "after": content}
	}
	if !call.Check {
		if err := prepareKeyfile(t, acct.user, target, a.Bool("manage_dir")); err != nil {
			return module.Failed(err.Error()), nil
		}
		if err := t.writeFile(target, content, "0600"); err != nil {
			return nil, err
		}
	}
	result["changed"] = true
	return result, addPathInfo(t, result)
}

// prepareKeyfile is keyfile(write=True): with manage_dir the key file's
// directory is made 0700 and owned by the user; the file is created if need
// be and made 0600, owned by the user.
func prepareKeyfile(t *target, u *passwdEntry, keyfile string, manageDir bool) error {
	dir := shell.Quote(path.Dir(keyfile))
	f := shell.Quote(keyfile)
	owner := fmt.Sprintf("%d:%d", u.uid, u.gid)
	script := ""
	if manageDir {
		script = fmt.Sprintf("test -e %[1]s || mkdir -m 0700 %[1]s || exit 1; chown %[2]s %[1]s && chmod 0700 %[1]s || exit 1\n", dir, owner)
	}
	script += fmt.Sprintf("if ! test -e %[1]s; then mkdir -p %[3]s && : > %[1]s || exit 1; fi; chown %[2]s %[1]s 2>/dev/null; chmod 0600 %[1]s 2>/dev/null; exit 0", f, owner, dir)
	o, err := t.Sh(nil, script)
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return fmt.Errorf("Failed to create directory %s : %s", path.Dir(keyfile), strings.TrimSpace(o.Stderr))
	}
	return nil
}

var akDoc = &module.Doc{
	Name:  "authorized_key",
	Names: []string{"ansible.posix.authorized_key"},
	Short: "Adds or removes an SSH authorized key",
	Description: []string{
		"Adds or removes SSH authorized keys for particular user accounts.",
	},
	Options: []module.Option{
		{Name: "comment", Description: "Change the comment on the public key. Rewriting the comment is useful in cases such as fetching it from GitHub or GitLab. If no comment is specified, the existing comment will be kept."},
		{Name: "exclusive", Type: "bool", Default: false, Description: "Whether to remove all other non-specified keys from the authorized_keys file. Multiple keys can be specified in a single key string value by separating them by newlines. This option is not loop aware, so if you use with_ , it will be exclusive per iteration of the loop. If you want multiple keys in the file you need to pass them all to key in a single batch as mentioned above."},
		{Name: "follow", Type: "bool", Default: false, Description: "Follow path symlink instead of replacing it."},
		{Name: "key", Required: true, Description: "The SSH public key(s), as a string or (since Ansible 1.9) url (https://github.com/username.keys)."},
		{Name: "key_options", Description: "A string of ssh key options to be prepended to the key in the authorized_keys file."},
		{Name: "manage_dir", Type: "bool", Default: true, Description: "Whether this module should manage the directory of the authorized key file. If set to true, the module will create the directory, as well as set the owner and permissions of an existing directory. Be sure to set manage_dir=false if you are using an alternate directory for authorized_keys, as set with path, since you could lock yourself out of SSH access. See the example below."},
		{Name: "path", Type: "path", Description: "Alternate path to the authorized_keys file. When unset, this value defaults to ~/.ssh/authorized_keys."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the given key (with the given key_options) should or should not be in the file."},
		{Name: "user", Required: true, Description: "The username on the remote host whose authorized_keys file will be modified."},
		{Name: "validate_certs", Type: "bool", Default: true, Description: "This only applies if using a https url as the source of the keys. If set to false, the SSL certificates will not be validated. This should only set to false used on personally controlled sites using self-signed certificates as it avoids verifying the source site. Prior to 2.1 the code worked as if this was set to true."},
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Set authorized key taken from file
  ansible.posix.authorized_key:
    user: charlie
    state: present
    key: "{{ lookup('file', '/home/charlie/.ssh/id_rsa.pub') }}"

- name: Set authorized keys taken from url
  ansible.posix.authorized_key:
    user: charlie
    state: present
    key: https://github.com/charlie.keys

- name: Set authorized keys taken from url using lookup
  ansible.posix.authorized_key:
    user: charlie
    state: present
    key: "{{ lookup('url', 'https://github.com/charlie.keys', split_lines=False) }}"

- name: Set authorized key in alternate location
  ansible.posix.authorized_key:
    user: charlie
    state: present
    key: "{{ lookup('file', '/home/charlie/.ssh/id_rsa.pub') }}"
    path: /etc/ssh/authorized_keys/charlie
    manage_dir: false

- name: Set up multiple authorized keys
  ansible.posix.authorized_key:
    user: deploy
    state: present
    key: '{{ item }}'
  with_file:
    - public_keys/doe-jane
    - public_keys/doe-john

- name: Set authorized key defining key options
  ansible.posix.authorized_key:
    user: charlie
    state: present
    key: "{{ lookup('file', '/home/charlie/.ssh/id_rsa.pub') }}"
    key_options: 'no-port-forwarding,from="10.0.1.1"'

- name: Set authorized key without validating the TLS/SSL certificates
  ansible.posix.authorized_key:
    user: charlie
    state: present
    key: https://github.com/user.keys
    validate_certs: false

- name: Set authorized key, removing all the authorized keys already set
  ansible.posix.authorized_key:
    user: root
    key: "{{ lookup('file', 'public_keys/doe-jane') }}"
    state: present
    exclusive: true

- name: Set authorized key for user ubuntu copying it from current user
  ansible.posix.authorized_key:
    user: ubuntu
    state: present
    key: "{{ lookup('file', lookup('env','HOME') + '/.ssh/id_rsa.pub') }}"`,
	Returns: []module.Return{
		{Name: "exclusive", Description: "If the key has been forced to be exclusive or not.", Returned: "success", Type: "bool"},
		{Name: "key", Description: "The key that the module was running against.", Returned: "success", Type: "str"},
		{Name: "key_option", Description: "Key options related to the key.", Returned: "success", Type: "str"},
		{Name: "keyfile", Description: "Path for authorized key file.", Returned: "success", Type: "str"},
		{Name: "manage_dir", Description: "Whether this module managed the directory of the authorized key file.", Returned: "success", Type: "bool"},
		{Name: "path", Description: "Alternate path to the authorized_keys file", Returned: "success", Type: "str"},
		{Name: "state", Description: "Whether the given key (with the given key_options) should or should not be in the file", Returned: "success", Type: "str"},
		{Name: "unique", Description: "Whether the key is unique", Returned: "success", Type: "bool"},
		{Name: "user", Description: "The username on the remote host whose authorized_keys file will be modified", Returned: "success", Type: "str"},
		{Name: "validate_certs", Description: "This only applies if using a https url as the source of the keys. If set to false, the SSL certificates will not be validated.", Returned: "success", Type: "bool"},
	},
}
