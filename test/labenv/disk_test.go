package labenv

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestAttachDisk gives a host two disks: the host sees each as a block
// device of the right size under its name, the machine's loop devices are
// released by Detach and, for a disk left attached, by Down.
func TestAttachDisk(t *testing.T) {
	if err := Available(); err != nil {
		t.Skip(err)
	}
	name := "t-disk-" + strconv.Itoa(os.Getpid())
	l, err := Up(name, 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer Down(name)
	h := l.Hosts[0].Name
	d0, err := l.AttachDisk(h, "labdisk0", 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	d1, err := l.AttachDisk(h, "labdisk1", 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	out, err := l.Exec(h, "sh", "-c", "test -b /dev/labdisk0 && test -b /dev/labdisk1 && blockdev --getsize64 /dev/labdisk0 /dev/labdisk1")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got := strings.Fields(string(out)); len(got) != 2 || got[0] != "8388608" || got[1] != "4194304" {
		t.Errorf("disk sizes in the host: %q, want 8388608 and 4194304", out)
	}
	if err := d0.Detach(l); err != nil {
		t.Fatal(err)
	}
	if attached(t, d0.File) {
		t.Errorf("%s is still attached after Detach", d0.Loop)
	}
	if out, err := l.Exec(h, "test", "-e", "/dev/labdisk0"); err == nil {
		t.Errorf("/dev/labdisk0 is still in the host after Detach: %s", out)
	}
	if !attached(t, d1.File) {
		t.Fatalf("%s is not attached", d1.Loop)
	}
	if err := l.Down(); err != nil {
		t.Fatal(err)
	}
	if out, _ := run("losetup", "--list", "--noheadings", "--output", "BACK-FILE"); strings.Contains(out, d1.File) {
		t.Errorf("the lab's Down left %s attached", d1.File)
	}
}

// attached reports whether a loop device is backed by file.
func attached(t *testing.T, file string) bool {
	out, err := run("losetup", "--list", "--noheadings", "--output", "NAME", "--associated", file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out) != ""
}
