package remotefile

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/shell"
)

// StatOptions choose what Stat gathers beyond the inode.
type StatOptions struct {
	// Follow stats the target of a symbolic link instead of the link.
	Follow bool
	// Checksum is the algorithm of the content checksum (sha1, md5, sha256,
	// ...); empty means none.
	Checksum string
	// KnownSum, when set, is the content's checksum, known to the caller
	// (a file just written with content it holds): it is reported where the
	// checksum tool would have been run, without running it.
	KnownSum string
	// ChecksumIfSize, when set, limits the checksum to a file of that size:
	// a caller that compares the checksum with content it holds knows a
	// file of another size differs, and the host is spared the checksum
	// tool (Info.Checksum is then empty).
	ChecksumIfSize *int64
	// Attributes adds lsattr's version and flags (lsattr -vd, the stat
	// module's get_attributes).
	Attributes bool
	// Flags adds lsattr -d's flags, for the attributes option; for a path
	// that does not exist, the flags a new entry would inherit.
	Flags bool
	// Mime adds the mime type and charset (with the `file` utility).
	Mime bool
	// Resolve lists a user and a group name whose ids Stat looks up too
	// (for owner/group changes); empty names are skipped.
	ResolveUser, ResolveGroup string
	// Read returns the content of a regular file up to ReadLimit bytes
	// (0: no limit); a larger file is not read and Info.TooLarge is set.
	Read      bool
	ReadLimit int64
}

// Info is what Stat learned about a path: Ansible's stat fields.
type Info struct {
	Path   string
	Exists bool
	// RawMode is st_mode: file type and permission bits.
	RawMode             uint32
	UID, GID            int
	Owner, Group        string
	Size                int64
	Atime, Mtime, Ctime float64
	Inode, Dev, Nlink   uint64
	Major, Minor        uint64
	BlockSize, Blocks   int64
	// Readable, Writeable, Executable are access(2) checks as the (become) user.
	Readable, Writeable, Executable bool
	// LinkTarget is readlink's answer for a symbolic link, LinkSource the
	// fully resolved path.
	LinkTarget, LinkSource string
	// Dangling is a link whose target does not exist.
	Dangling bool
	// Checksum is the content checksum, when asked and the path is a readable
	// regular file.
	Checksum          string
	MimeType, Charset string
	// AttrVersion and AttrFlags are lsattr's answer (HasAttrs when it gave one).
	AttrVersion, AttrFlags string
	HasAttrs               bool
	// Flags are lsattr -d's flags (HasFlags when it gave them), as
	// Ansible's get_file_attributes(include_version=False) reads them; it
	// differs from AttrFlags where lsattr -v fails (overlayfs).
	Flags    string
	HasFlags bool
	// NewFlags are the flags a new entry in a missing path's directory gets
	// (StatOptions.Flags): the directory's inheritable ones.
	NewFlags string
	// Content is the file's content when StatOptions.Read asked for it
	// (HasContent tells an empty file from one not read).
	Content    []byte
	HasContent bool
	// TooLarge reports a file not read because of StatOptions.ReadLimit.
	TooLarge bool
	// Umask is the umask of the remote shell, for the mode of new files.
	Umask uint32
	// UserUID and UserGID are the ids of the (become) user running the
	// commands: the owner of the files it creates.
	UserUID, UserGID int
	// ResolvedUID and ResolvedGID are the ids of StatOptions' names (-1 when
	// the name is unknown or was not asked).
	ResolvedUID, ResolvedGID int
}

// File type bits of st_mode.
const (
	typeMask = 0o170000
	typeDir  = 0o040000
	typeReg  = 0o100000
	typeLnk  = 0o120000
	typeChr  = 0o020000
	typeBlk  = 0o060000
	typeFifo = 0o010000
	typeSock = 0o140000
)

// Perm is the permission bits (with setuid, setgid, sticky).
func (i *Info) Perm() uint32 { return i.RawMode & 0o7777 }

// IsDir, IsReg and IsLink test the file type.
func (i *Info) IsDir() bool  { return i.Exists && i.RawMode&typeMask == typeDir }
func (i *Info) IsReg() bool  { return i.Exists && i.RawMode&typeMask == typeReg }
func (i *Info) IsLink() bool { return i.Exists && i.RawMode&typeMask == typeLnk }

// State is the file module's name of the path's type: file, directory,
// link, hard (a regular file with more than one link) or absent.
func (i *Info) State() string {
	switch {
	case !i.Exists:
		return "absent"
	case i.IsDir():
		return "directory"
	case i.IsLink():
		return "link"
	case i.IsReg() && i.Nlink > 1:
		return "hard"
	}
	return "file"
}

