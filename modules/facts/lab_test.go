package facts

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gorun/engine/connection"
	"gorun/test/labenv"
)

// labHostFacts brings up a one-host lab and gathers h1's facts with
// ansible's setup and with gorun over SSH.
func labHostFacts(t *testing.T) (gorun, ansible map[string]any) {
	if _, err := exec.LookPath("ansible"); err != nil {
		t.Skip("ansible is not installed")
	}
	l := labenv.ForTest(t, 1)
	inv := filepath.Join(t.TempDir(), "hosts.ini")
	if err := l.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	h := l.Hosts[0]
	// Secondary IPv4 addresses (on eth0, one as an alias, and on lo) and a
	// global IPv6 address with a default route (nodad: usable at once), so
	// that both listings of ip addr show and both routes have something to
	// say (an alias's secondary address is where they differ).
	for _, argv := range [][]string{
		{"ip", "addr", "add", "10.254.0.7/24", "dev", "eth0"},
		{"ip", "addr", "add", "10.254.0.8/24", "dev", "eth0", "label", "eth0:1"},
		{"ip", "addr", "add", "10.253.0.9/16", "dev", "lo"},
		{"ip", "-6", "addr", "add", "fd00:254::5/64", "dev", "eth0", "nodad"},
		{"ip", "-6", "route", "add", "default", "via", "fd00:254::1", "dev", "eth0"},
	} {
		if out, err := l.Exec(h.Name, argv...); err != nil {
			t.Fatalf("%v on %s: %v\n%s", argv, h.Name, err, out)
		}
	}
	withLVM(t, l, h.Name)
	withPartitions(t, l, h.Name)

	cmd := exec.Command("ansible", "-i", inv, h.Name, "-m", "setup")
	cmd.Env = append(os.Environ(), "ANSIBLE_LOAD_CALLBACK_PLUGINS=1", "ANSIBLE_STDOUT_CALLBACK=json")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ansible setup on %s: %v\n%s", h.Name, err, out)
	}
	var doc struct {
		Plays []struct {
			Tasks []struct{ Hosts map[string]map[string]any }
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	ansible, _ = doc.Plays[0].Tasks[0].Hosts[h.Name]["ansible_facts"].(map[string]any)
	if ansible == nil {
		t.Fatalf("ansible gave no facts: %s", out)
	}

	pool := connection.NewPool()
	ctx := context.Background()
	conn, err := pool.Get(ctx, connection.Params{
		Host: h.Name, Address: h.Addr, Port: h.Port, User: "root",
		PrivateKeyFiles: []string{l.KeyFile}, HostKeyChecking: true,
		SSHCommonArgs: "-o UserKnownHostsFile=" + l.KnownHostsFile, Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	lastLabConn = conn
	f, err := Collect(ctx, conn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(f)
	json.Unmarshal(b, &gorun)
	return gorun, ansible
}

// lastLabConn is the connection labHostFacts opened, for TestCaptureLabHost.
var lastLabConn connection.Conn

// labVolatile are the facts of a lab host that change between gatherings.
var labVolatile = map[string]bool{
	"ansible_date_time": true, "ansible_uptime_seconds": true, "ansible_memfree_mb": true,
	"ansible_memory_mb": true, "ansible_loadavg": true, "ansible_env": true, "ansible_mounts": true,
}

// TestSetupOnLabHostMatchesAnsible compares every fact of a lab host
// gathered over SSH by gorun with Ansible's setup on the same host; the
// host's network is its own, so interfaces are compared exactly.
func TestSetupOnLabHostMatchesAnsible(t *testing.T) {
	got, want := labHostFacts(t)
	for k, w := range want {
		g, ok := got[k]
		switch {
		case notGathered[k]:
		case !ok:
			t.Errorf("%s missing; ansible has %v", k, trunc(w))
		case labVolatile[k]:
			if reflect.TypeOf(g) != reflect.TypeOf(w) {
				t.Errorf("%s is %T, ansible has %T", k, g, w)
			}
		case strings.HasPrefix(k, "ansible_virtualization_tech_") || k == "ansible_interfaces":
			// Python sets have no fixed order, and the directory order of
			// /sys/class/net in a lab host changes from one read to the next
			// on this machine's kernel, for Ansible's glob as for ls -U.
			if !reflect.DeepEqual(sortedAny(g), sortedAny(w)) {
				t.Errorf("%s = %v, ansible has %v", k, g, w)
			}
		case !reflect.DeepEqual(g, w):
			t.Errorf("%s = %v\nansible has %v", k, trunc(g), trunc(w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("extra fact %s = %v", k, trunc(g))
		}
	}
	// The partitioned disk of withPartitions is among the devices compared.
	parted := 0
	for _, d := range want["ansible_devices"].(map[string]any) {
		if parts, _ := d.(map[string]any)["partitions"].(map[string]any); len(parts) == 2 {
			parted++
		}
	}
	if parted == 0 {
		t.Errorf("no device with the two partitions of withPartitions: %v", trunc(want["ansible_devices"]))
	}
	compareShapes(t, "ansible_date_time", got, want)
	compareShapes(t, "ansible_memory_mb", got, want)
	compareMounts(t, got["ansible_mounts"], want["ansible_mounts"])
	// The login environment is the same. Ansible also sets LANG, LC_ALL and
	// LC_MESSAGES for its modules, which is the runner's business, not setup's.
	genv, _ := got["ansible_env"].(map[string]any)
	wenv, _ := want["ansible_env"].(map[string]any)
	for _, k := range []string{"HOME", "USER", "LOGNAME", "SHELL", "PATH"} {
		if g, w := genv[k], wenv[k]; w != nil && !reflect.DeepEqual(g, w) {
			t.Errorf("env %s = %v, ansible has %v", k, g, w)
		}
	}
}

// withLVM gives a lab host LVM to report: a volume group on one disk with
// a logical volume and a thin pool (whose hidden volumes lvs leaves out),
// and a second disk that is a physical volume in no group. This machine's
// kernel has no device-mapper: LVM is configured not to activate anything
// and not to wait for udev (none runs in a lab host), so the volumes exist
// as metadata, for both engines alike. The volume group's name is the
// test run's own (metadata on a loop device is visible machine-wide).
func withLVM(t *testing.T, l *labenv.Lab, host string) {
	conf := "global { activation = 0 }\n" +
		"activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }\n" +
		"devices { obtain_device_list_from_udev = 0 }\n"
	vg := fmt.Sprintf("gorunfacts%d", os.Getpid())
	var disks []string
	for _, name := range []string{"factspv0", "factspv1"} {
		d, err := l.AttachDisk(host, name, 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		disks = append(disks, d.Path)
	}
	script := fmt.Sprintf("set -e; cat > /etc/lvm/lvmlocal.conf <<'EOF'\n%sEOF\n"+
		"pvcreate -qq %s %s; vgcreate -qq %s %s\n"+
		"lvcreate -qq -an -Zn -L 8m -n data %s\n"+
		"lvcreate -qq -an --type cache-pool -L 16m -n pool %s\n",
		conf, disks[0], disks[1], vg, disks[0], vg, vg)
	if out, err := l.Exec(host, "sh", "-c", script); err != nil {
		t.Fatalf("LVM on %s: %v\n%s", host, err, out)
	}
	t.Cleanup(func() { l.Exec(host, "vgremove", "-qq", "-f", vg) })
}

// withPartitions gives a lab host a disk with two partitions, which parted
// adds to the loop device with the BLKPG ioctl (a lab's loop devices do no
// partition scan of their own), so that both engines report partitions.
func withPartitions(t *testing.T, l *labenv.Lab, host string) {
	d, err := l.AttachDisk(host, "factsparts", 32<<20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Detach(l) })
	script := "parted -s " + d.Path + " mklabel msdos mkpart primary 1MiB 9MiB mkpart primary 9MiB 17MiB"
	if out, err := l.Exec(host, "sh", "-c", script); err != nil {
		t.Fatalf("partitions on %s: %v\n%s", host, err, out)
	}
}
