package virt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/libvirt/libvirttest"
	"gorun/test/e2e"
)

// TestProvisionPlaybook runs playbooks/vm-provision.yml with the gorun binary
// for a guest whose KVM host is this machine, twice: the second run must
// change nothing. The guest is only defined (vm_state=present): booting an
// operating system is the end-to-end test's job.
func TestProvisionPlaybook(t *testing.T) {
	pool, dir := tempPool(t)
	vm := libvirttest.Name("gpb")
	t.Cleanup(func() { run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "absent"}) })
	work := t.TempDir()
	base := filepath.Join(work, "base.img")
	if err := os.WriteFile(base, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	inv := filepath.Join(work, "hosts")
	os.WriteFile(inv, []byte(`[kvm]
kvm1 ansible_connection=local

[vms]
`+vm+` kvm_host=kvm1 kvm_pool=`+pool+` base_image=base.raw base_image_format=raw base_image_src=`+base+` bridge=gorunbr0 mac=52:54:00:ab:cd:ef memory=128 vm_state=present
`), 0o644)
	pb, err := filepath.Abs("../../playbooks/vm-provision.yml")
	if err != nil {
		t.Fatal(err)
	}
	first := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, pb}, e2e.Options{Dir: work})
	if first.ExitCode != 0 || !strings.Contains(first.Stdout, "changed=4") {
		t.Fatalf("first run (exit %d):\n%s%s", first.ExitCode, first.Stdout, first.Stderr)
	}
	for _, f := range []string{"base.raw", vm + ".qcow2", vm + "-seed.iso"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the pool lacks %s: %v", f, err)
		}
	}
	if res := run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "present", "memory": 128,
		"disks":     []any{map[string]any{"pool": pool, "volume": vm + ".qcow2"}},
		"nics":      []any{map[string]any{"bridge": "gorunbr0", "mac": "52:54:00:ab:cd:ef"}},
		"cloudinit": map[string]any{"pool": pool, "volume": vm + "-seed.iso"}}); res.Changed() {
		t.Errorf("the playbook's guest differs from the same declaration: %v", res)
	}
	second := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, pb}, e2e.Options{Dir: work})
	if second.ExitCode != 0 || !strings.Contains(second.Stdout, "changed=0") {
		t.Fatalf("second run (exit %d):\n%s%s", second.ExitCode, second.Stdout, second.Stderr)
	}
	t.Logf("first run %s, second run %s", first.Duration, second.Duration)
}