// NewFileMode is the mode a newly created file gets: 0666 minus the umask.
func (i *Info) NewFileMode() uint32 { return 0o666 &^ i.Umask }

// NewDirMode is the mode a newly created directory gets: 0777 minus the umask.
func (i *Info) NewDirMode() uint32 { return 0o777 &^ i.Umask }

// idsScript prints the shell's umask and its user's effective uid and gid
// (as id -u and id -g) without starting a process: Linux has them in
// /proc/self/status, and id is asked only where that file is missing.
const idsScript = `printf 'umask '; umask
_gu=; _gg=; while read -r _gk _ _ge _; do case $_gk in Uid:) _gu=$_ge;; Gid:) _gg=$_ge; break;; esac; done 2>/dev/null </proc/self/status
[ -n "$_gu" ] && [ -n "$_gg" ] || { _gu=$(id -u); _gg=$(id -g); }
printf 'ids %s %s\n' "$_gu" "$_gg"
`

// statScript is the shell that prints one path's facts as "key value" lines.
//
// It runs once or twice per file task, so it starts as few processes as it
// can (each costs the target a fork and an exec, about as much as the SSH
// exchange itself): the umask is a builtin, the user's ids are read from
// /proc/self/status by the shell itself, one stat prints the inode and the
// owner's names, and the tools whose answers are wanted (readlink, sha1sum,
// file) print straight after their key, without a command substitution.
func statScript(path string, o StatOptions) string {
	follow := ""
	if o.Follow {
		follow = "-L "
	}
	var b strings.Builder
	fmt.Fprintf(&b, "p=%s\n", Path(path))
	b.WriteString(idsScript)
	if o.ResolveUser != "" {
		fmt.Fprintf(&b, "printf 'uid %%s\\n' \"$(id -u -- %s 2>/dev/null || echo -1)\"\n", Path(o.ResolveUser))
	}
	if o.ResolveGroup != "" {
		fmt.Fprintf(&b, "printf 'gid %%s\\n' \"$(getent group -- %s | cut -d: -f3 | grep . || echo -1)\"\n", Path(o.ResolveGroup))
	}
	present := `[ -e "$p" ] || [ -h "$p" ]`
	if o.Follow {
		present = `[ -e "$p" ]`
	}
	fmt.Fprintf(&b, "if %s; then\n", present)
	// The format's newline is literal: stat -c prints it as it is.
	statCmd := fmt.Sprintf("stat %s-c 'stat %%f %%u %%g %%s %%.9X %%.9Y %%.9Z %%i %%d %%h %%t %%T %%o %%b\nnames %%U:%%G' -- \"$p\"", follow)
	sizeIs := ""
	if o.Checksum != "" && o.ChecksumIfSize != nil {
		// The size is stat's fifth word ("stat MODE UID GID SIZE ...").
		sizeIs = fmt.Sprintf(` && [ "$5" = %d ]`, *o.ChecksumIfSize)
		fmt.Fprintf(&b, "s=$(%s) || exit 1\nprintf '%%s\\n' \"$s\"; set -f; set -- $s; set +f\n", statCmd)
	} else {
		fmt.Fprintf(&b, "%s || exit 1\n", statCmd)
	}
	b.WriteString(`a=; for f in r w x; do if [ -$f "$p" ]; then a=$a$f; else a=$a-; fi; done; printf 'access %s\n' "$a"` + "\n")
	b.WriteString(`if [ -h "$p" ]; then printf 'target '; readlink -- "$p" || echo; printf 'source '; readlink -f -- "$p" || echo; [ -e "$p" ] || echo dangling; fi` + "\n")
	if o.Checksum != "" {
		// Without Follow a link has no checksum (lstat says it is no regular file).
		nolink := ` && [ ! -h "$p" ]`
		if o.Follow {
			nolink = ""
		}
		sum := o.Checksum + `sum < "$p" || echo`
		if o.KnownSum != "" {
			sum = "echo " + shell.Quote(o.KnownSum)
		}
		fmt.Fprintf(&b, "if [ -f \"$p\" ] && [ -r \"$p\" ]%s%s; then printf 'sum '; %s; fi\n", nolink, sizeIs, sum)
	}
	if o.Mime {
		b.WriteString(`if command -v file >/dev/null 2>&1; then printf 'mime '; file -b --mime-type --mime-encoding -- "$p" || echo; fi` + "\n")
	}
	if o.Attributes {
		b.WriteString(`if a=$(lsattr -vd -- "$p" 2>/dev/null); then printf 'attr %s\n' "$a"; fi` + "\n")
	}
	if o.Flags {
		b.WriteString(`if a=$(lsattr -d -- "$p" 2>/dev/null); then printf 'flags %s\n' "${a%% *}"; fi` + "\n")
	}
	if o.Read {
		limit := ""
		if o.ReadLimit > 0 {
			limit = fmt.Sprintf(` && [ "$(stat -L -c %%s -- "$p")" -le %d ]`, o.ReadLimit)
		}
		fmt.Fprintf(&b, "if [ -f \"$p\" ] && [ -r \"$p\" ]; then if true%s; then printf 'content '; base64 -w0 < \"$p\"; echo; else echo toolarge; fi; fi\n", limit)
	}
	b.WriteString("else echo missing\n")
	if o.Flags {
		b.WriteString(`if a=$(lsattr -d -- "$(dirname -- "$p")" 2>/dev/null); then printf 'newflags %s\n' "${a%% *}"; fi` + "\n")
	}
	b.WriteString("fi\n")
	return b.String()
}

