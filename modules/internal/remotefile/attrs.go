package remotefile

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorun/engine/connection"
)

// Attrs are the common file arguments: owner, group, mode and chattr
// attributes as the task gave them (Mode nil, Owner "", Group "" and
// Attributes "" mean leave alone).
type Attrs struct {
	Mode         any
	Owner, Group string
	// Attributes are chattr flags: "i" (exactly these), "+i" or "-i".
	Attributes string
}

// AttrsFromArgs reads owner, group, mode and attributes from a module's arguments.
func AttrsFromArgs(args map[string]any) Attrs {
	a := Attrs{Mode: args["mode"]}
	if s, ok := args["owner"].(string); ok {
		a.Owner = s
	}
	if s, ok := args["group"].(string); ok {
		a.Group = s
	}
	if s, ok := args["attributes"].(string); ok {
		a.Attributes = s
	}
	return a
}

// StatOptions returns o with the names of a's owner and group to resolve.
func (a Attrs) StatOptions(o StatOptions) StatOptions {
	if a.Owner != "" {
		if _, err := strconv.Atoi(a.Owner); err != nil {
			o.ResolveUser = a.Owner
		}
	}
	if a.Group != "" {
		if _, err := strconv.Atoi(a.Group); err != nil {
			o.ResolveGroup = a.Group
		}
	}
	if a.Attributes != "" {
		o.Flags = true
	}
	return o
}

// Change is what must change for a path to have the wanted attributes.
type Change struct {
	UID, GID *int
	Mode     *uint32
	// Attributes is the operand of chattr ("=i", "+a", "-e") when the
	// path's flags must change.
	Attributes string
	// wantAttrs is the chattr operand the task asks for, changed or not: a
	// write replaces the file by a new inode, which needs it again.
	wantAttrs string
}

// Empty reports whether nothing changes.
func (c Change) Empty() bool {
	return c.UID == nil && c.GID == nil && c.Mode == nil && c.Attributes == ""
}

// AttrError is a failure to apply attributes, with Ansible's message.
type AttrError struct{ Msg, Details string }

func (e *AttrError) Error() string { return e.Msg }

// Plan compares info (with the ids of a's names resolved, see StatOptions)
// with a and returns what must change, filling diff's before/after dicts
// with owner, group and mode as Ansible does. For a path that does not exist
// yet, info.Exists is false and the plan is against a new file (or a new
// directory when dir is set) with the remote umask.
func (a Attrs) Plan(info *Info, dir bool, diff *Diff) (Change, error) {
	var c Change
	curUID, curGID, curMode := info.UID, info.GID, info.Perm()
	isDir := info.IsDir()
	if !info.Exists {
		curMode, isDir = info.NewFileMode(), dir
		if dir {
			curMode = info.NewDirMode()
		}
	}
	if a.Owner != "" {
		uid, err := strconv.Atoi(a.Owner)
		if err != nil {
			uid = info.ResolvedUID
			if uid < 0 {
				return c, &AttrError{Msg: "chown failed: failed to look up user " + a.Owner}
			}
		}
		if !info.Exists || uid != curUID {
			c.UID = &uid
			if info.Exists {
				diff.set("owner", curUID, uid)
			}
		}
	}
	if a.Group != "" {
		gid, err := strconv.Atoi(a.Group)
		if err != nil {
			gid = info.ResolvedGID
			if gid < 0 {
				return c, &AttrError{Msg: "chgrp failed: failed to look up group " + a.Group}
			}
		}
		if !info.Exists || gid != curGID {
			c.GID = &gid
			if info.Exists {
				diff.set("group", curGID, gid)
			}
		}
	}
	if a.Mode != nil {
		mode, err := ParseMode(a.Mode, curMode, isDir, info.Umask)
		if err != nil {
			me := err.(*ModeError)
			return c, &AttrError{Msg: me.Msg, Details: me.Details}
		}
		if !info.Exists || mode != curMode {
			c.Mode = &mode
			if info.Exists {
				diff.set("mode", ModeString(curMode), ModeString(mode))
			}
		}
	}
	if a.Attributes != "" {
		c.wantAttrs = a.chattrOperand()
		// As Ansible's set_attributes_if_different: lsattr's flags (without
		// dashes) must equal the flags asked, even with "+", and "-" always
		// runs chattr.
		flags := strings.TrimLeft(c.wantAttrs, "=+-")
		if !info.Exists || info.Flags != flags || c.wantAttrs[0] == '-' {
			c.Attributes = c.wantAttrs
			if info.Exists {
				var before any
				if info.HasFlags {
					before = info.Flags
				}
				diff.set("attributes", before, c.Attributes)
			}
		}
	}
	return c, nil
}

