package files

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

// The copy module's recursive remote_src copy (copy.py: copy_diff_files,
// copy_left_only, copy_common_dirs, chown_recursive over filecmp.dircmp),
// ported with its quirks, since playbooks depend on what it does:
//   - symbolic links that only the source has are not copied at all unless
//     local_follow is set to false (the module's local_follow is None when
//     the task leaves it out; gorun cannot tell an explicit true from the
//     default and takes both as unset);
//   - new subtrees are copied as shutil.copytree does (modes and times
//     kept, links kept as links);
//   - once a level has changed, deeper common directories are not visited
//     (`changed = changed or copy_common_dirs(...)` short-circuits);
//   - mode, owner and group of the task apply to the destination path the
//     module reports, owner and group also to everything below it.
// Files are compared by content (sha1); filecmp's shortcut of taking files
// with the same size and mtime as equal is not reproduced.

// treeEntry is one entry of a directory tree on the target.
type treeEntry struct {
	// link is a symbolic link; kind is what it is after following links:
	// 'f' file, 'd' directory, 'N' dangling, other letters as find's %Y.
	link bool
	kind byte
	sum  string
}

// remoteTree is a directory listing by path relative to its root.
type remoteTree map[string]treeEntry

// children are the names directly in dir ("" for the root), sorted, as
// os.listdir sorted by dircmp, without filecmp's default ignores.
func (t remoteTree) children(dir string) []string {
	var out []string
	for rel := range t {
		d := path.Dir(rel)
		if d == "." {
			d = ""
		}
		if d == dir && !dircmpIgnored[path.Base(rel)] {
			out = append(out, path.Base(rel))
		}
	}
	sort.Strings(out)
	return out
}

// dircmpIgnored is filecmp.DEFAULT_IGNORES.
var dircmpIgnored = map[string]bool{"RCS": true, "CVS": true, "tags": true, ".git": true, ".hg": true, ".bzr": true, "_darcs": true, "__pycache__": true}

// listTrees lists the trees under roots (missing ones are empty) in one
// round trip: type of each entry, and sha1 of every file (links followed).
func listTrees(ctx context.Context, c *module.Call, roots ...string) ([]remoteTree, error) {
	var b strings.Builder
	for _, r := range roots {
		q := remotefile.Path(r)
		fmt.Fprintf(&b, "printf 'R\\0'; if [ -d %s ]; then find -H %s -mindepth 1 -printf 'E%%y%%Y\\t%%P\\0'; cd %s && find . -mindepth 1 -xtype f -exec sha1sum -z -- {} + | sed -z 's/^/S/'; fi\n", q, q, q)
	}
	out, err := remotefile.Run(ctx, c.Conn, b.String(), nil)
	if err != nil {
		return nil, err
	}
	var trees []remoteTree
	for _, rec := range strings.Split(out, "\x00") {
		switch {
		case rec == "R":
			trees = append(trees, remoteTree{})
		case strings.HasPrefix(rec, "E") && len(trees) > 0:
			types, rel, _ := strings.Cut(rec[1:], "\t")
			if len(types) == 2 {
				trees[len(trees)-1][rel] = treeEntry{link: types[0] == 'l', kind: types[1]}
			}
		case strings.HasPrefix(rec, "S") && len(trees) > 0:
			sum, p, _ := strings.Cut(rec[1:], "  ")
			rel := strings.TrimPrefix(p, "./")
			e := trees[len(trees)-1][rel]
			e.sum = sum
			trees[len(trees)-1][rel] = e
		}
	}
	return trees, nil
}

// treeCopy plans the shell commands of one remote_src directory copy.
type treeCopy struct {
	src, dest    remoteTree
	srcRoot      string
	destRoot     string
	localFollow  *bool
	script       strings.Builder
	owner, group string
}

func (tc *treeCopy) join(root, rel string) string {
	if rel == "" {
		return root
	}
	return path.Join(root, rel)
}

// dircmp splits the entries of rel in both trees as filecmp.dircmp does:
// entries only the source has, common directories, and common files whose
// content differs.
func (tc *treeCopy) dircmp(rel string) (leftOnly, commonDirs, diffFiles []string) {
	inDest := map[string]bool{}
	for _, n := range tc.dest.children(rel) {
		inDest[n] = true
	}
	for _, n := range tc.src.children(rel) {
		r := path.Join(rel, n)
		if !inDest[n] {
			leftOnly = append(leftOnly, n)
			continue
		}
		s, d := tc.src[r], tc.dest[r]
		switch {
		case s.kind == 'd' && d.kind == 'd':
			commonDirs = append(commonDirs, n)
		case s.kind == 'f' && d.kind == 'f' && s.sum != d.sum:
			diffFiles = append(diffFiles, n)
		}
	}
	return leftOnly, commonDirs, diffFiles
}

