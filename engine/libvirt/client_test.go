package libvirt

import (
	"context"
	"testing"

	"gorun/engine/connection"
	"gorun/engine/libvirt/libvirttest"
)

func localConn(t *testing.T) connection.Conn {
	t.Helper()
	c, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseURI(t *testing.T) {
	for _, tc := range []struct{ in, driverURI, sock string }{
		{"qemu:///system", "qemu:///system", ""},
		{"qemu+unix:///system?socket=/tmp/s", "qemu:///system", "/tmp/s"},
		{"test:///default", "test:///default", ""},
		{"test+unix:///default", "test:///default", ""},
	} {
		got, err := parseURI(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got.driverURI != tc.driverURI || got.socket != tc.sock {
			t.Errorf("%s: got %+v", tc.in, got)
		}
	}
	for _, bad := range []string{"qemu+ssh://kvm1/system", "qemu+tcp:///system", "nonsense"} {
		if _, err := parseURI(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestSockets(t *testing.T) {
	tg, _ := parseURI("qemu:///system")
	got := tg.sockets("/run/libvirt", true)
	want := []string{"/run/libvirt/libvirt-sock", "/run/libvirt/virtqemud-sock", "/run/libvirt/libvirt-sock-ro", "/run/libvirt/virtqemud-sock-ro"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// TestOpenCached opens the real daemon's test driver through a gorun
// connection and checks that the second Open reuses the client.
func TestOpenCached(t *testing.T) {
	libvirttest.Ensure(t)
	c := localConn(t)
	ctx := context.Background()
	cl, err := Open(ctx, c, "localhost", "test:///default", false)
	if err != nil {
		t.Fatal(err)
	}
	typ, err := cl.ConnectGetType()
	if err != nil || typ != "TEST" {
		t.Fatalf("type %q, %v", typ, err)
	}
	again, err := Open(ctx, c, "localhost", "test+unix:///default", false)
	if err != nil || again != cl {
		t.Fatalf("second Open: %p vs %p, %v", again, cl, err)
	}
	q, err := Open(ctx, c, "localhost", "qemu:///system", true)
	if err != nil {
		t.Fatal(err)
	}
	if typ, _ := q.ConnectGetType(); typ != "QEMU" {
		t.Fatalf("qemu:///system type %q", typ)
	}
}

func TestOpenNoDaemon(t *testing.T) {
	_, err := Open(context.Background(), localConn(t), "localhost", "qemu:///system?socket=/nonexistent/sock", false)
	if err == nil {
		t.Fatal("no error")
	}
	t.Log(err)
}
