package virt

import (
	"context"
	"fmt"
	golibvirt "github.com/digitalocean/go-libvirt"
	"os"
	"os/exec"
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

// guestCache is where testdata/e2e/build-guest.sh keeps the guest's kernel,
// initrd and root image between runs. Lab hosts see it too: their root is
// an overlay of this machine's.
const guestCache = "/var/cache/gorun-kvm-e2e"

// guestNet is the isolated network the guest lives on, on each KVM host
// (no DHCP: the seed gives the guest a static address).
const (
	guestGateway = "10.231.0.1"
	guestAddr    = "10.231.0.5"
)

// TestKVMEndToEnd boots a real Linux guest built by the test
// (testdata/e2e/build-guest.sh) and drives it through the project's
// playbooks with the gorun binary: vm-provision.yml provisions it on this
// machine's libvirtd from inventory variables (base image upload, overlay
// disk, cloud-init seed with its SSH key, host name and static address,
// direct kernel boot under TCG), waits for its address, and the same run
// configures it over SSH; vm-migrate.yml moves it cold to a lab host's
// libvirtd and starts it there; a third run reaches it on its new host
// (through the lab host) and finds its configuration; vm-backup.yml backs its
// image up, and the backup holds the configured file.
//
// It takes minutes under TCG, so it runs only with GORUN_KVM_E2E=1
// (`make test-kvm-e2e`); the stage timings are in README.md.
func TestKVMEndToEnd(t *testing.T) {
	if os.Getenv("GORUN_KVM_E2E") == "" {
		t.Skip("the KVM end-to-end test runs with GORUN_KVM_E2E=1 (make test-kvm-e2e)")
	}
	timings := map[string]time.Duration{}
	defer func() {
		for _, stage := range []string{"build", "provision+configure", "migrate", "check on target", "backup"} {
			if d, ok := timings[stage]; ok {
				t.Logf("timing: %-20s %6.1fs", stage, d.Seconds())
			}
		}
	}()
	start := time.Now()
	if out, err := exec.Command("sh", "testdata/e2e/build-guest.sh", guestCache).CombinedOutput(); err != nil {
		t.Fatalf("building the guest: %v\n%s", err, out)
	}
	timings["build"] = time.Since(start)

	pool, poolDir := tempPool(t)
	vm := libvirttest.Name("e2e")
	t.Cleanup(func() { run(t, kvmGuest{}, false, false, map[string]any{"name": vm, "state": "absent"}) })
	netName := libvirttest.Name("gn")
	netXML := fmt.Sprintf(`<network><name>%s</name><bridge name='gb%s' stp='off'/><dns enable='no'/><ip address='%s' prefix='24'/></network>`,
		netName, netName[3:11], guestGateway)
	// libvirt writes the network's MAC list there even without dnsmasq,
	// whose package would create the directory.
	os.MkdirAll("/var/lib/libvirt/dnsmasq", 0o755)
	local := localLibvirt(t)
	net, err := local.NetworkCreateXML(netXML)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { local.NetworkDestroy(net) })

	work := t.TempDir()
	key := filepath.Join(work, "guest_key")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e2e", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	pub, _ := os.ReadFile(key + ".pub")
	hostKey, err := os.ReadFile(filepath.Join(guestCache, "host_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	known := filepath.Join(work, "guest_known_hosts")
	os.WriteFile(known, []byte(guestAddr+" "+string(hostKey)), 0o644)

	lab := labenv.ForTest(t, 1)
	h, _ := lab.Host("h1")
	remote := labKVMHost(t, lab, "h1", true)
	// The pool has the same name and directory there (overlays name their
	// base image by path); a tmpfs keeps this machine's files out of it.
	if out, err := lab.Exec("h1", "sh", "-c", "mkdir -p "+poolDir+" && mount -t tmpfs -o mode=0755 tmpfs "+poolDir); err != nil {
		t.Fatalf("tmpfs on h1:%s: %v %s", poolDir, err, out)
	}
	p, err := remote.StoragePoolCreateXML("<pool type='dir'><name>"+pool+"</name><target><path>"+poolDir+"</path></target></pool>", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { remote.StoragePoolDestroy(p) })
	if _, err := remote.NetworkCreateXML(netXML); err != nil {
		t.Fatal(err)
	}

	inventory := func(kvmHost, proxy string) string {
		inv := filepath.Join(work, "hosts-"+kvmHost)
		sshArgs := "-o UserKnownHostsFile=" + known
		if proxy != "" {
			sshArgs += ` -o ProxyCommand="` + proxy + `"`
		}
		os.WriteFile(inv, []byte(`[kvm]
kvm1 ansible_connection=local
kvm2 ansible_host=`+h.Addr+` ansible_user=root ansible_ssh_private_key_file=`+lab.KeyFile+` ansible_ssh_common_args='-o UserKnownHostsFile=`+lab.KnownHostsFile+`'

[vms]
`+vm+` kvm_host=`+kvmHost+` kvm_pool=`+pool+` network=`+netName+` ansible_host=`+guestAddr+` ansible_user=root ansible_ssh_private_key_file=`+key+` ansible_ssh_common_args='`+sshArgs+`' vm_address=`+guestAddr+`/24 vm_gateway=`+guestGateway+` vm_address_source=arp base_image=e2e-base.qcow2 base_image_src=`+guestCache+`/root.qcow2 disk_size=96M memory=128 vm_domain_type=qemu vm_machine=pc vm_cpu_model='' vm_kernel=`+guestCache+`/vmlinuz vm_initrd=`+guestCache+`/initrd.img vm_cmdline='console=ttyS0 quiet' vm_ssh_key='`+strings.TrimSpace(string(pub))+`' vm_shutdown_timeout=2
`), 0o644)
		return inv
	}
	playbook := func(stage, inv, pb string, extra ...string) string {
		t.Helper()
		start := time.Now()
		res := e2e.Run(t, e2e.Gorun(t), append([]string{"-i", inv, pb}, extra...), e2e.Options{Dir: work})
		timings[stage] = time.Since(start)
		if res.ExitCode != 0 {
			t.Fatalf("%s: %s (exit %d):\n%s%s", stage, pb, res.ExitCode, res.Stdout, res.Stderr)
		}
		return res.Stdout
	}
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }

	inv1 := inventory("kvm1", "")
	playbook("provision+configure", inv1, abs("testdata/e2e/site.yml"))
	if st := run(t, virt{}, false, false, map[string]any{"name": vm, "command": "status"}); st["status"] != "running" {
		t.Fatalf("%s after provisioning: %v", vm, st)
	}

	playbook("migrate", inv1, abs("../../playbooks/vm-migrate.yml"), "-e", "vm="+vm, "-e", "to=kvm2")
	if st := run(t, virt{}, false, false, map[string]any{"name": vm, "command": "status"}); !st.IsFailed() {
		t.Errorf("%s is still defined here after the migration: %v", vm, st)
	}

	// From now on the guest is reached through its new KVM host.
	proxy := "ssh -i " + lab.KeyFile + " -o UserKnownHostsFile=" + lab.KnownHostsFile + " -o IdentitiesOnly=yes -W %h:%p root@" + h.Addr
	inv2 := inventory("kvm2", proxy)
	playbook("check on target", inv2, abs("testdata/e2e/check.yml"), "-e", "configured_on=kvm1")

	backups := filepath.Join(work, "backups")
	playbook("backup", inv2, abs("../../playbooks/vm-backup.yml"), "-e", "backup_dir="+backups, "-e", "stamp=e2e")
	// It was copied while running (snapshot and block commit) and still runs.
	if dom, err := remote.DomainLookupByName(vm); err != nil {
		t.Error(err)
	} else if st, _, err := remote.DomainGetState(dom, 0); err != nil || st != int32(golibvirt.DomainRunning) {
		t.Errorf("%s on h1 after the backup: state %d, %v", vm, st, err)
	}
	if left, _ := lab.Exec("h1", "sh", "-c", "ls "+poolDir+" | grep -c -- "+overlaySuffix+" || true"); strings.TrimSpace(string(left)) != "0" {
		t.Errorf("backup overlays left on h1: %s", left)
	}
	dir := filepath.Join(backups, vm, "e2e")
	cmd := exec.Command("sha256sum", "-c", "SHA256SUMS")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c: %v %s", err, out)
	}
	// The backup is the overlay; its base is in this machine's pool at the
	// same path, so qemu-img reads the whole disk.
	raw := filepath.Join(work, "disk.raw")
	if out, err := exec.Command("qemu-img", "convert", "-O", "raw", filepath.Join(dir, vm+".qcow2"), raw).CombinedOutput(); err != nil {
		t.Fatalf("qemu-img convert: %v %s", err, out)
	}
	out, err := exec.Command("debugfs", "-R", "cat /etc/motd", raw).Output()
	if err != nil || strings.TrimSpace(string(out)) != "configured by gorun on kvm1" {
		t.Errorf("/etc/motd in the backup: %q (%v)", out, err)
	}
}

