package libvirt

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/connection"
	"gorun/engine/libvirt/libvirttest"
)

// becomeConn applies become to every command, as the runner's task
// connection does, and reports it through connection.Becomer.
type becomeConn struct {
	connection.Conn
	become *connection.Become
}

func (c becomeConn) Exec(ctx context.Context, cmd string, o connection.ExecOptions) (*connection.ExecResult, error) {
	o.Become = c.become
	return c.Conn.Exec(ctx, cmd, o)
}

func (c becomeConn) BecomeSettings() *connection.Become { return c.become }
func (c becomeConn) Unwrap() connection.Conn            { return c.Conn }

// TestOpenThroughBecomeBridge opens the daemon through the bridge command
// run with sudo on this machine, by socat when installed and by the Perl
// bridge in any case, and makes RPC calls through it.
func TestOpenThroughBecomeBridge(t *testing.T) {
	libvirttest.Ensure(t)
	if _, err := exec.LookPath("sudo"); err != nil {
		t.Skip("sudo is not installed")
	}
	c := becomeConn{Conn: localConn(t), become: &connection.Become{Enabled: true, Method: "sudo", User: "root"}}
	for _, withSocat := range []bool{false, true} {
		if withSocat {
			if _, err := exec.LookPath("socat"); err != nil {
				continue
			}
		}
		sock := "/run/libvirt/libvirt-sock"
		cmd := bridgeCommand(sock)
		if !withSocat {
			cmd = "exec perl -e " + shellQuote(perlBridge) + " " + shellQuote(sock)
		}
		nc, err := execBridge(c, sock, cmd)
		if err != nil {
			t.Fatal(err)
		}
		cl := clientOn(t, nc)
		if _, _, err := cl.ConnectListAllDomains(1, 0); err != nil {
			t.Errorf("socat=%v: %v", withSocat, err)
		}
		cl.Disconnect()
	}

	// Open uses the bridge for a connection that becomes, and says so when it cannot connect.
	cl, err := Open(context.Background(), c, "localhost", "test:///default", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.ConnectGetHostname(); err != nil {
		t.Error(err)
	}
	_, err = Open(context.Background(), c, "localhost", "qemu+unix:///system?socket=/nonexistent/sock", false)
	if err == nil || !strings.Contains(err.Error(), "as the become user") || !strings.Contains(err.Error(), "/nonexistent/sock") {
		t.Errorf("error for a missing socket: %v", err)
	}
}

// clientOn opens the test driver on an open stream.
func clientOn(t *testing.T, nc net.Conn) *golibvirt.Libvirt {
	t.Helper()
	l := golibvirt.NewWithDialer(alreadyDialed{nc})
	if err := l.ConnectToURI(golibvirt.ConnectURI("test:///default")); err != nil {
		t.Fatal(err)
	}
	return l
}
