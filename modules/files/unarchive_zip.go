package files

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotefile"
)

// This file is ZipArchive.is_unarchived (modules/unarchive.py): zipinfo's
// listing of the archive compared entry by entry with what dest holds —
// type, mtime, size, CRC-32, permissions, owner and group — giving the
// itemized diff Ansible returns, whether to extract, and the files that
// keep_newer leaves alone.

// zipState is what is_unarchived found.
type zipState struct {
	unarchived bool
	// diff is the itemized list of changed entries ("" for none).
	diff string
	// newer are files dest holds in a newer version: with keep_newer they
	// join the excludes.
	newer []string
}

// zipEntryStat is a path under dest as lstat saw it, with its CRC-32.
type zipEntryStat struct {
	mode        uint32
	size        int64
	mtime       string
	uid, gid    int
	user, group string
	crc         uint32
}

// zipFacts is what the target's script reports.
type zipFacts struct {
	rc             int
	listing, crcs  string
	umask          uint32
	runUID, runGID int
	runUser        string
	runGroup       string
	owner, group   string // "name:id" of the task's owner and group, if found
	stamps         map[string]string
	stats          map[string]zipEntryStat
}

// zipCheckScript gathers zipFacts in one round trip: zipinfo's listing
// (with the excludes and includes, as the module runs it), unzip's CRCs,
// the login's ids and umask, the task's owner and group, zipinfo's times
// as epoch seconds in the target's time zone (time.mktime), and lstat and
// CRC-32 (gzip's trailer) of every entry that exists under dest.
func zipCheckScript(src, dest string, o unpackOptions) string {
	argv := []string{"zipinfo", "-T", "-s", src}
	if len(o.excludes) > 0 {
		argv = append(append(argv, "-x"), o.excludes...)
	}
	argv = append(argv, o.includes...)
	lookup := func(key, db, name string) string {
		if name == "" {
			return ""
		}
		return fmt.Sprintf("printf '%s %%s\\n' \"$(getent %s -- %s | cut -d: -f1,3)\"\n", key, db, shell.Quote(name))
	}
	return `t=$(mktemp -d) || exit 1; trap 'rm -rf -- "$t"' EXIT
src=` + shell.Quote(src) + `; dest=` + shell.Quote(dest) + `
` + shell.Join(argv) + ` > "$t/zi" 2>/dev/null; printf 'rc %s\n' "$?"
printf 'zi %s\n' "$(base64 -w0 < "$t/zi")"
printf 'crcs %s\n' "$(unzip -v "$src" 2>/dev/null | base64 -w0)"
printf 'umask %s\n' "$(umask)"
printf 'run %s %s %s %s\n' "$(id -u)" "$(id -g)" "$(id -un)" "$(id -gn)"
` + lookup("owner", "passwd", o.owner) + lookup("group", "group", o.group) +
		`awk 'length($7) == 15 && $7 ~ /^[0-9]+\.[0-9]+$/ {print $7}' "$t/zi" | sort -u > "$t/s"
sed 's/^\(....\)\(..\)\(..\)\.\(..\)\(..\)\(..\)$/\1-\2-\3 \4:\5:\6/' "$t/s" | date -f - +%s > "$t/e"
paste -d' ' "$t/s" "$t/e" | sed 's/^/stamp /'
unzip -Z -1 "$src" 2>/dev/null | while IFS= read -r f; do
	p="$dest/$f"
	[ -e "$p" ] || [ -L "$p" ] || continue
	crc=00000000
	if [ -f "$p" ] && [ ! -L "$p" ]; then crc=$(gzip -c < "$p" | tail -c 8 | od -An -tx1 -N4 | tr -d ' \n'); fi
	printf 'st %s %s %s\n' "$(printf '%s' "$f" | base64 -w0)" "$crc" "$(stat -c '%f %s %.9Y %u %g %U %G' -- "$p")"
done
`
}

