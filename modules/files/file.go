package files

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(fileModule{}) }

type fileModule struct{}

func (fileModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "file", Names: []string{"ansible.builtin.file"},
		Short:       "Manage files and file properties",
		Description: []string{"Set attributes of files, directories, or symlinks and their targets.", "Alternatively, remove files, symlinks or directories.", "Many other modules support the same options as the file module - including ansible.builtin.copy, ansible.builtin.template, and ansible.builtin.assemble.", "For Windows targets, use the ansible.windows.win_file module instead."},
		Options: withFileOptions([]module.Option{
			{Name: "access_time", Description: "This parameter indicates the time the file's access time should be set to. Should be preserve when no modification is required, YYYYMMDDHHMM.SS when using default time format, or now. Default is None meaning that preserve is the default for state=[file,directory,link,hard] and now is default for state=touch."},
			{Name: "access_time_format", Default: "%Y%m%d%H%M.%S", Description: "When used with access_time, indicates the time format that must be used. Based on default Python format (see time.strftime doc)."},
			{Name: "follow", Type: "bool", Default: true, Description: "This flag indicates that filesystem links, if they exist, should be followed. follow=yes and state=link can modify src when combined with parameters such as mode. Previous to Ansible 2.5, this was false by default."},
			{Name: "force", Type: "bool", Default: false, Description: "Force the creation of the symlinks in two cases: the source file does not exist (but will appear later); the destination exists and is a file (so, we need to unlink the path file and create symlink to the src file in place of it).\n"},
			{Name: "modification_time", Description: "This parameter indicates the time the file's modification time should be set to. Should be preserve when no modification is required, YYYYMMDDHHMM.SS when using default time format, or now. Default is None meaning that preserve is the default for state=[file,directory,link,hard] and now is default for state=touch."},
			{Name: "modification_time_format", Default: "%Y%m%d%H%M.%S", Description: "When used with modification_time, indicates the time format that must be used. Based on default Python format (see time.strftime doc)."},
			{Name: "path", Type: "path", Aliases: []string{"dest", "name"}, Required: true, Description: "Path to the file being managed."},
			{Name: "recurse", Type: "bool", Default: false, Description: "Recursively set the specified file attributes on directory contents. This applies only when state is set to directory."},
			{Name: "src", Type: "path", Description: "Path of the file to link to. This applies only to state=link and state=hard. For state=link, this will also accept a non-existing path. Relative paths are relative to the file being created (path) which is how the Unix command ln -s SRC DEST treats relative paths."},
			{Name: "state", Choices: []any{"absent", "directory", "file", "hard", "link", "touch"}, Description: "If absent, directories will be recursively deleted, and files or symlinks will be unlinked. In the case of a directory, if diff is declared, you will see the files and folders deleted listed under path_contents. Note that absent will not cause file to fail if the path does not exist as the state did not change. If directory, all intermediate subdirectories will be created if they do not exist. Since Ansible 1.7 they will be created with the supplied permissions. If file, with no other options, returns the current state of path. If file, even with other options (such as mode), the file will be modified if it exists but will NOT be created if it does not exist. Set to touch or use the M(ansible.builtin.copy) or M(ansible.builtin.template) module if you want to create the file if it does not exist. If hard, the hard link will be created or changed. If link, the symbolic link will be created or changed. If touch (new in 1.4), an empty file will be created if the file does not exist, while an existing file or directory will receive updated file access and modification times (similar to the way touch works from the command line). Default is the current state of the file if it exists, directory if recurse=yes, or file otherwise."},
		}),
		Check: module.Full, Diff: module.Partial,
		Examples: `- name: Change file ownership, group and permissions
  ansible.builtin.file:
    path: /etc/foo.conf
    owner: foo
    group: foo
    mode: '0644'

- name: Give insecure permissions to an existing file
  ansible.builtin.file:
    path: /work
    owner: root
    group: root
    mode: '1777'

- name: Create a symbolic link
  ansible.builtin.file:
    src: /file/to/link/to
    dest: /path/to/symlink
    owner: foo
    group: foo
    state: link

- name: Create two hard links
  ansible.builtin.file:
    src: '/tmp/{{ item.src }}'
    dest: '{{ item.dest }}'
    state: hard
  loop:
    - { src: x, dest: y }
    - { src: z, dest: k }

- name: Touch a file, using symbolic modes to set the permissions (equivalent to 0644)
  ansible.builtin.file:
    path: /etc/foo.conf
    state: touch
    mode: u=rw,g=r,o=r

- name: Touch the same file, but add/remove some permissions
  ansible.builtin.file:
    path: /etc/foo.conf
    state: touch
    mode: u+rw,g-wx,o-rwx

- name: Touch again the same file, but do not change times this makes the task idempotent
  ansible.builtin.file:
    path: /etc/foo.conf
    state: touch
    mode: u+rw,g-wx,o-rwx
    modification_time: preserve
    access_time: preserve

- name: Create a directory if it does not exist
  ansible.builtin.file:
    path: /etc/some_directory
    state: directory
    mode: '0755'

- name: Update modification and access time of given file
  ansible.builtin.file:
    path: /etc/some_file
    state: file
    modification_time: now
    access_time: now

- name: Set access time based on seconds from epoch value
  ansible.builtin.file:
    path: /etc/another_file
    state: file
    access_time: '{{ "%Y%m%d%H%M.%S" | strftime(stat_var.stat.atime) }}'

- name: Recursively change ownership of a directory
  ansible.builtin.file:
    path: /etc/foo
    state: directory
    recurse: yes
    owner: foo
    group: foo

- name: Remove file (delete file)
  ansible.builtin.file:
    path: /etc/foo.txt
    state: absent

- name: Recursively remove directory
  ansible.builtin.file:
    path: /etc/foo
    state: absent`,
		Returns: []module.Return{
			{Name: "dest", Description: "Destination file/path, equal to the value passed to path.", Returned: "state=touch, state=hard, state=link", Type: "str"},
			{Name: "path", Description: "Destination file/path, equal to the value passed to path.", Returned: "state=absent, state=directory, state=file", Type: "str"},
		},
	}
}

