package libvirt

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/connection"
)

// Client is an open connection to one libvirt driver on one host. Its
// embedded *golibvirt.Libvirt makes the RPC calls; it is safe for concurrent use.
type Client struct {
	*golibvirt.Libvirt
	// URI is the driver URI the connection was opened with (qemu:///system).
	URI string
	// Socket is the daemon socket on the host.
	Socket string
	// ReadOnly is set when only a read-only socket could be opened.
	ReadOnly bool
}

// cacheKey tells cached clients apart: one per host connection and URI.
type cacheKey struct {
	conn     connection.Conn
	uri      string
	readOnly bool
	// becomeUser is the user the socket was opened as through a bridge, or "".
	becomeUser string
}

var cache = struct {
	sync.Mutex
	clients map[cacheKey]*Client
}{clients: map[cacheKey]*Client{}}

// Open returns the libvirt client for uri on the host c reaches, opening it
// on first use and reusing it for the rest of the run. With readOnly the
// read-only sockets are tried when the read-write ones are refused (the
// caller only reads). host names the host in errors.
func Open(ctx context.Context, c connection.Conn, host, uri string, readOnly bool) (*Client, error) {
	t, err := parseURI(uri)
	if err != nil {
		return nil, err
	}
	base := underlying(c)
	becomeUser := ""
	if b := connection.BecomeOf(c); b != nil {
		becomeUser = b.Method + ":" + b.User
	}
	cache.Lock()
	defer cache.Unlock()
	for _, key := range []cacheKey{{base, t.driverURI, false, becomeUser}, {base, t.driverURI, true, becomeUser}} {
		if key.readOnly && !readOnly {
			continue
		}
		if cl, ok := cache.clients[key]; ok {
			if cl.IsConnected() {
				return cl, nil
			}
			delete(cache.clients, key)
		}
	}
	cl, err := open(ctx, c, host, t, readOnly, becomeUser != "")
	if err != nil {
		return nil, err
	}
	cache.clients[cacheKey{base, t.driverURI, cl.ReadOnly, becomeUser}] = cl
	return cl, nil
}

// CloseAll disconnects every cached client (at the end of a run).
func CloseAll() {
	cache.Lock()
	defer cache.Unlock()
	for k, cl := range cache.clients {
		cl.Disconnect()
		delete(cache.clients, k)
	}
}

// underlying unwraps the runner's per-task wrappers, so that every task on a
// host finds the same cached client.
func underlying(c connection.Conn) connection.Conn {
	for {
		u, ok := c.(connection.Unwrapper)
		if !ok {
			return c
		}
		c = u.Unwrap()
	}
}

// open dials the first socket that answers and opens the driver on it. With
// become the socket is opened as the become user, through a bridge command
// run with the task's become method; otherwise through the connection's own
// unix-socket channel, as the connection's user.
func open(ctx context.Context, c connection.Conn, host string, t target, readOnly, become bool) (*Client, error) {
	runDir := "/run/libvirt"
	if t.session {
		dir, err := sessionRunDir(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("libvirt on %s: finding the session daemon's directory: %v", host, err)
		}
		runDir = dir
	}
	var tried []string
	for _, sock := range t.sockets(runDir, readOnly) {
		var nc net.Conn
		var err error
		if become {
			nc, err = dialAsBecomeUser(c, sock)
		} else {
			nc, err = connection.DialUnix(ctx, c, sock)
		}
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", sock, errors.Unwrap(err)))
			continue
		}
		l := golibvirt.NewWithDialer(alreadyDialed{newStreamGuard(nc)})
		if err := l.ConnectToURI(golibvirt.ConnectURI(t.driverURI)); err != nil {
			nc.Close()
			if b, ok := nc.(*bridgeConn); ok {
				if why := b.failure(); why != nil && !errors.Is(why, context.Canceled) {
					err = why
				}
			}
			tried = append(tried, fmt.Sprintf("%s: %v", sock, err))
			continue
		}
		return &Client{Libvirt: l, URI: t.driverURI, Socket: sock, ReadOnly: strings.HasSuffix(sock, "-ro")}, nil
	}
	if become {
		return nil, fmt.Errorf("cannot connect to libvirt (%s) on %s as the become user: is libvirtd running, and may that user open its socket? tried %s", t.driverURI, host, strings.Join(tried, "; "))
	}
	return nil, fmt.Errorf("cannot connect to libvirt (%s) on %s: is libvirtd running, and may the connection's user (root, or a member of the libvirt group) open its socket? With become: true the socket is opened as the become user. Tried %s", t.driverURI, host, strings.Join(tried, "; "))
}

// sessionRunDir is where the host user's session daemon puts its socket:
// $XDG_RUNTIME_DIR/libvirt, or ~/.cache/libvirt without a runtime directory.
func sessionRunDir(ctx context.Context, c connection.Conn) (string, error) {
	res, err := c.Exec(ctx, `if [ -n "$XDG_RUNTIME_DIR" ]; then echo "$XDG_RUNTIME_DIR/libvirt"; elif [ -d "/run/user/$(id -u)" ]; then echo "/run/user/$(id -u)/libvirt"; else echo "$HOME/.cache/libvirt"; fi`, connection.ExecOptions{})
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 {
		return "", fmt.Errorf("%s", strings.TrimSpace(string(res.Stderr)))
	}
	return strings.TrimSpace(string(res.Stdout)), nil
}

// alreadyDialed hands go-libvirt a stream opened through the host connection.
type alreadyDialed struct{ c net.Conn }

func (a alreadyDialed) Dial() (net.Conn, error) { return a.c, nil }
