package connection

import (
	"context"
	"fmt"
	"strconv"
	"sync"
)

// defaultOpenLimit bounds how many connections are being opened at once.
const defaultOpenLimit = 16

// Pool opens and keeps one Conn per host for a whole run, so that every task
// on a host reuses the same SSH client. It is safe for concurrent use.
type Pool struct {
	opening chan struct{} // semaphore bounding parallel connects

	mu    sync.Mutex
	conns map[string]*poolEntry
}

// poolEntry is a connection being opened or open. ready is closed once conn
// or err is set.
type poolEntry struct {
	host  string
	ready chan struct{}
	conn  Conn
	err   error
}

// NewPool returns an empty pool.
func NewPool() *Pool {
	return &Pool{opening: make(chan struct{}, defaultOpenLimit), conns: map[string]*poolEntry{}}
}

// poolKey tells connections apart: the same inventory host reached with other
// settings (another user, say) gets its own connection, as OpenSSH's
// ControlPath does.
func poolKey(p Params) string {
	return p.Host + "\x00" + p.Connection + "\x00" + p.Address + "\x00" + strconv.Itoa(p.Port) + "\x00" + p.User
}

// Get returns the open connection for params.Host, opening it on first use.
// Failing to connect is an *UnreachableError and is not remembered: a later
// Get tries again. A password the ssh connection would hand to a missing
// sshpass is ErrNoSSHPass, as with Ansible.
func (p *Pool) Get(ctx context.Context, params Params) (Conn, error) {
	if err := checkPassword(params); err != nil {
		return nil, err
	}
	key := poolKey(params)
	p.mu.Lock()
	e, ok := p.conns[key]
	if !ok {
		e = &poolEntry{host: params.Host, ready: make(chan struct{})}
		p.conns[key] = e
	}
	p.mu.Unlock()
	if !ok {
		e.conn, e.err = p.open(ctx, params)
		if e.err != nil {
			p.mu.Lock()
			if p.conns[key] == e {
				delete(p.conns, key)
			}
			p.mu.Unlock()
		}
		close(e.ready)
	}
	select {
	case <-e.ready:
		return e.conn, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *Pool) open(ctx context.Context, params Params) (Conn, error) {
	switch params.Connection {
	case "local":
		return newLocal(becomeTimeout(params)), nil
	case "", "ssh", "paramiko", "smart":
	default:
		return nil, fmt.Errorf("connection type %q is not supported by gorun (only ssh and local)", params.Connection)
	}
	select {
	case p.opening <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.opening }()
	c, err := dialSSH(ctx, params)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Reset closes the connections of host (meta: reset_connection); the next
// Get opens a new one.
func (p *Pool) Reset(host string) {
	for _, e := range p.take(func(e *poolEntry) bool { return e.host == host }) {
		e.close()
	}
}

// CloseAll closes every connection of the pool.
func (p *Pool) CloseAll() {
	for _, e := range p.take(func(*poolEntry) bool { return true }) {
		e.close()
	}
}

// take removes and returns the entries for which match is true.
func (p *Pool) take(match func(*poolEntry) bool) []*poolEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	var taken []*poolEntry
	for k, e := range p.conns {
		if match(e) {
			taken = append(taken, e)
			delete(p.conns, k)
		}
	}
	return taken
}

// close closes the entry's connection once it has finished opening.
func (e *poolEntry) close() {
	<-e.ready
	if e.conn != nil {
		e.conn.Close()
	}
}
