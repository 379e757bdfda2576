package connection

import (
	"context"
	"fmt"
	"net"
)

// TCPDialer is implemented by connections that can open a TCP stream from
// the target to an address as the target sees it: over SSH through the
// client's direct-tcpip channel (what `ssh -L port:host:port` uses), locally
// by dialing it. The LDAP modules reach a server on the target's
// localhost this way, as Ansible's modules running on the target do.
type TCPDialer interface {
	DialTCP(ctx context.Context, addr string) (net.Conn, error)
}

// DialTCP opens a TCP stream to addr ("host:port") from c's host, looking
// through wrappers for a TCPDialer.
func DialTCP(ctx context.Context, c Conn, addr string) (net.Conn, error) {
	for c != nil {
		if d, ok := c.(TCPDialer); ok {
			return d.DialTCP(ctx, addr)
		}
		u, ok := c.(Unwrapper)
		if !ok {
			break
		}
		c = u.Unwrap()
	}
	return nil, fmt.Errorf("the connection (%T) cannot open TCP streams from the target", c)
}

// DialTCP opens a direct-tcpip channel to addr from the host.
func (c *sshConn) DialTCP(ctx context.Context, addr string) (net.Conn, error) {
	l, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := l.client.DialContext(ctx, "tcp", addr)
	if err != nil && c.linkFailed(l, err) {
		if l, err = c.current(ctx); err != nil {
			return nil, err
		}
		conn, err = l.client.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("connecting to %s from %s through SSH: %w", addr, c.host, err)
	}
	return conn, nil
}

// DialTCP connects to addr from this machine.
func (c *localConn) DialTCP(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}