// chattrOperand is a.Attributes with its operator: "=" unless it starts
// with "+" or "-".
func (a Attrs) chattrOperand() string {
	if strings.HasPrefix(a.Attributes, "+") || strings.HasPrefix(a.Attributes, "-") {
		return a.Attributes
	}
	return "=" + a.Attributes
}

// Script returns shell commands that apply c to the path in the shell
// variable named pathVar (chown before chmod, as chown may clear set-id
// bits; chattr last, as Ansible, since an immutable file refuses the rest).
func (c Change) Script(pathVar string) string {
	return c.ownerModeScript(pathVar) + chattrScript(pathVar, c.Attributes)
}

// chattrScript runs chattr with operand on the path in pathVar; like
// Ansible it fails when chattr fails or prints anything.
func chattrScript(pathVar, operand string) string {
	if operand == "" {
		return ""
	}
	// Ansible runs chattr by its full path, which its usage message shows.
	// The "." keeps the output's trailing newline, part of Ansible's details.
	return fmt.Sprintf("c=$(command -v chattr) || c=chattr; o=$(\"$c\" %s \"$%s\" 2>&1; r=$?; echo .; exit $r) && [ \"$o\" = . ] || { printf %%s \"${o%%.}\" >&2; exit 89; }\n", Path(operand), pathVar)
}

// ownerModeScript is the chown, chgrp and chmod part of Script.
func (c Change) ownerModeScript(pathVar string) string {
	var b strings.Builder
	p := `"$` + pathVar + `"`
	switch {
	case c.UID != nil && c.GID != nil:
		fmt.Fprintf(&b, "chown -h %d:%d %s || exit 81\n", *c.UID, *c.GID, p)
	case c.UID != nil:
		fmt.Fprintf(&b, "chown -h %d %s || exit 81\n", *c.UID, p)
	case c.GID != nil:
		fmt.Fprintf(&b, "chgrp -h %d %s || exit 82\n", *c.GID, p)
	}
	if c.Mode != nil {
		// chmod follows links; Ansible leaves the target of a link alone.
		fmt.Fprintf(&b, "[ -h %s ] || chmod %o %s || exit 83\n", p, *c.Mode, p)
	}
	return b.String()
}

// Apply applies c to path on conn.
func (c Change) Apply(ctx context.Context, conn connection.Conn, path string) error {
	if c.Empty() {
		return nil
	}
	_, err := run(ctx, conn, "p="+Path(path)+"\n"+c.Script("p"), nil)
	return attrError(err)
}

// attrError words a failed attribute script as Ansible words its failures.
func attrError(err error) error {
	se, ok := err.(*ScriptError)
	if !ok {
		return err
	}
	details := strings.TrimSpace(se.Stderr)
	switch se.Code {
	case 81:
		return &AttrError{Msg: "chown failed: " + details}
	case 82:
		return &AttrError{Msg: "chgrp failed: " + details}
	case 83:
		return &AttrError{Msg: "chmod failed", Details: details}
	case 89:
		return &AttrError{Msg: "chattr failed", Details: "Error while setting attributes: " + se.Stderr}
	}
	return err
}
