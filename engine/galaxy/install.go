package galaxy

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// Installer installs roles into a roles directory.
type Installer struct {
	// RolesPath is the directory roles go into (the first roles_path entry
	// or --roles-path).
	RolesPath string
	// Force reinstalls roles already present.
	Force bool
	// Getenv reads credentials: CI_JOB_TOKEN (with CI_SERVER_HOST) or
	// GORUN_GIT_USERNAME/GORUN_GIT_PASSWORD for HTTPS, GORUN_GIT_SSH_KEY
	// (a private key file) for SSH. nil means os.Getenv.
	Getenv func(string) string
	// Log receives ansible-galaxy's progress lines.
	Log func(string)
	// HTTPClient fetches archives; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// infoFile is meta/.galaxy_install_info, which makes installs idempotent.
const infoFile = ".galaxy_install_info"

// Install installs each requirement in turn.
func (in *Installer) Install(reqs []Requirement) error {
	for _, r := range reqs {
		if err := in.install(r); err != nil {
			return fmt.Errorf("- %s: %w", r.Name, err)
		}
	}
	return nil
}

func (in *Installer) log(format string, args ...any) {
	if in.Log != nil {
		in.Log(fmt.Sprintf(format, args...))
	}
}

func (in *Installer) getenv(k string) string {
	if in.Getenv != nil {
		return in.Getenv(k)
	}
	return os.Getenv(k)
}

func (in *Installer) install(r Requirement) error {
	dest := filepath.Join(in.RolesPath, r.Name)
	if installed, ok := installedVersion(dest); ok {
		switch {
		case installed == r.Version && !in.Force:
			in.log("- %s (%s) is already installed, skipping.", r.Name, shown(r.Version))
			return nil
		case !in.Force:
			in.log("- %s (%s) is already installed - use --force to change version to %s", r.Name, shown(installed), shown(r.Version))
			return nil
		}
	} else if _, err := os.Stat(dest); err == nil && !in.Force {
		return fmt.Errorf("the specified role %s appears to already exist. Use --force to replace it.", r.Name)
	}
	in.log("- extracting %s to %s", r.Name, dest)
	// Fetch beside the destination, then swap, so a failed install leaves
	// any previous version in place.
	if err := os.MkdirAll(in.RolesPath, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(in.RolesPath, "."+r.Name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if r.SCM == "git" {
		err = in.clone(r, tmp)
	} else {
		err = in.fetchArchive(r, tmp)
	}
	if err != nil {
		return err
	}
	if err := writeInstallInfo(tmp, r.Version); err != nil {
		return err
	}
	if err := os.RemoveAll(dest); err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	in.log("- %s (%s) was installed successfully", r.Name, shown(r.Version))
	return nil
}

func shown(version string) string {
	if version == "" {
		return "unknown version"
	}
	return version
}

// installedVersion reads the version recorded by a previous install.
func installedVersion(dest string) (string, bool) {
	v, _, err := yamlx.LoadFile(filepath.Join(dest, "meta", infoFile))
	if err != nil || !value.IsMapping(v) {
		return "", false
	}
	ver, _ := value.Lookup(v, "version")
	if ver == nil {
		return "", true
	}
	return fmt.Sprint(ver), true
}

func writeInstallInfo(dir, version string) error {
	if err := os.MkdirAll(filepath.Join(dir, "meta"), 0o755); err != nil {
		return err
	}
	info := fmt.Sprintf("install_date: '%s'\nversion: '%s'\n", time.Now().UTC().Format("Mon Jan 2 15:04:05 2006"), strings.ReplaceAll(version, "'", "''"))
	return os.WriteFile(filepath.Join(dir, "meta", infoFile), []byte(info), 0o644)
}

// clone checks out r.Version (a branch or tag by name, else a commit) of
// the repository into dir and drops .git, as ansible-galaxy's git archive does.
func (in *Installer) clone(r Requirement, dir string) error {
	auth, err := in.auth(r.Src)
	if err != nil {
		return err
	}
	opts := &git.CloneOptions{URL: r.Src, Auth: auth, Tags: git.AllTags}
	repo, err := git.PlainClone(dir, false, opts)
	if err != nil {
		return fmt.Errorf("cloning %s: %w", redact(r.Src), err)
	}
	if r.Version != "" {
		hash, err := resolveVersion(repo, r.Version)
		if err != nil {
			return fmt.Errorf("%s: %w", redact(r.Src), err)
		}
		wt, err := repo.Worktree()
		if err != nil {
			return err
		}
		if err := wt.Checkout(&git.CheckoutOptions{Hash: hash, Force: true}); err != nil {
			return fmt.Errorf("checking out %s: %w", r.Version, err)
		}
	}
	return os.RemoveAll(filepath.Join(dir, ".git"))
}

// resolveVersion finds a tag, a remote branch, or a commit (also abbreviated).
func resolveVersion(repo *git.Repository, version string) (plumbing.Hash, error) {
	for _, rev := range []string{"refs/tags/" + version, "refs/remotes/origin/" + version, version} {
		if h, err := repo.ResolveRevision(plumbing.Revision(rev)); err == nil {
			// A tag may be annotated: check out the commit it points to.
			if c, err := repo.CommitObject(*h); err == nil {
				return c.Hash, nil
			}
			if t, err := repo.TagObject(*h); err == nil {
				if c, err := t.Commit(); err == nil {
					return c.Hash, nil
				}
			}
		}
	}
	return plumbing.ZeroHash, fmt.Errorf("version %q is not a tag, branch or commit of the repository", version)
}

// auth picks credentials for src from the environment: HTTPS with a CI job
// token (user gitlab-ci-token) for the CI server's host, or explicit
// username and password; SSH with a deploy key file.
func (in *Installer) auth(src string) (transport.AuthMethod, error) {
	ep, err := transport.NewEndpoint(src)
	if err != nil {
		return nil, fmt.Errorf("bad repository address %q: %w", src, err)
	}
	switch ep.Protocol {
	case "http", "https":
		if ep.User != "" {
			return nil, nil // credentials in the URL
		}
		if u, p := in.getenv("GORUN_GIT_USERNAME"), in.getenv("GORUN_GIT_PASSWORD"); p != "" {
			if u == "" {
				u = "oauth2"
			}
			return &githttp.BasicAuth{Username: u, Password: p}, nil
		}
		if tok := in.getenv("CI_JOB_TOKEN"); tok != "" {
			if host := in.getenv("CI_SERVER_HOST"); host == "" || host == ep.Host {
				return &githttp.BasicAuth{Username: "gitlab-ci-token", Password: tok}, nil
			}
		}
	case "ssh":
		if key := in.getenv("GORUN_GIT_SSH_KEY"); key != "" {
			user := ep.User
			if user == "" {
				user = "git"
			}
			a, err := gitssh.NewPublicKeysFromFile(user, key, in.getenv("GORUN_GIT_SSH_KEY_PASSPHRASE"))
			if err != nil {
				return nil, fmt.Errorf("deploy key %s: %w", key, err)
			}
			return a, nil
		}
	}
	return nil, nil
}

// redact hides a password in a URL for messages.
func redact(src string) string {
	if u, err := url.Parse(src); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return src
}

// fetchArchive downloads a .tar.gz (or .tar) role archive into dir; a
// single top-level directory in the archive is the role itself.
func (in *Installer) fetchArchive(r Requirement, dir string) error {
	var body io.ReadCloser
	if strings.HasPrefix(r.Src, "file://") {
		f, err := os.Open(strings.TrimPrefix(r.Src, "file://"))
		if err != nil {
			return err
		}
		body = f
	} else {
		client := in.HTTPClient
		if client == nil {
			client = http.DefaultClient
		}
		resp, err := client.Get(r.Src)
		if err != nil {
			return fmt.Errorf("downloading %s: %w", redact(r.Src), err)
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return fmt.Errorf("downloading %s: %s", redact(r.Src), resp.Status)
		}
		body = resp.Body
	}
	defer body.Close()
	var rd io.Reader = body
	if !strings.HasSuffix(r.Src, ".tar") {
		gz, err := gzip.NewReader(body)
		if err != nil {
			return fmt.Errorf("%s: not a gzip archive: %w", redact(r.Src), err)
		}
		rd = gz
	}
	return extractTar(tar.NewReader(rd), dir)
}

// extractTar writes the archive's files under dir, stripping a single
// common top directory, refusing paths that leave dir.
func extractTar(tr *tar.Reader, dir string) error {
	type entry struct {
		hdr  *tar.Header
		data []byte
	}
	var entries []entry
	tops := map[string]bool{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(filepath.ToSlash(filepath.Clean(h.Name)), "./")
		if name == "." || name == "pax_global_header" {
			continue
		}
		h.Name = name
		tops[strings.Split(name, "/")[0]] = true
		var data []byte
		if h.Typeflag == tar.TypeReg {
			if data, err = io.ReadAll(tr); err != nil {
				return err
			}
		}
		entries = append(entries, entry{h, data})
	}
	strip := ""
	if len(tops) == 1 {
		for t := range tops {
			strip = t + "/"
		}
	}
	for _, e := range entries {
		name := strings.TrimPrefix(e.hdr.Name, strip)
		if name == "" || name+"/" == strip {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		if !strings.HasPrefix(target, filepath.Clean(dir)+string(filepath.Separator)) {
			return fmt.Errorf("archive entry %q leaves the role directory", e.hdr.Name)
		}
		switch e.hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(target, e.data, os.FileMode(e.hdr.Mode)&0o777|0o600); err != nil {
				return err
			}
		}
	}
	return nil
}