// fileTask is one run of the file module: its arguments and what it learned.
type fileTask struct {
	c       *module.Call
	path    string
	src     string
	hasSrc  bool
	follow  bool
	force   bool
	recurse bool
	attrs   remotefile.Attrs
	// atime and mtime are "" (preserve), "now" or a time.
	atime, mtime string
}

func (fileModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	t := &fileTask{
		c: c, path: c.Args.String("path"), src: c.Args.String("src"), hasSrc: c.Args.Has("src"),
		follow: c.Args.Bool("follow"), force: c.Args.Bool("force"), recurse: c.Args.Bool("recurse"),
		attrs: remotefile.AttrsFromArgs(c.Args),
	}
	res, err := t.run(ctx)
	if err != nil {
		res, err = failure(t.path, err)
	}
	if err == nil {
		err = t.addPathInfo(ctx, res)
	}
	return res, err
}

// run does what the task's state asks.
func (t *fileTask) run(ctx context.Context) (module.Result, error) {
	c := t.c
	info, err := t.stat(ctx, t.path)
	if err != nil {
		return failure(t.path, err)
	}
	prev := info.State()
	state := c.Args.String("state")
	if state == "" {
		switch {
		case prev != "absent":
			state = prev
		case t.recurse:
			state = "directory"
		default:
			state = "file"
		}
	}
	if t.recurse && state != "directory" {
		return module.Result{"failed": true, "msg": "recurse option requires state to be 'directory'", "path": t.path}, nil
	}
	if t.hasSrc && state != "link" && state != "hard" {
		return module.Result{"failed": true, "msg": "src option requires state to be 'link' or 'hard'", "path": t.path}, nil
	}
	if t.atime, err = timestampArg(c.Args, "access_time", state); err != nil {
		return module.Result{"failed": true, "msg": err.Error()}, nil
	}
	if t.mtime, err = timestampArg(c.Args, "modification_time", state); err != nil {
		return module.Result{"failed": true, "msg": err.Error()}, nil
	}
	var res module.Result
	switch state {
	case "absent":
		res, err = t.absent(ctx, info)
	case "touch":
		res, err = t.touch(ctx, info)
	case "file":
		res, err = t.file(ctx, info)
	case "directory":
		res, err = t.directory(ctx, info)
	case "link":
		res, err = t.link(ctx, info)
	case "hard":
		res, err = t.hard(ctx, info)
	}
	return res, err
}

