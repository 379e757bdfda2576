package virt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/value"
	"gorun/modules/virt/internal/seed"
)

func TestKVMCloudinit(t *testing.T) {
	pool, dir := tempPool(t)
	ud := value.NewDict()
	ud.Set("packages", []any{"qemu-guest-agent"})
	ud.Set("runcmd", []any{"echo one\necho two\n"})
	args := func() map[string]any {
		return map[string]any{"pool": pool, "name": "web1-seed.iso", "hostname": "web1", "user_data": ud,
			"network_config": map[string]any{"version": 2}}
	}
	res := run(t, kvmCloudinit{}, false, true, args())
	if res["failed"] != nil || !res.Changed() || res["path"] != filepath.Join(dir, "web1-seed.iso") {
		t.Fatalf("create: %v", res)
	}
	img, err := os.ReadFile(filepath.Join(dir, "web1-seed.iso"))
	if err != nil {
		t.Fatal(err)
	}
	label, files, err := seed.Read(img)
	if err != nil || label != "cidata" {
		t.Fatalf("label %q, %v", label, err)
	}
	wantUD := "#cloud-config\npackages:\n  - qemu-guest-agent\nruncmd:\n  - |\n    echo one\n    echo two\n"
	if string(files["user-data"]) != wantUD {
		t.Errorf("user-data:\n%s\nwant:\n%s", files["user-data"], wantUD)
	}
	if string(files["meta-data"]) != "instance-id: web1\nlocal-hostname: web1\n" {
		t.Errorf("meta-data: %q", files["meta-data"])
	}
	if string(files["network-config"]) != "version: 2\n" {
		t.Errorf("network-config: %q", files["network-config"])
	}
	if res := run(t, kvmCloudinit{}, false, false, args()); res.Changed() {
		t.Errorf("same seed again changed: %v", res)
	}
	changed := args()
	changed["hostname"] = "web2"
	res = run(t, kvmCloudinit{}, true, true, changed)
	d, _ := res["diff"].(map[string]any)
	if !res.Changed() || d == nil || !strings.Contains(d["after"].(string), "local-hostname: web2") {
		t.Fatalf("check-mode change: %v", res)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "web1-seed.iso")); string(again) != string(img) {
		t.Fatal("check mode rewrote the seed")
	}
	if res := run(t, kvmCloudinit{}, false, false, changed); !res.Changed() {
		t.Fatalf("change: %v", res)
	}
	img, _ = os.ReadFile(filepath.Join(dir, "web1-seed.iso"))
	if _, files, _ := seed.Read(img); !strings.Contains(string(files["meta-data"]), "web2") {
		t.Errorf("meta-data after change: %q", files["meta-data"])
	}
}
