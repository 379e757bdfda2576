package galaxy

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// roleRepo makes a bare repository holding a role through two commits:
// v1.0 (tagged, annotated) and a later commit on the default branch.
// It returns the bare repository's path and the two commit hashes.
func roleRepo(t *testing.T) (bare, first, second string) {
	t.Helper()
	work := t.TempDir()
	repo, err := git.PlainInit(work, false)
	if err != nil {
		t.Fatal(err)
	}
	commit := func(content, msg string) string {
		p := filepath.Join(work, "tasks", "main.yml")
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		wt, _ := repo.Worktree()
		if err := wt.AddGlob("."); err != nil {
			t.Fatal(err)
		}
		h, err := wt.Commit(msg, &git.CommitOptions{Author: &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}})
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	first = commit("- debug: msg=v1\n", "v1")
	sig := &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}
	if _, err := repo.CreateTag("v1.0", mustHash(first), &git.CreateTagOptions{Tagger: sig, Message: "v1.0"}); err != nil {
		t.Fatal(err)
	}
	second = commit("- debug: msg=v2\n", "v2")
	bare = filepath.Join(t.TempDir(), "myrole.git")
	if _, err := git.PlainClone(bare, true, &git.CloneOptions{URL: work, Tags: git.AllTags}); err != nil {
		t.Fatal(err)
	}
	// Make the bare repository servable by git http-backend.
	r, _ := git.PlainOpen(bare)
	cfg, _ := r.Config()
	cfg.Raw.Section("http").SetOption("receivepack", "false")
	_ = r.SetConfig(cfg)
	return bare, first, second
}

func tasksOf(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "tasks", "main.yml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInstallFromFileURLAtTagAndCommit(t *testing.T) {
	bare, first, second := roleRepo(t)
	dir := t.TempDir()
	req := filepath.Join(dir, "requirements.yml")
	os.WriteFile(req, []byte("roles:\n  - src: git+file://"+bare+"\n    version: v1.0\n  - name: pinned\n    src: file://"+bare+"\n    scm: git\n    version: "+second[:12]+"\n"), 0o644)
	reqs, err := ReadRequirements(req)
	if err != nil {
		t.Fatal(err)
	}
	if reqs[0].Name != "myrole" || reqs[0].SCM != "git" || reqs[0].Version != "v1.0" {
		t.Fatalf("parsed %+v", reqs[0])
	}
	var log []string
	in := &Installer{RolesPath: filepath.Join(dir, "roles"), Log: func(s string) { log = append(log, s) }, Getenv: func(string) string { return "" }}
	if err := in.Install(reqs); err != nil {
		t.Fatal(err)
	}
	if got := tasksOf(t, filepath.Join(dir, "roles", "myrole")); got != "- debug: msg=v1\n" {
		t.Errorf("myrole at v1.0 has %q", got)
	}
	if got := tasksOf(t, filepath.Join(dir, "roles", "pinned")); got != "- debug: msg=v2\n" {
		t.Errorf("pinned at %s has %q", second[:12], got)
	}
	if _, err := os.Stat(filepath.Join(dir, "roles", "myrole", ".git")); err == nil {
		t.Errorf("the installed role keeps .git")
	}
	// Idempotent: a second run changes nothing and says so.
	log = nil
	if err := in.Install(reqs); err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || !strings.Contains(log[0], "already installed, skipping") {
		t.Errorf("second install: %v", log)
	}
	// A different version needs --force.
	reqs[0].Version = first
	log = nil
	if err := in.Install(reqs[:1]); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log[0], "use --force") {
		t.Errorf("version change without --force: %v", log)
	}
	in.Force = true
	reqs[0].Version = second
	if err := in.Install(reqs[:1]); err != nil {
		t.Fatal(err)
	}
	if got := tasksOf(t, filepath.Join(dir, "roles", "myrole")); got != "- debug: msg=v2\n" {
		t.Errorf("forced reinstall at %s has %q", second, got)
	}
	// An unknown version is an error and leaves the installed role alone.
	reqs[0].Version = "v9"
	if err := in.Install(reqs[:1]); err == nil || !strings.Contains(err.Error(), `"v9"`) {
		t.Errorf("unknown version: %v", err)
	}
	if got := tasksOf(t, filepath.Join(dir, "roles", "myrole")); got != "- debug: msg=v2\n" {
		t.Errorf("failed install damaged the role: %q", got)
	}
}

