package system

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/engine/value"
	"gorun/modules/internal/remotecmd"
)

// gitModule is ansible.builtin.git, a port of git.py that runs the target's
// git with the same commands in the same order: clone, fetch with the same
// refspecs, checkout and reset, submodules, GPG verification.
type gitModule struct{}

func init() { module.Register(gitModule{}) }

func (gitModule) Doc() *module.Doc { return gitDoc }

// gitRun is one git task: the target, git's path and environment, and the options.
type gitRun struct {
	t      *target
	git    string
	env    map[string]string
	umask  string
	a      module.Args
	repo   string // the repository URL, file:// added to a local path
	remote string
	depth  int
	warn   func(string)
}

// run runs git with args in cwd (or the login directory when cwd is not a
// directory, as run_command ignores an invalid cwd).
func (g *gitRun) run(cwd string, args ...string) (remotecmd.Output, error) {
	line := shell.Join(append([]string{g.git}, args...))
	if cwd != "" {
		line = "cd " + shell.Quote(cwd) + " 2>/dev/null; " + line
	}
	if g.umask != "" {
		line = "umask " + g.umask + "; " + line
	}
	return g.t.Sh(g.env, line)
}

// must is run with check_rc: a failing command fails the module with its output.
func (g *gitRun) must(cwd string, args ...string) (remotecmd.Output, error) {
	o, err := g.run(cwd, args...)
	if err == nil && o.RC != 0 {
		err = remotecmd.CommandFailed(shell.Join(append([]string{g.git}, args...)), o)
	}
	return o, err
}

func gitFail(msg string, o *remotecmd.Output, extra ...any) error {
	r := module.Result{"failed": true, "msg": msg}
	if o != nil {
		r["stdout"], r["stderr"], r["rc"] = o.Stdout, o.Stderr, o.RC
	}
	for i := 0; i+1 < len(extra); i += 2 {
		r[extra[i].(string)] = extra[i+1]
	}
	return &remotecmd.Exit{Result: r}
}

// version is get_version: git rev-parse REF in dest.
func (g *gitRun) version(dest, ref string) (string, error) {
	o, err := g.run(dest, "rev-parse", ref)
	return strings.TrimRight(o.Stdout, "\n"), err
}

// repoPath is get_repo_path: dest/.git, or where a .git file points.
func (g *gitRun) repoPath(dest string, bare bool) (string, error) {
	p := dest
	if !bare {
		p = path.Join(dest, ".git")
	}
	o, err := g.t.Sh(nil, "test -f "+shell.Quote(p)+" && cat "+shell.Quote(p))
	if err != nil || o.RC != 0 {
		return p, err
	}
	prefix, dir, ok := strings.Cut(strings.TrimRight(o.Stdout, " \t\r\n"), "gitdir: ")
	if !ok || prefix != "" {
		return "", gitFail("Current repo does not have a valid reference to a separate Git dir or it refers to the invalid path", nil, "details", ".git file has invalid git dir reference format")
	}
	if !path.IsAbs(dir) {
		dir = path.Join(dest, dir)
	}
	if o, err := g.t.Sh(nil, "test -d "+shell.Quote(dir)); err != nil || o.RC != 0 {
		return "", errors.Join(err, gitFail("Current repo does not have a valid reference to a separate Git dir or it refers to the invalid path", nil, "details", dir+" is not a directory"))
	}
	return dir, nil
}

