package files

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(archiveModule{}) }

type archiveModule struct{}

func (archiveModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "archive", Names: []string{"community.general.archive"},
		Short:       "Creates a compressed archive of one or more files or trees",
		Description: []string{"Creates or extends an archive.", "The source and archive are on the remote host, and the archive is not copied to the local host.", "Source files can be deleted after archival by specifying remove=True."},
		Options: withFileOptions([]module.Option{
			{Name: "dest", Type: "path", Description: "The file name of the destination archive. The parent directory must exists on the remote host. This is required when path refers to multiple files by either specifying a glob, a directory or multiple paths in a list. If the destination archive already exists, it will be truncated and overwritten."},
			{Name: "exclude_path", Type: "list", Elements: "path", Default: []any{}, Description: "Remote absolute path, glob, or list of paths or globs for the file or files to exclude from path list and glob expansion. Use exclusion_patterns to instead exclude files or subdirectories below any of the paths from the path list."},
			{Name: "exclusion_patterns", Type: "list", Elements: "path", Description: "Glob style patterns to exclude files or directories from the resulting archive. This differs from exclude_path which applies only to the source paths from path."},
			{Name: "force_archive", Type: "bool", Default: false, Description: "Allows you to force the module to treat this as an archive even if only a single file is specified. By default when a single file is specified it is compressed only (not archived). Enable this if you want to use ansible.builtin.unarchive on an archive of a single file created with this module."},
			{Name: "format", Default: "gz", Choices: []any{"bz2", "gz", "tar", "xz", "zip"}, Description: "The type of compression to use. Support for xz was added in Ansible 2.5."},
			{Name: "path", Type: "list", Elements: "path", Required: true, Description: "Remote absolute path, glob, or list of paths or globs for the file or files to compress or archive."},
			{Name: "remove", Type: "bool", Default: false, Description: "Remove any added source files and trees after adding to archive."},
		}),
		Check: module.Full, Diff: module.None,
		Examples: `- name: Compress directory /path/to/foo/ into /path/to/foo.tgz
  community.general.archive:
    path: /path/to/foo
    dest: /path/to/foo.tgz

- name: Compress regular file /path/to/foo into /path/to/foo.gz and remove it
  community.general.archive:
    path: /path/to/foo
    remove: true

- name: Create a zip archive of /path/to/foo
  community.general.archive:
    path: /path/to/foo
    format: zip

- name: Create a bz2 archive of multiple files, rooted at /path
  community.general.archive:
    path:
    - /path/to/foo
    - /path/wong/foo
    dest: /path/file.tar.bz2
    format: bz2

- name: Create a bz2 archive of a globbed path, while excluding specific dirnames
  community.general.archive:
    path:
    - /path/to/foo/*
    dest: /path/file.tar.bz2
    exclude_path:
    - /path/to/foo/bar
    - /path/to/foo/baz
    format: bz2

- name: Use gzip to compress a single archive (i.e don't archive it first with tar)
  community.general.archive:
    path: /path/to/foo/single.file
    dest: /path/file.gz
    format: gz

- name: Create a tar.gz archive of a single file.
  community.general.archive:
    path: /path/to/foo/single.file
    dest: /path/file.tar.gz
    format: gz
    force_archive: true`,
		Returns: []module.Return{
			{Name: "archived", Description: "Any files that were compressed or added to the archive.", Returned: "success", Type: "list"},
			{Name: "arcroot", Description: "The archive root.", Returned: "always", Type: "str"},
			{Name: "dest_state", Description: "The state of the dest file. absent when the file does not exist. archive when the file is an archive. compress when the file is compressed, but not an archive. incomplete when the file is an archive, but some files under path were not found.", Returned: "success", Type: "str"},
			{Name: "expanded_exclude_paths", Description: "The list of matching exclude paths from the exclude_path argument.", Returned: "always", Type: "list"},
			{Name: "expanded_paths", Description: "The list of matching paths from paths argument.", Returned: "always", Type: "list"},
			{Name: "missing", Description: "Any files that were missing from the source.", Returned: "success", Type: "list"},
			{Name: "state", Description: "The state of the input path.", Returned: "always", Type: "str"},
		},
	}
}

// archiveJob is one run of the archive module, following the structure of
// community.general's Archive class.
type archiveJob struct {
	c                *module.Call
	format, dest     string
	expanded, excl   []string
	paths            []string
	root             string
	mustArchive      bool
	patterns         []*regexp.Regexp
	targets, missing []string
	// entries are the walk of each target directory (targets[i] -> entries).
	entries map[string][]walkEntry
	isDir   map[string]bool
}

