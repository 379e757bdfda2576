package connection

import (
	"net"
	"sync/atomic"
	"time"
)

// heardConn is a net.Conn that records when it last received data. The
// keepalive watch asks it whether the server was heard from lately, as
// OpenSSH's ServerAliveInterval does: a server that sends anything is
// alive, however slowly its answers come back over a busy link.
type heardConn struct {
	net.Conn
	last atomic.Int64 // UnixNano of the last read that returned data
}

func (c *heardConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// heardSince reports whether data arrived after t.
func (c *heardConn) heardSince(t time.Time) bool {
	return c.last.Load() > t.UnixNano()
}