// branches is get_branches.
func (g *gitRun) branches(dest string) ([]string, error) {
	o, err := g.run(dest, "branch", "--no-color", "-a")
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return nil, gitFail("Could not determine branch data - received "+o.Stdout, &o)
	}
	var out []string
	for _, l := range strings.Split(o.Stdout, "\n") {
		if s := strings.TrimSpace(l); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// headBranch is get_head_branch: the branch HEAD names, or the remote's
// HEAD branch when HEAD is detached.
func (g *gitRun) headBranch(dest string, bare bool) (string, error) {
	repoPath, err := g.repoPath(dest, bare)
	if err != nil {
		return "", err
	}
	headfile := path.Join(repoPath, "HEAD")
	branches, err := g.branches(dest)
	if err != nil {
		return "", err
	}
	for _, b := range branches {
		if strings.HasPrefix(b, "* ") && (strings.Contains(b, "no branch") || strings.Contains(b, "detached from") || strings.Contains(b, "detached at")) {
			headfile = path.Join(repoPath, "refs", "remotes", g.remote, "HEAD")
			break
		}
	}
	content, exists, err := g.t.readFile(headfile)
	if err != nil || !exists {
		return "None", err
	}
	first, _, _ := strings.Cut(content, "\n")
	first = strings.Replace(first, "refs/remotes/"+g.remote, "", 1)
	parts := strings.Split(first, " ")
	ref := strings.SplitN(parts[len(parts)-1], "/", 3)
	return ref[len(ref)-1], nil
}

// isRemote is is_remote_branch (kind "-h", "heads") and is_remote_tag ("-t", "tags").
func (g *gitRun) isRemote(dest, remote, kind, version string) (bool, error) {
	ref := "refs/heads/" + version
	if kind == "-t" {
		ref = "refs/tags/" + version
	}
	o, err := g.must(dest, "ls-remote", remote, kind, ref)
	return err == nil && strings.Contains(o.Stdout, version), err
}

// remoteHead is get_remote_head: the commit version names on remote.
func (g *gitRun) remoteHead(dest, version, remote string, bare bool) (string, error) {
	cloning := remote == g.a.String("repo") || remote == g.repo
	cwd := dest
	if cloning {
		cwd = ""
	}
	var args []string
	tag := false
	switch {
	case version == "HEAD" && cloning:
		args = []string{"ls-remote", remote, "-h", "HEAD"}
	case version == "HEAD":
		b, err := g.headBranch(dest, bare)
		if err != nil {
			return "", err
		}
		args = []string{"ls-remote", remote, "-h", "refs/heads/" + b}
	default:
		isBranch, err := g.isRemote(dest, remote, "-h", version)
		if err != nil {
			return "", err
		}
		if isBranch {
			args = []string{"ls-remote", remote, "-h", "refs/heads/" + version}
			break
		}
		isTag, err := g.isRemote(dest, remote, "-t", version)
		if err != nil {
			return "", err
		}
		if !isTag {
			return version, nil
		}
		tag = true
		args = []string{"ls-remote", remote, "-t", "refs/tags/" + version + "*"}
	}
	o, err := g.must(cwd, args...)
	if err != nil {
		return "", err
	}
	out := o.Stdout
	if out == "" {
		return "", gitFail("Could not determine remote revision for "+version, &o)
	}
	if tag {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasSuffix(l, version+"^{}") {
				out = l
				break
			} else if strings.HasSuffix(l, version) {
				out = l
			}
		}
	}
	return strings.Fields(out)[0], nil
}

// remoteURL is get_remote_url ("" when git cannot say).
func (g *gitRun) remoteURL(dest string) (string, bool, error) {
	o, err := g.run(dest, "ls-remote", "--get-url", g.remote)
	if err != nil || o.RC != 0 {
		return "", false, err
	}
	return strings.TrimRight(o.Stdout, "\n"), true, nil
}

// unfrack is unfrackgitpath for the URLs git reports (no symlinks resolved).
func unfrack(p string) string {
	if p == "" {
		return ""
	}
	return path.Clean(p)
}

// setRemoteURL is set_remote_url: whether the remote's URL was changed.
func (g *gitRun) setRemoteURL(dest string) (bool, error) {
	url, ok, err := g.remoteURL(dest)
	if err != nil {
		return false, err
	}
	if ok && (url == g.repo || unfrack(url) == unfrack(g.repo)) {
		return false, nil
	}
	o, err := g.run(dest, "remote", "set-url", g.remote, g.repo)
	if err != nil {
		return false, err
	}
	if o.RC != 0 {
		return false, gitFail(fmt.Sprintf("Failed to set a new url %s for %s: %s %s", g.repo, g.remote, o.Stdout, o.Stderr), nil)
	}
	return ok, nil
}

// clone is clone.
func (g *gitRun) clone(dest, version string, bare bool) error {
	parent := path.Dir(dest)
	g.t.Run(nil, "mkdir", "-p", parent)
	args := []string{"clone"}
	if bare {
		args = append(args, "--bare")
	} else {
		args = append(args, "--origin", g.remote)
	}
	isBranch, err := g.isRemote(dest, g.repo, "-h", version)
	if err != nil {
		return err
	}
	isTag := false
	if !isBranch {
		if isTag, err = g.isRemote(dest, g.repo, "-t", version); err != nil {
			return err
		}
	}
	branchOrTag := isBranch || isTag
	refspec := g.a.String("refspec")
	if g.depth > 0 {
		switch {
		case version == "HEAD" || refspec != "":
			args = append(args, "--depth", strconv.Itoa(g.depth))
		case branchOrTag:
			args = append(args, "--depth", strconv.Itoa(g.depth), "--branch", version)
		default:
			g.warn("Ignoring depth argument. Shallow clones are only available for HEAD, branches, tags or in combination with refspec.")
		}
	}
	if ref := g.a.String("reference"); ref != "" {
		args = append(args, "--reference", ref)
	}
	if g.a.Bool("single_branch") {
		args = append(args, "--single-branch")
		if branchOrTag {
			args = append(args, "--branch", version)
		}
	}
	if _, err := g.must(parent, append(args, g.repo, dest)...); err != nil {
		return err
	}
	if bare && g.remote != "origin" {
		if _, err := g.must(dest, "remote", "add", g.remote, g.repo); err != nil {
			return err
		}
	}
	if refspec != "" {
		args := []string{"fetch"}
		if g.depth > 0 {
			args = append(args, "--depth", strconv.Itoa(g.depth))
		}
		if _, err := g.must(dest, append(args, g.remote, refspec)...); err != nil {
			return err
		}
	}
	if g.a.Bool("verify_commit") {
		return g.verifyCommit(dest, version)
	}
	return nil
}

