package labenv

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// DefaultBecomePassword is the password of BecomeUser unless Options say
// otherwise; the static inventory of the default lab uses it.
const DefaultBecomePassword = "gorun-lab"

// Lab is a set of running lab hosts. Its fields are recorded in lab.json
// in the lab's directory; Load reads them back.
type Lab struct {
	Name           string // the lab's name
	Subnet         string // the lab's /24, e.g. "10.77.0.0/24"
	Gateway        string // the bridge's address, the hosts' default route
	Bridge         string // the bridge in the machine's network namespace
	Dir            string // the state directory
	KeyFile        string // private key authorized for root and BecomeUser on every host
	KnownHostsFile string // known_hosts with the host keys of every host
	BecomeUser     string // non-root user with sudo rights
	BecomePassword string // BecomeUser's password, asked by sudo
	Owner          int    // pid of the process that brought the lab up
	Hosts          []Host
}

// Host is one lab host.
type Host struct {
	Name string // h1, h2, ...; also its hostname
	Addr string // IPv4 address on the lab's subnet
	Port int    // sshd's port (22)
	// ExtraPorts are the further ports sshd listens on when the lab was
	// made with Options.PortsPerHost > 1; each is a target of its own.
	ExtraPorts []int  `json:",omitempty"`
	Netns      string // named network namespace (ip netns)
	Veth       string // the machine's end of its veth pair, on the lab bridge
	UpperDir   string // overlay upper directory: every file the host changed
	PID        int    // pid, in the machine's pid namespace, of its process 1
}

// Options tune Up. The zero value is fine.
type Options struct {
	// BecomePassword is BecomeUser's password (DefaultBecomePassword if
	// empty).
	BecomePassword string
	// ReadyTimeout bounds the wait for the hosts' sshd (30s if zero).
	ReadyTimeout time.Duration
	// PortsPerHost makes each host's sshd listen on this many ports: 22
	// and then FirstExtraPort onwards. Every port is a separate target in
	// the inventory, so a few hosts stand in for many in benchmarks (10
	// hosts with 100 ports each make 1000 targets). 0 means 1.
	PortsPerHost int
}

// FirstExtraPort is the first of a host's ports after 22 (see
// Options.PortsPerHost).
const FirstExtraPort = 2201

// maxPortsPerHost bounds Options.PortsPerHost.
const maxPortsPerHost = 1000

// hostStartLimit bounds how many hosts start at once: enough to overlap
// the waits on ip and sshd without crowding two cores.
const hostStartLimit = 8

// Up starts a lab of n hosts called name. It fails if a lab of that name
// is already up or left stale (see Down). On failure it removes what it
// had made.
func Up(name string, n int, opts Options) (*Lab, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if n < 1 || n > MaxHosts {
		return nil, fmt.Errorf("labenv: a lab has 1 to %d hosts, not %d", MaxHosts, n)
	}
	if err := EnsureTools(); err != nil {
		return nil, err
	}
	if opts.BecomePassword == "" {
		opts.BecomePassword = DefaultBecomePassword
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 30 * time.Second
	}
	if opts.PortsPerHost == 0 {
		opts.PortsPerHost = 1
	}
	if opts.PortsPerHost < 1 || opts.PortsPerHost > maxPortsPerHost {
		return nil, fmt.Errorf("labenv: PortsPerHost is 1 to %d, not %d", maxPortsPerHost, opts.PortsPerHost)
	}
	l, err := create(name, n, opts)
	if err != nil {
		return nil, err
	}
	if err := l.start(opts); err != nil {
		if derr := Down(name); derr != nil {
			err = errors.Join(err, derr)
		}
		return nil, err
	}
	return l, nil
}

