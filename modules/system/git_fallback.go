package system

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
)

// gitWithoutTarget runs the git module for a target that has no git: the
// repository is cloned and checked out with go-git on the controller
// (controllerClone) and the checkout pushed to dest, with the return
// values (before, after, remote_url_changed, changed, diff) and check mode
// of Ansible's module.
func gitWithoutTarget(ctx context.Context, call *module.Call, g *gitRun, dest string) (module.Result, error) {
	a := call.Args
	if set := setOptions(a, "bare", "refspec", "reference", "verify_commit", "track_submodules", "single_branch", "key_file", "ssh_opts", "accept_hostkey", "accept_newhostkey"); len(set) > 0 {
		return module.Failed(fmt.Sprintf("the target has no git, and gorun's go-git checkout on the controller does not support the option(s) %s: install git on the target", strings.Join(set, ", "))), nil
	}
	version, force := a.String("version"), a.Bool("force")
	result := module.Result{"changed": false, "before": nil}
	repo, err := controllerClone(ctx, g.repo, g.remote, g.depth)
	if err != nil {
		return module.Failed(fmt.Sprintf("the target has no git, and go-git could not clone %s on the controller: %v", g.repo, err)), nil
	}
	co, err := repo.checkout(g.remote, version)
	if err != nil {
		return module.Failed(fmt.Sprintf("Failed to checkout %s: %v", version, err)), nil
	}
	state, err := readTargetRepo(g, dest)
	if err != nil {
		return nil, err
	}
	withDiff := func(before any, after string) {
		if !call.Diff {
			return
		}
		b, isStr := before.(string)
		switch {
		case !isStr:
			result["diff"] = map[string]any{"prepared": ">> Newly checked out " + after}
		case b == after:
		default:
			p, err := repo.patch(b, after)
			switch {
			case err != nil:
				result["diff"] = map[string]any{"prepared": fmt.Sprintf(">> Failed to get proper diff between %s and %s", b, after)}
			case p == "":
				result["diff"] = map[string]any{"prepared": fmt.Sprintf(">> No visual differences between %s and %s", b, after)}
			default:
				result["diff"] = map[string]any{"prepared": p}
			}
		}
	}
	if !state.exists {
		result["changed"], result["after"] = true, co.head
		if !call.Check && a.Bool("clone") {
			if err := pushCheckout(g, dest, co, nil, true); err != nil {
				return nil, err
			}
		}
		withDiff(nil, co.head)
		return result, nil
	}
	if !a.Bool("update") {
		result["before"], result["after"] = state.head, state.head
		return result, nil
	}
	result["before"] = state.head
	var tracked map[string]string
	if state.head != "" {
		tracked = repo.trackedFiles(state.head)
	}
	localMods, err := hasLocalMods(g, dest, tracked)
	if err != nil {
		return nil, err
	}
	if localMods {
		if !force {
			return withFailure(result, "Local modifications exist in the destination: "+dest+" (force=no)."), nil
		}
		if !call.Check {
			result["changed"], result["msg"] = true, "Local modifications exist in the destination: "+dest
		}
	}
	remoteURLChanged := state.url != "" && state.url != g.repo && unfrack(state.url) != unfrack(g.repo)
	result["remote_url_changed"] = remoteURLChanged
	if call.Check {
		result["changed"], result["after"] = state.head != co.head || remoteURLChanged, co.head
		withDiff(state.head, co.head)
		return result, nil
	}
	if err := pushCheckout(g, dest, co, tracked, false); err != nil {
		return nil, err
	}
	result["after"] = co.head
	if state.head != co.head || localMods || remoteURLChanged {
		result["changed"] = true
		withDiff(state.head, co.head)
	}
	return result, nil
}

// setOptions are the named options the task sets (true, or any value).
func setOptions(a module.Args, names ...string) []string {
	var set []string
	for _, n := range names {
		if b, isBool := a[n].(bool); a[n] == nil || isBool && !b {
			continue
		}
		set = append(set, n)
	}
	return set
}

// targetRepo is what dest holds: whether it is a checkout (dest/.git/config
// exists), its HEAD commit and the remote's URL.
type targetRepo struct {
	exists    bool
	head, url string
}