// addPathInfo is exit_json's and fail_json's add_path_info for results
// that do not carry it yet: the path's owner, mode, state and size.
func (t *fileTask) addPathInfo(ctx context.Context, res module.Result) error {
	if _, done := res["uid"]; done {
		return nil
	}
	p, ok := res["path"].(string)
	if !ok {
		if p, ok = res["dest"].(string); !ok {
			return nil
		}
	}
	info, err := remotefile.Stat(ctx, t.c.Conn, p, remotefile.StatOptions{})
	if err != nil {
		return err
	}
	pathInfo(res, info)
	return nil
}

func (t *fileTask) stat(ctx context.Context, p string) (*remotefile.Info, error) {
	return remotefile.Stat(ctx, t.c.Conn, p, t.attrs.StatOptions(remotefile.StatOptions{}))
}

// timestampArg reads access_time/modification_time with Ansible's defaults:
// "now" for touch, preserve ("") otherwise; a time is returned as epoch seconds.
func timestampArg(args module.Args, name, state string) (string, error) {
	v := args.String(name)
	switch {
	case v == "" && state == "touch", v == "now":
		return "now", nil
	case v == "" || v == "preserve":
		return "", nil
	}
	layout := strftimeLayout(args.String(name + "_format"))
	tm, err := time.ParseInLocation(layout, v, time.Local)
	if err != nil {
		return "", fmt.Errorf("Error while obtaining timestamp for time %s using format %s: %v", v, args.String(name+"_format"), err)
	}
	return strconv.FormatInt(tm.Unix(), 10), nil
}

// strftimeLayout turns a strftime format into a Go time layout (the
// directives time formats use).
func strftimeLayout(f string) string {
	r := strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02", "%H", "15", "%M", "04", "%S", "05",
		"%y", "06", "%b", "Jan", "%B", "January", "%p", "PM", "%I", "03", "%%", "%")
	return r.Replace(f)
}

// timesScript sets the path's times (in $p) as asked; it prints "times" when
// it changed them.
func (t *fileTask) timesScript(info *remotefile.Info) (string, bool) {
	if t.atime == "" && t.mtime == "" {
		return "", false
	}
	var b strings.Builder
	changed := false
	set := func(flag, v string, cur float64) {
		switch v {
		case "":
		case "now":
			fmt.Fprintf(&b, "touch -h %s -- \"$p\" || exit 1\n", flag)
			changed = true
		default:
			if n, _ := strconv.ParseFloat(v, 64); n != cur {
				fmt.Fprintf(&b, "touch -h %s -d @%s -- \"$p\" || exit 1\n", flag, v)
				changed = true
			}
		}
	}
	set("-a", t.atime, info.Atime)
	set("-m", t.mtime, info.Mtime)
	return b.String(), changed
}

// finish applies attribute changes and times to p (the script's $p) in one
// round trip, unless in check mode, and returns the result with the path
// info Ansible's exit_json adds.
func (t *fileTask) finish(ctx context.Context, p string, info *remotefile.Info, pre string, changed bool, diff *remotefile.Diff, res module.Result) (module.Result, error) {
	var script strings.Builder
	script.WriteString(pre)
	target := info
	if !info.Exists && pre != "" {
		target = info.NewFile(false)
	}
	if target.Exists {
		change, err := t.attrs.Plan(target, res["_dir"] == true, diff)
		if err != nil {
			return nil, err
		}
		if !change.Empty() {
			changed = true
			script.WriteString(change.Script("p"))
		}
		if ts, ch := t.timesScript(target); ch {
			changed = true
			script.WriteString(ts)
		}
	}
	delete(res, "_dir")
	res["changed"] = changed
	if diff != nil {
		res["diff"] = diff.Map()
	}
	if t.c.Check || script.Len() == 0 {
		pathInfo(res, info)
		return res, nil
	}
	after, err := remotefile.RunThenStat(ctx, t.c.Conn, "p="+remotefile.Path(p)+"\n"+script.String(), p, remotefile.StatOptions{})
	if err != nil {
		return nil, err
	}
	pathInfo(res, after)
	return res, nil
}

