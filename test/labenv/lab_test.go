package labenv

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// dial logs in to host h of l as user with the lab key, checking the host
// key against the lab's known_hosts.
func dial(t *testing.T, l *Lab, h Host, user string) *ssh.Client {
	t.Helper()
	c, err := tryDial(l, h, user)
	if err != nil {
		t.Fatalf("ssh %s@%s: %v", user, h.Name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func tryDial(l *Lab, h Host, user string) (*ssh.Client, error) {
	cfg, err := l.ClientConfig(user)
	if err != nil {
		return nil, err
	}
	return ssh.Dial("tcp", net.JoinHostPort(h.Addr, strconv.Itoa(h.Port)), cfg)
}

// sshRun runs cmd on c, with stdin, and returns its stdout or fails.
func sshRun(t *testing.T, c *ssh.Client, stdin, cmd string) string {
	t.Helper()
	out, err := trySSHRun(c, stdin, cmd)
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return out
}

func trySSHRun(c *ssh.Client, stdin, cmd string) (string, error) {
	s, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer s.Close()
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	s.Stdin = strings.NewReader(stdin)
	if err := s.Run(cmd); err != nil {
		return stdout.String(), errors.Join(err, errors.New(stderr.String()))
	}
	return stdout.String(), nil
}

func TestHostsLookLikeFreshServers(t *testing.T) {
	l := ForTest(t, 3)
	skel, err := os.ReadFile("/etc/skel/.bashrc")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range l.Hosts {
		c := dial(t, l, h, "root")
		if got := strings.TrimSpace(sshRun(t, c, "", "hostname")); got != h.Name {
			t.Errorf("hostname of %s = %q", h.Name, got)
		}
		if got := sshRun(t, c, "", "cat ~/.bashrc"); got != string(skel) {
			t.Errorf("%s: root's .bashrc is not /etc/skel/.bashrc:\n%s", h.Name, got)
		}
		// A booted host's /run, /tmp and /dev, not the machine's.
		for _, test := range []string{
			"test -d /run/sshd", "test -d /run/lock", "test -k /run/lock", "test -k /tmp",
			"test -z \"$(ls -A /tmp)\"", "test -c /dev/null", "test -e /dev/ptmx",
			"test -d /proc/1", "test -d /sys/class/net/eth0",
			"! test -e /root/.pyenv", "! test -e /var/lib/gorun-lab/" + l.Name,
		} {
			if _, err := trySSHRun(c, "", test); err != nil {
				t.Errorf("%s: %s failed", h.Name, test)
			}
		}
		if got := strings.TrimSpace(sshRun(t, c, "", "cat /proc/1/cmdline | tr '\\0' ' '")); !strings.Contains(got, "init.sh") {
			t.Errorf("%s: process 1 is %q, not the lab's init", h.Name, got)
		}
		out, err := l.Exec(h.Name, "hostname")
		if err != nil || strings.TrimSpace(string(out)) != h.Name {
			t.Errorf("Exec(%s, hostname) = %q, %v", h.Name, out, err)
		}
	}
}

func TestHostKeysDifferPerHost(t *testing.T) {
	l := ForTest(t, 2)
	seen := map[string]string{}
	machine, _ := os.ReadFile("/etc/ssh/ssh_host_ed25519_key.pub")
	for _, h := range l.Hosts {
		var got ssh.PublicKey
		c, err := ssh.Dial("tcp", net.JoinHostPort(h.Addr, "22"), &ssh.ClientConfig{
			User: "root",
			HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
				got = key
				return errors.New("host key seen")
			},
		})
		if c != nil {
			c.Close()
		}
		if got == nil {
			t.Fatalf("%s presented no host key: %v", h.Name, err)
		}
		fp := ssh.FingerprintSHA256(got)
		if other, dup := seen[fp]; dup {
			t.Errorf("%s and %s share host key %s", h.Name, other, fp)
		}
		seen[fp] = h.Name
		if bytes.Contains(machine, bytes.Fields(ssh.MarshalAuthorizedKey(got))[1]) {
			t.Errorf("%s presents the machine's own host key", h.Name)
		}
	}
	// The known_hosts of the lab does not vouch for h1's key at h2's
	// address: host key checks are real.
	check, err := knownhosts.New(l.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	var h1Key ssh.PublicKey
	ssh.Dial("tcp", net.JoinHostPort(l.Hosts[0].Addr, "22"), &ssh.ClientConfig{User: "root",
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error { h1Key = key; return errors.New("seen") }})
	h2 := &net.TCPAddr{IP: net.ParseIP(l.Hosts[1].Addr), Port: 22}
	if err := check(net.JoinHostPort(l.Hosts[1].Addr, "22"), h2, h1Key); err == nil {
		t.Errorf("known_hosts accepts h1's key for h2")
	}
}

func TestOverlayIsolatesWrites(t *testing.T) {
	l := ForTest(t, 2)
	h1, h2 := l.Hosts[0], l.Hosts[1]
	name := "/root/isolation-" + filepath.Base(l.Dir)
	sshRun(t, dial(t, l, h1, "root"), "hello\n", "cat > "+name)
	if got := sshRun(t, dial(t, l, h1, "root"), "", "cat "+name); got != "hello\n" {
		t.Fatalf("h1 reads back %q", got)
	}
	if _, err := trySSHRun(dial(t, l, h2, "root"), "", "test -e "+name); err == nil {
		t.Errorf("%s written on h1 is visible on h2", name)
	}
	if _, err := os.Stat(name); err == nil {
		t.Errorf("%s written on h1 is visible on the machine", name)
	}
	if data, err := os.ReadFile(filepath.Join(h1.UpperDir, name)); err != nil || string(data) != "hello\n" {
		t.Errorf("h1's upper directory has %q, %v", data, err)
	}
}

func TestBecomeUserNeedsPassword(t *testing.T) {
	l := ForTest(t, 1)
	c := dial(t, l, l.Hosts[0], l.BecomeUser)
	if got := strings.TrimSpace(sshRun(t, c, "", "id -un")); got != l.BecomeUser {
		t.Errorf("logged in as %q", got)
	}
	if _, err := trySSHRun(c, "", "sudo -n true"); err == nil {
		t.Errorf("sudo without a password succeeded")
	}
	if got := strings.TrimSpace(sshRun(t, c, l.BecomePassword+"\n", "sudo -S -p '' id -u")); got != "0" {
		t.Errorf("sudo with the become password: id -u = %q", got)
	}
	if _, err := trySSHRun(c, "wrong\n", "sudo -k -S -p '' true"); err == nil {
		t.Errorf("sudo accepted a wrong password")
	}
}

func TestStopAndStartSSH(t *testing.T) {
	l := ForTest(t, 1)
	h := l.Hosts[0]
	open := dial(t, l, h, "root")
	if err := l.StopSSH(h.Name); err != nil {
		t.Fatal(err)
	}
	if c, err := tryDial(l, h, "root"); err == nil {
		c.Close()
		t.Fatalf("ssh to %s works with sshd stopped", h.Name)
	}
	if got := strings.TrimSpace(sshRun(t, open, "", "hostname")); got != h.Name {
		t.Errorf("open session after StopSSH: hostname = %q", got)
	}
	if err := l.StartSSH(h.Name); err != nil {
		t.Fatal(err)
	}
	sshRun(t, dial(t, l, h, "root"), "", "true")
}

func TestLinkDown(t *testing.T) {
	l := ForTest(t, 1)
	h := l.Hosts[0]
	if err := l.LinkDown(h.Name); err != nil {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", net.JoinHostPort(h.Addr, "22"), 300*time.Millisecond); err == nil {
		c.Close()
		t.Fatalf("%s reachable with its link down", h.Name)
	}
	if err := l.LinkUp(h.Name); err != nil {
		t.Fatal(err)
	}
	sshRun(t, dial(t, l, h, "root"), "", "true")
}

func TestDelay(t *testing.T) {
	if !kernelHasNetem() {
		t.Skip("this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM); Delay reports that as an error")
	}
	l := ForTest(t, 1)
	h := l.Hosts[0]
	if err := l.Delay(h.Name, 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if out, _ := run("tc", "qdisc", "show", "dev", h.Veth); !strings.Contains(out, "delay 20ms") {
		t.Errorf("no 20ms netem delay on %s: %s", h.Veth, out)
	}
	sshRun(t, dial(t, l, h, "root"), "", "true")
	if err := l.Delay(h.Name, 0); err != nil {
		t.Fatal(err)
	}
	if out, _ := run("tc", "qdisc", "show", "dev", h.Veth); strings.Contains(out, "netem") {
		t.Errorf("netem left on %s: %s", h.Veth, out)
	}
}

func TestAnsiblePing(t *testing.T) {
	l := ForTest(t, 2)
	if _, err := exec.LookPath("ansible"); err != nil {
		if err := AptInstall("ansible-core"); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"ini", "yaml"} {
		inv := filepath.Join(t.TempDir(), "hosts."+format)
		if err := l.WriteInventory(inv, format); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("ansible", "-i", inv, InventoryGroup, "-m", "ping", "-o")
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "ANSIBLE_NOCOLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ansible ping (%s inventory): %v\n%s", format, err, out)
		}
		for _, h := range l.Hosts {
			if !strings.Contains(string(out), h.Name+" | SUCCESS") {
				t.Errorf("%s inventory: no pong from %s:\n%s", format, h.Name, out)
			}
		}
	}
	// As the become user, with sudo asking for the inventory's password.
	text, err := l.Inventory("yaml", l.BecomeUser)
	if err != nil {
		t.Fatal(err)
	}
	inv := filepath.Join(t.TempDir(), "become.yml")
	if err := os.WriteFile(inv, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ansible", "-i", inv, InventoryGroup, "-b", "-m", "command", "-a", "id -un", "-o")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "ANSIBLE_NOCOLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Count(string(out), "(stdout) root") != len(l.Hosts) {
		t.Errorf("ansible -b as %s: %v\n%s", l.BecomeUser, err, out)
	}
}

// kernelHasNetem reports whether tc can add a netem qdisc here.
func kernelHasNetem() bool {
	name := "gnp" + strconv.Itoa(os.Getpid())
	if _, err := run("ip", "link", "add", name, "type", "veth", "peer", "name", name+"p"); err != nil {
		return false
	}
	defer run("ip", "link", "del", name)
	_, err := run("tc", "qdisc", "add", "dev", name, "root", "netem", "delay", "1ms")
	return err == nil
}

func TestManyPortsPerHost(t *testing.T) {
	l := ForTestWith(t, 2, Options{PortsPerHost: 20})
	targets := l.Targets()
	if len(targets) != 40 {
		t.Fatalf("%d targets, want 40", len(targets))
	}
	for _, tg := range targets {
		c, err := l.Dial(tg.Name, "root")
		if err != nil {
			t.Fatalf("Dial %s: %v", tg.Name, err)
		}
		if got := strings.TrimSpace(sshRun(t, c, "", "hostname")); got != tg.Host {
			t.Errorf("target %s (port %d): hostname %q, want %q", tg.Name, tg.Port, got, tg.Host)
		}
		c.Close()
	}
	inv, err := l.Inventory("ini", "root")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(inv, "h2-20 ansible_host="+l.Hosts[1].Addr+" ansible_port=2219\n") {
		t.Errorf("inventory lacks target h2-20:\n%s", inv)
	}
	// Stopping sshd stops every port; starting it brings them all back.
	if err := l.StopSSH("h1"); err != nil {
		t.Fatal(err)
	}
	last := Host{Name: "h1-20", Addr: l.Hosts[0].Addr, Port: 2219}
	if c, err := tryDial(l, last, "root"); err == nil {
		c.Close()
		t.Errorf("port 2219 of h1 still answers after StopSSH")
	}
	if err := l.StartSSH("h1"); err != nil {
		t.Fatal(err)
	}
	dial(t, l, last, "root")
}