// fetch is fetch: the minimal refspecs for a shallow repository, else
// everything with tags.
func (g *gitRun) fetch(dest, version string, bare bool, refspec string, force bool) error {
	if _, err := g.setRemoteURL(dest); err != nil {
		return err
	}
	args := []string{"fetch"}
	var refspecs []string
	if g.depth > 0 {
		current, err := g.headBranch(dest, false)
		if err != nil {
			return err
		}
		isBranch, isTag := false, false
		if refspec == "" && version != "HEAD" {
			if isBranch, err = g.isRemote(dest, g.repo, "-h", version); err != nil {
				return err
			}
			if !isBranch {
				if isTag, err = g.isRemote(dest, g.repo, "-t", version); err != nil {
					return err
				}
			}
		}
		switch {
		case refspec != "":
			refspecs = append(refspecs, refspec)
		case version == "HEAD":
			refspecs = append(refspecs, current)
		case isBranch:
			if current != version {
				refspecs = append(refspecs, fmt.Sprintf("+refs/heads/%s:refs/heads/%s", version, version))
			}
			refspecs = append(refspecs, fmt.Sprintf("+refs/heads/%s:refs/remotes/%s/%s", version, g.remote, version))
		case isTag:
			refspecs = append(refspecs, "+refs/tags/"+version+":refs/tags/"+version)
		}
		if len(refspecs) > 0 {
			args = append(args, "--depth", strconv.Itoa(g.depth))
		}
	}
	if g.depth == 0 || len(refspecs) == 0 {
		if bare {
			refspecs = []string{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"}
		} else {
			args = append(args, "--tags")
		}
		if refspec != "" {
			refspecs = append(refspecs, refspec)
		}
	}
	if force {
		args = append(args, "--force")
	}
	args = append(append(args, g.remote), refspecs...)
	o, err := g.run(dest, args...)
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return gitFail(fmt.Sprintf("Failed to download remote objects and refs: %s %s", o.Stdout, o.Stderr), nil, "cmd", append([]any{g.git}, value.FromStrings(args)...))
	}
	return nil
}

// localMods is has_local_mods: changes to tracked files.
func (g *gitRun) localMods(dest string, bare bool) (bool, error) {
	if bare {
		return false, nil
	}
	o, err := g.run(dest, "status", "--porcelain")
	if err != nil {
		return false, err
	}
	for _, l := range pytext.SplitLines(o.Stdout) {
		if !strings.HasPrefix(l, "??") {
			return true, nil
		}
	}
	return false, nil
}

// switchVersion is switch_version: check out version and reset to the remote's.
func (g *gitRun) switchVersion(dest, version string) error {
	var args []string
	var branch string
	if version == "HEAD" {
		var err error
		if branch, err = g.headBranch(dest, false); err != nil {
			return err
		}
		o, err := g.run(dest, "checkout", "--force", branch)
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return gitFail("Failed to checkout branch "+branch, &o)
		}
		args = []string{"reset", "--hard", g.remote + "/" + branch, "--"}
	} else {
		isBranch, err := g.isRemote(dest, g.remote, "-h", version)
		if err != nil {
			return err
		}
		if isBranch {
			local, err := g.isLocalBranch(dest, version)
			if err != nil {
				return err
			}
			if g.depth > 0 && !local {
				o, err := g.t.Sh(g.env, fmt.Sprintf("cd %s && %s fetch --depth=%d %s +refs/heads/%s:refs/heads/%s +refs/heads/%s:refs/remotes/%s/%s",
					shell.Quote(dest), shell.Quote(g.git), g.depth, shell.Quote(g.remote), version, version, version, g.remote, version))
				if err != nil {
					return err
				}
				if o.RC != 0 {
					return gitFail("Failed to fetch branch from remote: "+version, &o)
				}
				if local, err = g.isLocalBranch(dest, version); err != nil {
					return err
				}
			}
			if !local {
				args = []string{"checkout", "--track", "-b", version, g.remote + "/" + version}
			} else {
				o, err := g.run(dest, "checkout", "--force", version)
				if err != nil {
					return err
				}
				if o.RC != 0 {
					return gitFail("Failed to checkout branch "+version, &o)
				}
				args = []string{"reset", "--hard", g.remote + "/" + version}
			}
		} else {
			args = []string{"checkout", "--force", version}
		}
	}
	o, err := g.run(dest, args...)
	if err != nil {
		return err
	}
	if o.RC != 0 {
		cmd := shell.Join(append([]string{g.git}, args...))
		if version != "HEAD" {
			return gitFail("Failed to checkout "+version, &o, "cmd", cmd)
		}
		return gitFail("Failed to checkout branch "+branch, &o, "cmd", cmd)
	}
	if g.a.Bool("verify_commit") {
		return g.verifyCommit(dest, version)
	}
	return nil
}