// Stat learns about path on conn in one round trip.
func Stat(ctx context.Context, conn connection.Conn, path string, o StatOptions) (*Info, error) {
	out, err := run(ctx, conn, statScript(path, o), nil)
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	return parseStat(path, out)
}

func parseStat(path, out string) (*Info, error) {
	info := &Info{Path: path, ResolvedUID: -1, ResolvedGID: -1}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1<<31-1)
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), " ")
		switch key {
		case "umask":
			u, _ := strconv.ParseUint(strings.TrimSpace(val), 8, 32)
			info.Umask = uint32(u)
		case "ids":
			fmt.Sscan(val, &info.UserUID, &info.UserGID)
		case "names":
			info.Owner, info.Group, _ = strings.Cut(val, ":")
		case "uid":
			info.ResolvedUID, _ = strconv.Atoi(strings.TrimSpace(val))
		case "gid":
			info.ResolvedGID, _ = strconv.Atoi(strings.TrimSpace(val))
		case "stat":
			info.Exists = true
			if err := info.parseFields(strings.Fields(val)); err != nil {
				return nil, fmt.Errorf("stat %s: %v in %q", path, err, val)
			}
		case "access":
			info.Readable, info.Writeable, info.Executable = strings.Contains(val, "r"), strings.Contains(val, "w"), strings.Contains(val, "x")
		case "target":
			info.LinkTarget = val
		case "source":
			info.LinkSource = val
		case "sum":
			// sha1sum and its kin print "HASH  -" for their stdin.
			info.Checksum, _, _ = strings.Cut(val, " ")
		case "mime":
			mt, cs, _ := strings.Cut(val, ";")
			info.MimeType = strings.TrimSpace(mt)
			info.Charset = strings.TrimPrefix(strings.TrimSpace(cs), "charset=")
		case "attr":
			f := strings.Fields(val)
			if len(f) >= 2 {
				info.AttrVersion, info.AttrFlags, info.HasAttrs = f[0], strings.ReplaceAll(f[1], "-", ""), true
			}
		case "flags":
			info.Flags, info.HasFlags = strings.ReplaceAll(strings.TrimSpace(val), "-", ""), true
		case "newflags":
			info.NewFlags = inherited(strings.ReplaceAll(strings.TrimSpace(val), "-", ""))
		case "content":
			data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(val))
			if err != nil {
				return nil, fmt.Errorf("reading %s: %v", path, err)
			}
			info.Content, info.HasContent = data, true
		case "dangling":
			info.Dangling = true
		case "toolarge":
			info.TooLarge = true
		case "charset":
			info.Charset = val
		}
	}
	return info, nil
}

func (i *Info) parseFields(f []string) error {
	if len(f) < 14 {
		return fmt.Errorf("unexpected stat output")
	}
	hex := func(s string) uint64 { n, _ := strconv.ParseUint(s, 16, 64); return n }
	dec := func(s string) uint64 { n, _ := strconv.ParseUint(s, 10, 64); return n }
	flt := func(s string) float64 { n, _ := strconv.ParseFloat(s, 64); return n }
	i.RawMode = uint32(hex(f[0]))
	i.UID, i.GID = int(dec(f[1])), int(dec(f[2]))
	i.Size = int64(dec(f[3]))
	i.Atime, i.Mtime, i.Ctime = flt(f[4]), flt(f[5]), flt(f[6])
	i.Inode, i.Dev, i.Nlink = dec(f[7]), dec(f[8]), dec(f[9])
	i.Major, i.Minor = hex(f[10]), hex(f[11])
	i.BlockSize, i.Blocks = int64(dec(f[12])), int64(dec(f[13]))
	return nil
}