func initialDiff(p, state, prev string) *remotefile.Diff {
	d := remotefile.NewDiff(p)
	if prev != state {
		d.Set("state", prev, state)
	}
	return d
}

func (t *fileTask) absent(ctx context.Context, info *remotefile.Info) (module.Result, error) {
	prev := info.State()
	if prev == "absent" {
		return module.Result{"path": t.path, "changed": false, "state": "absent"}, nil
	}
	diff := initialDiff(t.path, "absent", prev)
	if prev == "directory" {
		out, err := remotefile.Run(ctx, t.c.Conn, "p="+remotefile.Path(t.path)+`
find "$p" -mindepth 1 -type d -printf 'd %p\n' -o -mindepth 1 -printf 'f %p\n'`, nil)
		if err != nil {
			return nil, err
		}
		dirs, files := []any{}, []any{}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if k, v, ok := strings.Cut(l, " "); ok {
				if k == "d" {
					dirs = append(dirs, v)
				} else {
					files = append(files, v)
				}
			}
		}
		diff.Before.(map[string]any)["path_content"] = map[string]any{"directories": dirs, "files": files}
	}
	if !t.c.Check {
		if _, err := remotefile.Run(ctx, t.c.Conn, "rm -rf -- "+remotefile.Path(t.path), nil); err != nil {
			return module.Result{"failed": true, "msg": "rmtree failed: " + err.Error()}, nil
		}
	}
	return module.Result{"path": t.path, "changed": true, "diff": diff.Map(), "state": "absent"}, nil
}

func (t *fileTask) touch(ctx context.Context, info *remotefile.Info) (module.Result, error) {
	res := module.Result{"dest": t.path}
	pre := ""
	if !info.Exists {
		if t.c.Check {
			res["changed"] = true
			return res, nil
		}
		pre = `: >> "$p" || exit 1` + "\n"
	}
	diff := initialDiff(t.path, "touch", info.State())
	return t.finish(ctx, t.path, info, pre, pre != "", diff, res)
}

func (t *fileTask) file(ctx context.Context, info *remotefile.Info) (module.Result, error) {
	p, prev := t.path, info.State()
	if prev != "file" && t.follow && prev == "link" {
		if info.LinkSource != "" {
			p = info.LinkSource
		}
		var err error
		if info, err = t.stat(ctx, p); err != nil {
			return nil, err
		}
		prev = info.State()
	}
	if prev != "file" && prev != "hard" {
		return module.Result{"failed": true, "msg": fmt.Sprintf("file (%s) is %s, cannot continue", p, prev), "path": p, "state": prev}, nil
	}
	diff := initialDiff(p, "file", prev)
	return t.finish(ctx, p, info, "", false, diff, module.Result{"path": p})
}

func (t *fileTask) directory(ctx context.Context, info *remotefile.Info) (module.Result, error) {
	p, prev := t.path, info.State()
	if t.follow && prev == "link" {
		if info.LinkSource != "" {
			p = info.LinkSource
		}
		var err error
		if info, err = t.stat(ctx, p); err != nil {
			return nil, err
		}
		prev = info.State()
	}
	diff := initialDiff(p, "directory", prev)
	switch {
	case prev == "absent":
		if t.c.Check {
			return module.Result{"path": p, "changed": true, "diff": diff.Map()}, nil
		}
		return t.makeDirectory(ctx, p, info, diff)
	case prev != "directory":
		return module.Result{"failed": true, "msg": fmt.Sprintf("%s already exists as a %s", p, prev), "path": p}, nil
	}
	res, err := t.finish(ctx, p, info, "", false, diff, module.Result{"path": p, "_dir": true})
	if err != nil || !t.recurse {
		return res, err
	}
	changed, err := t.recurseAttrs(ctx, p, info)
	if err != nil {
		return nil, err
	}
	if changed {
		res["changed"] = true
	}
	return res, nil
}

