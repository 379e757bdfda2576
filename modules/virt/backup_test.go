package virt

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/libvirt/libvirttest"
	"gorun/test/e2e"
)

// TestBackupPlaybook backs a running guest up with playbooks/vm-backup.yml
// (gorun.kvm.backup, snapshot mode) and checks the copy, its SHA256SUMS
// (with sha256sum) and that the guest still runs afterwards.
func TestBackupPlaybook(t *testing.T) {
	pool, _ := tempPool(t)
	vm := libvirttest.Name("gb")
	t.Cleanup(func() { run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "absent"}) })
	work := t.TempDir()
	img := filepath.Join(work, "disk.img")
	data := []byte(strings.Repeat("a disk worth keeping\n", 20000))
	os.WriteFile(img, data, 0o644)
	if res := run(t, kvmVolume{}, false, false, map[string]any{"pool": pool, "name": vm + ".raw", "format": "raw", "upload": img}); res.IsFailed() {
		t.Fatal(res)
	}
	if res := run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "running", "memory": 64, "cpu_model": "",
		"disks": []any{map[string]any{"pool": pool, "volume": vm + ".raw", "format": "raw"}}}); res.IsFailed() {
		t.Fatal(res)
	}
	inv := filepath.Join(work, "hosts")
	os.WriteFile(inv, []byte("[kvm]\nkvm1 ansible_connection=local\n\n[vms]\n"+vm+" kvm_host=kvm1 kvm_pool="+pool+" vm_shutdown_timeout=1\n"), 0o644)
	backups := filepath.Join(work, "backups")
	pb, _ := filepath.Abs("../../playbooks/vm-backup.yml")
	res := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, pb, "-e", "backup_dir=" + backups, "-e", "stamp=s1"}, e2e.Options{Dir: work})
	if res.ExitCode != 0 {
		t.Fatalf("vm-backup.yml (exit %d):\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	dir := filepath.Join(backups, vm, "s1")
	if got, err := os.ReadFile(filepath.Join(dir, vm+".raw")); err != nil || string(got) != string(data) {
		t.Errorf("backup differs (%d bytes, %v)", len(got), err)
	}
	cmd := exec.Command("sha256sum", "-c", "SHA256SUMS")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v %s", err, out)
	}
	if st := run(t, virt{}, false, false, map[string]any{"name": vm, "command": "status"}); st["status"] != "running" {
		t.Errorf("guest after backup: %v", st)
	}
}