// walkEntry is one path under a target directory, as os.walk sees it.
type walkEntry struct {
	path string
	// dir is os.walk's classification (a link to a directory counts);
	// link marks a symbolic link (not descended into).
	dir, link bool
}

func (m archiveModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	j := &archiveJob{c: c, format: c.Args.String("format"), dest: c.Args.String("dest")}
	for _, p := range c.Args.Strings("exclusion_patterns") {
		j.patterns = append(j.patterns, fnmatchRegexp(p))
	}
	globby, err := j.gather(ctx, c.Args.Strings("path"), c.Args.Strings("exclude_path"))
	if err != nil {
		return failure("", err)
	}
	excluded := map[string]bool{}
	for _, p := range j.excl {
		excluded[p] = true
	}
	seen := map[string]bool{}
	for _, p := range j.expanded {
		if !excluded[p] && !seen[p] {
			seen[p] = true
			j.paths = append(j.paths, p)
		}
	}
	sort.Strings(j.paths)
	if len(j.paths) == 0 {
		return module.Result{"failed": true, "msg": "Error, no source paths were found",
			"path": strings.Join(c.Args.Strings("path"), ", "), "expanded_paths": strings.Join(j.expanded, ", "),
			"expanded_exclude_paths": strings.Join(j.excl, ", ")}, nil
	}
	j.root = commonPath(j.paths)
	j.mustArchive = c.Args.Bool("force_archive") || globby || j.isDir[j.paths[0]] || len(j.paths) > 1
	if j.dest == "" && !j.mustArchive {
		j.dest = j.paths[0] + "." + j.format
	}
	if j.mustArchive && j.dest == "" {
		return j.failWithPath(ctx, module.Result{"msg": `Error, must specify "dest" when archiving multiple files or trees`,
			"dest": "None", "path": strings.Join(c.Args.Strings("path"), ", ")})
	}
	remove := c.Args.Bool("remove")
	if remove {
		for _, p := range j.paths {
			if j.isDir[p] && strings.HasPrefix(j.dest, strings.TrimSuffix(p, "/")+"/") {
				return j.failWithPath(ctx, module.Result{"msg": "Error, created archive can not be contained in source paths when remove=true",
					"path": strings.Join(j.paths, ", ")})
			}
		}
	}
	for _, p := range j.paths {
		if _, ok := j.entries[p]; ok || j.exists(p) {
			j.targets = append(j.targets, p)
		} else {
			j.missing = append(j.missing, p)
		}
	}

	res := module.Result{"changed": false, "dest_state": "absent", "archived": []any{}}
	destInfo, err := statFor(ctx, c, j.dest, remotefile.StatOptions{})
	if err != nil {
		return failure(j.dest, err)
	}
	switch {
	case len(j.targets) == 0:
		if destInfo.Exists {
			res["dest_state"] = "compress"
			if isArchiveName(j.dest) {
				res["dest_state"] = "archive"
			}
		}
	case c.Check:
		res["changed"] = j.mustArchive || !destInfo.Exists
	default:
		archived, state, changed, err := j.write(ctx, remove)
		if err != nil {
			return failure(j.dest, err)
		}
		res["archived"], res["dest_state"], res["changed"] = archived, state, changed
		if destInfo, err = statFor(ctx, c, j.dest, remotefile.StatOptions{}); err != nil {
			return failure(j.dest, err)
		}
	}
	if destInfo.Exists {
		changed, err := applyAttrs(ctx, c, destInfo, nil)
		if err != nil {
			return failure(j.dest, err)
		}
		if changed {
			res["changed"] = true
			if !c.Check {
				if destInfo, err = statFor(ctx, c, j.dest, remotefile.StatOptions{}); err != nil {
					return failure(j.dest, err)
				}
			}
		}
	}
	res["dest"], res["arcroot"] = j.dest, j.root
	res["missing"], res["expanded_paths"], res["expanded_exclude_paths"] = strList(j.missing), strList(j.expanded), strList(j.excl)
	pathInfo(res, destInfo)
	return res, nil
}

// failWithPath is fail_json with a "path" key: Ansible adds the stat
// fields of that path (when it names one that exists).
func (j *archiveJob) failWithPath(ctx context.Context, res module.Result) (module.Result, error) {
	res["failed"] = true
	info, err := statFor(ctx, j.c, res["path"].(string), remotefile.StatOptions{})
	if err != nil {
		return failure(res["path"].(string), err)
	}
	pathInfo(res, info)
	return res, nil
}

