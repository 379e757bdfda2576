package virt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/connection"
	"gorun/engine/libvirt"
	"gorun/engine/libvirt/libvirttest"
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
		t.Skip("the KVM end-to-end test runs with GORUN_KVM_E2E=1 (make test-kvm-e2e, make test-slow)")
	}
	// Most of the test is waiting for the guest to boot under TCG: it runs
	// beside TestDifferentialCommunityLibvirt, after the package's other
	// tests (its guest, network, pool and lab are its own).
	t.Parallel()
	timings := map[string]time.Duration{}
	defer func() {
		for _, stage := range []string{"build", "setup", "provision+configure", "migrate", "check on target", "backup", "verify"} {
			if d, ok := timings[stage]; ok {
				t.Logf("timing: %-20s %6.1fs", stage, d.Seconds())
			}
		}
	}()
	timed := func(stage string, fn func()) {
		t.Helper()
		start := time.Now()
		fn()
		timings[stage] = time.Since(start)
	}
	vm := libvirttest.Name("e2e")
	g := &e2eGuest{name: vm, labHost: "h1", consoleLog: "/var/log/libvirt/qemu/" + vm + "-console.log"}

	timed("build", func() {
		g.step(t, "building the guest (testdata/e2e/build-guest.sh)", buildDeadline, func() error {
			out, err := commandOutput(buildDeadline, "sh", "testdata/e2e/build-guest.sh", guestCache)
			if err != nil {
				return fmt.Errorf("building the guest: %v\n%s", err, out)
			}
			return nil
		})
	})

	var (
		pool, poolDir, netName, netXML string
		local, remote                  *libvirt.Client
		work                           = t.TempDir()
		key                            = filepath.Join(work, "guest_key")
		known                          = filepath.Join(work, "guest_known_hosts")
		pub                            []byte
		lab                            *labenv.Lab
		labAddr                        string
	)
	timed("setup", func() {
		pool, poolDir = tempPool(t)
		g.cleanup(t, "removing "+vm+" here", func() error { return removeGuest(local, vm) })
		netName = libvirttest.Name("gn")
		netXML = fmt.Sprintf(`<network><name>%s</name><bridge name='gb%s' stp='off'/><dns enable='no'/><ip address='%s' prefix='24'/></network>`,
			netName, netName[3:11], guestGateway)
		// libvirt writes the network's MAC list there even without dnsmasq,
		// whose package would create the directory.
		os.MkdirAll("/var/lib/libvirt/dnsmasq", 0o755)
		local = localLibvirt(t)
		g.step(t, "creating network "+netName+" here", setupDeadline, func() error {
			net, err := local.NetworkCreateXML(netXML)
			if err == nil {
				g.cleanup(t, "removing network "+netName+" here", func() error { return local.NetworkDestroy(net) })
			}
			return err
		})

		if out, err := commandOutput(setupDeadline, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e2e", "-f", key); err != nil {
			t.Fatalf("ssh-keygen: %v %s", err, out)
		}
		pub, _ = os.ReadFile(key + ".pub")
		hostKey, err := os.ReadFile(filepath.Join(guestCache, "host_key.pub"))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, known, guestAddr+" "+string(hostKey))

		lab = labenv.ForTest(t, 1)
		g.lab = lab
		h, _ := lab.Host("h1")
		labAddr = h.Addr
		remote = labKVMHost(t, lab, "h1", true)
		// The pool has the same name and directory there (overlays name their
		// base image by path); a tmpfs keeps this machine's files out of it.
		if out, err := lab.Exec("h1", "timeout", "60", "sh", "-c", "mkdir -p "+poolDir+" && mount -t tmpfs -o mode=0755 tmpfs "+poolDir); err != nil {
			t.Fatalf("tmpfs on h1:%s: %v %s", poolDir, err, out)
		}
		g.step(t, "creating pool and network on h1", setupDeadline, func() error {
			p, err := remote.StoragePoolCreateXML("<pool type='dir'><name>"+pool+"</name><target><path>"+poolDir+"</path></target></pool>", 0)
			if err != nil {
				return err
			}
			g.cleanup(t, "removing pool "+pool+" on h1", func() error { return remote.StoragePoolDestroy(p) })
			_, err = remote.NetworkCreateXML(netXML)
			return err
		})
	})

	inventory := func(kvmHost, proxy string) string {
		inv := filepath.Join(work, "hosts-"+kvmHost)
		sshArgs := "-o UserKnownHostsFile=" + known
		if proxy != "" {
			sshArgs += ` -o ProxyCommand="` + proxy + `"`
		}
		writeFile(t, inv, `[kvm]
kvm1 ansible_connection=local
kvm2 ansible_host=`+labAddr+` ansible_user=root ansible_ssh_private_key_file=`+lab.KeyFile+` ansible_ssh_common_args='-o UserKnownHostsFile=`+lab.KnownHostsFile+`'

[vms]
`+vm+` kvm_host=`+kvmHost+` kvm_pool=`+pool+` network=`+netName+` ansible_host=`+guestAddr+` ansible_user=root ansible_ssh_private_key_file=`+key+` ansible_ssh_common_args='`+sshArgs+`' vm_address=`+guestAddr+`/24 vm_gateway=`+guestGateway+` vm_address_source=arp base_image=e2e-base.qcow2 base_image_src=`+guestCache+`/root.qcow2 disk_size=96M memory=128 vm_domain_type=qemu vm_machine=pc vm_cpu_model='' vm_kernel=`+guestCache+`/vmlinuz vm_initrd=`+guestCache+`/initrd.img vm_cmdline='console=ttyS0 quiet' vm_console_log=`+g.consoleLog+` vm_ssh_key='`+strings.TrimSpace(string(pub))+`' vm_shutdown_timeout=2
`)
		return inv
	}
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	// state is the guest's libvirt state on a host, with a deadline.
	state := func(c *libvirt.Client, where string) (golibvirt.DomainState, error) {
		var st golibvirt.DomainState
		err := within(setupDeadline, "the state of "+vm+" on "+where, func() error {
			dom, err := c.DomainLookupByName(vm)
			if err != nil {
				return err
			}
			s, _, err := c.DomainGetState(dom, 0)
			st = golibvirt.DomainState(s)
			return err
		})
		return st, err
	}

	inv1 := inventory("kvm1", "")
	timed("provision+configure", func() {
		g.playbook(t, work, "provision and configure", provisionDeadline, "-i", inv1, abs("testdata/e2e/site.yml"))
	})
	if st, err := state(local, "kvm1"); err != nil || st != golibvirt.DomainRunning {
		t.Fatalf("%s after provisioning: state %d, %v\n%s", vm, st, err, g.diagnose())
	}

	timed("migrate", func() {
		g.playbook(t, work, "migrate", migrateDeadline, "-i", inv1, abs("../../playbooks/vm-migrate.yml"), "-e", "vm="+vm, "-e", "to=kvm2")
	})
	if _, err := state(local, "kvm1"); !libvirt.IsNoDomain(err) {
		t.Errorf("%s is still defined here after the migration (%v)", vm, err)
	}

	// From now on the guest is reached through its new KVM host.
	proxy := "ssh -i " + lab.KeyFile + " -o UserKnownHostsFile=" + lab.KnownHostsFile + " -o IdentitiesOnly=yes -o ConnectTimeout=30 -W %h:%p root@" + labAddr
	inv2 := inventory("kvm2", proxy)
	timed("check on target", func() {
		g.playbook(t, work, "check on the target", checkDeadline, "-i", inv2, abs("testdata/e2e/check.yml"), "-e", "configured_on=kvm1")
	})

	backups := filepath.Join(work, "backups")
	timed("backup", func() {
		g.playbook(t, work, "backup", backupDeadline, "-i", inv2, abs("../../playbooks/vm-backup.yml"), "-e", "backup_dir="+backups, "-e", "stamp=e2e")
	})
	// It was copied while running (snapshot and block commit) and still runs.
	if st, err := state(remote, "h1"); err != nil || st != golibvirt.DomainRunning {
		t.Errorf("%s on h1 after the backup: state %d, %v\n%s", vm, st, err, g.diagnose())
	}
	timed("verify", func() {
		if left := g.labOutput("ls " + poolDir + " | grep -c -- " + overlaySuffix + " || true"); strings.TrimSpace(left) != "0" {
			t.Errorf("backup overlays left on h1: %s", left)
		}
		dir := filepath.Join(backups, vm, "e2e")
		if out, err := commandOutput(verifyDeadline, "sh", "-c", "cd "+dir+" && sha256sum -c SHA256SUMS"); err != nil {
			t.Errorf("sha256sum -c: %v %s", err, out)
		}
		// The backup is the overlay; its base is in this machine's pool at the
		// same path, so qemu-img reads the whole disk.
		raw := filepath.Join(work, "disk.raw")
		if out, err := commandOutput(verifyDeadline, "qemu-img", "convert", "-O", "raw", filepath.Join(dir, vm+".qcow2"), raw); err != nil {
			t.Fatalf("qemu-img convert: %v %s", err, out)
		}
		out, err := commandOutput(verifyDeadline, "debugfs", "-R", "cat /etc/motd", raw)
		if err != nil || !strings.Contains(out, "configured by gorun on kvm1\n") {
			t.Errorf("/etc/motd in the backup: %q (%v)", out, err)
		}
	})
}