// gitHTTPServer serves the directory holding bare repositories with git
// http-backend (smart HTTP), checking basic auth when user is set.
func gitHTTPServer(t *testing.T, root, user, pass string) *httptest.Server {
	t.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git is not installed")
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	h := &cgi.Handler{Path: backend, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user != "" {
			u, p, ok := r.BasicAuth()
			if !ok || u != user || p != pass {
				w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestInstallOverHTTPWithJobToken(t *testing.T) {
	bare, first, _ := roleRepo(t)
	srv := gitHTTPServer(t, filepath.Dir(bare), "gitlab-ci-token", "s3cret")
	url := srv.URL + "/myrole.git"
	dir := t.TempDir()
	env := map[string]string{"CI_JOB_TOKEN": "s3cret", "CI_SERVER_HOST": "127.0.0.1"}
	in := &Installer{RolesPath: dir, Getenv: func(k string) string { return env[k] }}
	reqs := []Requirement{{Name: "tagged", Src: url, SCM: "git", Version: "v1.0"}, {Name: "commit", Src: url, SCM: "git", Version: first}}
	if err := in.Install(reqs); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"tagged", "commit"} {
		if got := tasksOf(t, filepath.Join(dir, n)); got != "- debug: msg=v1\n" {
			t.Errorf("%s has %q", n, got)
		}
	}
	// Without the token the server refuses, and the error says which repository.
	in = &Installer{RolesPath: t.TempDir(), Getenv: func(string) string { return "" }}
	if err := in.Install(reqs[:1]); err == nil || !strings.Contains(err.Error(), url) {
		t.Errorf("install without credentials: %v", err)
	}
	// The job token goes only to the CI server's own host.
	other := map[string]string{"CI_JOB_TOKEN": "s3cret", "CI_SERVER_HOST": "gitlab.example.com"}
	in = &Installer{RolesPath: t.TempDir(), Getenv: func(k string) string { return other[k] }}
	if err := in.Install(reqs[:1]); err == nil {
		t.Errorf("the job token was sent to a host other than CI_SERVER_HOST")
	}
}

func TestInstallArchiveByURL(t *testing.T) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, data := range map[string]string{"arole-1.2/tasks/main.yml": "- debug: msg=archive\n", "arole-1.2/meta/main.yml": "galaxy_info: {}\n"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write([]byte(data))
	}
	tw.Close()
	gz.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(buf.Bytes()) }))
	defer srv.Close()
	r, err := ParseRequirement(srv.URL + "/arole.tar.gz,1.2")
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "arole" || r.SCM != "" || r.Version != "1.2" {
		t.Fatalf("parsed %+v", r)
	}
	dir := t.TempDir()
	if err := (&Installer{RolesPath: dir}).Install([]Requirement{r}); err != nil {
		t.Fatal(err)
	}
	if got := tasksOf(t, filepath.Join(dir, "arole")); got != "- debug: msg=archive\n" {
		t.Errorf("archive role has %q", got)
	}
}

func TestUnsupportedRequirementsFailLoudly(t *testing.T) {
	for _, src := range []string{"geerlingguy.nginx", "hg+https://example.com/x"} {
		if _, err := ParseRequirement(src); err == nil {
			t.Errorf("%s should be rejected", src)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "req.yml")
	os.WriteFile(p, []byte("collections:\n  - community.general\n"), 0o644)
	if _, err := ReadRequirements(p); err == nil || !strings.Contains(err.Error(), "collections") {
		t.Errorf("collections: %v", err)
	}
}

func mustHash(s string) plumbing.Hash { return plumbing.NewHash(s) }
