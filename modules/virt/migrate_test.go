package virt

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorun/engine/connection"
	"gorun/engine/libvirt"
	"gorun/engine/libvirt/libvirttest"
	"gorun/test/e2e"
	"gorun/test/labenv"
)

// TestMigratePlaybook cold-migrates a guest with playbooks/vm-migrate.yml
// from this machine's libvirtd to the libvirtd of a lab host reached over
// SSH, and checks that it is defined there, with the same disk contents,
// (a TCG guest: lab hosts have no /dev/kvm)
// and gone here. The guest is not started on the target (lab hosts would
// need qemu set up for namespaces).
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
	// The lab host's root is a copy-on-write overlay of this machine's: it
	// starts from this daemon's definitions unless they are removed there.
	if out, err := lab.Exec("h1", "sh", "-c", "rm -rf /etc/libvirt/qemu /etc/libvirt/storage && mkdir -p /etc/libvirt/qemu/networks /etc/libvirt/storage /var/lib/gorun-pool && virtlogd -d && libvirtd -d && for i in $(seq 100); do [ -S /run/libvirt/libvirt-sock ] && exit 0; sleep 0.1; done; exit 1"); err != nil {
		t.Fatalf("starting libvirtd on h1: %v %s", err, out)
	}
	conn, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "h1", Address: h.Addr, User: "root",
		PrivateKeyFiles: []string{lab.KeyFile}, HostKeyChecking: true, SSHCommonArgs: "-o UserKnownHostsFile=" + lab.KnownHostsFile, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	remote, err := libvirt.Open(context.Background(), conn, "h1", "qemu:///system", false)
	if err != nil {
		t.Fatal(err)
	}
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
`+vm+` kvm_host=kvm1 kvm_pool=`+pool+` vm_volumes='["`+vm+`.raw"]' migrate_staging=`+work+` migrate_start=false
`), 0o644)
	pb, _ := filepath.Abs("../../playbooks/vm-migrate.yml")
	res := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, pb, "-e", "vm=" + vm, "-e", "to=kvm2"}, e2e.Options{Dir: work})
	if res.ExitCode != 0 {
		t.Fatalf("vm-migrate.yml (exit %d):\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
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
}
