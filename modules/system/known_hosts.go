package system

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// knownHostsModule is ansible.builtin.known_hosts: host keys added to or
// removed from a known_hosts file, with ssh-keygen -F finding them as the
// Python module does.
type knownHostsModule struct{}

func init() { module.Register(knownHostsModule{}) }

func (knownHostsModule) Doc() *module.Doc { return knownHostsDoc }

var (
	tildeRE        = regexp.MustCompile(`^~[A-Za-z0-9._-]*`)
	commaHostRE    = regexp.MustCompile(`\S+(\s+)?,(\s+)?`)
	foundLineRE    = regexp.MustCompile(`found: line (\d+)`)
	errNoKeygen    = "Failed to find required executable \"ssh-keygen\" in paths: "
	knownHostsKeys = []string{"name", "key", "path", "hash_host", "state"}
)

// expandUser is os.path.expanduser on the target.
func expandUser(t *target, p string) (string, error) {
	tilde := tildeRE.FindString(p)
	if tilde == "" || (len(p) > len(tilde) && p[len(tilde)] != '/') {
		return p, nil
	}
	o, err := t.Sh(nil, "printf '%s' "+tilde)
	if err != nil {
		return "", err
	}
	return o.Stdout + p[len(tilde):], nil
}

// hostKey is normalize_known_hosts_key: a key line's fields.
type hostKey struct{ options, host, typ, key string }

func normalizeHostKey(line string) hostKey {
	k := strings.Fields(line)
	for len(k) < 4 {
		k = append(k, "")
	}
	if strings.HasPrefix(k[0], "@") {
		return hostKey{k[0], k[1], k[2], k[3]}
	}
	return hostKey{"", k[0], k[1], k[2]}
}

// hashHostKey is hash_host_key: the key line with its host hashed with a
// random salt.
func hashHostKey(host, key string) string {
	salt := make([]byte, 20)
	rand.Read(salt)
	mac := hmac.New(sha1.New, salt)
	mac.Write([]byte(host))
	parts := strings.Fields(key)
	i := 0
	if strings.HasPrefix(parts[0], "@") {
		i = 1
	}
	parts[i] = "|1|" + base64.StdEncoding.EncodeToString(salt) + "|" + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return strings.Join(parts, " ")
}

func (knownHostsModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	a := call.Args
	host := strings.ToLower(a.String("name"))
	key, state := a.String("key"), a.String("state")
	path, err := expandUser(t, a.String("path"))
	if err != nil {
		return nil, err
	}
	keygen, err := t.Which("ssh-keygen")
	if err != nil {
		return nil, err
	}
	if keygen == "" {
		return module.Failed(errNoKeygen + "/sbin:/usr/sbin:/usr/local/sbin"), nil
	}
	if key == "" && state != "absent" {
		return module.Failed("No key specified when adding a host"), nil
	}
	if key != "" && a.Bool("hash_host") {
		key = hashHostKey(host, key)
	}
	if key != "" && !strings.HasSuffix(key, "\n") {
		key += "\n"
	}
	if key != "" {
		if commaHostRE.MatchString(host) {
			return module.Failed("Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file."), nil
		}
		o, err := t.ShIn(`f=$(mktemp) && cat > "$f" && `+shell.Quote(keygen)+` -F `+shell.Quote(host)+` -f "$f"; rc=$?; rm -f "$f"; exit $rc`, []byte(key))
		if err != nil {
			return nil, err
		}
		if o.Stdout == "" {
			return module.Failed("Host parameter does not match hashed host field in supplied key"), nil
		}
	}
	found, replace, foundLine, fail, err := searchHostKey(t, keygen, host, key, path)
	if err != nil || fail != nil {
		return fail, err
	}
	before, exists, err := t.readFile(path)
	if err != nil {
		return nil, err
	}
	diff := knownHostsDiff(path, before, exists, foundLine, replace, state, key)
	res := module.Result{}
	for _, k := range knownHostsKeys {
		res[k] = a[k]
	}
	res["path"], res["diff"] = path, diff
	if state == "absent" && foundLine == 0 && key != "" {
		res["changed"] = false
		return res, addPathInfo(t, res)
	}
	if call.Check {
		return module.Result{"changed": replace || (state == "present") != found, "diff": diff}, nil
	}
	res["changed"] = false
	if found && key == "" && state == "absent" {
		o, err := t.Run(nil, keygen, "-R", host, "-f", path)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return remotecmd.FailRun(strings.TrimSpace(o.Stderr), o), nil
		}
		res["changed"] = true
	}
	if replace || found != (state == "present") {
		content, _, err := t.readFile(path)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, line := range strings.SplitAfter(content, "\n") {
			if line == "" || foundLine == i+1 && (replace || state == "absent") {
				continue
			}
			b.WriteString(line)
		}
		if state == "present" {
			b.WriteString(key)
		}
		if err := t.writeFile(path, b.String(), "0644"); err != nil {
			return module.Failed(fmt.Sprintf("Failed to write to file %s: %v", path, err)), nil
		}
		res["changed"] = true
	}
	return res, addPathInfo(t, res)
}

