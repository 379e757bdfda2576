package labenv

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// labTraces lists what of the lab name is still on the machine.
func labTraces(t *testing.T, name string, pids []int) []string {
	t.Helper()
	var left []string
	if _, err := os.Stat(labDir(name)); err == nil {
		left = append(left, "state dir "+labDir(name))
	}
	netns, _ := os.ReadDir("/run/netns")
	for _, e := range netns {
		if strings.HasPrefix(e.Name(), netnsName(name, "")) {
			left = append(left, "netns "+e.Name())
		}
	}
	links, _ := os.ReadDir("/sys/class/net")
	for _, e := range links {
		if strings.HasPrefix(e.Name(), "g"+linkID(name)+"-") {
			left = append(left, "link "+e.Name())
		}
	}
	for _, table := range []string{"nat", "filter"} {
		out, err := run("iptables", "-t", table, "-S")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(out, "\n") {
			if hasComment(strings.Fields(line), natComment(name)) {
				left = append(left, "iptables "+line)
			}
		}
	}
	for _, pid := range pids {
		if processAlive(pid) {
			left = append(left, "process "+strconv.Itoa(pid))
		}
	}
	mounts, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mounts), labDir(name)+"/") {
		left = append(left, "mounts under "+labDir(name))
	}
	return left
}

func upForDownTest(t *testing.T, name string) (*Lab, []int) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skip(err)
	}
	l, err := Up(name, 2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Down(name) })
	var pids []int
	for _, h := range l.Hosts {
		out, err := run("ip", "netns", "pids", h.Netns)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(out) {
			pid, _ := strconv.Atoi(f)
			pids = append(pids, pid)
		}
	}
	if len(pids) < 2*3 { // unshare, init.sh, sshd-start, sshd per host
		t.Fatalf("only %d processes in the lab's namespaces", len(pids))
	}
	if left := labTraces(t, name, nil); len(left) < 5 {
		t.Fatalf("labTraces finds only %v of a running lab", left)
	}
	return l, pids
}

func TestDownRemovesEverything(t *testing.T) {
	name := "t-down-" + strconv.Itoa(os.Getpid())
	l, pids := upForDownTest(t, name)
	if err := l.Down(); err != nil {
		t.Fatal(err)
	}
	if left := labTraces(t, name, pids); len(left) > 0 {
		t.Errorf("left after Down: %v", left)
	}
	if err := Down(name); err != nil {
		t.Errorf("Down of a lab that is gone: %v", err)
	}
}

// TestDownOfStaleLab takes down a lab whose record was lost, as after a
// crash in the middle of Up: Down finds its parts by their names.
func TestDownOfStaleLab(t *testing.T) {
	name := "t-stale-" + strconv.Itoa(os.Getpid())
	_, pids := upForDownTest(t, name)
	if err := os.Remove(filepath.Join(labDir(name), stateFile)); err != nil {
		t.Fatal(err)
	}
	if err := Down(name); err != nil {
		t.Fatal(err)
	}
	if left := labTraces(t, name, pids); len(left) > 0 {
		t.Errorf("left after Down of a stale lab: %v", left)
	}
}

func TestLabsSideBySide(t *testing.T) {
	a, b := ForTest(t, 1), ForTest(t, 1)
	if a.Subnet == b.Subnet || a.Bridge == b.Bridge || a.Hosts[0].Netns == b.Hosts[0].Netns {
		t.Fatalf("two labs share a subnet, bridge or netns: %+v / %+v", a, b)
	}
	// Each lab's key opens only its own hosts.
	if c, err := tryDial(b, a.Hosts[0], "root"); err == nil {
		c.Close()
		t.Errorf("lab %s's key logs in to lab %s's host", b.Name, a.Name)
	}
	dial(t, a, a.Hosts[0], "root")
	dial(t, b, b.Hosts[0], "root")
}

func TestUpRefusesARunningName(t *testing.T) {
	l := ForTest(t, 1)
	if _, err := Up(l.Name, 1, Options{}); err == nil || !strings.Contains(err.Error(), "already up") {
		t.Errorf("second Up of %s: %v", l.Name, err)
	}
	dial(t, l, l.Hosts[0], "root") // the first is untouched
}

func TestDefaultLabIsStatic(t *testing.T) {
	if bridgeName(DefaultName) != "glab-br" || vethName(DefaultName, "h1") != "glab-h1" {
		t.Errorf("default lab's interfaces: %s, %s", bridgeName(DefaultName), vethName(DefaultName, "h1"))
	}
	long := vethName("t-some-long-lab-name", "h244")
	if long != "g"+linkID("t-some-long-lab-name")+"-h244" || len(long) > 15 {
		t.Errorf("veth of a long lab name: %s", long)
	}
	subnet, err := pickSubnet(DefaultName)
	if err != nil {
		t.Skip(err) // the default lab is up, or the machine uses its subnet
	}
	if subnet.String() != "10.77.0.0/24" || hostAddr(subnet, 0).String() != "10.77.0.11" || hostAddr(subnet, 2).String() != "10.77.0.13" {
		t.Errorf("default lab: subnet %s, h1 %s, h3 %s", subnet, hostAddr(subnet, 0), hostAddr(subnet, 2))
	}
}
