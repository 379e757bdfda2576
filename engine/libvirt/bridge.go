package libvirt

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"gorun/engine/connection"
)

// perlBridge copies bytes between its standard input/output and a unix
// socket. perl-base is essential on Debian, so every Debian KVM host has it;
// socat is preferred where it is installed.
const perlBridge = `use IO::Socket::UNIX; use IO::Select;
my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect $ARGV[0]: $!\n";
binmode STDIN; binmode STDOUT;
my $sel = IO::Select->new(\*STDIN, $s);
while (my @r = $sel->can_read) {
  for my $h (@r) {
    my $n = sysread($h, my $buf, 65536);
    exit 0 unless $n;
    my $out = $h == $s ? \*STDOUT : $s;
    for (my $o = 0; $o < $n; ) { my $w = syswrite($out, $buf, $n - $o, $o); exit 1 unless defined $w; $o += $w }
  }
}`

// bridgeCommand is the shell command that connects its standard input and
// output to the unix socket at path.
func bridgeCommand(path string) string {
	q := shellQuote(path)
	return "if command -v socat >/dev/null 2>&1; then exec socat - UNIX-CONNECT:" + q +
		"; else exec perl -e " + shellQuote(perlBridge) + " " + q + "; fi"
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// dialAsBecomeUser opens a stream to the unix socket at path by running a
// bridge command through c.Exec, which wraps it in the task's become method:
// the socket is opened as the become user, as Ansible's modules (which run
// as that user) would open it. The stream lives until it is closed.
func dialAsBecomeUser(c connection.Conn, path string) (net.Conn, error) {
	return execBridge(c, path, bridgeCommand(path))
}

// execBridge runs cmd, a bridge to the socket at path, and returns its stream.
func execBridge(c connection.Conn, path, cmd string) (net.Conn, error) {
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	b := &bridgeConn{in: inW, out: outR, cancel: cancel, path: path, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		res, err := c.Exec(ctx, cmd, connection.ExecOptions{Stdin: inR, Stdout: outW, Stderr: &b.stderr})
		if err == nil && res.ExitCode != 0 {
			err = fmt.Errorf("connecting to %s as the become user: exit %d: %s", path, res.ExitCode, strings.TrimSpace(b.stderr.String()))
		}
		b.err = err
		if err == nil {
			err = io.EOF
		}
		outW.CloseWithError(err)
		inR.CloseWithError(err)
	}()
	return b, nil
}

// bridgeConn is the net.Conn of a bridge command's standard input and output.
type bridgeConn struct {
	in     *io.PipeWriter
	out    *io.PipeReader
	cancel context.CancelFunc
	path   string
	stderr lockedBuffer
	once   sync.Once
	// done closes when the command has ended; err is then why (nil: it exited 0).
	done chan struct{}
	err  error
}

// failure closes the bridge and returns why its command failed, if it did.
func (b *bridgeConn) failure() error {
	b.Close()
	select {
	case <-b.done:
		return b.err
	case <-time.After(5 * time.Second):
		return nil
	}
}

func (b *bridgeConn) Read(p []byte) (int, error)  { return b.out.Read(p) }
func (b *bridgeConn) Write(p []byte) (int, error) { return b.in.Write(p) }

// Close ends the bridge: its standard input closes, and the command is ended.
func (b *bridgeConn) Close() error {
	b.once.Do(func() {
		b.in.Close()
		b.cancel()
	})
	return nil
}

func (b *bridgeConn) LocalAddr() net.Addr                { return bridgeAddr(b.path) }
func (b *bridgeConn) RemoteAddr() net.Addr               { return bridgeAddr(b.path) }
func (b *bridgeConn) SetDeadline(t time.Time) error      { return nil }
func (b *bridgeConn) SetReadDeadline(t time.Time) error  { return nil }
func (b *bridgeConn) SetWriteDeadline(t time.Time) error { return nil }

// bridgeAddr names the socket a bridge reaches.
type bridgeAddr string

func (a bridgeAddr) Network() string { return "unix" }
func (a bridgeAddr) String() string  { return string(a) }

// lockedBuffer is a bytes.Buffer safe for a writer and a reader in two goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
