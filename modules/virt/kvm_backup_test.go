package virt

import (
	golibvirt "github.com/digitalocean/go-libvirt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/libvirt/libvirttest"
	"gorun/engine/module"
)

// TestKVMBackupModule backs a running guest up with gorun.kvm.backup
// (external snapshot, copy, block commit: the guest keeps running and ends
// up on its own disk again, with no overlay left), checks check mode,
// retention and reruns, then damages the disk and restores it. The guest
// has no operating system: QEMU's block layer is all a snapshot needs.
func TestKVMBackupModule(t *testing.T) {
	pool, poolDir := tempPool(t)
	vm := libvirttest.Name("gk")
	t.Cleanup(func() { run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "absent"}) })
	work := t.TempDir()
	good := []byte(strings.Repeat("the disk as it was\n", 30000))
	img := filepath.Join(work, "disk.img")
	os.WriteFile(img, good, 0o644)
	if res := run(t, kvmVolume{}, false, false, map[string]any{"pool": pool, "name": vm + ".raw", "format": "raw", "upload": img}); res.IsFailed() {
		t.Fatal(res)
	}
	if res := run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "running", "memory": 64, "cpu_model": "", "domain_type": "qemu",
		"disks": []any{map[string]any{"pool": pool, "volume": vm + ".raw", "format": "raw"}}}); res.IsFailed() {
		t.Fatal(res)
	}
	dest := filepath.Join(work, "backups")
	backup := func(check bool, stamp string) module.Result {
		t.Helper()
		res := run(t, kvmBackup{}, check, false, map[string]any{"name": vm, "dest": dest, "stamp": stamp, "keep": 2})
		if res.IsFailed() {
			t.Fatalf("backup %s: %v", stamp, res)
		}
		return res
	}
	running := func() {
		t.Helper()
		if st := run(t, virt{}, false, false, map[string]any{"name": vm, "command": "status"}); st["status"] != "running" {
			t.Errorf("the guest is %v", st["status"])
		}
	}

	res := backup(false, "s1")
	if res["mode"] != "snapshot" || !res.Changed() {
		t.Errorf("first backup: %v", res)
	}
	if got, err := os.ReadFile(filepath.Join(dest, vm, "s1", vm+".raw")); err != nil || string(got) != string(good) {
		t.Errorf("the backup differs (%d bytes, %v)", len(got), err)
	}
	running()
	if x, _ := localLibvirt(t).DomainGetXMLDesc(guestDomain(t, vm), 0); !strings.Contains(x, "<disk") || strings.Contains(x, overlaySuffix) {
		t.Errorf("the guest is not back on its own disk:\n%s", x)
	}
	if left, _ := filepath.Glob(filepath.Join(poolDir, "*"+overlaySuffix)); len(left) > 0 {
		t.Errorf("overlays left behind: %v", left)
	}

	if res := backup(false, "s1"); res.Changed() {
		t.Errorf("rerun of s1 changed: %v", res)
	}
	res = backup(true, "s2")
	if !res.Changed() || len(res["plan"].([]any)) == 0 {
		t.Errorf("check mode: %v", res)
	}
	if _, err := os.Stat(filepath.Join(dest, vm, "s2")); err == nil {
		t.Errorf("check mode wrote s2")
	}
	backup(false, "s2")
	res = backup(false, "s3")
	if removed, _ := res["removed"].([]any); len(removed) != 1 || removed[0] != "s1" {
		t.Errorf("keep=2 removed %v", res["removed"])
	}
	if _, err := os.Stat(filepath.Join(dest, vm, "s1")); err == nil {
		t.Errorf("s1 is still there")
	}

	// Damage the disk, restore the latest backup.
	os.WriteFile(img, []byte(strings.Repeat("garbage\n", 1000)), 0o644)
	if res := run(t, kvmVolume{}, false, false, map[string]any{"pool": pool, "name": vm + ".raw", "format": "raw", "upload": img, "force": true}); res.IsFailed() {
		t.Fatal(res)
	}
	restore := map[string]any{"name": vm, "dest": dest, "state": "restored", "shutdown_timeout": 1}
	res = run(t, kvmBackup{}, false, false, restore)
	if res.IsFailed() || res["stamp"] != "s3" || !res.Changed() {
		t.Fatalf("restore: %v", res)
	}
	if got, err := os.ReadFile(filepath.Join(poolDir, vm+".raw")); err != nil || string(got) != string(good) {
		t.Errorf("the restored disk differs (%d bytes, %v)", len(got), err)
	}
	running()
	if res := run(t, kvmBackup{}, false, false, restore); res.IsFailed() || res.Changed() {
		t.Errorf("second restore: %v", res)
	}
}

// guestDomain looks a guest up on this machine's libvirtd.
func guestDomain(t *testing.T, name string) golibvirt.Domain {
	t.Helper()
	dom, err := localLibvirt(t).DomainLookupByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return dom
}