// isLocalBranch is is_local_branch.
func (g *gitRun) isLocalBranch(dest, branch string) (bool, error) {
	branches, err := g.branches(dest)
	return slices.Contains(branches, branch) || slices.Contains(branches, "* "+branch), err
}

// verifyCommit is verify_commit_sign.
func (g *gitRun) verifyCommit(dest, version string) error {
	o, err := g.run(dest, "for-each-ref", "refs/tags/", "--format", "%(objecttype):%(refname:short)")
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return gitFail("Could not determine tag data - received "+o.Stdout, &o)
	}
	sub := "verify-commit"
	for _, l := range strings.Split(o.Stdout, "\n") {
		if typ, name, _ := strings.Cut(strings.TrimSpace(l), ":"); typ == "tag" && name == version {
			sub = "verify-tag"
		}
	}
	whitelist := g.a.Strings("gpg_whitelist")
	args := []string{sub, version}
	if len(whitelist) > 0 {
		args = append(args, "--raw")
	}
	if o, err = g.run(dest, args...); err != nil {
		return err
	}
	if o.RC != 0 {
		return gitFail(fmt.Sprintf("Failed to verify GPG signature of commit/tag \"%s\"", version), &o)
	}
	if len(whitelist) > 0 {
		fp := ""
		for _, l := range strings.Split(o.Stderr, "\n") {
			if d := strings.Fields(l); len(d) > 2 && d[1] == "VALIDSIG" {
				fp = d[2]
				if len(d) == 11 {
					fp = d[10]
				}
				break
			}
		}
		if !slices.Contains(whitelist, fp) {
			return gitFail(fmt.Sprintf("The gpg_whitelist does not include the public key \"%s\" for this commit", fp), &o)
		}
	}
	return nil
}

var submodulePathRE = regexp.MustCompile(`^\s*path`)

// submodulesFetch is submodules_fetch: whether submodules need updating.
func (g *gitRun) submodulesFetch(dest string) (bool, error) {
	content, exists, err := g.t.readFile(path.Join(dest, ".gitmodules"))
	if err != nil || !exists {
		return false, err
	}
	for _, l := range strings.Split(content, "\n") {
		if submodulePathRE.MatchString(l) {
			_, p, _ := strings.Cut(l, "=")
			ok, err := g.t.Exists(path.Join(dest, strings.TrimSpace(p), ".git"))
			if err != nil {
				return false, err
			}
			if !ok {
				return true, nil
			}
		}
	}
	begin, err := g.submoduleVersions(dest, "HEAD")
	if err != nil {
		return false, err
	}
	if _, err := g.must(dest, "submodule", "foreach", g.git, "fetch"); err != nil {
		return false, err
	}
	if g.a.Bool("track_submodules") {
		after, err := g.submoduleVersions(dest, g.remote+"/master")
		return fmt.Sprint(begin) != fmt.Sprint(after), err
	}
	o, err := g.must(dest, "submodule", "status")
	if err != nil {
		return false, err
	}
	for _, l := range pytext.SplitLines(o.Stdout) {
		if l != "" && l[0] != ' ' {
			return true, nil
		}
	}
	return false, nil
}

// submoduleVersions is get_submodule_versions.
func (g *gitRun) submoduleVersions(dest, version string) (map[string]string, error) {
	o, err := g.run(dest, "submodule", "foreach", g.git, "rev-parse", version)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return nil, gitFail("Unable to determine hashes of submodules", &o)
	}
	out := map[string]string{}
	name := ""
	for _, l := range pytext.SplitLines(o.Stdout) {
		switch {
		case strings.HasPrefix(l, "Entering '"):
			name = l[10 : len(l)-1]
		case len(strings.TrimSpace(l)) == 40 && name != "":
			out[name] = strings.TrimSpace(l)
			name = ""
		default:
			return nil, gitFail("Unable to parse submodule hash line: "+strings.TrimSpace(l), nil)
		}
	}
	if name != "" {
		return nil, gitFail("Unable to find hash for submodule: "+name, nil)
	}
	return out, nil
}

