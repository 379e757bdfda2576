package remotefile

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/shell"
)

// Attrs are the common file arguments: owner, group, mode as the task gave
// them (Mode nil, Owner "" and Group "" mean leave alone).
type Attrs struct {
	Mode         any
	Owner, Group string
}

// AttrsFromArgs reads owner, group and mode from a module's arguments.
func AttrsFromArgs(args map[string]any) Attrs {
	a := Attrs{Mode: args["mode"]}
	if s, ok := args["owner"].(string); ok {
		a.Owner = s
	}
	if s, ok := args["group"].(string); ok {
		a.Group = s
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
	return o
}

// Change is what must change for a path to have the wanted attributes.
type Change struct {
	UID, GID *int
	Mode     *uint32
}

// Empty reports whether nothing changes.
func (c Change) Empty() bool { return c.UID == nil && c.GID == nil && c.Mode == nil }

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
	return c, nil
}

// Script returns shell commands that apply c to the path in the shell
// variable named pathVar (chown before chmod, as chown may clear set-id bits).
func (c Change) Script(pathVar string) string {
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
	}
	return err
}

// quoteAll is shell.Join for the few callers that need it here.
func quoteAll(words ...string) string { return shell.Join(words) }
