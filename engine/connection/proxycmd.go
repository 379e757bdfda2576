package connection

import (
	"net"
	"os"
	"os/exec"
	"sync"
	"time"
)

// proxyConn is a net.Conn over the standard input and output of a local
// ProxyCommand process, which carries the SSH stream to the host.
type proxyConn struct {
	cmd  *exec.Cmd
	once sync.Once
	r    *os.File // the command's stdout
	w    *os.File // the command's stdin
}

// startProxyCommand runs command with /bin/sh, as ssh does, its standard error
// going to ours so that its complaints are seen.
func startProxyCommand(command string) (net.Conn, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd := exec.Command("/bin/sh", "-c", "exec "+command)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, os.Stderr
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, err
	}
	return &proxyConn{cmd: cmd, r: outR, w: inW}, nil
}

func (p *proxyConn) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p *proxyConn) Write(b []byte) (int, error) { return p.w.Write(b) }

// Close closes the pipes and ends the command.
func (p *proxyConn) Close() error {
	p.once.Do(func() {
		p.w.Close()
		p.r.Close()
		p.cmd.Process.Kill()
		p.cmd.Wait()
	})
	return nil
}

func (p *proxyConn) LocalAddr() net.Addr  { return proxyAddr{} }
func (p *proxyConn) RemoteAddr() net.Addr { return proxyAddr{} }

func (p *proxyConn) SetDeadline(t time.Time) error {
	p.r.SetDeadline(t)
	return p.w.SetDeadline(t)
}
func (p *proxyConn) SetReadDeadline(t time.Time) error  { return p.r.SetReadDeadline(t) }
func (p *proxyConn) SetWriteDeadline(t time.Time) error { return p.w.SetWriteDeadline(t) }

// proxyAddr is the address of both ends of a proxyConn.
type proxyAddr struct{}

func (proxyAddr) Network() string { return "proxycommand" }
func (proxyAddr) String() string  { return "proxycommand:0" }