// localLibvirt is a client of this machine's system libvirtd.
func localLibvirt(t *testing.T) *libvirt.Client {
	t.Helper()
	c, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	lv, err := libvirt.Open(context.Background(), c, "localhost", "qemu:///system", false)
	if err != nil {
		t.Fatal(err)
	}
	return lv
}

// labKVMHost starts a libvirtd of its own on a lab host and returns a client
// of it, reached over SSH. With guests, qemu is set up to run inside the
// lab's namespaces (no namespaces of its own).
func labKVMHost(t *testing.T, lab *labenv.Lab, host string, guests bool) *libvirt.Client {
	t.Helper()
	h, err := lab.Host(host)
	if err != nil {
		t.Fatal(err)
	}
	// The lab host's root is a copy-on-write overlay of this machine's: it
	// starts from this daemon's definitions unless they are removed there.
	script := "rm -rf /etc/libvirt/qemu /etc/libvirt/storage /etc/libvirt/network && mkdir -p /etc/libvirt/qemu/networks /etc/libvirt/storage /var/lib/gorun-pool /var/lib/libvirt/dnsmasq"
	if guests {
		// qemu needs the tun device for the guest's NIC; the lab's /dev lacks it.
		script += " && echo 'namespaces = []' >>/etc/libvirt/qemu.conf && mkdir -p /dev/net && { [ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200; }"
	}
	script += " && virtlogd -d && libvirtd -d && for i in $(seq 100); do [ -S /run/libvirt/libvirt-sock ] && exit 0; sleep 0.1; done; exit 1"
	if out, err := lab.Exec(host, "sh", "-c", script); err != nil {
		t.Fatalf("starting libvirtd on %s: %v %s", host, err, out)
	}
	conn, err := connection.NewPool().Get(context.Background(), connection.Params{Host: host, Address: h.Addr, User: "root",
		PrivateKeyFiles: []string{lab.KeyFile}, HostKeyChecking: true, SSHCommonArgs: "-o UserKnownHostsFile=" + lab.KnownHostsFile, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	remote, err := libvirt.Open(context.Background(), conn, host, "qemu:///system", false)
	if err != nil {
		t.Fatal(err)
	}
	return remote
}
