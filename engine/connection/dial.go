package connection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// maxJumpDepth bounds ProxyJump chains, which ssh_config could make circular.
const maxJumpDepth = 8

// link is an open SSH client and everything it depends on (jump host clients,
// a ProxyCommand process), closed together.
type link struct {
	client  *ssh.Client
	closers []io.Closer
	conn    *heardConn // the transport under client
}

func (l *link) Close() error {
	err := l.client.Close()
	for i := len(l.closers) - 1; i >= 0; i-- {
		l.closers[i].Close()
	}
	return err
}

// connect opens an SSH client to the host s describes, through its jump hosts
// or proxy command. Errors read like OpenSSH's, since Ansible shows those.
func connect(ctx context.Context, s *settings) (*link, error) {
	return connectDepth(ctx, s, 0)
}

func connectDepth(ctx context.Context, s *settings, depth int) (*link, error) {
	if depth > maxJumpDepth {
		return nil, fmt.Errorf("ProxyJump chain to %s is longer than %d hosts (a loop in ssh_config?)", s.alias, maxJumpDepth)
	}
	addr := net.JoinHostPort(s.hostName, strconv.Itoa(s.port))
	var closers []io.Closer
	var conn net.Conn
	var err error
	switch {
	case s.proxyJump != "":
		var jump *link
		jump, err = connectJump(ctx, s, depth)
		if err != nil {
			return nil, err
		}
		closers = jump.closers
		closers = append(closers, jump.client)
		conn, err = jump.client.DialContext(ctx, "tcp", addr)
		if err != nil {
			err = fmt.Errorf("ssh: connect to host %s port %d via jump host %s: %v", s.hostName, s.port, s.proxyJump, err)
		}
	case s.proxyCommand != "":
		conn, err = startProxyCommand(s.proxyCommand)
		if err != nil {
			err = fmt.Errorf("ssh: ProxyCommand %q for %s: %v", s.proxyCommand, s.alias, err)
		}
	default:
		dialer := net.Dialer{Timeout: s.connectTimeout}
		conn, err = dialer.DialContext(ctx, s.network, addr)
		if err != nil {
			err = describeDialError(s, err)
		}
	}
	if err != nil {
		closeAll(closers)
		return nil, err
	}
	heard := &heardConn{Conn: conn}
	client, err := handshake(ctx, heard, s, addr)
	if err != nil {
		conn.Close()
		closeAll(closers)
		return nil, err
	}
	return &link{client: client, closers: closers, conn: heard}, nil
}

// connectJump opens the client of the last jump host in s.proxyJump, itself
// reached through the hops before it.
func connectJump(ctx context.Context, s *settings, depth int) (*link, error) {
	hops := strings.Split(s.proxyJump, ",")
	last := strings.TrimSpace(hops[len(hops)-1])
	user, hostPort, hasUser := strings.Cut(last, "@")
	if !hasUser {
		hostPort, user = user, ""
	}
	host, port := hostPort, ""
	if h, p, err := net.SplitHostPort(hostPort); err == nil {
		host, port = h, p
	}
	// Jump hosts take their settings from ssh_config and share the target's
	// host key checking, identities and timeouts from the command line.
	cli := &sshOptions{values: map[string]string{}, identityFiles: s.cli.identityFiles, configFile: s.cli.configFile}
	for _, k := range []string{"stricthostkeychecking", "userknownhostsfile", "globalknownhostsfile",
		"connecttimeout", "serveraliveinterval", "serveralivecountmax", "identitiesonly", "addressfamily"} {
		if v, ok := s.cli.values[k]; ok {
			cli.values[k] = v
		}
	}
	if user != "" {
		cli.values["user"] = user
	}
	if port != "" {
		cli.values["port"] = port
	}
	if len(hops) > 1 {
		cli.values["proxyjump"] = strings.Join(hops[:len(hops)-1], ",")
	}
	js, err := settingsFor(host, cli)
	if err != nil {
		return nil, fmt.Errorf("jump host %s: %v", last, err)
	}
	l, err := connectDepth(ctx, js, depth+1)
	if err != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("jump host %s: %v", last, err)
	}
	return l, err
}

// handshake runs the SSH handshake and authentication on conn, bounded by the
// connect timeout.
func handshake(ctx context.Context, conn net.Conn, s *settings, addr string) (*ssh.Client, error) {
	checker, err := newHostKeyChecker(s)
	if err != nil {
		return nil, err
	}
	methods, closeAgent, err := authMethods(s)
	if err != nil {
		return nil, err
	}
	defer closeAgent()
	config := &ssh.ClientConfig{
		User:              s.user,
		Auth:              methods,
		HostKeyCallback:   checker.check,
		HostKeyAlgorithms: checker.algorithms(),
		Timeout:           s.connectTimeout,
	}
	if s.connectTimeout > 0 {
		conn.SetDeadline(time.Now().Add(s.connectTimeout))
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, config)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, describeHandshakeError(s, err)
	}
	conn.SetDeadline(time.Time{})
	return ssh.NewClient(c, chans, reqs), nil
}

// describeDialError words a failed TCP connect as OpenSSH does:
// "ssh: connect to host 10.0.0.9 port 22: Connection refused".
func describeDialError(s *settings, err error) error {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Errorf("ssh: Could not resolve hostname %s: Name or service not known", s.hostName)
	}
	reason := err.Error()
	var errno syscall.Errno
	var netErr net.Error
	switch {
	case errors.As(err, &errno):
		reason = errnoText(errno)
	case errors.As(err, &netErr) && netErr.Timeout():
		reason = "Connection timed out"
	}
	return fmt.Errorf("ssh: connect to host %s port %d: %s", s.hostName, s.port, reason)
}

// errnoText capitalises the C library's wording, which OpenSSH prints.
func errnoText(e syscall.Errno) string {
	msg := e.Error()
	return strings.ToUpper(msg[:1]) + msg[1:]
}

var attemptedMethods = regexp.MustCompile(`attempted methods \[([^\]]*)\]`)

// describeHandshakeError words a failed handshake as OpenSSH does.
func describeHandshakeError(s *settings, err error) error {
	var netErr net.Error
	msg := err.Error()
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("Connection timed out during banner exchange with %s port %d", s.hostName, s.port)
	case errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("Connection closed by %s port %d during the SSH handshake", s.hostName, s.port)
	case strings.Contains(msg, "unable to authenticate"):
		var tried []string
		if m := attemptedMethods.FindStringSubmatch(msg); m != nil {
			for _, method := range strings.Fields(m[1]) {
				if method != "none" {
					tried = append(tried, method)
				}
			}
		}
		if len(tried) == 0 {
			return fmt.Errorf("%s@%s: Permission denied (no key, agent or password to offer; set ansible_ssh_private_key_file or ansible_password)", s.user, s.hostName)
		}
		return fmt.Errorf("%s@%s: Permission denied (%s)", s.user, s.hostName, strings.Join(tried, ","))
	}
	return fmt.Errorf("%s", strings.TrimPrefix(msg, "ssh: handshake failed: "))
}

func closeAll(closers []io.Closer) {
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i].Close()
	}
}