func strList(s []string) []any {
	out := make([]any, 0, len(s))
	for _, x := range s {
		out = append(out, x)
	}
	return out
}

func (j *archiveJob) exists(p string) bool {
	_, ok := j.isDir[p]
	return ok
}

// gather expands the paths and excludes on the target (glob.glob for those
// with * or ?) and lists every directory among them in one round trip. It
// reports whether a path had a glob.
func (j *archiveJob) gather(ctx context.Context, paths, excludes []string) (bool, error) {
	var b strings.Builder
	b.WriteString("e() { if [ -e \"$2\" ] || [ -h \"$2\" ]; then printf '%s\\t%s\\0' \"$1\" \"$2\"; fi; }\n")
	globby := false
	for i, list := range [][]string{paths, excludes} {
		kind := []string{"P", "X"}[i]
		for _, p := range list {
			if strings.ContainsAny(p, "*?") {
				if i == 0 {
					globby = true
				}
				b.WriteString(globScript(kind, p))
				continue
			}
			// A literal path is kept whether it exists or not.
			fmt.Fprintf(&b, "printf '%s\\t%%s\\0' %s\n", kind, remotefile.Path(p))
		}
	}
	out, err := remotefile.Run(ctx, j.c.Conn, b.String(), nil)
	if err != nil {
		return false, err
	}
	for _, rec := range strings.Split(out, "\x00") {
		kind, p, ok := strings.Cut(rec, "\t")
		if !ok {
			continue
		}
		switch kind {
		case "P":
			j.expanded = append(j.expanded, p)
		case "X":
			j.excl = append(j.excl, p)
		}
	}
	return globby, j.describe(ctx)
}

// globScript expands a pattern as Python's glob.glob: entries of the
// pattern's directory in readdir order (find), hidden ones only when the
// pattern's last part starts with a dot. A glob in a directory part falls
// back to the shell's (sorted) expansion.
func globScript(kind, pattern string) string {
	dir, base := path.Split(pattern)
	if strings.ContainsAny(dir, "*?[") {
		return fmt.Sprintf("for f in %s; do e %s \"$f\"; done\n", shellGlob(pattern), kind)
	}
	hidden := ""
	if !strings.HasPrefix(base, ".") {
		hidden = `! -name '.*' `
	}
	d := strings.TrimSuffix(dir, "/")
	if d == "" {
		d = "/"
	}
	// A missing directory matches nothing, as glob.glob finds nothing:
	// find's failure must not fail the script.
	return fmt.Sprintf("find %s -mindepth 1 -maxdepth 1 %s-name %s -printf '%s\\t%%p\\0' 2>/dev/null || :\n",
		remotefile.Path(d), hidden, remotefile.Path(base), kind)
}

// shellGlob quotes pattern for the shell, leaving * and ? active.
func shellGlob(pattern string) string {
	var b strings.Builder
	for _, r := range pattern {
		if r == '*' || r == '?' {
			b.WriteRune(r)
			continue
		}
		b.WriteString(remotefile.Path(string(r)))
	}
	return b.String()
}

// describe learns which paths exist and are directories, and walks the
// directories.
func (j *archiveJob) describe(ctx context.Context) error {
	var b strings.Builder
	for _, p := range j.expanded {
		q := remotefile.Path(p)
		fmt.Fprintf(&b, "if [ -d %s ]; then printf 'D\\t%%s\\0' %s; find -H %s -mindepth 1 -printf 'E\\t%%y%%Y\\t%%p\\0'; elif [ -e %s ] || [ -h %s ]; then printf 'F\\t%%s\\0' %s; fi\n", q, q, q, q, q, q)
	}
	out, err := remotefile.Run(ctx, j.c.Conn, b.String(), nil)
	if err != nil {
		return err
	}
	j.isDir, j.entries = map[string]bool{}, map[string][]walkEntry{}
	var cur string
	for _, rec := range strings.Split(out, "\x00") {
		kind, rest, ok := strings.Cut(rec, "\t")
		if !ok {
			continue
		}
		switch kind {
		case "D":
			cur = rest
			j.isDir[cur] = true
			j.entries[cur] = nil
		case "F":
			j.isDir[rest] = false
		case "E":
			types, p, _ := strings.Cut(rest, "\t")
			if len(types) == 2 {
				j.entries[cur] = append(j.entries[cur], walkEntry{path: p, dir: types[1] == 'd', link: types[0] == 'l'})
			}
		}
	}
	return nil
}

