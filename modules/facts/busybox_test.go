package facts

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorun/engine/connection"
)

// pathConn is shConn with PATH limited to one directory.
type pathConn struct {
	shConn
	path string
}

func (c pathConn) Exec(ctx context.Context, cmd string, opts connection.ExecOptions) (*connection.ExecResult, error) {
	return c.shConn.Exec(ctx, "PATH="+c.path+"; export PATH; "+cmd, opts)
}

// TestBusyboxTargets gathers facts with nothing but busybox's applets in
// PATH, as on a minimal target, and checks them against a normal gathering.
func TestBusyboxTargets(t *testing.T) {
	bb, err := exec.LookPath("busybox")
	if err != nil {
		t.Skip("busybox is not installed")
	}
	dir := t.TempDir()
	out, err := exec.Command(bb, "--list").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, applet := range strings.Fields(string(out)) {
		if err := os.Symlink(bb, filepath.Join(dir, applet)); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	o := Options{Subset: []string{"all"}}
	full, err := Collect(ctx, shConn{}, o)
	if err != nil {
		t.Fatal(err)
	}
	small, err := Collect(ctx, pathConn{path: dir}, o)
	if err != nil {
		t.Fatal(err)
	}
	// Facts that need no tool busybox lacks (findmnt, lsblk, ...) must agree.
	for _, k := range []string{"ansible_distribution", "ansible_distribution_version", "ansible_os_family",
		"ansible_kernel", "ansible_kernel_version", "ansible_architecture", "ansible_machine_id",
		"ansible_processor", "ansible_processor_vcpus", "ansible_memtotal_mb", "ansible_default_ipv4",
		"ansible_eth0", "ansible_lo", "ansible_dns", "ansible_user_id", "ansible_user_dir",
		"ansible_virtualization_type", "ansible_is_chroot", "ansible_selinux", "ansible_devices"} {
		if !reflect.DeepEqual(small[k], full[k]) {
			t.Errorf("%s with busybox = %v\nwith the usual tools = %v", k, trunc(small[k]), trunc(full[k]))
		}
	}
	dt, _ := small["ansible_date_time"].(map[string]any)
	if micro, _ := dt["iso8601_micro"].(string); !strings.HasSuffix(micro, ".000000Z") {
		t.Errorf("busybox date has no %%N, iso8601_micro should end in .000000Z: %q", micro)
	}
}