// parseZipFacts reads zipCheckScript's output.
func parseZipFacts(out string) (*zipFacts, error) {
	f := &zipFacts{stamps: map[string]string{}, stats: map[string]zipEntryStat{}}
	b64 := func(s string) string {
		d, _ := base64.StdEncoding.DecodeString(s)
		return string(d)
	}
	for _, l := range strings.Split(out, "\n") {
		k, v, _ := strings.Cut(l, " ")
		switch k {
		case "rc":
			f.rc, _ = strconv.Atoi(v)
		case "zi":
			f.listing = b64(v)
		case "crcs":
			f.crcs = b64(v)
		case "umask":
			u, _ := strconv.ParseUint(v, 8, 32)
			f.umask = uint32(u)
		case "run":
			p := strings.Fields(v)
			if len(p) != 4 {
				return nil, fmt.Errorf("unarchive: cannot read the login's ids: %q", v)
			}
			f.runUID, _ = strconv.Atoi(p[0])
			f.runGID, _ = strconv.Atoi(p[1])
			f.runUser, f.runGroup = p[2], p[3]
		case "owner":
			f.owner = v
		case "group":
			f.group = v
		case "stamp":
			s, e, _ := strings.Cut(v, " ")
			f.stamps[s] = e
		case "st":
			p := strings.Fields(v)
			if len(p) != 9 {
				return nil, fmt.Errorf("unarchive: cannot read stat output %q", v)
			}
			var st zipEntryStat
			crc, _ := strconv.ParseUint(p[1][6:8]+p[1][4:6]+p[1][2:4]+p[1][0:2], 16, 32)
			mode, _ := strconv.ParseUint(p[2], 16, 32)
			st.crc, st.mode, st.mtime = uint32(crc), uint32(mode), p[4]
			st.size, _ = strconv.ParseInt(p[3], 10, 64)
			st.uid, _ = strconv.Atoi(p[5])
			st.gid, _ = strconv.Atoi(p[6])
			st.user, st.group = p[7], p[8]
			f.stats[b64(p[0])] = st
		}
	}
	return f, nil
}

// zipCRCs are the archive's CRC-32s by name, from unzip -v's listing
// (ZipFile.infolist's CRC).
func zipCRCs(verbose string) map[string]uint32 {
	out := map[string]uint32{}
	lines := pySplitlines(verbose)
	if len(lines) < 5 {
		return out
	}
	for _, l := range lines[3 : len(lines)-2] {
		fields := pySplitN(l, 7)
		if len(fields) != 8 {
			continue
		}
		crc, err := strconv.ParseUint(fields[6], 16, 32)
		if err == nil {
			out[fields[7]] = uint32(crc)
		}
	}
	return out
}

// zipFileMode is ZIP_FILE_MODE_RE.
var zipFileMode = regexp.MustCompile(`^([r-][w-][SsTtx-]){3}`)