// copyDiffFiles is copy_diff_files for the directory rel.
func (tc *treeCopy) copyDiffFiles(rel string, diffFiles []string) bool {
	for _, n := range diffFiles {
		r := path.Join(rel, n)
		s, d := tc.join(tc.srcRoot, r), tc.join(tc.destRoot, r)
		if tc.src[r].link && tc.localFollow != nil && !*tc.localFollow {
			fmt.Fprintf(&tc.script, "ln -s -- \"$(readlink -- %s)\" %s || exit 1\n", remotefile.Path(s), remotefile.Path(d))
		} else {
			fmt.Fprintf(&tc.script, "cat -- %s > %s && chmod --reference=%s -- %s || exit 1\n", remotefile.Path(s), remotefile.Path(d), remotefile.Path(s), remotefile.Path(d))
		}
		tc.chown(d, false)
	}
	return len(diffFiles) > 0
}

// copyLeftOnly is copy_left_only for the directory rel.
func (tc *treeCopy) copyLeftOnly(rel string, leftOnly []string) bool {
	follow, noFollow := tc.localFollow != nil && *tc.localFollow, tc.localFollow != nil && !*tc.localFollow
	for _, n := range leftOnly {
		r := path.Join(rel, n)
		e := tc.src[r]
		s, d := remotefile.Path(tc.join(tc.srcRoot, r)), tc.join(tc.destRoot, r)
		switch {
		case e.link && (e.kind == 'd' || e.kind == 'f') && noFollow:
			fmt.Fprintf(&tc.script, "ln -s -- \"$(readlink -- %s)\" %s || exit 1\n", s, remotefile.Path(d))
		case e.link && e.kind == 'd' && follow:
			tc.copytree(s, d, false)
		case e.link && e.kind == 'f' && follow:
			fmt.Fprintf(&tc.script, "cat -- %s > %s || exit 1\n", s, remotefile.Path(d))
			tc.chown(d, false)
		case !e.link && e.kind == 'f':
			fmt.Fprintf(&tc.script, "cat -- %s > %s && chmod --reference=%s -- %s || exit 1\n", s, remotefile.Path(d), s, remotefile.Path(d))
			tc.chown(d, false)
		case !e.link && e.kind == 'd':
			tc.copytree(s, d, !follow)
		}
	}
	return len(leftOnly) > 0
}

// copytree is shutil.copytree (modes and times kept, not owners) followed
// by chown_recursive.
func (tc *treeCopy) copytree(quotedSrc, dest string, symlinks bool) {
	deref := "-L"
	if symlinks {
		deref = "-P"
	}
	fmt.Fprintf(&tc.script, "cp -R %s --preserve=mode,timestamps -- %s %s || exit 1\n", deref, quotedSrc, remotefile.Path(dest))
	tc.chown(dest, true)
}

// chown sets the task's owner and group on p (and below it when recursive).
func (tc *treeCopy) chown(p string, recursive bool) {
	if tc.owner == "" && tc.group == "" {
		return
	}
	r := ""
	if recursive {
		r = "-R "
	}
	spec := tc.owner
	if tc.group != "" {
		spec += ":" + tc.group
	}
	fmt.Fprintf(&tc.script, "chown -h %s-- %s %s || exit 1\n", r, remotefile.Path(spec), remotefile.Path(p))
}

// syncDirs is the module's diff-files, left-only and common-dirs sequence
// for src and dest directories (relative dir rel).
func (tc *treeCopy) syncDirs(rel string) bool {
	leftOnly, commonDirs, diffFiles := tc.dircmp(rel)
	a := tc.copyDiffFiles(rel, diffFiles)
	b := tc.copyLeftOnly(rel, leftOnly)
	c := tc.copyCommonDirs(rel, commonDirs)
	return a || b || c
}

// copyCommonDirs is copy_common_dirs, short-circuit included: once a
// directory changed, the ones below the next common directories are not
// visited.
func (tc *treeCopy) copyCommonDirs(rel string, commonDirs []string) bool {
	changed := false
	for _, n := range commonDirs {
		r := path.Join(rel, n)
		leftOnly, deeper, diff := tc.dircmp(r)
		a := tc.copyDiffFiles(r, diff)
		b := tc.copyLeftOnly(r, leftOnly)
		if a || b {
			changed = true
		}
		if !changed {
			changed = tc.copyCommonDirs(r, deeper)
		}
	}
	return changed
}

