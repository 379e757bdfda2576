package virt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/libvirt/libvirttest"
	"gorun/test/e2e"
	"gorun/test/labenv"
)

// TestMigratePlaybook cold-migrates a guest with playbooks/vm-migrate.yml
// (gorun.kvm.migrate) from this machine's libvirtd to the libvirtd of a lab
// host reached over SSH: the check run only prints the plan, the real run
// replaces a partial copy left on the target, leaves the guest defined there
// with the same disk contents and gone here, and a rerun changes nothing. The guest is not started (the end-to-end test boots
// one).
func TestMigratePlaybook(t *testing.T) {
	pool, _ := tempPool(t)
	vm := libvirttest.Name("gm")
	t.Cleanup(func() { run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "absent"}) })
	work := t.TempDir()
	img := filepath.Join(work, "disk.img")
	data := []byte(strings.Repeat("gorun migrates this disk\n", 40000))
	os.WriteFile(img, data, 0o644)
	if res := run(t, kvmVolume{}, false, false, map[string]any{"pool": pool, "name": vm + ".raw", "format": "raw", "upload": img}); res.IsFailed() {
		t.Fatal(res)
	}
	if res := run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "present", "memory": 128, "domain_type": "qemu",
		"disks": []any{map[string]any{"pool": pool, "volume": vm + ".raw", "format": "raw"}}}); res.IsFailed() {
		t.Fatal(res)
	}

	lab := labenv.ForTest(t, 1)
	h, _ := lab.Host("h1")
	remote := labKVMHost(t, lab, "h1", false)
	p, err := remote.StoragePoolDefineXML("<pool type='dir'><name>"+pool+"</name><target><path>/var/lib/gorun-pool</path></target></pool>", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.StoragePoolCreate(p, 0); err != nil {
		t.Fatal(err)
	}

	inv := filepath.Join(work, "hosts")
	os.WriteFile(inv, []byte(`[kvm]
kvm1 ansible_connection=local
kvm2 ansible_host=`+h.Addr+` ansible_user=root ansible_ssh_private_key_file=`+lab.KeyFile+` ansible_ssh_common_args='-o UserKnownHostsFile=`+lab.KnownHostsFile+`'

[vms]
`+vm+` kvm_host=kvm1 migrate_start=false
`), 0o644)
	pb, _ := filepath.Abs("../../playbooks/vm-migrate.yml")
	migrate := func(extra ...string) e2e.Result {
		res := e2e.Run(t, e2e.Gorun(t), append([]string{"-i", inv, pb, "-e", "vm=" + vm, "-e", "to=kvm2"}, extra...), e2e.Options{Dir: work})
		if res.ExitCode != 0 {
			t.Fatalf("vm-migrate.yml %v (exit %d):\n%s%s", extra, res.ExitCode, res.Stdout, res.Stderr)
		}
		return res
	}

	// Check mode prints the plan and changes nothing.
	res := migrate("--check")
	for _, want := range []string{"copy " + pool + "/" + vm + ".raw", "define " + vm + " on kvm2", "undefine " + vm + " on kvm1"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("the check run's plan lacks %q:\n%s", want, res.Stdout)
		}
	}
	if _, err := remote.DomainLookupByName(vm); err == nil {
		t.Errorf("the check run defined %s on the target", vm)
	}

	// A broken-off earlier run left a partial copy on the target: it is
	// verified, found wrong and replaced.
	partial, err := remote.StorageVolCreateXML(p, "<volume><name>"+vm+".raw</name><capacity>4096</capacity><target><format type='raw'/></target></volume>", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.StorageVolUpload(partial, strings.NewReader(strings.Repeat("x", 4096)), 0, 0, 0); err != nil {
		t.Fatal(err)
	}

	res = migrate()
	t.Logf("migration of a %d-byte disk took %s", len(data), res.Duration)
	if _, err := remote.DomainLookupByName(vm); err != nil {
		t.Errorf("%s is not defined on the target: %v", vm, err)
	}
	if got, err := lab.Exec("h1", "cat", "/var/lib/gorun-pool/"+vm+".raw"); err != nil || string(got) != string(data) {
		t.Errorf("the disk on the target differs (%d bytes, %v)", len(got), err)
	}
	if st := run(t, virt{}, false, false, map[string]any{"name": vm, "command": "status"}); !st.IsFailed() {
		t.Errorf("%s is still defined on the source: %v", vm, st)
	}

	// Rerunning a finished migration (the inventory still names the old
	// host) changes nothing.
	if res := migrate(); !strings.Contains(res.Stdout, "changed=0") {
		t.Errorf("the rerun changed something:\n%s", res.Stdout)
	}
}
