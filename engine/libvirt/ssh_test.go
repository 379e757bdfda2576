package libvirt

import (
	"context"
	"testing"
	"time"

	"gorun/engine/connection"
	"gorun/engine/libvirt/libvirttest"
	"gorun/test/labenv"
)

// TestOpenOverSSH reaches a libvirtd through a real sshd's direct-streamlocal
// channel: a lab host (its own network, mount and pid namespaces, a private
// /run and copy-on-write /etc and /var) runs its own libvirtd, found at its
// default socket as on a KVM host.
func TestOpenOverSSH(t *testing.T) {
	libvirttest.Ensure(t) // skips where libvirt is not installed
	lab := labenv.ForTest(t, 1)
	h, err := lab.Host("h1")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := lab.Exec("h1", "sh", "-c", "virtlogd -d && libvirtd -d && for i in $(seq 100); do [ -S /run/libvirt/libvirt-sock ] && exit 0; sleep 0.1; done; exit 1"); err != nil {
		t.Fatalf("starting libvirtd on h1: %v %s", err, out)
	}
	conn, err := connection.NewPool().Get(context.Background(), connection.Params{
		Host: "h1", Address: h.Addr, User: "root", PrivateKeyFiles: []string{lab.KeyFile},
		HostKeyChecking: true, SSHCommonArgs: "-o UserKnownHostsFile=" + lab.KnownHostsFile, Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cl, err := Open(context.Background(), conn, "h1", "test:///default", false)
	if err != nil {
		t.Fatal(err)
	}
	if typ, err := cl.ConnectGetType(); err != nil || typ != "TEST" {
		t.Fatalf("type %q, %v", typ, err)
	}
	if cl.Socket != "/run/libvirt/libvirt-sock" {
		t.Errorf("socket %s", cl.Socket)
	}
	// The lab host's daemon is its own: a network defined there is not on this machine's.
	name := libvirttest.Name("gs")
	q, err := Open(context.Background(), conn, "h1", "qemu:///system", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.NetworkDefineXML("<network><name>" + name + "</name></network>"); err != nil {
		t.Fatal(err)
	}
	local, err := Open(context.Background(), localConn(t), "localhost", "qemu:///system", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := local.NetworkLookupByName(name); !IsNoNetwork(err) {
		t.Errorf("network %s defined on h1 is visible on this machine (%v)", name, err)
	}
}