// makeDirectory creates p and its missing parents, each with the task's
// owner, group and mode, as Ansible's ensure_directory does.
func (t *fileTask) makeDirectory(ctx context.Context, p string, info *remotefile.Info, diff *remotefile.Diff) (module.Result, error) {
	newDir := info.NewFile(true)
	change, err := t.attrs.Plan(newDir, true, diff)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("cur=\n")
	parts := strings.Split(strings.Trim(p, "/"), "/")
	abs := strings.HasPrefix(p, "/")
	b.WriteString("for d in")
	for _, part := range parts {
		b.WriteString(" " + remotefile.Path(part))
	}
	if abs {
		b.WriteString("; do cur=$cur/$d\n")
	} else {
		b.WriteString("; do cur=${cur:+$cur/}$d\n")
	}
	b.WriteString(`if [ ! -e "$cur" ]; then mkdir -- "$cur" || exit 1; q=$cur` + "\n")
	b.WriteString(strings.ReplaceAll(change.Script("q"), "$q", "$q"))
	b.WriteString("fi\ndone\n")
	if ts, _ := t.timesScript(newDir); ts != "" {
		b.WriteString("p=" + remotefile.Path(p) + "\n" + ts)
	}
	after, err := remotefile.RunThenStat(ctx, t.c.Conn, b.String(), p, remotefile.StatOptions{})
	if err != nil {
		return module.Result{"failed": true, "msg": fmt.Sprintf("There was an issue creating %s as requested: %v", p, err), "path": p}, nil
	}
	res := module.Result{"path": p, "changed": true, "diff": diff.Map()}
	pathInfo(res, after)
	return res, nil
}

// recurseAttrs applies owner, group and mode below p (recurse=yes); it
// reports whether anything changed. Every command prints the paths it
// changes (in check mode, that it would change).
func (t *fileTask) recurseAttrs(ctx context.Context, p string, info *remotefile.Info) (bool, error) {
	check := t.c.Check
	exec := func(cmd string) string {
		if check {
			return ""
		}
		return " -exec " + cmd + " {} +"
	}
	var b strings.Builder
	b.WriteString("p=" + remotefile.Path(p) + "\n")
	if t.attrs.Owner != "" || t.attrs.Group != "" {
		var sel []string
		spec := ""
		if t.attrs.Owner != "" {
			u := strconv.Itoa(resolved(t.attrs.Owner, info.ResolvedUID))
			sel, spec = append(sel, "! -uid "+u), u
		}
		if t.attrs.Group != "" {
			g := strconv.Itoa(resolved(t.attrs.Group, info.ResolvedGID))
			sel, spec = append(sel, "! -gid "+g), spec+":"+g
		}
		fmt.Fprintf(&b, `find "$p" -mindepth 1 \( %s \) -print%s || exit 1`+"\n", strings.Join(sel, " -o "), exec("chown -h "+spec))
	}
	if t.attrs.Mode != nil {
		if _, err := remotefile.ParseMode(t.attrs.Mode, 0, false, info.Umask); err != nil {
			return false, err
		}
		octal := -1
		switch m := t.attrs.Mode.(type) {
		case int:
			octal = m
		case string:
			if n, err := strconv.ParseUint(m, 8, 32); err == nil {
				octal = int(n)
			}
		}
		switch {
		case octal >= 0:
			fmt.Fprintf(&b, `find "$p" -mindepth 1 ! -type l ! -perm %o -print%s || exit 1`+"\n", octal, exec(fmt.Sprintf("chmod %o", octal)))
		case check:
			// A symbolic mode may or may not change each entry; say it would.
			b.WriteString(`find "$p" -mindepth 1 ! -type l -print || exit 1` + "\n")
		default:
			fmt.Fprintf(&b, `find "$p" -mindepth 1 ! -type l -exec chmod -c %s {} + || exit 1`+"\n", remotefile.Path(t.attrs.Mode.(string)))
		}
	}
	out, err := remotefile.Run(ctx, t.c.Conn, b.String(), nil)
	return strings.TrimSpace(out) != "", err
}

