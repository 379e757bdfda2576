package virt

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gorun/engine/connection"
	"gorun/engine/libvirt"
	"gorun/engine/libvirt/libvirttest"
)

// tempPool defines and starts a dir pool in a temporary directory on the
// real daemon's qemu:///system, removed when the test ends.
func tempPool(t *testing.T) (name, dir string) {
	t.Helper()
	libvirttest.Ensure(t)
	c, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	lv, err := libvirt.Open(context.Background(), c, "localhost", "qemu:///system", false)
	if err != nil {
		t.Fatal(err)
	}
	// qemu runs as libvirt-qemu: the pool's directory must be reachable for it.
	name, dir = libvirttest.Name("gp"), t.TempDir()
	for d := dir; d != "/tmp" && d != "/"; d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
	pool, err := lv.StoragePoolDefineXML("<pool type='dir'><name>"+name+"</name><target><path>"+dir+"</path></target></pool>", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := lv.StoragePoolCreate(pool, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		lv.StoragePoolDestroy(pool)
		lv.StoragePoolUndefine(pool)
	})
	return name, dir
}

func TestKVMVolume(t *testing.T) {
	pool, dir := tempPool(t)
	src := filepath.Join(t.TempDir(), "base.img")
	data := make([]byte, 1<<20)
	rand.Read(data)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	vol := func(check bool, args map[string]any) map[string]any {
		args["pool"] = pool
		return run(t, kvmVolume{}, check, false, args)
	}

	if res := vol(true, map[string]any{"name": "base.raw", "format": "raw", "upload": src}); !res["changed"].(bool) {
		t.Fatalf("check-mode upload: %v", res)
	}
	if _, err := os.Stat(filepath.Join(dir, "base.raw")); err == nil {
		t.Fatal("check mode created the volume")
	}
	res := vol(false, map[string]any{"name": "base.raw", "format": "raw", "upload": src})
	if res["failed"] != nil || res["uploaded"] != int64(len(data)) || res["capacity"] != len(data) || res["path"] != filepath.Join(dir, "base.raw") {
		t.Fatalf("upload: %v", res)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "base.raw")); !bytes.Equal(got, data) {
		t.Fatal("the uploaded volume differs from the file")
	}
	if res := vol(false, map[string]any{"name": "base.raw", "format": "raw", "upload": src}); res["changed"].(bool) {
		t.Errorf("second upload changed: %v", res)
	}

	res = vol(false, map[string]any{"name": "web.qcow2", "backing": "base.raw", "capacity": "4M"})
	if res["failed"] != nil || res["format"] != "qcow2" || res["capacity"] != 4<<20 || !res["changed"].(bool) {
		t.Fatalf("overlay: %v", res)
	}
	if res := vol(false, map[string]any{"name": "web.qcow2", "backing": "base.raw", "capacity": "8M"}); !res["changed"].(bool) || res["resized"] != true || res["capacity"] != 8<<20 {
		t.Fatalf("grow: %v", res)
	}
	if res := vol(false, map[string]any{"name": "web.qcow2", "capacity": "2M"}); res["failed"] != true {
		t.Fatalf("shrink did not fail: %v", res)
	}

	if res := vol(false, map[string]any{"name": "copy.raw", "format": "raw", "clone": "base.raw"}); res["failed"] != nil || res["capacity"] != len(data) {
		t.Fatalf("clone: %v", res)
	}
	dest := filepath.Join(t.TempDir(), "copy.img")
	if res := vol(false, map[string]any{"name": "copy.raw", "download": dest}); res["downloaded"] != dest {
		t.Fatalf("download: %v", res)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, data) {
		t.Fatal("the downloaded clone differs from the uploaded file")
	}
	want := fmt.Sprintf("%x", sha256.Sum256(data))
	if res := vol(false, map[string]any{"name": "base.raw", "checksum": true}); res["sha256"] != want {
		t.Errorf("checksum %v, want %s", res["sha256"], want)
	}

	if res := vol(false, map[string]any{"name": "copy.raw", "state": "absent"}); !res["changed"].(bool) {
		t.Fatalf("absent: %v", res)
	}
	if _, err := os.Stat(filepath.Join(dir, "copy.raw")); err == nil {
		t.Fatal("state=absent left the file")
	}
	if res := vol(false, map[string]any{"name": "copy.raw", "state": "absent"}); res["changed"].(bool) {
		t.Errorf("second absent changed: %v", res)
	}
}