// zipUnarchived runs is_unarchived for the zip archive src against dest.
// A failure Ansible reports is returned as a failed result.
func zipUnarchived(ctx context.Context, c *module.Call, src, dest string, o unpackOptions) (*zipState, module.Result, error) {
	out, err := remotefile.Run(ctx, c.Conn, zipCheckScript(src, dest, o), nil)
	if err != nil {
		return nil, nil, err
	}
	f, err := parseZipFacts(out)
	if err != nil {
		return nil, nil, err
	}
	// The owner and group the files get: the task's (by name, else by
	// id), else the login's.
	futUser, futUID := f.runUser, f.runUID
	if name, id, ok := strings.Cut(f.owner, ":"); ok {
		futUser, futUID = name, atoiOr(id, f.runUID)
	}
	futGroup, futGID := f.runGroup, f.runGID
	if name, id, ok := strings.Cut(f.group, ":"); ok {
		futGroup, futGID = name, atoiOr(id, f.runGID)
	}
	crcs := zipCRCs(f.crcs)
	st := &zipState{unarchived: f.rc == 0}
	var diff strings.Builder
	var includes []string
	attrs := remotefile.AttrsFromArgs(c.Args)
	for _, line := range pySplitlines(f.listing) {
		pcs := pySplitN(line, 7)
		if len(pcs) != 8 || len(pcs[0]) != 7 && len(pcs[0]) != 10 || len(pcs[6]) != 15 {
			continue
		}
		if !strings.ContainsRune("dl-?", rune(pcs[0][0])) || strings.Trim(pcs[0][1:], "rwxstah-") != "" {
			continue
		}
		ztype, permstr, name := pcs[0][0], pcs[0][1:], pcs[7]
		size, err := strconv.ParseInt(pcs[3], 10, 64)
		if err != nil {
			continue
		}
		if slices.Contains(o.excludes, name) {
			continue
		}
		ftype := byte('f')
		switch {
		case strings.HasSuffix(name, "/"):
			ftype = 'd'
		case ztype == 'l':
			ftype = 'L'
		}
		// FAT permissions: 777 for directories and executables, else 666,
		// under the umask; Unix permissions as they are.
		fileUmask := uint32(0)
		if len(permstr) == 6 {
			switch {
			case strings.HasSuffix(name, "/"), permstr == "rwx---":
				permstr = "rwxrwxrwx"
			default:
				permstr = "rw-rw-rw-"
			}
			fileUmask = f.umask
		}
		if len(permstr) != 9 || !zipFileMode.MatchString(permstr) {
			return nil, module.Failed("ZIP info perm format incorrect, " + permstr), nil
		}
		s, exists := f.stats[name]
		kind := s.mode & 0o170000
		switch {
		case !exists:
			includes = append(includes, name)
			fmt.Fprintf(&diff, ">%c++++++.?? %s\n", ftype, name)
			continue
		case ftype == 'd' && kind != 0o040000, ftype == 'f' && kind != 0o100000, ftype == 'L' && kind != 0o120000:
			includes = append(includes, name)
			fmt.Fprintf(&diff, "c%c++++++.?? %s\n", ftype, name)
			continue
		}
		change := false
		itemized := []byte(fmt.Sprintf(".%c.......??", ftype))
		if kind == 0o100000 {
			stamp := f.stamps[pcs[6]]
			switch cmp := compareEpoch(stamp, s.mtime); {
			case o.keepNewer && cmp > 0, !o.keepNewer && cmp != 0:
				change = true
				itemized[4] = 't'
			case o.keepNewer && cmp < 0:
				st.newer = append(st.newer, name)
				continue
			}
			if size != s.size {
				change = true
				itemized[3] = 's'
			}
			if crcs[name] != s.crc {
				change = true
				itemized[2] = 'c'
			}
		}
		if ftype != 'L' {
			var mode uint32
			switch {
			case attrs.Mode != nil:
				m, err := remotefile.ParseMode(attrs.Mode, s.mode&0o7777, kind == 0o040000, f.umask)
				if err != nil {
					me := err.(*remotefile.ModeError)
					return nil, module.Result{"failed": true, "path": name, "msg": me.Msg}, nil
				}
				mode = m
			case ztype == '?':
				mode = permstrToOctal(permstr, 0)
			default:
				mode = permstrToOctal(permstr, fileUmask)
			}
			if mode != s.mode&0o7777 {
				change = true
				itemized[5] = 'p'
			}
		}
		if f.runUID != 0 && (futUser != f.runUser || futUID != f.runUID) {
			return nil, module.Failed(fmt.Sprintf("Cannot change ownership of %s to %s, as user %s", name, futUser, f.runUser)), nil
		}
		if s.user != "UNKNOWN" && s.user != futUser || s.user == "UNKNOWN" && s.uid != 0 && s.uid != futUID {
			change = true
			itemized[6] = 'o'
		}
		if s.group != "UNKNOWN" && s.group != futGroup || s.group == "UNKNOWN" && s.gid != 0 && s.gid != futGID {
			change = true
			itemized[6] = 'g'
		}
		if change {
			if !slices.Contains(includes, name) {
				includes = append(includes, name)
			}
			fmt.Fprintf(&diff, "%s %s\n", itemized, name)
		}
	}
	if len(includes) > 0 {
		st.unarchived = false
	}
	st.diff = diff.String()
	return st, nil, nil
}

// compareEpoch compares whole epoch seconds a with stat's seconds b (with
// a fraction), as Python compares time.mktime's float with st_mtime.
func compareEpoch(a, b string) int {
	x, _ := strconv.ParseFloat(a, 64)
	y, _ := strconv.ParseFloat(b, 64)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// permstrToOctal is ZipArchive._permstr_to_octal: rwxrwxrwx to a mode,
// without the set-id and sticky bits unzip does not set, under umask.
func permstrToOctal(permstr string, umask uint32) uint32 {
	var mode uint32
	for i := 0; i < 9; i++ {
		if strings.IndexByte("rwxst", permstr[8-i]) >= 0 {
			mode |= 1 << i
		}
	}
	return mode &^ umask
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// pySplitN is Python's str.split(None, n): at most n splits on runs of
// whitespace, leading whitespace dropped, the rest kept as it is.
func pySplitN(s string, n int) []string {
	var out []string
	s = strings.TrimLeft(s, " \t\v\f\r\n")
	for len(out) < n && s != "" {
		i := strings.IndexAny(s, " \t\v\f\r\n")
		if i < 0 {
			break
		}
		out = append(out, s[:i])
		s = strings.TrimLeft(s[i:], " \t\v\f\r\n")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// pySplitlines is str.splitlines for \n, \r\n and \r line ends.
func pySplitlines(s string) []string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