// create claims the lab's name and subnet and sets up its bridge, under
// the state lock.
func create(name string, n int, opts Options) (*Lab, error) {
	unlock, err := lockState()
	if err != nil {
		return nil, err
	}
	defer unlock()
	dir := labDir(name)
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("labenv: lab %q is already up or was left stale (%s exists); take it down first", name, dir)
	}
	// Long names are hashed into interface names; two labs must not
	// share them, or one's Down would remove the other's links.
	if linkExists(bridgeName(name)) {
		return nil, fmt.Errorf("labenv: lab %q would use bridge %s, which exists already (another lab's?); choose another name", name, bridgeName(name))
	}
	subnet, err := pickSubnet(name)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	l := &Lab{
		Name:           name,
		Subnet:         subnet.String(),
		Gateway:        gatewayAddr(subnet).String(),
		Bridge:         bridgeName(name),
		Dir:            dir,
		KeyFile:        filepath.Join(dir, "id_ed25519"),
		KnownHostsFile: filepath.Join(dir, "known_hosts"),
		BecomeUser:     BecomeUser,
		BecomePassword: opts.BecomePassword,
		Owner:          os.Getpid(),
	}
	for i := 0; i < n; i++ {
		h := hostName(i)
		host := Host{
			Name:     h,
			Addr:     hostAddr(subnet, i).String(),
			Port:     22,
			Netns:    netnsName(name, h),
			Veth:     vethName(name, h),
			UpperDir: filepath.Join(dir, h, "upper"),
		}
		for p := 1; p < opts.PortsPerHost; p++ {
			host.ExtraPorts = append(host.ExtraPorts, FirstExtraPort+p-1)
		}
		l.Hosts = append(l.Hosts, host)
	}
	// Recorded before anything else is made, so that other labs see the
	// subnet taken and Down finds what to remove.
	if err := writeState(l); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := upBridge(l); err != nil {
		unlock()
		return nil, errors.Join(err, Down(name))
	}
	return l, nil
}

