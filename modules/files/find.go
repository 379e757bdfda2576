package files

import (
	"context"
	"encoding/base64"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/pyre"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(findModule{}) }

type findModule struct{}

func (findModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "find", Names: []string{"ansible.builtin.find"},
		Short:       "Return a list of files based on specific criteria",
		Description: []string{"Return a list of files based on specific criteria. Multiple criteria are AND'd together.", "For Windows targets, use the ansible.windows.win_find module instead."},
		Options: []module.Option{
			{Name: "age", Description: "Select files whose age is equal to or greater than the specified time. Use a negative age to find files equal to or less than the specified time. You can choose seconds, minutes, hours, days, or weeks by specifying the first letter of any of those words (e.g., \"1w\")."},
			{Name: "age_stamp", Default: "mtime", Choices: []any{"atime", "ctime", "mtime"}, Description: "Choose the file property against which we compare age."},
			{Name: "contains", Description: "A regular expression or pattern which should be matched against the file content. Works only when file_type is file."},
			{Name: "depth", Type: "int", Description: "Set the maximum number of levels to descend into. Setting recurse to false will override this value, which is effectively depth 1. Default is unlimited depth."},
			{Name: "excludes", Type: "list", Elements: "str", Aliases: []string{"exclude"}, Description: "One or more (shell or regex) patterns, which type is controlled by use_regex option. Items whose basenames match an excludes pattern are culled from patterns matches. Multiple patterns can be specified using a list."},
			{Name: "file_type", Default: "file", Choices: []any{"any", "directory", "file", "link"}, Description: "Type of file to select. The 'link' and 'any' choices were added in Ansible 2.3."},
			{Name: "follow", Type: "bool", Default: false, Description: "Set this to true to follow symlinks in path for systems with python 2.6+."},
			{Name: "get_checksum", Type: "bool", Default: false, Description: "Set this to true to retrieve a file's SHA1 checksum."},
			{Name: "hidden", Type: "bool", Default: false, Description: "Set this to true to include hidden files, otherwise they will be ignored."},
			{Name: "paths", Type: "list", Elements: "str", Aliases: []string{"name", "path"}, Required: true, Description: "List of paths of directories to search. All paths must be fully qualified."},
			{Name: "patterns", Type: "list", Elements: "str", Aliases: []string{"pattern"}, Default: []any{}, Description: "One or more (shell or regex) patterns, which type is controlled by use_regex option. The patterns restrict the list of files to be returned to those whose basenames match at least one of the patterns specified. Multiple patterns can be specified using a list. The pattern is matched against the file base name, excluding the directory. When using regexen, the pattern MUST match the ENTIRE file name, not just parts of it. So if you are looking to match all files ending in .default, you'd need to use .*\\.default as a regexp and not just \\.default. This parameter expects a list, which can be either comma separated or YAML. If any of the patterns contain a comma, make sure to put them in a list to avoid splitting the patterns in undesirable ways. Defaults to * when use_regex=False, or .* when use_regex=True."},
			{Name: "read_whole_file", Type: "bool", Default: false, Description: "When doing a contains search, determines whether the whole file should be read into memory or if the regex should be applied to the file line-by-line. Setting this to true can have performance and memory implications for large files. This uses re.search() instead of re.match()."},
			{Name: "recurse", Type: "bool", Default: false, Description: "If target is a directory, recursively descend into the directory looking for files."},
			{Name: "size", Description: "Select files whose size is equal to or greater than the specified size. Use a negative size to find files equal to or less than the specified size. Unqualified values are in bytes but b, k, m, g, and t can be appended to specify bytes, kilobytes, megabytes, gigabytes, and terabytes, respectively. Size is not evaluated for directories."},
			{Name: "use_regex", Type: "bool", Default: false, Description: "If false, the patterns are file globs (shell). If true, they are python regexes."},
		},
		Check: module.Full, Diff: module.None,
		Examples: `- name: Recursively find /tmp files older than 2 days
  ansible.builtin.find:
    paths: /tmp
    age: 2d
    recurse: yes

- name: Recursively find /tmp files older than 4 weeks and equal or greater than 1 megabyte
  ansible.builtin.find:
    paths: /tmp
    age: 4w
    size: 1m
    recurse: yes

- name: Recursively find /var/tmp files with last access time greater than 3600 seconds
  ansible.builtin.find:
    paths: /var/tmp
    age: 3600
    age_stamp: atime
    recurse: yes

- name: Find /var/log files equal or greater than 10 megabytes ending with .old or .log.gz
  ansible.builtin.find:
    paths: /var/log
    patterns: '*.old,*.log.gz'
    size: 10m

# Note that YAML double quotes require escaping backslashes but yaml single quotes do not.
- name: Find /var/log files equal or greater than 10 megabytes ending with .old or .log.gz via regex
  ansible.builtin.find:
    paths: /var/log
    patterns: "^.*?\\.(?:old|log\\.gz)$"
    size: 10m
    use_regex: yes

- name: Find /var/log all directories, exclude nginx and mysql
  ansible.builtin.find:
    paths: /var/log
    recurse: no
    file_type: directory
    excludes: 'nginx,mysql'

# When using patterns that contain a comma, make sure they are formatted as lists to avoid splitting the pattern
- name: Use a single pattern that contains a comma formatted as a list
  ansible.builtin.find:
    paths: /var/log
    file_type: file
    use_regex: yes
    patterns: ['^_[0-9]{2,4}_.*.log$']

- name: Use multiple patterns that contain a comma formatted as a YAML list
  ansible.builtin.find:
    paths: /var/log
    file_type: file
    use_regex: yes
    patterns:
      - '^_[0-9]{2,4}_.*.log$'
      - '^[a-z]{1,5}_.*log$'`,
		Returns: []module.Return{
			{Name: "examined", Description: "Number of filesystem objects looked at", Returned: "success", Type: "int"},
			{Name: "files", Description: "All matches found with the specified criteria (see stat module for full output of each dictionary)", Returned: "success", Type: "list"},
			{Name: "matched", Description: "Number of matches", Returned: "success", Type: "int"},
			{Name: "skipped_paths", Description: "skipped paths and reasons they were skipped", Returned: "success", Type: "dict"},
		},
	}
}