// submoduleUpdate is submodule_update.
func (g *gitRun) submoduleUpdate(dest string, force bool) error {
	if ok, err := g.t.Exists(path.Join(dest, ".gitmodules")); err != nil || !ok {
		return err
	}
	if _, err := g.must(dest, "submodule", "sync"); err != nil {
		return err
	}
	args := []string{"submodule", "update", "--init", "--recursive"}
	if g.a.Bool("track_submodules") {
		args = append(args, "--remote")
	}
	if force {
		args = append(args, "--force")
	}
	o, err := g.run(dest, args...)
	if err == nil && o.RC != 0 {
		err = gitFail("Failed to init/update submodules: "+o.Stdout+o.Stderr, nil)
	}
	return err
}

// diff is get_diff.
func (g *gitRun) diff(dest string, bare bool, before any, after string) (map[string]any, error) {
	b, isStr := before.(string)
	if !isStr {
		return map[string]any{"prepared": ">> Newly checked out " + after}, nil
	}
	if b == after {
		return nil, nil
	}
	if err := g.fetch(dest, after, bare, "", false); err != nil {
		return nil, err
	}
	o, err := g.run(dest, "diff", b, after)
	if err != nil {
		return nil, err
	}
	switch {
	case o.RC == 0 && o.Stdout != "":
		return map[string]any{"prepared": o.Stdout}, nil
	case o.RC == 0:
		return map[string]any{"prepared": fmt.Sprintf(">> No visual differences between %s and %s", b, after)}, nil
	case o.Stderr != "":
		return map[string]any{"prepared": fmt.Sprintf(">> Failed to get proper diff between %s and %s:\n>> %s", b, after, o.Stderr)}, nil
	}
	return map[string]any{"prepared": fmt.Sprintf(">> Failed to get proper diff between %s and %s", b, after)}, nil
}

// sshCommand is set_git_ssh_env for git 2.3 and later: GIT_SSH_COMMAND
// with the options the task asks for.
func sshCommand(a module.Args, sshOpts string, optsSet bool) string {
	opts := ""
	if optsSet {
		opts = " " + sshOpts
	}
	if a.Bool("accept_hostkey") && !strings.Contains(opts, "StrictHostKeyChecking=no") {
		opts += " -o StrictHostKeyChecking=no"
	}
	if !strings.Contains(opts, "BatchMode=yes") {
		opts += " -o BatchMode=yes"
	}
	if key := a.String("key_file"); key != "" {
		if !strings.Contains(opts, "-i "+key) {
			opts += "  -i " + key
		}
		if !strings.Contains(opts, "IdentitiesOnly=yes") {
			opts += " -o IdentitiesOnly=yes"
		}
	}
	return "ssh " + opts
}

func (gitModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	res, err := runGit(ctx, call)
	var f *remotecmd.Exit
	if errors.As(err, &f) {
		return f.Result, nil
	}
	return res, err
}