// start writes the lab's keys and starts its hosts.
func (l *Lab) start(opts Options) error {
	labKey, err := newKey("ed25519", "gorun-lab-"+l.Name)
	if err != nil {
		return err
	}
	if err := os.WriteFile(l.KeyFile, labKey.Private, 0o600); err != nil {
		return fmt.Errorf("labenv: %w", err)
	}
	if err := os.WriteFile(l.KeyFile+".pub", labKey.AuthorizedLine("gorun-lab-"+l.Name), 0o644); err != nil {
		return fmt.Errorf("labenv: %w", err)
	}
	if err := os.WriteFile(filepath.Join(l.Dir, "init.sh"), initScript, 0o755); err != nil {
		return fmt.Errorf("labenv: %w", err)
	}
	acct, err := newAccounts(l.BecomePassword)
	if err != nil {
		return err
	}

	hostKeys := make([][]ssh.PublicKey, len(l.Hosts))
	errs := make([]error, len(l.Hosts))
	var wg sync.WaitGroup
	slots := make(chan struct{}, hostStartLimit)
	for i := range l.Hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			h := &l.Hosts[i]
			var done <-chan struct{}
			hostKeys[i], errs[i] = prepareHost(l, h, acct, labKey)
			if errs[i] == nil {
				errs[i] = upHostNetwork(l, h)
			}
			if errs[i] == nil {
				done, errs[i] = startHost(l, h)
			}
			<-slots
			if errs[i] == nil {
				errs[i] = waitSSH(h, done, opts.ReadyTimeout)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := l.writeKnownHosts(hostKeys); err != nil {
		return err
	}
	return writeState(l)
}

// writeKnownHosts writes KnownHostsFile with every host key of every host,
// under its address and, when not 22, port.
func (l *Lab) writeKnownHosts(keys [][]ssh.PublicKey) error {
	var b strings.Builder
	for i, h := range l.Hosts {
		for _, port := range append([]int{h.Port}, h.ExtraPorts...) {
			addr := knownhosts.Normalize(netipJoin(h.Addr, port))
			for _, k := range keys[i] {
				b.WriteString(knownhosts.Line([]string{addr}, k) + "\n")
			}
		}
	}
	if err := os.WriteFile(l.KnownHostsFile, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("labenv: %w", err)
	}
	return nil
}

func netipJoin(addr string, port int) string {
	return netip.AddrPortFrom(netip.MustParseAddr(addr), uint16(port)).String()
}

// Target is one SSH endpoint of the lab: a host's port.
type Target struct {
	Name string // the host's name for port 22, "h1-2", "h1-3", ... for the others
	Host string // the host it runs on
	Addr string
	Port int
}

// Targets lists the lab's SSH endpoints: one per host, or PortsPerHost
// per host when Up was given Options.PortsPerHost.
func (l *Lab) Targets() []Target {
	var out []Target
	for _, h := range l.Hosts {
		out = append(out, Target{Name: h.Name, Host: h.Name, Addr: h.Addr, Port: h.Port})
		for i, p := range h.ExtraPorts {
			out = append(out, Target{Name: fmt.Sprintf("%s-%d", h.Name, i+2), Host: h.Name, Addr: h.Addr, Port: p})
		}
	}
	return out
}

// Load returns the running lab called name, as Up recorded it.
func Load(name string) (*Lab, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	l, err := readState(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("labenv: no lab %q is up (no %s)", name, filepath.Join(labDir(name), stateFile))
	}
	return l, err
}

// Names lists the labs that are up (or stale), by name.
func Names() ([]string, error) { return stateNames() }

// Down takes the lab down: its hosts' processes, namespaces and mounts,
// veth pairs, bridge, NAT rules and state directory.
func (l *Lab) Down() error { return Down(l.Name) }

// Down removes whatever is left of the lab called name, from its record
// when there is one and otherwise from the names the lab's parts would
// have; so it also cleans up after a crashed test or a failed Up. Taking
// down a lab that does not exist does nothing.
func Down(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	netnsList, veths := hostParts(name)
	var errs []error
	for _, ns := range netnsList {
		if err := killNetns(ns); err != nil {
			errs = append(errs, err)
		}
	}
	for i, ns := range netnsList {
		if err := downHostNetwork(ns, veths[i]); err != nil {
			errs = append(errs, err)
		}
	}
	// Also machine-side veth ends whose namespace is already gone.
	for _, v := range strayVeths(name) {
		if _, err := run("ip", "link", "del", v); err != nil && linkExists(v) {
			errs = append(errs, err)
		}
	}
	// The hosts are gone; release the loop devices of their disks.
	if err := detachDisks(name); err != nil {
		errs = append(errs, err)
	}
	unlock, err := lockState()
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	defer unlock()
	if err := downBridge(name); err != nil {
		errs = append(errs, err)
	}
	if err := os.RemoveAll(labDir(name)); err != nil {
		errs = append(errs, fmt.Errorf("labenv: %w", err))
	}
	if left, err := stateNames(); err == nil && len(left) == 0 {
		if err := restoreForwarding(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// hostParts lists the network namespaces of the lab's hosts and the
// matching machine-side veth names: those of its record and those named
// like its hosts.
func hostParts(name string) (netns, veths []string) {
	seen := map[string]bool{}
	add := func(host string) {
		if !seen[host] {
			seen[host] = true
			netns = append(netns, netnsName(name, host))
			veths = append(veths, vethName(name, host))
		}
	}
	if l, err := readState(name); err == nil {
		for _, h := range l.Hosts {
			add(h.Name)
		}
	}
	entries, _ := os.ReadDir("/run/netns")
	hostRE := regexp.MustCompile("^" + regexp.QuoteMeta(netnsName(name, "")) + `(h[0-9]+)$`)
	for _, e := range entries {
		if m := hostRE.FindStringSubmatch(e.Name()); m != nil {
			add(m[1])
		}
	}
	return netns, veths
}

// strayVeths lists the machine's interfaces named like the lab's veths.
func strayVeths(name string) []string {
	entries, _ := os.ReadDir("/sys/class/net")
	vethRE := regexp.MustCompile("^" + regexp.QuoteMeta(vethName(name, "")) + `h[0-9]+$`)
	var out []string
	for _, e := range entries {
		if vethRE.MatchString(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// killNetns kills every process in the network namespace ns (a host's
// process 1 among them, which ends its pid namespace and so its mounts)
// and waits until they are gone.
func killNetns(ns string) error {
	if _, err := os.Stat(filepath.Join("/run/netns", ns)); err != nil {
		return nil
	}
	out, err := run("ip", "netns", "pids", ns)
	if err != nil {
		return err
	}
	var pids []int
	for _, f := range strings.Fields(out) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err == nil {
			pids = append(pids, pid)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range pids {
		for processAlive(pid) {
			if time.Now().After(deadline) {
				return fmt.Errorf("labenv: process %d of %s survived SIGKILL", pid, ns)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nil
}

// processAlive reports whether pid runs and is not a zombie waiting for
// its parent.
func processAlive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