// readTargetRepoScript prints "y" when dest/.git/config exists, then the
// commit HEAD names (through a branch ref, loose or packed), then the
// remote's URL from .git/config, with nothing but sh, sed and grep.
const readTargetRepoScript = `cd "$1" 2>/dev/null && test -f .git/config || { echo n; exit 0; }
echo y
head=$(cat .git/HEAD)
case $head in
ref:*) ref=${head#ref: }
  if test -f ".git/$ref"; then cat ".git/$ref"; else grep " $ref\$" .git/packed-refs | cut -d' ' -f1; fi ;;
*) echo "$head" ;;
esac
sed -n "/^\[remote \"$2\"\]/,/^\[/s/^[[:space:]]*url[[:space:]]*=[[:space:]]*//p" .git/config | head -n1`

// readTargetRepo reads the checkout at dest without git.
func readTargetRepo(g *gitRun, dest string) (targetRepo, error) {
	o, err := g.t.Sh(nil, "sh -c "+shell.Quote(readTargetRepoScript)+" sh "+shell.Quote(dest)+" "+shell.Quote(g.remote))
	if err != nil {
		return targetRepo{}, err
	}
	lines := strings.Split(o.Stdout, "\n")
	if o.RC != 0 || lines[0] != "y" {
		return targetRepo{}, nil
	}
	st := targetRepo{exists: true}
	if len(lines) > 1 {
		st.head = strings.TrimSpace(lines[1])
	}
	if len(lines) > 2 {
		st.url = strings.TrimSpace(lines[2])
	}
	return st, nil
}

// hasLocalMods is has_local_mods without git: a tracked file of the
// checked-out commit whose content on the target differs or that is gone.
func hasLocalMods(g *gitRun, dest string, tracked map[string]string) (bool, error) {
	var names []string
	for name, sum := range tracked {
		if sum != "" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return false, nil
	}
	sort.Strings(names)
	o, err := g.t.ShIn("cd "+shell.Quote(dest)+" && xargs -0 sha1sum --", []byte(strings.Join(names, "\x00")))
	if err != nil {
		return false, err
	}
	if o.RC != 0 {
		return true, nil
	}
	seen := 0
	for _, l := range pytext.SplitLines(o.Stdout) {
		sum, name, ok := strings.Cut(l, "  ")
		if !ok || tracked[name] != sum {
			return true, nil
		}
		seen++
	}
	return seen != len(names), nil
}

// pushCheckout writes co to dest: a new checkout is unpacked beside dest
// and renamed into place; an existing one gets a fresh .git, the files of
// the new commit, and loses the files the old commit tracked and the new
// one does not (untracked files stay, as with git checkout).
func pushCheckout(g *gitRun, dest string, co *gitCheckout, before map[string]string, fresh bool) error {
	untar := "tar -x --no-same-owner --no-same-permissions -f -"
	var script string
	if fresh {
		script = fmt.Sprintf(`set -e
mkdir -p %[2]s
tmp=$(mktemp -d %[2]s/.gorun-git-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && %[3]s)
chmod 755 "$tmp"
if test -d %[1]s; then rmdir %[1]s; fi
mv "$tmp" %[1]s
trap - EXIT`, shell.Quote(dest), shell.Quote(path.Dir(dest)), untar)
	} else {
		// Files the old commit tracked and the new one does not go, and
		// so do the directories that leaves empty, as git checkout does.
		var gone, dirs []string
		files := listTar(co.tar)
		for name := range before {
			if !files[name] {
				gone = append(gone, shell.Quote(name))
				if d := path.Dir(name); d != "." {
					dirs = append(dirs, shell.Quote(d))
				}
			}
		}
		sort.Strings(gone)
		sort.Strings(dirs)
		rm := ""
		if len(gone) > 0 {
			rm = "rm -f -- " + strings.Join(gone, " ")
		}
		if len(dirs) > 0 {
			rm += "\nrmdir -p --ignore-fail-on-non-empty -- " + strings.Join(dirs, " ") + " 2>/dev/null || true"
		}
		script = fmt.Sprintf(`set -e
cd %[1]s
rm -rf .git.gorun-old
mv .git .git.gorun-old
%[2]s
rm -rf .git.gorun-old
%[3]s`, shell.Quote(dest), untar, rm)
	}
	if g.umask != "" {
		script = "umask " + g.umask + "\n" + script
	}
	o, err := g.t.ShIn(script, co.tar)
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return gitFail("Failed to write the checkout to "+dest, &o)
	}
	return nil
}