// removeGuest destroys and undefines the guest vm on c, if it is there.
func removeGuest(c *libvirt.Client, vm string) error {
	if c == nil {
		return nil
	}
	dom, err := c.DomainLookupByName(vm)
	if libvirt.IsNoDomain(err) {
		return nil
	} else if err != nil {
		return err
	}
	c.DomainDestroy(dom)
	return c.DomainUndefineFlags(dom, golibvirt.DomainUndefineManagedSave|golibvirt.DomainUndefineNvram)
}

// localLibvirt is a client of this machine's system libvirtd.
func localLibvirt(t *testing.T) *libvirt.Client {
	t.Helper()
	c, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	var lv *libvirt.Client
	err = within(setupDeadline, "opening this machine's libvirtd", func() (err error) {
		lv, err = libvirt.Open(context.Background(), c, "localhost", "qemu:///system", false)
		return err
	})
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
	script += " && virtlogd -d && libvirtd -d && for i in $(seq 100); do [ -S /run/libvirt/libvirt-sock ] && exit 0; sleep 0.1; done; echo libvirtd made no socket in 10s >&2; exit 1"
	if out, err := lab.Exec(host, "timeout", "-k", "5", "60", "sh", "-c", script); err != nil {
		t.Fatalf("starting libvirtd on %s: %v %s", host, err, out)
	}
	conn, err := connection.NewPool().Get(context.Background(), connection.Params{Host: host, Address: h.Addr, User: "root",
		PrivateKeyFiles: []string{lab.KeyFile}, HostKeyChecking: true, SSHCommonArgs: "-o UserKnownHostsFile=" + lab.KnownHostsFile, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var remote *libvirt.Client
	err = within(setupDeadline, "opening libvirt on "+host, func() (err error) {
		remote, err = libvirt.Open(context.Background(), conn, host, "qemu:///system", false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return remote
}
