package gitlabci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/galaxy"
	"gorun/test/labenv"
)

// TestGalaxyInstallOverSSHWithDeployKey installs a role from a bare
// repository on a lab host over SSH, authenticating with a key file as a
// CI job does with a deploy key, at a tag.
func TestGalaxyInstallOverSSHWithDeployKey(t *testing.T) {
	lab := labenv.ForTest(t, 1)
	h := lab.Targets()[0]
	script := `set -e
rm -rf /root/work /root/role.git
mkdir -p /root/work/tasks && cd /root/work
git init -q -b main
echo '- debug: msg=over-ssh' > tasks/main.yml
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm v1
git tag v1.0
echo '- debug: msg=later' > tasks/main.yml
git -c user.name=t -c user.email=t@example.com commit -qam v2
git clone -q --bare /root/work /root/role.git`
	if out, err := lab.Exec(h.Host, "sh", "-c", script); err != nil {
		t.Fatalf("making the repository on %s: %v\n%s", h.Name, err, out)
	}
	t.Setenv("SSH_KNOWN_HOSTS", lab.KnownHostsFile)
	dest := t.TempDir()
	env := map[string]string{"GORUN_GIT_SSH_KEY": lab.KeyFile}
	in := &galaxy.Installer{RolesPath: dest, Getenv: func(k string) string { return env[k] }}
	src := "ssh://root@" + h.Addr + "/root/role.git"
	if err := in.Install([]galaxy.Requirement{{Name: "sshrole", Src: src, SCM: "git", Version: "v1.0"}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dest, "sshrole", "tasks", "main.yml"))
	if err != nil || string(b) != "- debug: msg=over-ssh\n" {
		t.Errorf("installed role: %q %v", b, err)
	}
	// Without the key the server refuses.
	in = &galaxy.Installer{RolesPath: t.TempDir(), Getenv: func(string) string { return "" }}
	t.Setenv("SSH_AUTH_SOCK", "")
	err = in.Install([]galaxy.Requirement{{Name: "sshrole", Src: src, SCM: "git", Version: "v1.0"}})
	if err == nil || !strings.Contains(err.Error(), src) {
		t.Errorf("install without a key: %v", err)
	}
}