// Map returns the stat module's `stat` dict for the path; mime adds
// mimetype and charset, attrs lsattr's attributes, attr_flags and version.
func (i *Info) Map(mime, attrs bool) map[string]any {
	if !i.Exists {
		return map[string]any{"exists": false}
	}
	m := i.RawMode
	typ := m & typeMask
	perm := m & 0o7777
	out := map[string]any{
		"exists": true, "path": i.Path,
		"mode":  fmt.Sprintf("%04o", perm),
		"isdir": typ == typeDir, "ischr": typ == typeChr, "isblk": typ == typeBlk,
		"isreg": typ == typeReg, "isfifo": typ == typeFifo, "islnk": typ == typeLnk, "issock": typ == typeSock,
		"uid": i.UID, "gid": i.GID, "size": int(i.Size),
		"inode": int(i.Inode), "dev": int(i.Dev), "nlink": int(i.Nlink),
		"atime": i.Atime, "mtime": i.Mtime, "ctime": i.Ctime,
		"wusr": perm&0o200 != 0, "rusr": perm&0o400 != 0, "xusr": perm&0o100 != 0,
		"wgrp": perm&0o020 != 0, "rgrp": perm&0o040 != 0, "xgrp": perm&0o010 != 0,
		"woth": perm&0o002 != 0, "roth": perm&0o004 != 0, "xoth": perm&0o001 != 0,
		"isuid": perm&0o4000 != 0, "isgid": perm&0o2000 != 0,
		"blocks": int(i.Blocks), "block_size": int(i.BlockSize),
		"readable": i.Readable, "writeable": i.Writeable, "executable": i.Executable,
		"pw_name": i.Owner, "gr_name": i.Group,
	}
	out["device_type"] = int(i.Minor&0xff | (i.Major&0xfff)<<8 | (i.Minor&^0xff)<<12 | (i.Major&^0xfff)<<32)
	if typ == typeLnk {
		out["lnk_target"] = i.LinkTarget
		out["lnk_source"] = i.LinkSource
	}
	if i.Checksum != "" {
		out["checksum"] = i.Checksum
	}
	if mime {
		if i.MimeType != "" {
			out["mimetype"], out["charset"] = i.MimeType, i.Charset
		} else {
			out["mimetype"], out["charset"] = "unknown", "unknown"
		}
	}
	if attrs {
		out["attributes"], out["attr_flags"], out["version"] = []any{}, "", nil
		if i.HasAttrs {
			out["attr_flags"], out["version"] = i.AttrFlags, i.AttrVersion
			out["attributes"] = attributeNames(i.AttrFlags)
		}
	}
	return out
}

// fileAttributes are chattr's flags by letter, as Ansible names them.
var fileAttributes = map[rune]string{
	'A': "noatime", 'a': "append", 'c': "compressed", 'C': "nocow", 'd': "nodump", 'D': "dirsync",
	'e': "extents", 'E': "encrypted", 'h': "blocksize", 'i': "immutable", 'I': "indexed",
	'j': "journalled", 'N': "inline", 's': "zero", 'S': "synchronous", 't': "notail",
	'T': "blockroot", 'u': "undelete", 'X': "compressedraw", 'Z': "compresseddirty",
}

func attributeNames(flags string) []any {
	out := []any{}
	for _, f := range flags {
		if n, ok := fileAttributes[f]; ok {
			out = append(out, n)
		}
	}
	return out
}

// NewFile is the stat a regular file (or a directory, when dir is set)
// created now at i.Path would have: the user's ids and the umask's mode.
func (i *Info) NewFile(dir bool) *Info {
	n := *i
	n.Exists, n.UID, n.GID, n.Nlink, n.Size = true, i.UserUID, i.UserGID, 1, 0
	n.Flags, n.HasFlags = i.NewFlags, i.NewFlags != "" || i.HasFlags
	n.RawMode = typeReg | i.NewFileMode()
	if dir {
		n.RawMode = typeDir | i.NewDirMode()
	}
	return &n
}

// inheritedFlags are the chattr flags a new file or directory takes from
// its directory on Linux filesystems (the kernel's FS_FL_USER_MODIFIABLE
// inherited set, with extents, which ext4 sets on every new inode).
const inheritedFlags = "suScdAjtDPFme"

// inherited keeps the flags of a directory that a new entry in it gets.
func inherited(dirFlags string) string {
	var b strings.Builder
	for _, f := range dirFlags {
		if strings.ContainsRune(inheritedFlags, f) {
			b.WriteRune(f)
		}
	}
	return b.String()
}