// members lists what add_targets adds, in its order: for each target
// directory the os.walk of it (each directory's subdirectories, then its
// files, then the walk of each subdirectory not a link); other targets as
// they are.
func (j *archiveJob) members() []string {
	var out []string
	for _, t := range j.targets {
		if !j.isDir[t] {
			out = append(out, t)
			continue
		}
		children := map[string][]walkEntry{}
		for _, e := range j.entries[t] {
			children[path.Dir(e.path)] = append(children[path.Dir(e.path)], e)
		}
		var walk func(dir string)
		walk = func(dir string) {
			var dirs, files []walkEntry
			for _, e := range children[dir] {
				if e.dir {
					dirs = append(dirs, e)
				} else {
					files = append(files, e)
				}
			}
			for _, e := range append(dirs, files...) {
				out = append(out, e.path)
			}
			for _, d := range dirs {
				if !d.link {
					walk(d.path)
				}
			}
		}
		walk(strings.TrimSuffix(t, "/"))
	}
	return out
}

// excluded reports whether exclusion_patterns drop name.
func (j *archiveJob) excluded(name string) bool {
	for _, re := range j.patterns {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

// write makes the archive (or the compressed file) and reports what it
// archived, the destination's state and whether the archive changed:
// the set of members (names, modes, owners, sizes, times; CRCs for zip)
// or the uncompressed content differ from the archive there before.
func (j *archiveJob) write(ctx context.Context, remove bool) ([]any, string, bool, error) {
	single := !j.mustArchive
	var archived []any
	var names []string
	state := "archive"
	if single && (j.format == "gz" || j.format == "bz2" || j.format == "xz") {
		state = "compress"
		archived = append(archived, j.paths[0])
	} else {
		list := j.targets
		if !single {
			list = j.members()
		} else {
			list = j.paths[:1]
		}
		for _, p := range list {
			name := strings.TrimPrefix(p, j.root)
			// tar filters on the member name, zip on the source path.
			probe := name
			if j.format == "zip" {
				probe = p
			}
			if j.excluded(probe) {
				continue
			}
			names = append(names, name)
			// zipfile names a directory "dir/", so getinfo(name) misses it
			// and community.general does not count it as archived.
			if j.format == "zip" && (j.isDir[p] || j.entryIsDir(p)) {
				continue
			}
			archived = append(archived, p)
		}
		if len(j.missing) > 0 && !single {
			state = "incomplete"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "d=%s\n", remotefile.Path(j.dest))
	b.WriteString(j.fingerprintFunc(state == "compress"))
	b.WriteString("old=$(fp)\n")
	switch {
	case state == "compress":
		fmt.Fprintf(&b, "%s -c < %s > \"$d\" || exit 1\n", compressor(j.format), remotefile.Path(j.paths[0]))
	case j.format == "zip":
		fmt.Fprintf(&b, "rm -f -- \"$d\"; cd %s || exit 1\n", remotefile.Path(j.root))
		b.WriteString("zip -q -@ \"$d\" <<'GORUN_NAMES' >/dev/null || exit 1\n" + strings.Join(names, "\n") + "\nGORUN_NAMES\n")
	default:
		flag := map[string]string{"gz": "z", "bz2": "j", "xz": "J", "tar": ""}[j.format]
		fmt.Fprintf(&b, "cd %s || exit 1\nprintf '%%s\\0' %s | tar --no-recursion --null -T - -c%sf \"$d\" || exit 1\n",
			remotefile.Path(j.root), quoteAll(names), flag)
	}
	b.WriteString("new=$(fp)\nprintf 'old %s\\nnew %s\\n' \"$old\" \"$new\"\n")
	if remove {
		b.WriteString("cd / || exit 1\n")
		for _, p := range archived {
			fmt.Fprintf(&b, "rm -rf -- %s || exit 2\n", remotefile.Path(p.(string)))
		}
		for _, p := range j.paths {
			fmt.Fprintf(&b, "if [ -d %s ]; then rm -rf -- %s || exit 2; fi\n", remotefile.Path(p), remotefile.Path(p))
		}
	}
	out, err := remotefile.Run(ctx, j.c.Conn, b.String(), nil)
	if err != nil {
		if se, ok := err.(*remotefile.ScriptError); ok && se.Code == 1 {
			kind := j.format
			if kind != "zip" && kind != "tar" {
				kind = "tar." + kind
			}
			if state == "compress" {
				return nil, "", false, fmt.Errorf("Unable to write to compressed file: %s", strings.TrimSpace(se.Stderr))
			}
			return nil, "", false, fmt.Errorf("Error when writing %s archive at %s: %s", kind, j.dest, strings.TrimSpace(se.Stderr))
		}
		if se, ok := err.(*remotefile.ScriptError); ok && se.Code == 2 {
			return nil, "", false, fmt.Errorf("Error deleting some source files: %s", strings.TrimSpace(se.Stderr))
		}
		return nil, "", false, err
	}
	var oldFP, newFP string
	for _, l := range strings.Split(out, "\n") {
		if s, ok := strings.CutPrefix(l, "old "); ok {
			oldFP = s
		} else if s, ok := strings.CutPrefix(l, "new "); ok {
			newFP = s
		}
	}
	if archived == nil {
		archived = []any{}
	}
	return archived, state, oldFP != newFP, nil
}

func (j *archiveJob) entryIsDir(p string) bool {
	for _, t := range j.targets {
		for _, e := range j.entries[t] {
			if e.path == p {
				return e.dir
			}
		}
	}
	return false
}

// fingerprintFunc defines fp, which prints what community.general compares
// to decide whether the archive changed: the members of an archive (tar:
// names with their header fields; zip: names with their CRCs) or the
// uncompressed content of a compressed file; "none" when there is none.
func (j *archiveJob) fingerprintFunc(compressed bool) string {
	var body string
	switch {
	case compressed:
		body = compressor(j.format) + ` -dc < "$d" 2>/dev/null | sha1sum`
	case j.format == "zip":
		body = `unzip -v "$d" 2>/dev/null | awk 'NF >= 8 && length($7) == 8 { $2 = $3 = $4 = $5 = $6 = ""; print }' | sort | sha1sum`
	default:
		body = `{ tar --full-time -tvf "$d" 2>/dev/null || echo unreadable; } | sort | sha1sum`
	}
	return "fp() { if [ -e \"$d\" ]; then " + body + "; else echo none; fi; }\n"
}

func compressor(format string) string {
	return map[string]string{"gz": "gzip", "bz2": "bzip2", "xz": "xz"}[format]
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = remotefile.Path(n)
	}
	return strings.Join(q, " ")
}

// commonPath is community.general's common_path: the directory, with a
// trailing slash, that holds every path.
func commonPath(paths []string) string {
	dirs := make([]string, len(paths))
	for i, p := range paths {
		dirs[i] = pyDirname(p) + "/"
		if pyDirname(p) == "" {
			dirs[i] = ""
		}
	}
	prefix := dirs[0]
	for _, d := range dirs[1:] {
		n := 0
		for n < len(prefix) && n < len(d) && prefix[n] == d[n] {
			n++
		}
		prefix = prefix[:n]
	}
	root := pyDirname(prefix)
	if root == "" || strings.HasSuffix(root, "/") {
		return root
	}
	return root + "/"
}

// pyDirname is Python's os.path.dirname: everything before the last slash,
// without trailing slashes unless that is all there is.
func pyDirname(p string) string {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ""
	}
	head := p[:i+1]
	if strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head
}

// isArchiveName is community.general's is_archive.
var archiveName = regexp.MustCompile(`(?i)\.(tar|tar\.(gz|bz2|xz)|tgz|tbz2|zip)$`)

func isArchiveName(p string) bool { return archiveName.MatchString(path.Base(p)) }

// fnmatchRegexp is Python's fnmatch.translate: * and ? match any
// character (slashes too), [...] is a set ([!...] negated).
func fnmatchRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := i + 1
			if j < len(pattern) && pattern[j] == '!' {
				j++
			}
			if j < len(pattern) && pattern[j] == ']' {
				j++
			}
			for j < len(pattern) && pattern[j] != ']' {
				j++
			}
			if j >= len(pattern) {
				b.WriteString(`\[`)
				continue
			}
			set := pattern[i+1 : j]
			if strings.HasPrefix(set, "!") {
				set = "^" + set[1:]
			} else if strings.HasPrefix(set, "^") {
				set = `\` + set
			}
			b.WriteString("[" + strings.ReplaceAll(set, `\`, `\\`) + "]")
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}
