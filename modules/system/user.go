package system

import (
	"context"
	"fmt"

	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// userModule is ansible.builtin.user for Linux: a port of user.py's generic
// User class (useradd, usermod, userdel, chage, ssh-keygen), reading the
// account databases with getent instead of Python's pwd, grp and spwd.
type userModule struct{}

func init() { module.Register(userModule{}) }

func (userModule) Doc() *module.Doc { return userDoc }

// hashRE is user.py's _HASH_RE: characters that never occur in a crypt hash.
var hashRE = regexp.MustCompile(`[^a-zA-Z0-9./=]`)

// userRun is one call of the user module.
type userRun struct {
	t     *target
	a     module.Args
	check bool
	warn  func(string)
	name  string
	// groups is the groups option joined with commas, nil when unset.
	groups *string
	acct   *accounts
}

func (userModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	if r := unsupported(call, "local"); r != nil {
		return r, nil
	}
	u := &userRun{t: newTarget(ctx, call), a: a, check: call.Check, warn: call.Warn, name: a.String("name")}
	if u.warn == nil {
		u.warn = func(string) {}
	}
	if a.Has("groups") {
		g := strings.Join(a.Strings("groups"), ",")
		u.groups = &g
	} else if a.Bool("append") {
		u.warn("'append' is set, but no 'groups' are specified. Use 'groups' for appending new groups.This will change to an error in Ansible 2.14.")
	}
	u.checkPasswordEncrypted()
	if err := u.reload(); err != nil {
		return nil, err
	}
	res, err := u.main()
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (u *userRun) reload() error {
	acct, err := readAccounts(u.t, u.name)
	u.acct = acct
	return err
}

// checkPasswordEncrypted warns, as Ansible does, about a password that does
// not look like a crypt hash.
func (u *userRun) checkPasswordEncrypted() {
	p := u.a.String("password")
	if p == "" || p == "*" || p == "!" || p == "*************" {
		return
	}
	bad := strings.ContainsAny(p, ":*!") || !strings.Contains(p, "$")
	if f := strings.Split(p, "$"); !bad && len(f) >= 3 {
		last := f[len(f)-1]
		lengths := map[string]int{"1": 22, "5": 43, "6": 86}
		bad = hashRE.MatchString(last) || lengths[f[1]] != 0 && len(last) != lengths[f[1]]
	} else if !bad {
		bad = true
	}
	if bad {
		u.warn("The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly.")
	}
}

// exec runs argv unless in check mode, where it reports success without
// running (user.py's execute_command).
func (u *userRun) exec(argv ...string) (remotecmd.Output, error) {
	if u.check {
		return remotecmd.Output{}, nil
	}
	return u.t.Run(nil, argv...)
}

func (u *userRun) main() (module.Result, error) {
	a := u.a
	state := a.String("state")
	result := module.Result{"name": u.name, "state": state}
	var rc *int
	var o remotecmd.Output
	ran := func(out remotecmd.Output, err error) error {
		o, rc = out, &out.RC
		return err
	}
	fail := func() module.Result {
		return module.Result{"failed": true, "changed": false, "name": u.name, "msg": o.Stderr, "rc": *rc}
	}

	if state == "absent" {
		if u.acct.user != nil {
			if u.check {
				return module.Result{"changed": true}, nil
			}
			argv := []string{"userdel"}
			if a.Bool("force") {
				argv = append(argv, "-f")
			}
			if a.Bool("remove") {
				argv = append(argv, "-r")
			}
			if err := ran(u.exec(append(argv, u.name)...)); err != nil {
				return nil, err
			}
			if *rc != 0 {
				return fail(), nil
			}
			result["force"], result["remove"] = a.Bool("force"), a.Bool("remove")
		}
	} else {
		if u.acct.user == nil {
			if u.check {
				return module.Result{"changed": true}, nil
			}
			home := a.String("home")
			needsParents := false
			if home != "" && a.Bool("create_home") {
				ok, err := u.t.Sh(nil, "test -d "+shell.Quote(path.Dir(home)))
				if err != nil {
					return nil, err
				}
				needsParents = ok.RC != 0
			}
			argv, res, err := u.useradd()
			if res != nil || err != nil {
				return res, err
			}
			if err := ran(u.exec(argv...)); err != nil {
				return nil, err
			}
			if needsParents {
				if err := u.reload(); err != nil {
					return nil, err
				}
				if u.acct.user != nil {
					if _, err := u.t.Run(nil, "chown", "-R", fmt.Sprintf("%d:%d", u.acct.user.uid, u.acct.user.gid), home); err != nil {
						return nil, err
					}
				}
			}
			result["system"], result["create_home"] = a.Bool("system"), a.Bool("create_home")
		} else {
			argv, res, err := u.usermod()
			if res != nil || err != nil {
				return res, err
			}
			if len(argv) > 1 {
				if err := ran(u.exec(append(argv, u.name)...)); err != nil {
					return nil, err
				}
			}
			result["append"], result["move_home"] = a.Bool("append"), a.Bool("move_home")
		}
		if rc != nil && *rc != 0 {
			return fail(), nil
		}
		if a.Has("password") {
			result["password"] = "NOT_LOGGING_PASSWORD"
		}
	}
	result["changed"] = rc != nil
	if o.Stdout != "" {
		result["stdout"] = o.Stdout
	}
	if o.Stderr != "" {
		result["stderr"] = o.Stderr
	}
	if err := u.reload(); err != nil {
		return nil, err
	}
	if state == "present" && u.acct.user != nil {
		if res, err := u.presentInfo(result); res != nil || err != nil {
			return res, err
		}
	}
	return result, nil
}

// useradd is create_user_useradd's command line.
func (u *userRun) useradd() ([]string, module.Result, error) {
	a := u.a
	argv := []string{"useradd"}
	if a.Has("uid") {
		argv = append(argv, "-u", strconv.Itoa(a.Int("uid")))
		if a.Bool("non_unique") {
			argv = append(argv, "-o")
		}
	}
	if a.Has("seuser") {
		argv = append(argv, "-Z", a.String("seuser"))
	}
	if a.Has("group") {
		if u.acct.group(a.String("group")) == nil {
			return nil, module.Failed(fmt.Sprintf("Group %s does not exist", a.String("group"))), nil
		}
		argv = append(argv, "-g", a.String("group"))
	} else if u.acct.group(u.name) != nil {
		rh, err := u.t.Sh(nil, "test -e /etc/redhat-release && sed 's/[^0-9]*\\([0-9]*\\).*/\\1/' /etc/redhat-release")
		if err != nil {
			return nil, nil, err
		}
		if major, err := strconv.Atoi(strings.TrimSpace(rh.Stdout)); err == nil && major <= 5 {
			argv = append(argv, "-n")
		} else {
			argv = append(argv, "-N")
		}
	}
	if u.groups != nil && *u.groups != "" {
		set, res := u.groupsSet(true)
		if res != nil {
			return nil, res, nil
		}
		argv = append(argv, "-G", strings.Join(set, ","))
	}
	if a.Has("comment") {
		argv = append(argv, "-c", a.String("comment"))
	}
	if home := a.String("home"); home != "" {
		if a.Bool("create_home") {
			if err := u.createHomedirParent(home); err != nil {
				return nil, nil, err
			}
		}
		argv = append(argv, "-d", home)
	}
	if a.Has("shell") {
		argv = append(argv, "-s", a.String("shell"))
	}
	if a.Has("expires") {
		argv = append(argv, "-e", expiresDate(a.Float("expires")))
	}
	if a.Has("password") {
		p := a.String("password")
		if a.Bool("password_lock") {
			p = "!" + p
		}
		argv = append(argv, "-p", p)
	}
	if a.Bool("create_home") {
		argv = append(argv, "-m")
		if a.Has("skeleton") {
			argv = append(argv, "-k", a.String("skeleton"))
		}
		if a.Has("umask") {
			argv = append(argv, "-K", "UMASK="+a.String("umask"))
		}
	} else {
		argv = append(argv, "-M")
	}
	if a.Bool("system") {
		argv = append(argv, "-r")
	}
	return append(argv, u.name), nil, nil
}

// createHomedirParent is create_homedir for a home whose parent directory is
// missing: useradd -m would not create the parents, so the home is made
// here from the skeleton.
func (u *userRun) createHomedirParent(home string) error {
	o, err := u.t.Sh(nil, "test -d "+shell.Quote(path.Dir(home)))
	if err != nil || o.RC == 0 {
		return err
	}
	return u.createHomedir(home)
}

// createHomedir copies the skeleton to home (or makes it empty) and applies
// login.defs' UMASK, as user.py's create_homedir.
func (u *userRun) createHomedir(home string) error {
	skel := "/etc/skel"
	if u.a.Has("skeleton") {
		skel = u.a.String("skeleton")
	}
	script := fmt.Sprintf(`h=%s s=%s
test -e "$h" && exit 0
if test -e "$s"; then mkdir -p "$(dirname "$h")" && cp -a "$s" "$h"; else mkdir -p "$h"; fi || exit 1
m=$(sed -n 's/^UMASK[[:space:]]\{1,\}\([0-9]\{1,\}\)$/\1/p' /etc/login.defs 2>/dev/null | tail -n 1)
test -n "$m" && chmod $(printf '%%o' $(( 0777 & ~0$m ))) "$h"
exit 0`, shell.Quote(home), shell.Quote(skel))
	o, err := u.t.Sh(nil, script)
	if err == nil && o.RC != 0 {
		err = fmt.Errorf("creating home directory %s: %s", home, strings.TrimSpace(o.Stderr))
	}
	return err
}

// expiresDate formats an expiry for useradd/usermod -e: a date, or "" for
// a negative time (never expires).
func expiresDate(epoch float64) string {
	if epoch < 0 {
		return ""
	}
	return time.Unix(int64(epoch), 0).UTC().Format("2006-01-02")
}

// groupsSet is get_groups_set: the groups option as a set, every group
// existing; with removePrimary, without the user's primary group.
func (u *userRun) groupsSet(removePrimary bool) ([]string, module.Result) {
	seen := map[string]bool{}
	var out []string
	for _, g := range strings.Split(*u.groups, ",") {
		g = strings.TrimSpace(g)
		if g == "" || seen[g] {
			continue
		}
		seen[g] = true
		ge := u.acct.group(g)
		if ge == nil {
			return nil, module.Failed(fmt.Sprintf("Group %s does not exist", g))
		}
		if removePrimary && u.acct.user != nil && ge.gid == u.acct.user.gid {
			continue
		}
		out = append(out, g)
	}
	return out, nil
}

// usermod is modify_user_usermod's command line without the user name; only
// "usermod" when nothing needs to change.
func (u *userRun) usermod() ([]string, module.Result, error) {
	a := u.a
	info := u.acct.user
	curPass, curExpires := u.acct.password()
	if len(info.passwd) <= 1 {
		info.passwd = curPass
	}
	argv := []string{"usermod"}
	if a.Has("uid") && info.uid != a.Int("uid") {
		argv = append(argv, "-u", strconv.Itoa(a.Int("uid")))
		if a.Bool("non_unique") {
			argv = append(argv, "-o")
		}
	}
	if a.Has("group") {
		g := u.acct.group(a.String("group"))
		if g == nil {
			return nil, module.Failed(fmt.Sprintf("Group %s does not exist", a.String("group"))), nil
		}
		if info.gid != g.gid {
			argv = append(argv, "-g", strconv.Itoa(g.gid))
		}
	}
	if u.groups != nil {
		current := u.acct.memberOf(u.name)
		need := false
		var groups []string
		if *u.groups == "" {
			need = len(current) > 0 && !a.Bool("append")
		} else {
			var res module.Result
			if groups, res = u.groupsSet(false); res != nil {
				return nil, res, nil
			}
			diff := symmetricDiff(current, groups)
			if len(diff) > 0 {
				if a.Bool("append") {
					for _, g := range groups {
						if contains(diff, g) {
							argv = append(argv, "-a")
							need = true
							break
						}
					}
				} else {
					need = true
				}
			}
		}
		if need {
			argv = append(argv, "-G", strings.Join(groups, ","))
		}
	}
	if a.Has("comment") && info.comment != a.String("comment") {
		argv = append(argv, "-c", a.String("comment"))
	}
	if home := a.String("home"); home != "" && info.home != home {
		argv = append(argv, "-d", home)
		if a.Bool("move_home") {
			argv = append(argv, "-m")
		}
	}
	if a.Has("shell") && info.sh != a.String("shell") {
		argv = append(argv, "-s", a.String("shell"))
	}
	if a.Has("expires") {
		exp := a.Float("expires")
		if exp < 0 {
			if curExpires >= 0 {
				argv = append(argv, "-e", "")
			}
		} else {
			want := time.Unix(int64(exp), 0).UTC().Format("2006-01-02")
			have := time.Unix(int64(curExpires)*86400, 0).UTC().Format("2006-01-02")
			if curExpires < 0 || have != want {
				argv = append(argv, "-e", want)
			}
		}
	}
	if a.Has("password_lock") {
		locked := strings.HasPrefix(info.passwd, "!")
		if a.Bool("password_lock") && !locked {
			argv = append(argv, "-L")
		} else if !a.Bool("password_lock") && locked {
			argv = append(argv, "-U")
		}
	}
	if p := a.String("password"); a.String("update_password") == "always" && a.Has("password") && strings.TrimLeft(info.passwd, "!") != strings.TrimLeft(p, "!") {
		kept := argv[:0]
		for _, w := range argv {
			if w != "-U" && w != "-L" {
				kept = append(kept, w)
			}
		}
		argv = kept
		if a.Bool("password_lock") {
			p = "!" + p
		}
		argv = append(argv, "-p", p)
	}
	return argv, nil, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// symmetricDiff returns the elements in exactly one of a and b, sorted.
func symmetricDiff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !contains(b, x) {
			out = append(out, x)
		}
	}
	for _, x := range b {
		if !contains(a, x) && !contains(out, x) {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// presentInfo adds the account's fields to the result, then makes the home
// directory, the SSH key and the password ageing as main() does after the
// account exists.
func (u *userRun) presentInfo(result module.Result) (module.Result, error) {
	a := u.a
	info := u.acct.user
	result["uid"], result["group"], result["comment"], result["home"], result["shell"] = info.uid, info.gid, info.comment, info.home, info.sh
	if u.groups != nil {
		result["groups"] = *u.groups
	}
	home := a.String("home")
	if home == "" {
		home = info.home
	}
	if a.Bool("create_home") {
		ok, err := u.t.Exists(home)
		if err != nil {
			return nil, err
		}
		if !ok {
			if !u.check {
				if err := u.createHomedir(home); err != nil {
					return nil, err
				}
				if _, err := u.t.Run(nil, "chown", "-R", fmt.Sprintf("%d:%d", info.uid, info.gid), home); err != nil {
					return nil, err
				}
			}
			result["changed"] = true
		}
	}
	if a.Bool("generate_ssh_key") {
		if res, err := u.sshKey(result); res != nil || err != nil {
			return res, err
		}
	}
	return u.passwordExpire(result)
}

// sshKeyPath is get_ssh_key_path.
func (u *userRun) sshKeyPath() string {
	file := u.a.String("ssh_key_file")
	if file == "" {
		file = ".ssh/id_" + u.a.String("ssh_key_type")
	}
	if path.IsAbs(file) {
		return file
	}
	return path.Join(u.acct.user.home, file)
}

// sshKey is ssh_key_gen plus the fingerprint and public key in the result.
func (u *userRun) sshKey(result module.Result) (module.Result, error) {
	a := u.a
	info := u.acct.user
	if a.Has("ssh_key_passphrase") {
		return module.Failed("gorun's user module does not support ssh_key_passphrase yet"), nil
	}
	key := u.sshKeyPath()
	pub := key + ".pub"
	q := shell.Quote(key)
	st, err := u.t.Sh(nil, "d=$(dirname "+q+"); test -d \"$d\" && echo dir; test -e "+q+" && echo key; test -e "+shell.Quote(pub)+" && echo pub; hostname; true")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(st.Stdout), "\n")
	has := func(s string) bool { return contains(lines, s) }
	hostname := lines[len(lines)-1]
	var rc *int
	switch {
	case !has("dir") && u.check:
		zero := 0
		rc = &zero
	case has("key") && !a.Bool("force"):
		u.warn(fmt.Sprintf(`Found existing ssh key private file "%s", no force, so skipping ssh-keygen generation`, key))
	case has("pub") && !a.Bool("force"):
		u.warn(fmt.Sprintf(`Found existing ssh key public file "%s", no force, so skipping ssh-keygen generation`, pub))
	default:
		if u.check {
			zero := 0
			rc = &zero
			break
		}
		comment := a.String("ssh_key_comment")
		if !a.Has("ssh_key_comment") {
			comment = "ansible-generated on " + hostname
		}
		argv := []string{"ssh-keygen", "-t", a.String("ssh_key_type")}
		if b := a.Int("ssh_key_bits"); b > 0 {
			argv = append(argv, "-b", strconv.Itoa(b))
		}
		argv = append(argv, "-C", comment, "-f", key, "-N", "")
		owner := fmt.Sprintf("%d:%d", info.uid, info.gid)
		script := fmt.Sprintf(`d=$(dirname %[1]s)
if ! test -d "$d"; then mkdir -m 0700 "$d" && chown %[2]s "$d" || exit 1; fi
rm -f %[3]s
%[4]s && chown %[2]s %[1]s %[3]s`, q, owner, shell.Quote(pub), shell.Join(argv))
		stdin := ""
		if has("key") {
			u.warn(fmt.Sprintf(`Overwriting existing ssh key private file "%s"`, key))
			stdin = "y"
		}
		o, err := u.t.ShIn(script, []byte(stdin))
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Result{"failed": true, "name": u.name, "msg": o.Stderr, "rc": o.RC}, nil
		}
		rc = &o.RC
	}
	if rc != nil {
		result["changed"] = true
	}
	// A missing key file gives an empty fingerprint, as user.py's
	// ssh_key_fingerprint returns its message on stdout with rc 1.
	fp, err := u.t.Sh(nil, "test -e "+q+" || exit 1; ssh-keygen -l -f "+q)
	if err != nil {
		return nil, err
	}
	if fp.RC == 0 {
		result["ssh_fingerprint"] = strings.TrimSpace(fp.Stdout)
	} else {
		result["ssh_fingerprint"] = strings.TrimSpace(fp.Stderr)
	}
	result["ssh_key_file"] = key
	pubKey, ok, err := u.t.readFile(pub)
	if err != nil {
		return nil, err
	}
	if ok {
		result["ssh_public_key"] = strings.TrimSpace(pubKey)
	} else {
		result["ssh_public_key"] = nil
	}
	return nil, nil
}

// passwordExpire is set_password_expire: chage -m/-M when they differ from shadow.
func (u *userRun) passwordExpire(result module.Result) (module.Result, error) {
	a := u.a
	minSet, maxSet := a.Has("password_expire_min"), a.Has("password_expire_max")
	if !minSet && !maxSet {
		return nil, nil
	}
	sh := u.acct.shadow
	if sh != nil {
		spMin, _ := strconv.Atoi(sh[3])
		spMax, _ := strconv.Atoi(sh[4])
		if sh[3] == "" {
			spMin = -1
		}
		if sh[4] == "" {
			spMax = -1
		}
		minSet = minSet && a.Int("password_expire_min") != spMin
		maxSet = maxSet && a.Int("password_expire_max") != spMax
	}
	if !minSet && !maxSet {
		return nil, nil
	}
	argv := []string{"chage"}
	if minSet {
		argv = append(argv, "-m", strconv.Itoa(a.Int("password_expire_min")))
	}
	if maxSet {
		argv = append(argv, "-M", strconv.Itoa(a.Int("password_expire_max")))
	}
	o, err := u.exec(append(argv, u.name)...)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Result{"failed": true, "name": u.name, "msg": o.Stderr, "rc": o.RC}, nil
	}
	result["changed"] = true
	return nil, nil
}

var userDoc = &module.Doc{
	Name:  "user",
	Names: []string{"ansible.builtin.user"},
	Short: "Manage user accounts",
	Description: []string{
		"Manage user accounts and user attributes.",
		"For Windows targets, use the ansible.windows.win_user module instead.",
	},
	Options: []module.Option{
		{Name: "append", Type: "bool", Default: false, Description: "If true, add the user to the groups specified in groups. If false, user will only be added to the groups specified in groups, removing them from all other groups."},
		{Name: "authorization", Description: "Sets the authorization of the user. Does nothing when used with other platforms. Can set multiple authorizations using comma separation. To delete all authorizations, use authorization=''. Currently supported on Illumos/Solaris."},
		{Name: "comment", Description: "Optionally sets the description (aka GECOS) of user account."},
		{Name: "create_home", Type: "bool", Aliases: []string{"createhome"}, Default: true, Description: "Unless set to false, a home directory will be made for the user when the account is created or if the home directory does not exist. Changed from createhome to create_home in Ansible 2.5."},
		{Name: "expires", Type: "float", Description: "An expiry time for the user in epoch, it will be ignored on platforms that do not support this. Currently supported on GNU/Linux, FreeBSD, and DragonFlyBSD. Since Ansible 2.6 you can remove the expiry time by specifying a negative value. Currently supported on GNU/Linux and FreeBSD."},
		{Name: "force", Type: "bool", Default: false, Description: "This only affects state=absent, it forces removal of the user and associated directories on supported platforms. The behavior is the same as userdel --force, check the man page for userdel on your system for details and support. When used with generate_ssh_key=yes this forces an existing key to be overwritten."},
		{Name: "generate_ssh_key", Type: "bool", Default: false, Description: "Whether to generate a SSH key for the user in question. This will not overwrite an existing SSH key unless used with force=yes."},
		{Name: "group", Description: "Optionally sets the user's primary group (takes a group name)."},
		{Name: "groups", Type: "list", Elements: "str", Description: "List of groups user will be added to. By default, the user is removed from all other groups. Configure append to modify this. When set to an empty string '', the user is removed from all groups except the primary group. Before Ansible 2.3, the only input format allowed was a comma separated string."},
		{Name: "hidden", Type: "bool", Description: "macOS only, optionally hide the user from the login window and system preferences. The default will be true if the system option is used."},
		{Name: "home", Type: "path", Description: "Optionally set the user's home directory."},
		{Name: "local", Type: "bool", Default: false, Description: "Forces the use of \"local\" command alternatives on platforms that implement it. This is useful in environments that use centralized authentication when you want to manipulate the local users (in other words, it uses luseradd instead of useradd). This will check /etc/passwd for an existing account before invoking commands. If the local account database exists somewhere other than /etc/passwd, this setting will not work properly. This requires that the above commands as well as /etc/passwd must exist on the target host, otherwise it will be a fatal error."},
		{Name: "login_class", Description: "Optionally sets the user's login class, a feature of most BSD OSs."},
		{Name: "move_home", Type: "bool", Default: false, Description: "If set to true when used with home: , attempt to move the user's old home directory to the specified directory if it isn't there already and the old home exists."},
		{Name: "name", Aliases: []string{"user"}, Required: true, Description: "Name of the user to create, remove or modify."},
		{Name: "non_unique", Type: "bool", Default: false, Description: "Optionally when used with the -u option, this option allows to change the user ID to a non-unique value."},
		{Name: "password", Description: "If provided, set the user's password to the provided encrypted hash (Linux) or plain text password (macOS). Linux/Unix/POSIX: Enter the hashed password as the value. See FAQ entry for details on various ways to generate the hash of a password. To create an account with a locked/disabled password on Linux systems, set this to '!' or '*'. To create an account with a locked/disabled password on OpenBSD, set this to '*************'. OS X/macOS: Enter the cleartext password as the value. Be sure to take relevant security precautions."},
		{Name: "password_expire_max", Type: "int", Description: "Maximum number of days between password change. Supported on Linux only."},
		{Name: "password_expire_min", Type: "int", Description: "Minimum number of days between password change. Supported on Linux only."},
		{Name: "password_lock", Type: "bool", Description: "Lock the password (usermod -L, usermod -U, pw lock). Implementation differs by platform. This option does not always mean the user cannot login using other methods. This option does not disable the user, only lock the password. This must be set to False in order to unlock a currently locked password. The absence of this parameter will not unlock a password. Currently supported on Linux, FreeBSD, DragonFlyBSD, NetBSD, OpenBSD."},
		{Name: "profile", Description: "Sets the profile of the user. Does nothing when used with other platforms. Can set multiple profiles using comma separation. To delete all the profiles, use profile=''. Currently supported on Illumos/Solaris."},
		{Name: "remove", Type: "bool", Default: false, Description: "This only affects state=absent, it attempts to remove directories associated with the user. The behavior is the same as userdel --remove, check the man page for details and support."},
		{Name: "role", Description: "Sets the role of the user. Does nothing when used with other platforms. Can set multiple roles using comma separation. To delete all roles, use role=''. Currently supported on Illumos/Solaris."},
		{Name: "seuser", Description: "Optionally sets the seuser type (user_u) on selinux enabled systems."},
		{Name: "shell", Description: "Optionally set the user's shell. On macOS, before Ansible 2.5, the default shell for non-system users was /usr/bin/false. Since Ansible 2.5, the default shell for non-system users on macOS is /bin/bash. See notes for details on how other operating systems determine the default shell by the underlying tool."},
		{Name: "skeleton", Description: "Optionally set a home skeleton directory. Requires create_home option!"},
		{Name: "ssh_key_bits", Type: "int", Description: "Optionally specify number of bits in SSH key to create. The default value depends on ssh-keygen."},
		{Name: "ssh_key_comment", Description: "Default: ansible-generated on the target's host name. Optionally define the comment for the SSH key."},
		{Name: "ssh_key_file", Type: "path", Description: "Optionally specify the SSH key filename. If this is a relative filename then it will be relative to the user's home directory. This parameter defaults to .ssh/id_rsa."},
		{Name: "ssh_key_passphrase", Description: "Set a passphrase for the SSH key. If no passphrase is provided, the SSH key will default to having no passphrase."},
		{Name: "ssh_key_type", Default: "rsa", Description: "Optionally specify the type of SSH key to generate. Available SSH key types will depend on implementation present on target host."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the account should exist or not, taking action if the state is different from what is stated."},
		{Name: "system", Type: "bool", Default: false, Description: "When creating an account state=present, setting this to true makes the user a system account. This setting cannot be changed on existing users."},
		{Name: "uid", Type: "int", Description: "Optionally sets the UID of the user."},
		{Name: "umask", Description: "Sets the umask of the user. Does nothing when used with other platforms. Currently supported on Linux. Requires local is omitted or False."},
		{Name: "update_password", Default: "always", Choices: []any{"always", "on_create"}, Description: "always will update passwords if they differ. on_create will only set the password for newly created users."},
	},
	Check: module.Full,
	Notes: []string{
		"Linux only: the account is managed with useradd, usermod, userdel and chage and read with getent, as Ansible's generic User class does. Options for other platforms (hidden, login_class, profile, authorization, role) are accepted and ignored on Linux, as Ansible ignores them.",
		"Not supported yet (a clear error): local (luseradd), ssh_key_passphrase.",
	},
	Diff: module.None,
	Examples: `- name: Add the user 'johnd' with a specific uid and a primary group of 'admin'
  ansible.builtin.user:
    name: johnd
    comment: John Doe
    uid: 1040
    group: admin

- name: Add the user 'james' with a bash shell, appending the group 'admins' and 'developers' to the user's groups
  ansible.builtin.user:
    name: james
    shell: /bin/bash
    groups: admins,developers
    append: yes

- name: Remove the user 'johnd'
  ansible.builtin.user:
    name: johnd
    state: absent
    remove: yes

- name: Create a 2048-bit SSH key for user jsmith in ~jsmith/.ssh/id_rsa
  ansible.builtin.user:
    name: jsmith
    generate_ssh_key: yes
    ssh_key_bits: 2048
    ssh_key_file: .ssh/id_rsa

- name: Added a consultant whose account you want to expire
  ansible.builtin.user:
    name: james18
    shell: /bin/zsh
    groups: developers
    expires: 1422403387

- name: Starting at Ansible 2.6, modify user, remove expiry time
  ansible.builtin.user:
    name: james18
    expires: -1

- name: Set maximum expiration date for password
  ansible.builtin.user:
    name: ram19
    password_expire_max: 10

- name: Set minimum expiration date for password
  ansible.builtin.user:
    name: pushkar15
    password_expire_min: 5`,
	Returns: []module.Return{
		{Name: "append", Description: "Whether or not to append the user to groups.", Returned: "When state is C(present) and the user exists", Type: "bool"},
		{Name: "comment", Description: "Comment section from passwd file, usually the user name.", Returned: "When user exists", Type: "str"},
		{Name: "create_home", Description: "Whether or not to create the home directory.", Returned: "When user does not exist and not check mode", Type: "bool"},
		{Name: "force", Description: "Whether or not a user account was forcibly deleted.", Returned: "When I(state) is C(absent) and user exists", Type: "bool"},
		{Name: "group", Description: "Primary user group ID", Returned: "When user exists", Type: "int"},
		{Name: "groups", Description: "List of groups of which the user is a member.", Returned: "When I(groups) is not empty and I(state) is C(present)", Type: "str"},
		{Name: "home", Description: "Path to user's home directory.", Returned: "When I(state) is C(present)", Type: "str"},
		{Name: "move_home", Description: "Whether or not to move an existing home directory.", Returned: "When I(state) is C(present) and user exists", Type: "bool"},
		{Name: "name", Description: "User account name.", Returned: "always", Type: "str"},
		{Name: "password", Description: "Masked value of the password.", Returned: "When I(state) is C(present) and I(password) is not empty", Type: "str"},
		{Name: "password_expire_max", Description: "Maximum number of days during which a password is valid.", Returned: "When user exists", Type: "int"},
		{Name: "password_expire_min", Description: "Minimum number of days between password change", Returned: "When user exists", Type: "int"},
		{Name: "remove", Description: "Whether or not to remove the user account.", Returned: "When I(state) is C(absent) and user exists", Type: "bool"},
		{Name: "shell", Description: "User login shell.", Returned: "When I(state) is C(present)", Type: "str"},
		{Name: "ssh_fingerprint", Description: "Fingerprint of generated SSH key.", Returned: "When I(generate_ssh_key) is C(True)", Type: "str"},
		{Name: "ssh_key_file", Description: "Path to generated SSH private key file.", Returned: "When I(generate_ssh_key) is C(True)", Type: "str"},
		{Name: "ssh_public_key", Description: "Generated SSH public key file.", Returned: "When I(generate_ssh_key) is C(True)", Type: "str"},
		{Name: "stderr", Description: "Standard error from running commands.", Returned: "When stderr is returned by a command that is run", Type: "str"},
		{Name: "stdout", Description: "Standard output from running commands.", Returned: "When standard output is returned by the command that is run", Type: "str"},
		{Name: "system", Description: "Whether or not the account is a system account.", Returned: "When I(system) is passed to the module and the account does not exist", Type: "bool"},
		{Name: "uid", Description: "User ID of the user account.", Returned: "When I(uid) is passed to the module", Type: "int"},
	},
}
