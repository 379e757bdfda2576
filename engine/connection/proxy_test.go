package connection

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clientAddr returns the address the host saw the connection come from.
func clientAddr(t *testing.T, c Conn) string {
	t.Helper()
	fields := strings.Fields(output(t, c, "echo $SSH_CONNECTION", ExecOptions{}))
	if len(fields) == 0 {
		t.Fatal("SSH_CONNECTION is empty")
	}
	return fields[0]
}

func TestProxyJump(t *testing.T) {
	l := needLab(t)
	h1, _ := l.Host("h1")
	for _, args := range []string{
		"-o ProxyJump=root@" + h1.Addr,
		"-J root@" + h1.Addr + ":22",
		"-oProxyJump=" + h1.Addr, // no user: the local one (root)
	} {
		t.Run(args, func(t *testing.T) {
			p := hostParams(t, "h2", "root")
			p.SSHCommonArgs += " " + args
			c := dial(t, p)
			if got := clientAddr(t, c); got != h1.Addr {
				t.Errorf("h2 saw the connection come from %s, want the jump host %s", got, h1.Addr)
			}
		})
	}
}

func TestProxyJumpFromSSHConfig(t *testing.T) {
	l := needLab(t)
	h1, _ := l.Host("h1")
	h2, _ := l.Host("h2")
	dir := filepath.Join(os.Getenv("HOME"), ".ssh")
	os.MkdirAll(dir, 0o700)
	config := fmt.Sprintf(`# comment
Host target-*
  HostName %s
  User root
  ProxyJump jumper
  IdentityFile %s
  UserKnownHostsFile %s

Host jumper
  HostName %s
  User root
  IdentityFile %s
  UserKnownHostsFile %s
`, h2.Addr, l.KeyFile, l.KnownHostsFile, h1.Addr, l.KeyFile, l.KnownHostsFile)
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(filepath.Join(dir, "config")) })
	c := dial(t, Params{Host: "target-via-config", HostKeyChecking: true})
	if got := clientAddr(t, c); got != h1.Addr {
		t.Errorf("h2 saw the connection come from %s, want the jump host %s", got, h1.Addr)
	}
	if got := output(t, c, "hostname", ExecOptions{}); got != "h2\n" {
		t.Errorf("hostname %q, want h2", got)
	}
}

func TestProxyCommand(t *testing.T) {
	l := needLab(t)
	h1, _ := l.Host("h1")
	p := hostParams(t, "h2", "root")
	// OpenSSH's own client forwards the stream through h1.
	proxy := fmt.Sprintf("ssh -i %s -o UserKnownHostsFile=%s -o BatchMode=yes -W %%h:%%p root@%s", l.KeyFile, l.KnownHostsFile, h1.Addr)
	p.SSHCommonArgs += ` -o "ProxyCommand=` + proxy + `"`
	c := dial(t, p)
	if got := clientAddr(t, c); got != h1.Addr {
		t.Errorf("h2 saw the connection come from %s, want the proxy host %s", got, h1.Addr)
	}
	if got := output(t, c, "hostname", ExecOptions{}); got != "h2\n" {
		t.Errorf("hostname %q, want h2", got)
	}
}

func TestProxyJumpFailureNamesJumpHost(t *testing.T) {
	l := needLab(t)
	h1, _ := l.Host("h1")
	p := hostParams(t, "h2", "root")
	p.SSHCommonArgs += " -J root@" + h1.Addr + ":2222"
	err := connectErr(t, p)
	want := "jump host root@" + h1.Addr + ":2222: ssh: connect to host " + h1.Addr + " port 2222: Connection refused"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("unreachable jump host: error %v, want it to contain %q", err, want)
	}
}
