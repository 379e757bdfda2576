package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var build struct {
	once sync.Once
	path string
	err  error
}

// Gorun builds ./cmd/gorun of this module, once per test process, and
// returns the binary's path. The binary lives in a directory of the
// system's temp dir named after the module's root, so repeated test runs
// replace one file instead of leaving a new one each time, and concurrent
// test processes (which build the same source) swap it in atomically. A
// build failure fails the test.
func Gorun(t testing.TB) string {
	t.Helper()
	build.once.Do(func() { build.path, build.err = buildGorun() })
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

func buildGorun() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(root))
	dir := filepath.Join(os.TempDir(), "gorun-e2e-"+hex.EncodeToString(sum[:6]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("e2e: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "gorun-*.tmp")
	if err != nil {
		return "", fmt.Errorf("e2e: %w", err)
	}
	tmp.Close()
	cmd := exec.Command("go", "build", "-o", tmp.Name(), "./cmd/gorun")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("e2e: go build ./cmd/gorun in %s: %v\n%s", root, err, out)
	}
	bin := filepath.Join(dir, "gorun")
	if err := os.Rename(tmp.Name(), bin); err != nil {
		return "", fmt.Errorf("e2e: %w", err)
	}
	return bin, nil
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
