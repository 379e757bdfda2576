package system

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// When the target has no git, the git module clones the repository with
// go-git on the controller, checks the version out there and pushes the
// checkout, .git included, to dest as a tar stream over the connection.
// The target ends up with what `git clone` would have left, so that git
// works there once it is installed.

// controllerRepo is one repository cloned on the controller, in memory,
// for the rest of the run: worktree and .git in one memfs.
type controllerRepo struct {
	mu   sync.Mutex
	fs   billy.Filesystem
	repo *git.Repository
	// head is the remote's HEAD branch: the branch go-git's clone checked
	// out, or what the remote advertises now.
	head string
	// tars are the packed checkouts by commit (and branch), so that every
	// host of the play gets the same bytes without a second checkout.
	tars map[string][]byte
}

// controllerRepos caches clones by URL, remote name and depth.
var controllerRepos sync.Map

// gitCheckout is a version checked out on the controller.
type gitCheckout struct {
	head string // the commit
	tar  []byte // the worktree and .git
}

// controllerClone returns the run's clone of url, fetching what is new
// when it is already there.
func controllerClone(ctx context.Context, url, remote string, depth int) (*controllerRepo, error) {
	key := fmt.Sprintf("%s\x00%s\x00%d", url, remote, depth)
	v, _ := controllerRepos.LoadOrStore(key, &controllerRepo{})
	c := v.(*controllerRepo)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.repo != nil {
		err := c.repo.FetchContext(ctx, &git.FetchOptions{RemoteName: remote, Depth: depth, Tags: git.AllTags, Force: true})
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return nil, err
		}
		c.remoteHead(ctx, remote)
		return c, nil
	}
	fs := memfs.New()
	dot, err := fs.Chroot(git.GitDirName)
	if err != nil {
		return nil, err
	}
	st := filesystem.NewStorage(dot, cache.NewObjectLRUDefault())
	r, err := git.CloneContext(ctx, st, fs, &git.CloneOptions{URL: url, RemoteName: remote, Depth: depth, Tags: git.AllTags})
	if err != nil {
		return nil, err
	}
	c.fs, c.repo, c.tars = fs, r, map[string][]byte{}
	if head, err := r.Head(); err == nil {
		c.head = head.Name().Short()
	}
	return c, nil
}

// remoteHead updates head from the branch the remote's HEAD names, when
// it advertises that.
func (c *controllerRepo) remoteHead(ctx context.Context, remote string) {
	rem, err := c.repo.Remote(remote)
	if err != nil {
		return
	}
	refs, err := rem.ListContext(ctx, &git.ListOptions{})
	if err != nil {
		return
	}
	for _, ref := range refs {
		if ref.Name() == plumbing.HEAD && ref.Type() == plumbing.SymbolicReference {
			c.head = ref.Target().Short()
		}
	}
}

// checkout checks version out (HEAD, a branch, a tag or a commit), as
// Ansible's switch_version leaves it: a branch checked out and tracking the
// remote's, anything else detached; and packs the result.
func (c *controllerRepo) checkout(remote, version string) (*gitCheckout, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hash, branch, err := c.resolve(remote, version)
	if err != nil {
		return nil, err
	}
	key := hash.String() + " " + branch
	if tar, ok := c.tars[key]; ok {
		return &gitCheckout{head: hash.String(), tar: tar}, nil
	}
	w, err := c.repo.Worktree()
	if err != nil {
		return nil, err
	}
	opts := &git.CheckoutOptions{Hash: hash, Force: true}
	if branch != "" {
		ref := plumbing.NewBranchReferenceName(branch)
		if err := c.repo.Storer.SetReference(plumbing.NewHashReference(ref, hash)); err != nil {
			return nil, err
		}
		if _, err := c.repo.Branch(branch); err != nil {
			err = c.repo.CreateBranch(&config.Branch{Name: branch, Remote: remote, Merge: ref})
			if err != nil {
				return nil, err
			}
		}
		opts = &git.CheckoutOptions{Branch: ref, Force: true}
	}
	if err := w.Checkout(opts); err != nil {
		return nil, err
	}
	tar, err := tarFS(c.fs)
	if err != nil {
		return nil, err
	}
	c.tars[key] = tar
	return &gitCheckout{head: hash.String(), tar: tar}, nil
}