func resolved(name string, id int) int {
	if n, err := strconv.Atoi(name); err == nil {
		return n
	}
	return id
}

func (t *fileTask) link(ctx context.Context, info *remotefile.Info) (module.Result, error) {
	p, src, prev := t.path, t.src, info.State()
	if !t.hasSrc && t.follow && info.IsLink() {
		src = info.LinkTarget
	}
	rel := path.Dir(p)
	if !info.IsLink() && info.IsDir() {
		rel = p
	}
	// srcInfo is src's stat, with what the attributes need too: when src
	// is where the link resolves to, it is the target's stat as well.
	var srcInfo *remotefile.Info
	if src != "" && !t.force {
		abs := src
		if !path.IsAbs(src) {
			abs = path.Join(rel, src)
		}
		si, err := remotefile.Stat(ctx, t.c.Conn, abs, t.attrs.StatOptions(remotefile.StatOptions{Follow: true}))
		if err != nil {
			return nil, err
		}
		srcInfo = si
		if !si.Exists {
			return module.Result{"failed": true, "msg": `src file does not exist, use "force=yes" if you really want to create the link: ` + abs, "path": p, "src": src}, nil
		}
	}
	switch {
	case prev == "directory" && !t.force:
		return module.Result{"failed": true, "msg": fmt.Sprintf("refusing to convert from %s to symlink for %s", prev, p), "path": p}, nil
	case prev == "directory":
		out, err := remotefile.Run(ctx, t.c.Conn, "ls -A -- "+remotefile.Path(p), nil)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(out) != "" {
			return module.Result{"failed": true, "msg": fmt.Sprintf("the directory %s is not empty, refusing to convert it", p), "path": p}, nil
		}
	case (prev == "file" || prev == "hard") && !t.force:
		return module.Result{"failed": true, "msg": fmt.Sprintf("refusing to convert from %s to symlink for %s", prev, p), "path": p}, nil
	}
	diff := initialDiff(p, "link", prev)
	changed := false
	switch prev {
	case "hard", "file", "directory", "absent":
		if src == "" {
			return module.Failed("src is required for creating new symlinks"), nil
		}
		changed = true
	case "link":
		if src != "" && info.LinkTarget != src {
			diff.Set("src", info.LinkTarget, src)
			changed = true
		}
	}
	res := module.Result{"dest": p, "src": src}
	if src == "" {
		res["src"] = nil
	}
	pre := ""
	if changed {
		if t.c.Check {
			if !info.Exists {
				res["changed"], res["diff"] = true, diff.Map()
				return res, nil
			}
		} else if prev == "absent" {
			pre = fmt.Sprintf("ln -s -- %s \"$p\" || exit 1\n", remotefile.Path(src))
		} else {
			rm := ""
			if prev == "directory" {
				rm = `rmdir -- "$p" || exit 1; `
			}
			pre = fmt.Sprintf("%st=\"$(dirname -- \"$p\")/.$gorun_pid.gorun.tmp\"; %sln -s -- %s \"$t\" && mv -fT -- \"$t\" \"$p\" || exit 1\n", remotefile.OwnPID, rm, remotefile.Path(src))
		}
	}
	attrPath := p
	var target *remotefile.Info
	if pre != "" || info.Exists {
		// Attributes go to the link's target when following, else the link.
		target = info
		if t.follow {
			tp := p
			if pre == "" && info.LinkSource != "" {
				tp = info.LinkSource
			}
			if pre != "" {
				tp = src
				if !path.IsAbs(src) {
					tp = path.Join(path.Dir(p), src)
				}
			}
			var known *remotefile.Info
			if pre == "" && info.LinkSource != "" {
				known = srcInfo // tp is the fully resolved path
			}
			ti, err := targetStat(ctx, t, tp, p, known)
			if err != nil {
				return nil, err
			}
			if !ti.Exists {
				t.c.Warn("Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.")
				return t.runLink(ctx, p, pre, changed, diff, res, info)
			}
			target, attrPath = ti, tp
		}
	}
	if target == nil {
		return t.runLink(ctx, p, pre, changed, diff, res, info)
	}
	change, err := t.attrs.Plan(target, false, diff)
	if err != nil {
		return nil, err
	}
	if !change.Empty() {
		changed = true
		pre += "q=" + remotefile.Path(attrPath) + "\n" + change.Script("q")
	}
	return t.runLink(ctx, p, pre, changed, diff, res, info)
}