// remoteTreeCopy copies the directory src on the target into dest
// (remote_src with a directory source).
func remoteTreeCopy(ctx context.Context, c *module.Call, src, dest string) (module.Result, error) {
	var localFollow *bool
	if v, ok := c.Args["local_follow"].(bool); ok && !v {
		localFollow = &v
	}
	trailing := strings.HasSuffix(src, "/")
	if strings.HasSuffix(dest, "/") {
		dir := strings.TrimSuffix(dest, "/")
		di, err := remotefile.Stat(ctx, c.Conn, dir, remotefile.StatOptions{})
		if err != nil {
			return failure(dir, err)
		}
		if !di.Exists {
			if c.Check {
				return module.Result{"changed": true, "msg": fmt.Sprintf("dest directory %s would be created", dir), "src": src}, nil
			}
			if _, err := makeDirs(ctx, c, dir, nil); err != nil {
				return failure(dir, err)
			}
		}
	}
	base := path.Base(strings.TrimSuffix(src, "/"))
	if trailing {
		base = ""
	}
	info, err := remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{Follow: true})
	if err != nil {
		return failure(dest, err)
	}
	destIsDir := info.IsDir()
	reported := dest
	if destIsDir {
		// copy.py joins dest with the source's basename ("" with a trailing slash).
		reported = dest + "/" + base
		if strings.HasSuffix(dest, "/") {
			reported = dest + base
		}
	} else if !info.Exists && path.Dir(dest) != "" {
		pi, err := remotefile.Stat(ctx, c.Conn, path.Dir(strings.TrimSuffix(dest, "/")), remotefile.StatOptions{})
		if err != nil {
			return failure(dest, err)
		}
		if !pi.Exists {
			return module.Failed(fmt.Sprintf("Destination directory %s does not exist", path.Dir(dest))), nil
		}
	}
	tc := &treeCopy{srcRoot: strings.TrimSuffix(src, "/"), localFollow: localFollow, owner: c.Args.String("owner"), group: c.Args.String("group")}
	inner := path.Join(dest, path.Base(strings.TrimSuffix(src, "/")))
	trees, err := listTrees(ctx, c, tc.srcRoot, dest, inner)
	if err != nil {
		return failure(src, err)
	}
	tc.src = trees[0]
	innerExists := len(trees[2]) > 0 || statExists(ctx, c, inner)
	// chown_recursive reports a change when anything it walks had other ids.
	idsChanged := func(root string) bool {
		if tc.owner == "" && tc.group == "" {
			return false
		}
		ch, err := idsDiffer(ctx, c, root, tc.owner, tc.group)
		return err == nil && ch
	}
	changed := false
	switch {
	case trailing && destIsDir:
		tc.dest, tc.destRoot = trees[1], dest
		changed = tc.syncDirs("")
		changed = idsChanged(dest) || changed
		tc.chown(dest, true)
	case trailing && !info.Exists:
		tc.destRoot = dest
		tc.copytree(remotefile.Path(tc.srcRoot+"/"), dest, true)
		changed = true
	case !trailing && destIsDir && !innerExists:
		tc.destRoot = inner
		tc.copytree(remotefile.Path(tc.srcRoot+"/"), inner, true)
		changed = true
	case !trailing && destIsDir:
		tc.dest, tc.destRoot = trees[2], inner
		changed = tc.syncDirs("")
		changed = idsChanged(inner) || changed
		tc.chown(inner, true)
	case !trailing && !info.Exists:
		tc.destRoot = inner
		fmt.Fprintf(&tc.script, "mkdir -p -- %s || exit 1\n", remotefile.Path(inner))
		tc.dest = remoteTree{}
		changed = tc.syncDirs("") || c.Check
		tc.chown(inner, true)
	}
	if !c.Check && tc.script.Len() > 0 {
		if _, err := remotefile.Run(ctx, c.Conn, tc.script.String(), nil); err != nil {
			return failure(dest, err)
		}
	}
	res := module.Result{"dest": reported, "src": src, "md5sum": nil, "checksum": nil, "changed": changed}
	final, err := statFor(ctx, c, reported, remotefile.StatOptions{})
	if err != nil {
		return failure(reported, err)
	}
	if final.Exists {
		change, err := remotefile.AttrsFromArgs(c.Args).Plan(final, true, nil)
		if err != nil {
			return failure(reported, err)
		}
		if !change.Empty() {
			res["changed"] = true
			if !c.Check {
				if err := change.Apply(ctx, c.Conn, reported); err != nil {
					return failure(reported, err)
				}
				if final, err = statFor(ctx, c, reported, remotefile.StatOptions{}); err != nil {
					return failure(reported, err)
				}
			}
		}
	}
	pathInfo(res, final)
	return res, nil
}

func statExists(ctx context.Context, c *module.Call, p string) bool {
	i, err := remotefile.Stat(ctx, c.Conn, p, remotefile.StatOptions{})
	return err == nil && i.Exists
}

// idsDiffer reports whether anything under root is not owned by owner or
// group (names or ids).
func idsDiffer(ctx context.Context, c *module.Call, root, owner, group string) (bool, error) {
	var cond []string
	if owner != "" {
		cond = append(cond, "! -user "+remotefile.Path(owner))
	}
	if group != "" {
		cond = append(cond, "! -group "+remotefile.Path(group))
	}
	out, err := remotefile.Run(ctx, c.Conn, fmt.Sprintf("[ -e %s ] || exit 0; find %s \\( %s \\) -print -quit", remotefile.Path(root), remotefile.Path(root), strings.Join(cond, " -o ")), nil)
	return strings.TrimSpace(out) != "", err
}