// resolve is what version names on the remote: the commit, and the branch
// to check out ("" for a detached HEAD), looked up as get_remote_head does
// (HEAD, branches, then tags, else a commit).
func (c *controllerRepo) resolve(remote, version string) (plumbing.Hash, string, error) {
	r := c.repo
	if version == "HEAD" {
		ref, err := r.Reference(plumbing.NewRemoteReferenceName(remote, c.head), true)
		if err != nil {
			return plumbing.ZeroHash, "", fmt.Errorf("the remote's HEAD branch %s: %w", c.head, err)
		}
		return ref.Hash(), c.head, nil
	}
	if ref, err := r.Reference(plumbing.NewRemoteReferenceName(remote, version), true); err == nil {
		return ref.Hash(), version, nil
	}
	if ref, err := r.Reference(plumbing.NewTagReferenceName(version), true); err == nil {
		if tag, err := r.TagObject(ref.Hash()); err == nil {
			commit, err := tag.Commit()
			if err != nil {
				return plumbing.ZeroHash, "", err
			}
			return commit.Hash, "", nil
		}
		return ref.Hash(), "", nil
	}
	h, err := r.ResolveRevision(plumbing.Revision(version))
	if err != nil {
		return plumbing.ZeroHash, "", fmt.Errorf("%s: %w", version, err)
	}
	if _, err := r.CommitObject(*h); err != nil {
		return plumbing.ZeroHash, "", fmt.Errorf("%s: %w", version, err)
	}
	return *h, "", nil
}

// trackedFiles are the regular files of commit's tree and the SHA-1 of
// their contents (what sha1sum prints), or nil when the commit is unknown here.
func (c *controllerRepo) trackedFiles(commit string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	co, err := c.repo.CommitObject(plumbing.NewHash(commit))
	if err != nil {
		return nil
	}
	files := map[string]string{}
	iter, err := co.Files()
	if err != nil {
		return nil
	}
	iter.ForEach(func(f *object.File) error {
		if f.Mode == filemode.Symlink || f.Mode == filemode.Submodule {
			files[f.Name] = ""
			return nil
		}
		r, err := f.Reader()
		if err != nil {
			return err
		}
		defer r.Close()
		h := sha1.New()
		io.Copy(h, r)
		files[f.Name] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return files
}

// patch is the diff between two commits, as `git diff BEFORE AFTER`.
func (c *controllerRepo) patch(before, after string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := c.repo.CommitObject(plumbing.NewHash(before))
	if err != nil {
		return "", err
	}
	a, err := c.repo.CommitObject(plumbing.NewHash(after))
	if err != nil {
		return "", err
	}
	p, err := b.Patch(a)
	if err != nil {
		return "", err
	}
	return indexLineRE.ReplaceAllString(p.String(), "index $1..$2"), nil
}

// indexLineRE is the "index OLD..NEW" line of go-git's patches, which
// names the blobs in full where git abbreviates them to 7 digits (git
// takes more digits in repositories with many objects or where 7 are
// ambiguous; gorun does not).
var indexLineRE = regexp.MustCompile(`(?m)^index ([0-9a-f]{7})[0-9a-f]{33}\.\.([0-9a-f]{7})[0-9a-f]{33}`)

// tarFS packs a billy filesystem: directories, files with their modes,
// symbolic links.
func tarFS(fs billy.Filesystem) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	var walk func(dir string) error
	walk = func(dir string) error {
		entries, err := fs.ReadDir(dir)
		if err != nil {
			return err
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			rel := strings.TrimPrefix(p, "/")
			switch {
			case e.IsDir():
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: rel + "/", Mode: 0o755}); err != nil {
					return err
				}
				if err := walk(p); err != nil {
					return err
				}
			case e.Mode()&os.ModeSymlink != 0:
				target, err := fs.Readlink(p)
				if err != nil {
					return err
				}
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: rel, Linkname: target, Mode: 0o777}); err != nil {
					return err
				}
			default:
				f, err := fs.Open(p)
				if err != nil {
					return err
				}
				data, err := io.ReadAll(f)
				f.Close()
				if err != nil {
					return err
				}
				mode := int64(0o644)
				if e.Mode()&0o111 != 0 {
					mode = 0o755
				}
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: rel, Mode: mode, Size: int64(len(data))}); err != nil {
					return err
				}
				if _, err := tw.Write(data); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk("/"); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// listTar is the set of the files and links in a tar stream.
func listTar(data []byte) map[string]bool {
	names := map[string]bool{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err != nil {
			return names
		}
		if h.Typeflag != tar.TypeDir {
			names[h.Name] = true
		}
	}
}
