package connection

import (
	"context"
	"fmt"
	"net"
)

// UnixDialer is implemented by connections that can open a stream to a unix
// socket on the target: over SSH through the client's direct-streamlocal
// channel (what `ssh -L local:/remote.sock` uses), locally by dialing it.
// The libvirt modules reach libvirtd this way, with nothing installed on the host.
type UnixDialer interface {
	DialUnix(ctx context.Context, path string) (net.Conn, error)
}

// Unwrapper is implemented by connections that wrap another one (the runner's
// per-task connection), so that optional interfaces such as UnixDialer of the
// connection underneath stay reachable.
type Unwrapper interface {
	Unwrap() Conn
}

// DialUnix opens a stream to the unix socket at path on c's host, looking
// through wrappers for a UnixDialer. The stream is opened as the connection's
// user: become does not apply to it (engine/libvirt bridges the socket
// through a become command when a task uses become; see BecomeOf).
func DialUnix(ctx context.Context, c Conn, path string) (net.Conn, error) {
	for c != nil {
		if d, ok := c.(UnixDialer); ok {
			return d.DialUnix(ctx, path)
		}
		u, ok := c.(Unwrapper)
		if !ok {
			break
		}
		c = u.Unwrap()
	}
	return nil, fmt.Errorf("the connection (%T) cannot open unix sockets on the target", c)
}

// DialUnix opens a direct-streamlocal channel to path on the host.
func (c *sshConn) DialUnix(ctx context.Context, path string) (net.Conn, error) {
	l, err := c.current(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := l.client.DialContext(ctx, "unix", path)
	if err != nil && c.linkFailed(l, err) {
		if l, err = c.current(ctx); err != nil {
			return nil, err
		}
		conn, err = l.client.DialContext(ctx, "unix", path)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s on %s through SSH: %w", path, c.host, err)
	}
	return conn, nil
}

// DialUnix connects to the unix socket at path on this machine.
func (c *localConn) DialUnix(ctx context.Context, path string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "unix", path)
}

// Becomer is implemented by connections that apply a become method to every
// command (the runner's per-task connection).
type Becomer interface {
	BecomeSettings() *Become
}

// BecomeOf returns the become settings that c, or a connection it wraps,
// applies to its commands; nil without become.
func BecomeOf(c Conn) *Become {
	for c != nil {
		if b, ok := c.(Becomer); ok {
			if s := b.BecomeSettings(); s != nil && s.Enabled {
				return s
			}
			return nil
		}
		u, ok := c.(Unwrapper)
		if !ok {
			break
		}
		c = u.Unwrap()
	}
	return nil
}
