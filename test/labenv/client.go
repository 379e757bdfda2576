package labenv

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// ClientConfig is an x/crypto/ssh client configuration that logs in to
// the lab's hosts as user with the lab key and checks host keys against
// KnownHostsFile.
func (l *Lab) ClientConfig(user string) (*ssh.ClientConfig, error) {
	keyPEM, err := os.ReadFile(l.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	signer, err := ssh.ParsePrivateKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("labenv: %s: %w", l.KeyFile, err)
	}
	check, err := knownhosts.New(l.KnownHostsFile)
	if err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	return &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: check,
		Timeout:         10 * time.Second,
	}, nil
}

// Dial connects to a target of the lab (a host's name, or "h1-2" and the
// like for a host's extra ports) as user, with ClientConfig.
func (l *Lab) Dial(target, user string) (*ssh.Client, error) {
	cfg, err := l.ClientConfig(user)
	if err != nil {
		return nil, err
	}
	for _, tg := range l.Targets() {
		if tg.Name == target {
			return ssh.Dial("tcp", net.JoinHostPort(tg.Addr, strconv.Itoa(tg.Port)), cfg)
		}
	}
	return nil, fmt.Errorf("labenv: lab %q has no target %q", l.Name, target)
}