func runGit(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	if fail := unsupported(call, "archive", "separate_git_dir"); fail != nil {
		return fail, nil
	}
	g := &gitRun{t: t, a: a, remote: a.String("remote"), depth: a.Int("depth"), warn: func(string) {}}
	g.warn = func(msg string) {
		if call.Warn != nil {
			call.Warn(msg)
		}
	}
	g.git = a.String("executable")
	if g.git == "" {
		p, err := t.Which("git")
		if err != nil {
			return nil, err
		}
		// No git on the target: the checkout is made on the controller
		// (gitWithoutTarget), once the repository and dest are known.
		g.git = p
	}
	sshOpts, optsSet := a.String("ssh_opts"), a.Has("ssh_opts")
	if a.Bool("accept_hostkey") && !(optsSet && (strings.Contains(sshOpts, "-o StrictHostKeyChecking=no") || strings.Contains(sshOpts, "-o StrictHostKeyChecking=accept-new"))) {
		sshOpts, optsSet = strings.TrimPrefix(sshOpts+" -o StrictHostKeyChecking=no", " "), true
	}
	if a.Bool("accept_newhostkey") && !(optsSet && (strings.Contains(sshOpts, "-o StrictHostKeyChecking=no") || strings.Contains(sshOpts, "-o StrictHostKeyChecking=accept-new"))) {
		sshOpts, optsSet = strings.TrimPrefix(sshOpts+" -o StrictHostKeyChecking=accept-new", " "), true
	}
	if u, set := a["umask"]; set && u != nil {
		s, isStr := u.(string)
		if !isStr {
			return module.Failed("umask must be defined as a quoted octal integer"), nil
		}
		if _, err := strconv.ParseUint(s, 8, 32); err != nil {
			return module.Result{"failed": true, "msg": "umask must be an octal integer", "details": fmt.Sprintf("invalid literal for int() with base 8: '%s'", s)}, nil
		}
		g.umask = s
	}
	repo, err := expandUser(t, a.String("repo"))
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(repo, "/") {
		repo = "file://" + repo
	}
	g.repo = repo
	g.env = map[string]string{"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C", "LC_CTYPE": "C", "GIT_SSH_COMMAND": sshCommand(a, sshOpts, optsSet)}

	version, force, bare := a.String("version"), a.Bool("force"), a.Bool("bare")
	update, allowClone := a.Bool("update"), a.Bool("clone")
	refspec := a.String("refspec")
	dest := a.String("dest")
	result := module.Result{"changed": false}
	gitconfig := ""
	if dest == "" && allowClone {
		return module.Failed("the destination directory must be specified unless clone=no"), nil
	}
	if g.git == "" && dest == "" {
		return module.Failed("Failed to find required executable \"git\" in paths: /sbin:/usr/sbin:/usr/local/sbin"), nil
	}
	if dest != "" {
		if dest, err = expandUser(t, dest); err != nil {
			return nil, err
		}
		if !path.IsAbs(dest) {
			home, err := expandUser(t, "~")
			if err != nil {
				return nil, err
			}
			dest = path.Join(home, dest)
		}
		dest = path.Clean(dest)
		if g.git == "" {
			return gitWithoutTarget(ctx, call, g, dest)
		}
		repoPath, err := g.repoPath(dest, bare)
		if err != nil {
			return result, err
		}
		gitconfig = path.Join(repoPath, "config")
	}
	result["before"] = nil
	exists := false
	if gitconfig != "" {
		if exists, err = t.Exists(gitconfig); err != nil {
			return nil, err
		}
	}
	withDiff := func(before any, after string) error {
		if !call.Diff {
			return nil
		}
		d, err := g.diff(dest, bare, before, after)
		if err == nil && d != nil {
			result["diff"] = d
		}
		return err
	}
	localMods, remoteURLChanged := false, false
	var remoteHead string
	switch {
	case (dest != "" && !exists) || (dest == "" && !allowClone):
		if call.Check || !allowClone {
			head, err := g.remoteHead(dest, version, repo, bare)
			if err != nil {
				return result, err
			}
			result["changed"], result["after"] = true, head
			return result, withDiff(nil, head)
		}
		if err := g.clone(dest, version, bare); err != nil {
			return result, err
		}
	case !update:
		v, err := g.version(dest, "HEAD")
		if err != nil {
			return nil, err
		}
		result["before"], result["after"] = v, v
		return result, nil
	default:
		if localMods, err = g.localMods(dest, bare); err != nil {
			return nil, err
		}
		before, err := g.version(dest, "HEAD")
		if err != nil {
			return nil, err
		}
		result["before"] = before
		if localMods {
			if !force {
				return withFailure(result, "Local modifications exist in the destination: "+dest+" (force=no)."), nil
			}
			if !call.Check {
				if _, err := g.must(dest, "reset", "--hard", "HEAD"); err != nil {
					return result, err
				}
				result["changed"], result["msg"] = true, "Local modifications exist in the destination: "+dest
			}
		}
		if call.Check {
			url, ok, err := g.remoteURL(dest)
			if err != nil {
				return nil, err
			}
			remoteURLChanged = ok && url != "" && url != repo && unfrack(url) != unfrack(repo)
		} else if remoteURLChanged, err = g.setRemoteURL(dest); err != nil {
			return result, err
		}
		result["remote_url_changed"] = remoteURLChanged
		if call.Check {
			if remoteHead, err = g.remoteHead(dest, version, g.remote, bare); err != nil {
				return result, err
			}
			result["changed"], result["after"] = before != remoteHead || remoteURLChanged, remoteHead
			return result, withDiff(before, remoteHead)
		}
		if err := g.fetch(dest, version, bare, refspec, force); err != nil {
			return result, err
		}
	}
	if !bare {
		if err := g.switchVersion(dest, version); err != nil {
			return result, err
		}
	}
	submodulesUpdated := false
	if a.Bool("recursive") && !bare {
		if submodulesUpdated, err = g.submodulesFetch(dest); err != nil {
			return result, err
		}
		if submodulesUpdated {
			result["submodules_changed"] = true
			if err := g.submoduleUpdate(dest, force); err != nil {
				return result, err
			}
		}
	}
	after, err := g.version(dest, "HEAD")
	if err != nil {
		return nil, err
	}
	result["after"] = after
	if result["before"] != any(after) || localMods || submodulesUpdated || remoteURLChanged {
		result["changed"] = true
		if err := withDiff(result["before"], after); err != nil {
			return result, err
		}
	}
	return result, nil
}

