// Package changed works out what a git change touches in a playbook
// repository: the files changed between a base revision and HEAD, the roles
// they belong to and the roles that use those (meta dependencies,
// import_role, include_role), the plays that load any of it, and so the
// hosts a merge-request pipeline needs to check.
package changed

import (
	"fmt"
	"path/filepath"
	"sort"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Files returns the absolute paths of the files that differ between ref
// and HEAD in the git repository holding dir (both sides of a rename, and
// deleted files too, since a deleted template matters as much as an
// edited one). ref is anything git rev-parse accepts that go-git resolves:
// a commit hash (also abbreviated), a branch, a tag, HEAD~1.
func Files(dir, ref string) ([]string, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("--changed-since: no git repository at %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("--changed-since: %w", err)
	}
	root := wt.Filesystem.Root()
	base, err := treeAt(repo, ref)
	if err != nil {
		return nil, err
	}
	head, err := treeAt(repo, "HEAD")
	if err != nil {
		return nil, err
	}
	changes, err := object.DiffTree(base, head)
	if err != nil {
		return nil, fmt.Errorf("--changed-since: diffing %s..HEAD: %w", ref, err)
	}
	seen := map[string]bool{}
	for _, c := range changes {
		for _, name := range []string{c.From.Name, c.To.Name} {
			if name != "" {
				seen[filepath.Join(root, filepath.FromSlash(name))] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// treeAt resolves rev to a commit's tree.
func treeAt(repo *git.Repository, rev string) (*object.Tree, error) {
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, fmt.Errorf("--changed-since: cannot resolve %q: %w (in CI, a shallow clone may lack it: set GIT_DEPTH to 0)", rev, err)
	}
	c, err := repo.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("--changed-since: %q is not a commit: %w", rev, err)
	}
	return c.Tree()
}
