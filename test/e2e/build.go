package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var build struct {
	once sync.Once
	path string
	err  error
}

// Gorun returns the path of a gorun binary built from this module's
// current source (./cmd/gorun). The binary is shared by every test process
// of the machine: it is kept under the system's temp dir, named after a
// hash of the source (every file that can go into the build, with the Go
// version and GOFLAGS), and built under a file lock, so that the dozen test
// packages of `go test ./...` build it once between them instead of once
// each, and a change to the source builds a new one. A build failure fails
// the test.
func Gorun(t testing.TB) string {
	t.Helper()
	build.once.Do(func() { build.path, build.err = sharedGorun() })
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

func sharedGorun() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	rootSum := sha256.Sum256([]byte(root))
	dir := filepath.Join(os.TempDir(), "gorun-e2e-"+hex.EncodeToString(rootSum[:6]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("e2e: %w", err)
	}
	key, err := sourceKey(root)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "gorun-"+key)
	unlock, err := lockFile(filepath.Join(dir, "lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() {
		return bin, nil
	}
	if err := buildGorun(root, dir, bin); err != nil {
		return "", err
	}
	removeStaleBinaries(dir, bin)
	return bin, nil
}

// buildGorun builds ./cmd/gorun of root into bin, through a temporary file
// in dir renamed into place.
func buildGorun(root, dir, bin string) error {
	tmp, err := os.CreateTemp(dir, "gorun-*.tmp")
	if err != nil {
		return fmt.Errorf("e2e: %w", err)
	}
	tmp.Close()
	cmd := exec.Command("go", "build", "-o", tmp.Name(), "./cmd/gorun")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("e2e: go build ./cmd/gorun in %s: %v\n%s", root, err, out)
	}
	if err := os.Rename(tmp.Name(), bin); err != nil {
		return fmt.Errorf("e2e: %w", err)
	}
	return nil
}

// sourceKey hashes what the gorun binary is built from: every file of the
// module but tests, test data, version control and built binaries (Go
// files, go.mod, go.sum and embedded files among them), and the Go
// version and build settings of the environment.
func sourceKey(root string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", runtime.Version(), os.Getenv("GOFLAGS"), os.Getenv("CGO_ENABLED"), os.Getenv("GOEXPERIMENT"))
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		name := d.Name()
		if d.IsDir() {
			if rel != "." && (name == ".git" || name == "testdata" || rel == "bin" || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", rel, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("e2e: hashing the source under %s: %w", root, err)
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// lockFile takes an exclusive lock on path (created if needed) and returns
// its release. Other test processes wait for the lock.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("e2e: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("e2e: locking %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// removeStaleBinaries removes binaries of other sources that nobody has
// built for a day; a test process still running one keeps its copy.
func removeStaleBinaries(dir, keep string) {
	old, _ := filepath.Glob(filepath.Join(dir, "gorun-*"))
	for _, p := range old {
		if fi, err := os.Stat(p); err == nil && p != keep && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(p)
		}
	}
}

// moduleRoot is the directory of the go.mod this package belongs to.
func moduleRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	dir := filepath.Dir(file)
	if !ok || !filepath.IsAbs(dir) {
		dir = "."
	}
	cmd := exec.Command("go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("e2e: finding the module root from %s: %v", dir, err)
	}
	return filepath.Dir(gomod), nil
}
