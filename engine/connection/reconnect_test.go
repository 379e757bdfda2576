package connection

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// sessionServer returns the pid, on the host, of the sshd process serving
// the connection c: the first sshd among the command's ancestors.
func sessionServer(t *testing.T, c Conn) string {
	t.Helper()
	out := output(t, c, `p=$$; while [ "$(cat /proc/$p/comm)" != sshd ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done; echo $p`, ExecOptions{})
	return strings.TrimSpace(out)
}

func TestReconnectAfterServerDropsConnection(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	before := sessionServer(t, c)
	// The server ends the connection between two commands.
	onHost(t, "h1", "kill "+before)
	if got := output(t, c, "echo again", ExecOptions{}); got != "again\n" {
		t.Fatalf("after the server dropped the connection: %q", got)
	}
	if after := sessionServer(t, c); after == before {
		t.Errorf("still served by sshd %s: no new connection was made", before)
	}
}

func TestDropDuringCommandIsUnreachable(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	server := sessionServer(t, c)
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		pr, pw := io.Pipe()
		go func() {
			buf := make([]byte, 8)
			pr.Read(buf)
			close(started)
			io.Copy(io.Discard, pr)
		}()
		_, err := c.Exec(t.Context(), "echo started; exec sleep 60", ExecOptions{Stdout: pw})
		pw.Close()
		done <- err
	}()
	<-started
	onHost(t, "h1", "kill "+server)
	err := <-done
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) {
		t.Fatalf("connection dropped during a command: error %v, want *UnreachableError", err)
	}
	// The command is not run again, but the next one reconnects.
	if got := output(t, c, "echo next", ExecOptions{}); got != "next\n" {
		t.Errorf("next command after the drop: %q", got)
	}
}

func TestUnreachableMessages(t *testing.T) {
	l := needLab(t)
	h3, _ := l.Host("h3")

	// A TCP peer that never speaks SSH.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			conn, err := silent.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	silentPort := silent.Addr().(*net.TCPAddr).Port

	for _, tc := range []struct {
		name   string
		change func(p *Params)
		want   string
	}{
		{"refused", func(p *Params) { p.Port = 2222 }, "ssh: connect to host " + h3.Addr + " port 2222: Connection refused"},
		{"banner", func(p *Params) { p.Address, p.Port, p.Timeout = "127.0.0.1", silentPort, time.Second },
			"Connection timed out during banner exchange"},
		{"unresolvable", func(p *Params) { p.Address = "no-such-host.invalid" },
			"ssh: Could not resolve hostname no-such-host.invalid"},
		{"permission", func(p *Params) { p.User = "nosuchuser" }, "nosuchuser@" + h3.Addr + ": Permission denied (publickey)"},
		{"no credentials", func(p *Params) { p.PrivateKeyFiles = nil }, "Permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := hostParams(t, "h3", "root")
			tc.change(&p)
			err := connectErr(t, p)
			var unreachable *UnreachableError
			if !errors.As(err, &unreachable) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want *UnreachableError containing %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "Failed to connect to the host via ssh: ") {
				t.Errorf("message %q lacks Ansible's prefix", err)
			}
		})
	}
}

func TestConnectTimeout(t *testing.T) {
	l := needLab(t)
	if err := l.LinkDown("h3"); err != nil {
		t.Fatal(err)
	}
	defer l.LinkUp("h3")
	p := hostParams(t, "h3", "root")
	p.Timeout = time.Second
	err := connectErr(t, p)
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) || !strings.Contains(err.Error(), "port 22: Connection timed out") && !strings.Contains(err.Error(), "No route to host") {
		t.Fatalf("host off the network: error %v, want a connect timeout", err)
	}
}

func TestSFTPReconnectsAfterServerDropsConnection(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	if err := c.Put(t.Context(), strings.NewReader("one"), "/tmp/sftp-reconnect", 0o644, ExecOptions{}); err != nil {
		t.Fatal(err)
	}
	onHost(t, "h1", "kill "+sessionServer(t, c))
	if err := c.Put(t.Context(), strings.NewReader("two"), "/tmp/sftp-reconnect", 0o644, ExecOptions{}); err != nil {
		t.Fatalf("Put after the server dropped the connection: %v", err)
	}
	var got strings.Builder
	if err := c.Get(t.Context(), "/tmp/sftp-reconnect", &got, ExecOptions{}); err != nil || got.String() != "two" {
		t.Errorf("Get: %q, %v; want \"two\"", got.String(), err)
	}
}

// TestKeepaliveNoticesDeadNetwork: when the network silently dies under an
// idle connection, keepalives close it, so the next command reports the host
// unreachable instead of waiting forever.
func TestKeepaliveNoticesDeadNetwork(t *testing.T) {
	l := needLab(t)
	p := hostParams(t, "h3", "root")
	p.Timeout = time.Second
	p.SSHCommonArgs += " -o ServerAliveInterval=1 -o ServerAliveCountMax=2"
	c := dial(t, p)
	output(t, c, "true", ExecOptions{})
	if err := l.LinkDown("h3"); err != nil {
		t.Fatal(err)
	}
	defer l.LinkUp("h3")
	_, err := c.Exec(t.Context(), "true", ExecOptions{})
	var unreachable *UnreachableError
	if !errors.As(err, &unreachable) {
		t.Fatalf("Exec over a dead network: error %v, want *UnreachableError", err)
	}
}

func TestExecCancelled(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	go func() {
		pr.Read(make([]byte, 8))
		cancel()
		io.Copy(io.Discard, pr)
	}()
	_, err := c.Exec(ctx, "echo started; exec sleep 60", ExecOptions{Stdout: pw})
	pw.Close()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Exec: error %v, want context.Canceled", err)
	}
	if got := output(t, c, "echo still usable", ExecOptions{}); got != "still usable\n" {
		t.Errorf("after a cancelled command: %q", got)
	}
}

// TestRefusedPtyKeepsConnection: a server that refuses a pty (PermitTTY no)
// makes su fail, but the connection is fine and is kept.
func TestRefusedPtyKeepsConnection(t *testing.T) {
	l := needLab(t)
	onHost(t, "h2", "/usr/sbin/sshd -p 2201 -o PermitTTY=no")
	h2, _ := l.Host("h2")
	waitListening(t, net.JoinHostPort(h2.Addr, "2201"))
	p := hostParams(t, "h2", "root")
	p.Port = 2201
	// The second sshd has the host keys of the first, filed under port 22;
	// leave the lab's known_hosts alone.
	p.SSHCommonArgs = "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
	c := dial(t, p)
	server := sessionServer(t, c)
	_, err := c.Exec(t.Context(), "true", ExecOptions{Become: &Become{Enabled: true, Method: "su", User: "nobody", Flags: "-s /bin/sh"}})
	var unreachable *UnreachableError
	if err == nil || errors.As(err, &unreachable) || !strings.Contains(err.Error(), "pty") {
		t.Fatalf("su without a pty: error %v, want a non-unreachable error about the pty", err)
	}
	if after := sessionServer(t, c); after != server {
		t.Errorf("the connection was replaced (sshd %s, then %s) though it was fine", server, after)
	}
}
