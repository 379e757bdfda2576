package system

import (
	"strconv"
	"strings"
)

// passwdEntry is one line of the passwd database (pwd.struct_passwd).
type passwdEntry struct {
	name, passwd      string
	uid, gid          int
	comment, home, sh string
}

// groupEntry is one line of the group database (grp.struct_group).
type groupEntry struct {
	name    string
	gid     int
	members []string
}

// accounts is a snapshot of the target's passwd, shadow and group databases
// for one user, read with getent in one command.
type accounts struct {
	user   *passwdEntry
	shadow []string // the shadow fields of the user, nil when unreadable
	groups []groupEntry
}

// readAccounts reads the user's passwd and shadow entries and the whole
// group database.
func readAccounts(t *target, name string) (*accounts, error) {
	q := "'" + strings.ReplaceAll(name, "'", `'"'"'`) + "'"
	o, err := t.Sh(nil, "getent passwd -- "+q+" | sed 's/^/P:/'; getent shadow -- "+q+" 2>/dev/null | sed 's/^/S:/'; getent group | sed 's/^/G:/'")
	if err != nil {
		return nil, err
	}
	a := &accounts{}
	for _, line := range strings.Split(o.Stdout, "\n") {
		kind, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Split(rest, ":")
		switch kind {
		case "P":
			if len(f) >= 7 && f[0] == name {
				uid, _ := strconv.Atoi(f[2])
				gid, _ := strconv.Atoi(f[3])
				a.user = &passwdEntry{name: f[0], passwd: f[1], uid: uid, gid: gid, comment: f[4], home: f[5], sh: f[6]}
			}
		case "S":
			if len(f) >= 8 && f[0] == name {
				a.shadow = f
			}
		case "G":
			if len(f) >= 4 {
				gid, _ := strconv.Atoi(f[2])
				var members []string
				if f[3] != "" {
					members = strings.Split(f[3], ",")
				}
				a.groups = append(a.groups, groupEntry{name: f[0], gid: gid, members: members})
			}
		}
	}
	return a, nil
}

// group finds a group by gid (when g is a number) or by name, as
// grp.getgrgid(int(g)) then grp.getgrnam(g).
func (a *accounts) group(g string) *groupEntry {
	if n, err := strconv.Atoi(g); err == nil {
		for i := range a.groups {
			if a.groups[i].gid == n {
				return &a.groups[i]
			}
		}
	}
	for i := range a.groups {
		if a.groups[i].name == g {
			return &a.groups[i]
		}
	}
	return nil
}

// memberOf lists the groups that name the user as a member, in database order.
func (a *accounts) memberOf(user string) []string {
	var out []string
	for _, g := range a.groups {
		for _, m := range g.members {
			if m == user {
				out = append(out, g.name)
				break
			}
		}
	}
	return out
}

// password returns the shadow password (or passwd's when there is no
// shadow entry) and the account expiry day (-1 for none), as user_password.
func (a *accounts) password() (string, int) {
	if a.shadow == nil {
		if a.user != nil {
			return a.user.passwd, -1
		}
		return "", -1
	}
	exp := -1
	if a.shadow[7] != "" {
		exp, _ = strconv.Atoi(a.shadow[7])
	}
	return a.shadow[1], exp
}