// targetStat stats tp, the link's target, for its attributes. src, when
// not nil, is a stat of src with the same options but following links, and
// tp a fully resolved path (no link in it): when src is that path, its stat
// is tp's, and no second round trip is made.
func targetStat(ctx context.Context, t *fileTask, tp, p string, src *remotefile.Info) (*remotefile.Info, error) {
	if src != nil && src.Exists && path.Clean(src.Path) == tp && tp != path.Clean(p) {
		return src, nil
	}
	return remotefile.Stat(ctx, t.c.Conn, tp, t.attrs.StatOptions(remotefile.StatOptions{}))
}

// runLink runs script (which makes p the link) and reports p's state after
// it; before is p's stat from the start of the task, still p's state when
// nothing is to run (no second stat for it).
func (t *fileTask) runLink(ctx context.Context, p, script string, changed bool, diff *remotefile.Diff, res module.Result, before *remotefile.Info) (module.Result, error) {
	res["changed"], res["diff"] = changed, diff.Map()
	if t.c.Check || script == "" {
		pathInfo(res, before)
		return res, nil
	}
	after, err := remotefile.RunThenStat(ctx, t.c.Conn, "p="+remotefile.Path(p)+"\n"+script, p, remotefile.StatOptions{})
	if err != nil {
		return module.Result{"failed": true, "msg": "Error while linking: " + err.Error(), "path": p}, nil
	}
	pathInfo(res, after)
	return res, nil
}

func (t *fileTask) hard(ctx context.Context, info *remotefile.Info) (module.Result, error) {
	p, src, prev := t.path, t.src, info.State()
	if prev != "hard" && src == "" {
		return module.Failed("src is required for creating new hardlinks"), nil
	}
	var si *remotefile.Info
	if src != "" {
		var err error
		if si, err = remotefile.Stat(ctx, t.c.Conn, src, remotefile.StatOptions{Follow: true}); err != nil {
			return nil, err
		}
		if !si.Exists {
			return module.Result{"failed": true, "msg": "src does not exist", "dest": p, "src": src}, nil
		}
	}
	diff := initialDiff(p, "hard", prev)
	changed := false
	switch prev {
	case "absent":
		changed = true
	case "link":
		if info.LinkTarget != src {
			diff.Set("src", info.LinkTarget, src)
			changed = true
		}
	case "hard":
		if si != nil && si.Inode != info.Inode {
			changed = true
			if !t.force {
				return module.Result{"failed": true, "msg": "Cannot link, different hard link exists at destination", "dest": p, "src": src}, nil
			}
		}
	case "file":
		changed = true
		if !t.force {
			return module.Result{"failed": true, "msg": fmt.Sprintf("Cannot link, %s exists at destination", prev), "dest": p, "src": src}, nil
		}
	default:
		return module.Result{"failed": true, "msg": "unexpected position reached", "dest": p, "src": src}, nil
	}
	res := module.Result{"dest": p, "src": src}
	pre := ""
	if changed && !t.c.Check {
		if prev == "absent" {
			pre = fmt.Sprintf("ln -- %s \"$p\" || exit 1\n", remotefile.Path(src))
		} else {
			pre = fmt.Sprintf("%st=\"$(dirname -- \"$p\")/.$gorun_pid.gorun.tmp\"; ln -- %s \"$t\" && mv -f -- \"$t\" \"$p\" || exit 1\n", remotefile.OwnPID, remotefile.Path(src))
		}
	}
	if t.c.Check && !info.Exists {
		res["changed"], res["diff"] = true, diff.Map()
		return res, nil
	}
	base := info
	if pre != "" {
		base = si
	}
	change, err := t.attrs.Plan(base, false, diff)
	if err != nil {
		return nil, err
	}
	if !change.Empty() {
		changed = true
		pre += change.Script("p")
	}
	return t.runLink(ctx, p, pre, changed, diff, res, info)
}