// foundEntry is one entry the remote find listed.
type foundEntry struct {
	depth               int
	typ                 byte // find's %y: f, d, l, ...
	perm                uint32
	uid, gid            int
	size                int64
	atime, mtime, ctime float64
	inode, dev, nlink   int
	owner, group, path  string
}

var (
	ageRE  = regexp.MustCompile(`^(-?\d+)(s|m|h|d|w)?$`)
	sizeRE = regexp.MustCompile(`^(-?\d+)(b|k|m|g|t)?$`)
)

func (findModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	a := c.Args
	patterns, excludes := a.Strings("patterns"), a.Strings("excludes")
	if len(patterns) == 0 {
		patterns = []string{"*"}
		if a.Bool("use_regex") {
			patterns = []string{".*"}
		}
	}
	var age, size *int64
	if a.Has("age") {
		m := ageRE.FindStringSubmatch(strings.ToLower(a.String("age")))
		if m == nil {
			return module.Result{"failed": true, "age": a.String("age"), "msg": "failed to process age"}, nil
		}
		n, _ := strconv.ParseInt(m[1], 10, 64)
		n *= map[string]int64{"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[m[2]]
		age = &n
	}
	if a.Has("size") {
		m := sizeRE.FindStringSubmatch(strings.ToLower(a.String("size")))
		if m == nil {
			return module.Result{"failed": true, "size": a.String("size"), "msg": "failed to process size"}, nil
		}
		n, _ := strconv.ParseInt(m[1], 10, 64)
		n *= map[string]int64{"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[m[2]]
		size = &n
	}
	match, err := nameFilter(patterns, excludes, a.Bool("use_regex"))
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	var contains *pyre.Regexp
	if a.Has("contains") {
		if contains, err = pyre.Compile(a.String("contains"), 0); err != nil {
			return module.Failed(err.Error()), nil
		}
	}
	// depth limits what matches; listed is how deep os.walk looks: the
	// top directory only without recurse, else one level below depth.
	depth, listed := 1, 1
	if a.Bool("recurse") {
		depth = a.Int("depth")
		listed = 0
		if depth > 0 {
			listed = depth + 1
		}
	}
	now := float64(time.Now().UnixNano()) / 1e9
	fileType := a.String("file_type")
	var found []foundEntry
	skipped := map[string]any{}
	looked := 0
	for _, root := range a.Strings("paths") {
		entries, err := listTree(ctx, c, root, listed, a.Bool("follow"))
		if err != nil {
			skipped[root] = err.Error()
			c.Warn(fmt.Sprintf("Skipped '%s' path due to this access issue: %s\n", root, err))
			continue
		}
		for _, e := range entries {
			looked++
			if depth > 0 && e.depth > depth {
				continue
			}
			name := path.Base(e.path)
			if strings.HasPrefix(name, ".") && !a.Bool("hidden") {
				continue
			}
			ok, err := match(name)
			if err != nil {
				return module.Failed(err.Error()), nil
			}
			if !ok || !ageOK(e, now, age, a.String("age_stamp")) {
				continue
			}
			switch {
			case fileType == "any":
				if e.typ == 'f' && !sizeOK(e, size) {
					continue
				}
			case fileType == "directory" && e.typ == 'd', fileType == "link" && e.typ == 'l':
			case fileType == "file" && e.typ == 'f':
				if !sizeOK(e, size) {
					continue
				}
			default:
				continue
			}
			found = append(found, e)
		}
	}
	if contains != nil && fileType == "file" {
		if found, err = filterContent(ctx, c, found, contains, a.Bool("read_whole_file")); err != nil {
			return failure("", err)
		}
	}
	var sums map[string]string
	if a.Bool("get_checksum") {
		if sums, err = checksums(ctx, c, found); err != nil {
			return failure("", err)
		}
	}
	files := []any{}
	for _, e := range found {
		r := e.statinfo()
		if s, ok := sums[e.path]; ok {
			r["checksum"] = s
		}
		files = append(files, r)
	}
	msg := "All paths examined"
	if len(skipped) > 0 {
		msg = "Not all paths examined, check warnings for details"
	}
	return module.Result{"files": files, "changed": false, "msg": msg, "matched": len(files), "examined": looked, "skipped_paths": skipped}, nil
}

// nameFilter is find's pfilter: glob (fnmatch) or regex (re.match)
// patterns, minus excludes.
func nameFilter(patterns, excludes []string, useRegex bool) (func(string) (bool, error), error) {
	matchOne := func(p, name string) (bool, error) {
		if useRegex {
			re, err := pyre.Compile(p, 0)
			if err != nil {
				return false, err
			}
			m, err := re.MatchStart(name)
			return m != nil, err
		}
		return path.Match(fnmatchToGo(p), name)
	}
	return func(name string) (bool, error) {
		for _, p := range patterns {
			ok, err := matchOne(p, name)
			if err != nil || !ok {
				if err != nil {
					return false, err
				}
				continue
			}
			for _, e := range excludes {
				if ex, err := matchOne(e, name); err != nil || ex {
					return false, err
				}
			}
			return true, nil
		}
		return false, nil
	}, nil
}

// fnmatchToGo turns a Python fnmatch pattern into path.Match syntax.
func fnmatchToGo(p string) string {
	p = strings.ReplaceAll(p, `\`, `\\`)
	return strings.ReplaceAll(p, "[!", "[^")
}

func ageOK(e foundEntry, now float64, age *int64, stamp string) bool {
	if age == nil {
		return true
	}
	t := e.mtime
	switch stamp {
	case "atime":
		t = e.atime
	case "ctime":
		t = e.ctime
	}
	a := float64(*age)
	if a >= 0 {
		return now-t >= a
	}
	return now-t <= -a
}

func sizeOK(e foundEntry, size *int64) bool {
	if size == nil {
		return true
	}
	if *size >= 0 {
		return e.size >= *size
	}
	return e.size <= -*size
}

// listTree lists root's entries down to depth (0: no limit) in os.walk's
// order.
func listTree(ctx context.Context, c *module.Call, root string, depth int, follow bool) ([]foundEntry, error) {
	l := ""
	if follow {
		l = "-L "
	}
	max := ""
	if depth > 0 {
		max = fmt.Sprintf("-maxdepth %d ", depth)
	}
	out, err := remotefile.Run(ctx, c.Conn, fmt.Sprintf(`p=%s
[ -d "$p" ] || { printf "'%%s' is not a directory" "$p" >&2; exit 1; }
find %s"$p" -mindepth 1 %s-printf '%%d\t%%y\t%%m\t%%U\t%%G\t%%s\t%%A@\t%%T@\t%%C@\t%%i\t%%D\t%%n\t%%u\t%%g\t%%p\0'`,
		remotefile.Path(root), l, max), nil)
	if err != nil {
		return nil, err
	}
	var entries []foundEntry
	for _, rec := range strings.Split(out, "\x00") {
		f := strings.SplitN(rec, "\t", 15)
		if len(f) < 15 {
			continue
		}
		num := func(s string) int { n, _ := strconv.Atoi(s); return n }
		flt := func(s string) float64 { n, _ := strconv.ParseFloat(s, 64); return n }
		perm, _ := strconv.ParseUint(f[2], 8, 32)
		entries = append(entries, foundEntry{
			depth: num(f[0]), typ: f[1][0], perm: uint32(perm), uid: num(f[3]), gid: num(f[4]),
			size: int64(num(f[5])), atime: flt(f[6]), mtime: flt(f[7]), ctime: flt(f[8]),
			inode: num(f[9]), dev: num(f[10]), nlink: num(f[11]), owner: f[12], group: f[13],
			path: path.Clean(f[14]),
		})
	}
	return walkOrder(path.Clean(root), entries), nil
}

// walkOrder puts entries in the order Python's os.walk yields them: for each
// directory, top-down, its non-directories then its directories (each in
// the order the directory lists them), then the walk of each subdirectory.
// find prints entries in the same per-directory order, depth first.
func walkOrder(root string, entries []foundEntry) []foundEntry {
	children := map[string][]foundEntry{}
	for _, e := range entries {
		dir := path.Dir(e.path)
		children[dir] = append(children[dir], e)
	}
	var out []foundEntry
	var walk func(dir string)
	walk = func(dir string) {
		var dirs []foundEntry
		for _, e := range children[dir] {
			if e.typ != 'd' {
				out = append(out, e)
			} else {
				dirs = append(dirs, e)
			}
		}
		out = append(out, dirs...)
		for _, d := range dirs {
			walk(d.path)
		}
	}
	walk(root)
	return out
}

// statinfo is find's statinfo dict for an entry.
func (e foundEntry) statinfo() map[string]any {
	p := e.perm
	return map[string]any{
		"path": e.path, "mode": fmt.Sprintf("%04o", p),
		"isdir": e.typ == 'd', "ischr": e.typ == 'c', "isblk": e.typ == 'b', "isreg": e.typ == 'f',
		"isfifo": e.typ == 'p', "islnk": e.typ == 'l', "issock": e.typ == 's',
		"uid": e.uid, "gid": e.gid, "size": int(e.size), "inode": e.inode, "dev": e.dev, "nlink": e.nlink,
		"atime": e.atime, "mtime": e.mtime, "ctime": e.ctime, "gr_name": e.group, "pw_name": e.owner,
		"wusr": p&0o200 != 0, "rusr": p&0o400 != 0, "xusr": p&0o100 != 0,
		"wgrp": p&0o020 != 0, "rgrp": p&0o040 != 0, "xgrp": p&0o010 != 0,
		"woth": p&0o002 != 0, "roth": p&0o004 != 0, "xoth": p&0o001 != 0,
		"isuid": p&0o4000 != 0, "isgid": p&0o2000 != 0,
	}
}

// filterContent keeps the files with a line matching re (re.match), or
// whose whole content it searches with readWhole; unreadable files drop out.
func filterContent(ctx context.Context, c *module.Call, files []foundEntry, re *pyre.Regexp, readWhole bool) ([]foundEntry, error) {
	if len(files) == 0 {
		return files, nil
	}
	var b strings.Builder
	b.WriteString("for f in")
	for _, f := range files {
		b.WriteString(" " + remotefile.Path(f.path))
	}
	b.WriteString(`; do if [ -r "$f" ]; then base64 -w0 < "$f"; fi; echo; done`)
	out, err := remotefile.Run(ctx, c.Conn, b.String(), nil)
	if err != nil {
		return nil, err
	}
	contents := strings.Split(out, "\n")
	var kept []foundEntry
	for i, f := range files {
		if i >= len(contents) {
			break
		}
		data, _ := base64.StdEncoding.DecodeString(contents[i])
		text := string(data)
		if readWhole {
			if m, _ := re.Search(text); m != nil {
				kept = append(kept, f)
			}
			continue
		}
		for _, line := range strings.SplitAfter(text, "\n") {
			if line == "" {
				continue
			}
			if m, _ := re.MatchStart(line); m != nil {
				kept = append(kept, f)
				break
			}
		}
	}
	return kept, nil
}

// checksums returns the sha1 of the regular files among files.
func checksums(ctx context.Context, c *module.Call, files []foundEntry) (map[string]string, error) {
	sums := map[string]string{}
	var b strings.Builder
	n := 0
	b.WriteString("for f in")
	for _, f := range files {
		if f.typ == 'f' {
			b.WriteString(" " + remotefile.Path(f.path))
			n++
		}
	}
	if n == 0 {
		return sums, nil
	}
	b.WriteString(`; do printf '%s\n' "$(sha1sum < "$f" | cut -d' ' -f1)"; done`)
	out, err := remotefile.Run(ctx, c.Conn, b.String(), nil)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	i := 0
	for _, f := range files {
		if f.typ == 'f' && i < len(lines) {
			sums[f.path] = lines[i]
			i++
		}
	}
	return sums, nil
}
