package virt

import (
	"testing"

	"gorun/engine/libvirt/libvirttest"
)

func TestKVMGuestDeclarative(t *testing.T) {
	pool, _ := tempPool(t)
	name := libvirttest.Name("gg")
	if res := run(t, kvmVolume{}, false, false, map[string]any{"pool": pool, "name": "disk.qcow2", "capacity": "16M"}); res.IsFailed() {
		t.Fatal(res)
	}
	if res := run(t, kvmCloudinit{}, false, false, map[string]any{"pool": pool, "name": "seed.iso", "hostname": name}); res.IsFailed() {
		t.Fatal(res)
	}
	args := func(mem int) map[string]any {
		return map[string]any{
			"name": name, "state": "present", "memory": mem, "vcpus": 2, "machine": "q35",
			"disks":     []any{map[string]any{"pool": pool, "volume": "disk.qcow2"}},
			"nics":      []any{map[string]any{"bridge": "gorunbr0"}},
			"cloudinit": map[string]any{"pool": pool, "volume": "seed.iso"},
		}
	}
	t.Cleanup(func() { run(t, kvmGuest{}, false, false, map[string]any{"name": name, "state": "absent"}) })

	if res := run(t, kvmGuest{}, true, false, args(256)); !res.Changed() || res["created"] != true {
		t.Fatalf("check-mode create: %v", res)
	}
	res := run(t, kvmGuest{}, false, false, args(256))
	if res.IsFailed() || !res.Changed() || res["status"] != "shutdown" {
		t.Fatalf("create: %v", res)
	}
	macs := res["macs"].([]any)
	if len(macs) != 1 || macs[0] == "" {
		t.Fatalf("macs %v", macs)
	}
	again := run(t, kvmGuest{}, false, false, args(256))
	if again.Changed() {
		t.Fatalf("second run changed (the generated XML is not stable): %v", again["diff"])
	}
	if again["macs"].([]any)[0] != macs[0] || again["uuid"] != res["uuid"] {
		t.Errorf("redefinition changed MAC or UUID: %v vs %v", again, res)
	}
	if res := run(t, kvmGuest{}, true, false, args(256)); res.Changed() {
		t.Errorf("check mode predicts a change for an unchanged guest: %v", res)
	}
	if res := run(t, kvmGuest{}, true, true, args(512)); !res.Changed() || res["change_reason"] != "config changed" || res["diff"] == nil {
		t.Errorf("check mode misses a memory change: %v", res)
	}
	if res := run(t, kvmGuest{}, false, false, args(512)); !res.Changed() || res["change_reason"] != "config changed" {
		t.Errorf("memory change: %v", res)
	}
	if res := run(t, kvmGuest{}, false, false, map[string]any{"name": name, "state": "absent"}); !res.Changed() {
		t.Errorf("absent: %v", res)
	}
	if res := run(t, kvmGuest{}, false, false, map[string]any{"name": name, "state": "absent"}); res.Changed() {
		t.Errorf("absent again: %v", res)
	}
}

// TestKVMGuestRunning boots a real (disk-less, OS-less) qemu guest and stops
// it: the firmware ignores ACPI shutdown, so stopped destroys it after the timeout.
func TestKVMGuestRunning(t *testing.T) {
	pool, _ := tempPool(t)
	name := libvirttest.Name("gr")
	if res := run(t, kvmVolume{}, false, false, map[string]any{"pool": pool, "name": "disk.qcow2", "capacity": "16M"}); res.IsFailed() {
		t.Fatal(res)
	}
	t.Cleanup(func() { run(t, kvmGuest{}, false, false, map[string]any{"name": name, "state": "absent"}) })
	args := map[string]any{"name": name, "memory": 64, "state": "running", "cpu_model": "",
		"disks": []any{map[string]any{"pool": pool, "volume": "disk.qcow2"}}}
	res := run(t, kvmGuest{}, false, false, args)
	if res.IsFailed() || res["status"] != "running" {
		t.Fatalf("start: %v", res)
	}
	if res := run(t, kvmGuest{}, false, false, args); res.Changed() {
		t.Errorf("running again changed: %v", res)
	}
	args["state"], args["shutdown_timeout"] = "stopped", 1
	res = run(t, kvmGuest{}, false, false, args)
	if res.IsFailed() || res["status"] != "shutdown" || res["destroyed"] != true {
		t.Fatalf("stop: %v", res)
	}
}