// searchHostKey is search_for_host_key: whether host is in path, whether
// its key of the same type differs from key, and the line of that key (0
// for none).
func searchHostKey(t *target, keygen, host, key, path string) (found, replace bool, foundLine int, fail module.Result, err error) {
	exists, err := t.Exists(path)
	if err != nil || !exists {
		return false, false, 0, nil, err
	}
	o, err := t.Run(nil, keygen, "-F", host, "-f", path)
	if err != nil {
		return false, false, 0, nil, err
	}
	if o.Stdout == "" && o.Stderr == "" && (o.RC == 0 || o.RC == 1) {
		return false, false, 0, nil, nil
	}
	if o.RC != 0 {
		return false, false, 0, module.Failed(fmt.Sprintf("ssh-keygen failed (rc=%d, stdout='%s',stderr='%s')", o.RC, o.Stdout, o.Stderr)), nil
	}
	if key == "" {
		return true, false, 0, nil, nil
	}
	want := normalizeHostKey(key)
	for _, l := range strings.Split(o.Stdout, "\n") {
		switch {
		case l == "":
		case l[0] == '#':
			if m := foundLineRE.FindStringSubmatch(l); m != nil {
				foundLine, _ = strconv.Atoi(m[1])
			}
		default:
			got := normalizeHostKey(l)
			if strings.HasPrefix(want.host, "|1|") && strings.HasPrefix(got.host, "|1|") {
				want.host = got.host
			}
			if want == got {
				return true, false, foundLine, nil, nil
			}
			if want.typ == got.typ {
				return true, true, foundLine, nil, nil
			}
		}
	}
	return true, true, 0, nil, nil
}

// knownHostsDiff is compute_diff.
func knownHostsDiff(path, before string, exists bool, foundLine int, replace bool, state, key string) map[string]any {
	diff := map[string]any{"before_header": path, "after_header": path, "before": before, "after": ""}
	if !exists {
		diff["before_header"] = "/dev/null"
	}
	var lines []string
	for _, l := range strings.SplitAfter(before, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	if (replace || state == "absent") && foundLine >= 1 && foundLine <= len(lines) {
		lines = append(lines[:foundLine-1], lines[foundLine:]...)
	}
	if state == "present" && (replace || foundLine == 0) {
		lines = append(lines, key)
	}
	diff["after"] = strings.Join(lines, "")
	return diff
}

var knownHostsDoc = &module.Doc{
	Name:  "known_hosts",
	Names: []string{"ansible.builtin.known_hosts"},
	Short: "Add or remove a host from the C(known_hosts) file",
	Description: []string{
		"The C(known_hosts) module lets you add or remove a host keys from the C(known_hosts) file.",
		"Starting at Ansible 2.2, multiple entries per host are allowed, but only one for each key type supported by ssh. This is useful if you're going to want to use the M(ansible.builtin.git) module over ssh, for example.",
		"If you have a very large number of host keys to manage, you will find the M(ansible.builtin.template) module more useful.",
	},
	Options: []module.Option{
		{Name: "hash_host", Type: "bool", Default: false, Description: "Hash the hostname in the known_hosts file."},
		{Name: "key", Description: "The SSH public host key, as a string. Required if C(state=present), optional when C(state=absent), in which case all keys for the host are removed. The key must be in the right format for SSH (see sshd(8), section \"SSH_KNOWN_HOSTS FILE FORMAT\"). Specifically, the key should not match the format that is found in an SSH pubkey file, but should rather have the hostname prepended to a line that includes the pubkey, the same way that it would appear in the known_hosts file. The value prepended to the line must also match the value of the name parameter. Should be of format C(<hostname[,IP]> ssh-rsa <pubkey>). For custom SSH port, C(key) needs to specify port as well. See example section."},
		{Name: "name", Aliases: []string{"host"}, Required: true, Description: "The host to add or remove (must match a host specified in key). It will be converted to lowercase so that ssh-keygen can find it. Must match with <hostname> or <ip> present in key attribute. For custom SSH port, C(name) needs to specify port as well. See example section."},
		{Name: "path", Type: "path", Default: "~/.ssh/known_hosts", Description: "The known_hosts file to edit. The known_hosts file will be created if needed. The rest of the path must exist prior to running the module."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "I(present) to add the host key. I(absent) to remove it."},
	},
	Examples: `- name: Tell the host about our servers it might want to ssh to
  ansible.builtin.known_hosts:
    path: /etc/ssh/ssh_known_hosts
    name: foo.com.invalid
    key: "{{ lookup('ansible.builtin.file', 'pubkeys/foo.com.invalid') }}"

- name: Another way to call known_hosts
  ansible.builtin.known_hosts:
    name: host1.example.com   # or 10.9.8.77
    key: host1.example.com,10.9.8.77 ssh-rsa ASDeararAIUHI324324  # some key gibberish
    path: /etc/ssh/ssh_known_hosts
    state: present

- name: Add host with custom SSH port
  ansible.builtin.known_hosts:
    name: '[host1.example.com]:2222'
    key: '[host1.example.com]:2222 ssh-rsa ASDeararAIUHI324324' # some key gibberish
    path: /etc/ssh/ssh_known_hosts
    state: present`,
	Returns: []module.Return{},
	Check:   module.Full,
	Diff:    module.Full,
}