var gitDoc = &module.Doc{
	Name:  "git",
	Names: []string{"ansible.builtin.git"},
	Short: "Deploy software (or files) from git checkouts",
	Description: []string{
		"Manage I(git) checkouts of repositories to deploy files or software.",
	},
	Options: []module.Option{
		{Name: "accept_hostkey", Type: "bool", Default: false, Description: "Will ensure or not that \"-o StrictHostKeyChecking=no\" is present as an ssh option. Be aware that this disables a protection against MITM attacks. Those using OpenSSH >= 7.5 might want to set I(ssh_opts) to 'StrictHostKeyChecking=accept-new' instead, it does not remove the MITM issue but it does restrict it to the first attempt."},
		{Name: "accept_newhostkey", Type: "bool", Default: false, Description: "As of OpenSSH 7.5, \"-o StrictHostKeyChecking=accept-new\" can be used which is safer and will only accepts host keys which are not present or are the same. if C(true), ensure that \"-o StrictHostKeyChecking=accept-new\" is present as an ssh option."},
		{Name: "archive", Type: "path", Description: "Specify archive file path with extension. If specified, creates an archive file of the specified format containing the tree structure for the source tree. Allowed archive formats [\"zip\", \"tar.gz\", \"tar\", \"tgz\"]. This will clone and perform git archive from local directory as not all git servers support git archive."},
		{Name: "archive_prefix", Description: "Specify a prefix to add to each file path in archive. Requires I(archive) to be specified."},
		{Name: "bare", Type: "bool", Default: false, Description: "If C(true), repository will be created as a bare repo, otherwise it will be a standard repo with a workspace."},
		{Name: "clone", Type: "bool", Default: true, Description: "If C(false), do not clone the repository even if it does not exist locally."},
		{Name: "depth", Type: "int", Description: "Create a shallow clone with a history truncated to the specified number or revisions. The minimum possible value is C(1), otherwise ignored. Needs I(git>=1.9.1) to work correctly."},
		{Name: "dest", Type: "path", Required: true, Description: "The path of where the repository should be checked out. This is equivalent to C(git clone [repo_url] [directory]). The repository named in I(repo) is not appended to this path and the destination directory must be empty. This parameter is required, unless I(clone) is set to C(false)."},
		{Name: "executable", Type: "path", Description: "Path to git executable to use. If not supplied, the normal mechanism for resolving binary paths will be used."},
		{Name: "force", Type: "bool", Default: false, Description: "If C(true), any modified files in the working repository will be discarded.  Prior to 0.7, this was always C(true) and could not be disabled.  Prior to 1.9, the default was C(true)."},
		{Name: "gpg_whitelist", Type: "list", Elements: "str", Default: []any{}, Description: "A list of trusted GPG fingerprints to compare to the fingerprint of the GPG-signed commit. Only used when I(verify_commit=yes). Use of this feature requires Git 2.6+ due to its reliance on git's C(--raw) flag to C(verify-commit) and C(verify-tag)."},
		{Name: "key_file", Type: "path", Description: "Specify an optional private key file path, on the target host, to use for the checkout. This ensures 'IdentitiesOnly=yes' is present in ssh_opts."},
		{Name: "recursive", Type: "bool", Default: true, Description: "If C(false), repository will be cloned without the --recursive option, skipping sub-modules."},
		{Name: "reference", Description: "Reference repository (see \"git clone --reference ...\")."},
		{Name: "refspec", Description: "Add an additional refspec to be fetched. If version is set to a I(SHA-1) not reachable from any branch or tag, this option may be necessary to specify the ref containing the I(SHA-1). Uses the same syntax as the C(git fetch) command. An example value could be \"refs/meta/config\"."},
		{Name: "remote", Default: "origin", Description: "Name of the remote."},
		{Name: "repo", Aliases: []string{"name"}, Required: true, Description: "git, SSH, or HTTP(S) protocol address of the git repository."},
		{Name: "separate_git_dir", Type: "path", Description: "The path to place the cloned repository. If specified, Git repository can be separated from working tree."},
		{Name: "single_branch", Type: "bool", Default: false, Description: "Clone only the history leading to the tip of the specified revision."},
		{Name: "ssh_opts", Description: "Options git will pass to ssh when used as protocol, it works via C(git)'s GIT_SSH/GIT_SSH_COMMAND environment variables. For older versions it appends GIT_SSH_OPTS (specific to this module) to the variables above or via a wrapper script. Other options can add to this list, like I(key_file) and I(accept_hostkey). An example value could be \"-o StrictHostKeyChecking=no\" (although this particular option is better set by I(accept_hostkey)). The module ensures that 'BatchMode=yes' is always present to avoid prompts."},
		{Name: "track_submodules", Type: "bool", Default: false, Description: "If C(true), submodules will track the latest commit on their master branch (or other branch specified in .gitmodules).  If C(false), submodules will be kept at the revision specified by the main project. This is equivalent to specifying the --remote flag to git submodule update."},
		{Name: "umask", Type: "raw", Description: "The umask to set before doing any checkouts, or any other repository maintenance."},
		{Name: "update", Type: "bool", Default: true, Description: "If C(false), do not retrieve new revisions from the origin repository. Operations like archive will work on the existing (old) repository and might not respond to changes to the options version or remote."},
		{Name: "verify_commit", Type: "bool", Default: false, Description: "If C(true), when cloning or checking out a I(version) verify the signature of a GPG signed commit. This requires git version>=2.1.0 to be installed. The commit MUST be signed and the public key MUST be present in the GPG keyring."},
		{Name: "version", Default: "HEAD", Description: "What version of the repository to check out. This can be the literal string C(HEAD), a branch name, a tag name. It can also be a I(SHA-1) hash, in which case I(refspec) needs to be specified if the given revision is not already available."},
	},
	Examples: `- name: Git checkout
  ansible.builtin.git:
    repo: 'https://foosball.example.org/path/to/repo.git'
    dest: /srv/checkout
    version: release-0.22

- name: Read-write git checkout from github
  ansible.builtin.git:
    repo: git@github.com:mylogin/hello.git
    dest: /home/mylogin/hello

- name: Just ensuring the repo checkout exists
  ansible.builtin.git:
    repo: 'https://foosball.example.org/path/to/repo.git'
    dest: /srv/checkout
    update: no

- name: Just get information about the repository whether or not it has already been cloned locally
  ansible.builtin.git:
    repo: 'https://foosball.example.org/path/to/repo.git'
    dest: /srv/checkout
    clone: no
    update: no

- name: Checkout a github repo and use refspec to fetch all pull requests
  ansible.builtin.git:
    repo: https://github.com/ansible/ansible-examples.git
    dest: /src/ansible-examples
    refspec: '+refs/pull/*:refs/heads/*'

- name: Create git archive from repo
  ansible.builtin.git:
    repo: https://github.com/ansible/ansible-examples.git
    dest: /src/ansible-examples
    archive: /tmp/ansible-examples.zip

- name: Clone a repo with separate git directory
  ansible.builtin.git:
    repo: https://github.com/ansible/ansible-examples.git
    dest: /src/ansible-examples
    separate_git_dir: /src/ansible-examples.git

- name: Example clone of a single branch
  ansible.builtin.git:
    repo: https://github.com/ansible/ansible-examples.git
    dest: /src/ansible-examples
    single_branch: yes
    version: master

- name: Avoid hanging when http(s) password is missing
  ansible.builtin.git:
    repo: https://github.com/ansible/could-be-a-private-repo
    dest: /src/from-private-repo
  environment:
    GIT_TERMINAL_PROMPT: 0 # reports "terminal prompts disabled" on missing password
    # or GIT_ASKPASS: /bin/true # for git before version 2.3.0, reports "Authentication failed" on missing password`,
	Returns: []module.Return{
		{Name: "after", Description: "Last commit revision of the repository retrieved during the update.", Returned: "success", Type: "str"},
		{Name: "before", Description: "Commit revision before the repository was updated, \"null\" for new repository.", Returned: "success", Type: "str"},
		{Name: "git_dir_before", Description: "Contains the original path of .git directory if it is changed.", Returned: "success", Type: "str"},
		{Name: "git_dir_now", Description: "Contains the new path of .git directory if it is changed.", Returned: "success", Type: "str"},
		{Name: "remote_url_changed", Description: "Contains True or False whether or not the remote URL was changed.", Returned: "success", Type: "bool"},
		{Name: "warnings", Description: "List of warnings if requested features were not available due to a too old git version.", Returned: "error", Type: "str"},
	},
	Notes: []string{"If the task seems to be hanging, first verify remote host is in C(known_hosts). SSH will prompt user to authorize the first contact with a remote host.  To avoid this prompt, one solution is to use the option accept_hostkey. Another solution is to add the remote host public key in C(/etc/ssh/ssh_known_hosts) before calling the git module, with the following command: ssh-keyscan -H remote_host.com >> /etc/ssh/ssh_known_hosts.", "gorun: runs git on the target as Ansible does (git 2.3 or later, GIT_SSH_COMMAND carries the ssh options); archive and separate_git_dir are not supported yet and fail saying so."},
	Check: module.Full,
	Diff:  module.Full,
}
