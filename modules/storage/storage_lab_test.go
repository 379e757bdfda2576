package storage_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// step and shell are the differential test's steps (see labdiff).
type step = labdiff.Step

var shell = labdiff.Shell

// lvmLocalConf makes LVM work on a lab host: no udev runs there (lvm
// must neither wait for it nor ask it for devices), and this machine's
// kernel has no device-mapper, so activation is off: volume groups and
// logical volumes exist as metadata on the PVs, and every LV shows as
// not active. Both engines' modules run under the same configuration.
const lvmLocalConf = `# Written by gorun's storage lab test.
global { activation = 0 }
activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }
devices { obtain_device_list_from_udev = 0 }
`

// storageLab is the shared lab: two hosts with the same disks each.
type storageLab struct {
	*labdiff.Lab
	// vg is the volume group's name, unique to the test run: LVM metadata
	// on a loop device is visible to the whole machine.
	vg string
}

// disk names the lab host's disks: LVM's two PVs, the file system's disk
// and parted's.
const (
	pv0, pv1   = "/dev/labdisk0", "/dev/labdisk1"
	fsDisk     = "/dev/labdisk2"
	partedDisk = "/dev/labdisk3"
)

// TestStorageModulesLab runs lvg, lvol, filesystem and parted with
// ansible-playbook on one lab host and gorun on the other, each host with
// its own loop-device disks under the same names: the results of every
// step, and pvs/vgs/lvs, blkid and parted's view of the disks must agree.
func TestStorageModulesLab(t *testing.T) {
	for _, tool := range []string{"losetup", "pvcreate", "parted", "mkfs.ext4", "mkfs.vfat"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make deps): %v", tool, err)
		}
	}
	l := labdiff.Setup(t)
	suffix := make([]byte, 4)
	rand.Read(suffix)
	s := &storageLab{Lab: l, vg: "gorunvg" + hex.EncodeToString(suffix)}
	for _, h := range []string{l.Ansible, l.Mine} {
		s.prepare(t, h)
	}
	t.Run("lvm", func(t *testing.T) { t.Parallel(); testLVM(t, s) })
	t.Run("filesystem", func(t *testing.T) { t.Parallel(); testFilesystem(t, s) })
	t.Run("parted", func(t *testing.T) { t.Parallel(); testParted(t, s) })
}

// prepare gives host its disks and LVM configuration, and removes the
// volume group and the disks when the test ends.
func (s *storageLab) prepare(t *testing.T, host string) {
	if b, err := s.Exec(host, "sh", "-c", "cat > /etc/lvm/lvmlocal.conf <<'EOF'\n"+lvmLocalConf+"EOF"); err != nil {
		t.Fatalf("%s: lvmlocal.conf: %v: %s", host, err, b)
	}
	sizes := map[string]int64{pv0: 64 << 20, pv1: 64 << 20, fsDisk: 32 << 20, partedDisk: 64 << 20}
	for _, path := range []string{pv0, pv1, fsDisk, partedDisk} {
		d, err := s.AttachDisk(host, strings.TrimPrefix(path, "/dev/"), sizes[path])
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := d.Detach(s.Lab.Lab); err != nil {
				t.Error(err)
			}
		})
	}
	// Registered last, so it runs first: the metadata goes before the disks.
	t.Cleanup(func() {
		s.Exec(host, "sh", "-c", fmt.Sprintf("vgremove -f %[1]s %[1]s2; pvremove -ff -y %s %s %s", s.vg, pv0, pv1, fsDisk))
	})
}

// testLVM creates, extends, reduces and removes a volume group and its
// logical volumes with both engines.
func testLVM(t *testing.T, s *storageLab) {
	vg := s.vg
	lvgKeys := []string{"msg", "rc", "err"}
	lvolKeys := []string{"msg", "rc", "err", "vg", "lv", "size", "stdout"}
	lvg := func(args string, check bool) step {
		return step{Module: "community.general.lvg", Args: fmt.Sprintf("{vg: %s, %s}", vg, args), Check: check, Keys: lvgKeys}
	}
	lvol := func(args string, check bool) step {
		return step{Module: "community.general.lvol", Args: fmt.Sprintf("{vg: %s, %s}", vg, args), Check: check, Keys: lvolKeys}
	}
	state := shell(fmt.Sprintf("pvs --noheadings -o pv_name,vg_name,pv_size --units m %s %s; vgs --noheadings -o vg_name,pv_count,lv_count,vg_size,vg_free,vg_extent_size --units m %s; lvs --noheadings -o lv_name,lv_size,lv_attr --units m %s", pv0, pv1, vg, vg))
	steps := []step{
		lvg("pvs: "+pv0, true),
		shell("pvs --noheadings " + pv0 + " | wc -l"),
		lvg("pvs: "+pv0+", pesize: '4'", false),
		lvg("pvs: "+pv0, false),
		lvg("pvs: /dev/nonexistent", false),
		state,
		lvg(fmt.Sprintf("pvs: [%s, %s]", pv0, pv1), true),
		lvg(fmt.Sprintf("pvs: '%s,%s'", pv0, pv1), false),
		lvg("pvs: "+pv1, false),
		state,
		{Module: "community.general.lvg", Args: fmt.Sprintf("{vg: %s2, pvs: %s}", vg, pv0), Keys: lvgKeys},
		lvg(fmt.Sprintf("pvs: [%s, %s]", pv0, pv1), false),
		{Module: "community.general.lvg", Args: fmt.Sprintf("{vg: %s2, state: absent}", vg), Keys: lvgKeys},
		lvg(fmt.Sprintf("pvs: [%s, %s], pvresize: true", pv0, pv1), false),
		lvol("lv: data, size: '8', active: false", true),
		lvol("lv: data, size: '8', active: false", false),
		lvol("lv: data, size: 8m, active: false", false),
		lvol("lv: data, size: '16', active: false", false),
		lvol("lv: data, size: +8M, active: false", false),
		state,
		lvol("lv: data, size: 50%FREE, active: false", false),
		lvol("lv: data, size: 12, active: false", false),
		lvol("lv: data, size: 12, active: false, force: true", true),
		lvol("lv: data, size: 12, active: false, force: true", false),
		lvol("lv: data, size: 200, active: false, shrink: false", false),
		lvol("lv: data, size: 4, active: false, shrink: false", false),
		lvol("lv: data, size: 90%VG, active: false", false),
		lvol("lv: data, size: 200%FREE, active: false", false),
		lvol("lv: data, size: 1x, active: false", false),
		lvol(fmt.Sprintf("lv: spare, size: 100%%FREE, active: false, pvs: %s", pv1), false),
		state,
		lvol("lv: nothere, state: absent", false),
		lvol("lv: data", false),
		lvol("lv: data, snapshot: snap1, size: '8', active: false", false),
		lvol("lv: data, snapshot: snap1, size: '8', active: false", false),
		lvol("lv: nosuchlv, snapshot: snap2, size: '8'", false),
		lvol("thinpool: pool, size: '16', active: false", false),
		lvol("lv: thin1, thinpool: pool, size: '32', active: false", false),
		lvol("lv: thin2, thinpool: nosuchpool, size: '32'", false),
		state,
		lvol("lv: data, state: absent", false),
		lvol("lv: data, state: absent, force: true", true),
		lvol("lv: data, state: absent, force: true", false),
		lvg("state: absent", false),
		{Module: "community.general.lvol", Args: "{vg: nosuchvg, lv: x, size: '4'}", Keys: lvolKeys},
		{Module: "community.general.lvol", Args: "{vg: nosuchvg, lv: x, state: absent}", Keys: lvolKeys},
		lvg("state: absent, force: true", true),
		lvg("state: absent, force: true", false),
		lvg("state: absent", false),
		state,
	}
	got := s.DiffPlay(t, steps)
	logResults(t, got)
	if out, _ := got[5]["stdout"].(string); !strings.Contains(out, vg) {
		t.Errorf("the volume group is not on %s after lvg:\n%s", pv0, out)
	}
	if out, _ := got[19]["stdout"].(string); !strings.Contains(out, "data") || !strings.Contains(out, "24.00m") {
		t.Errorf("the logical volume is not 24m after growing it:\n%s", out)
	}
}

// testFilesystem makes, resizes, forces and wipes file systems on a disk
// and on regular files.
func testFilesystem(t *testing.T, s *storageLab) {
	keys := []string{"msg", "rc", "err", "cmd", "stdout"}
	fsStep := func(args string, check bool) step {
		return step{Module: "community.general.filesystem", Args: args, Check: check, Keys: keys}
	}
	blkid := shell(fmt.Sprintf("for d in %s /tmp/fs.img /tmp/swap.img /tmp/xfs.img /tmp/f2.img; do echo $d; blkid -c /dev/null -o value -s TYPE -s LABEL $d; done; true", fsDisk))
	steps := []step{
		fsStep("{fstype: ext4, dev: "+fsDisk+"}", true),
		blkid,
		fsStep("{fstype: ext4, dev: "+fsDisk+"}", false),
		fsStep("{fstype: ext4dev, dev: "+fsDisk+"}", false),
		fsStep("{fstype: vfat, dev: "+fsDisk+"}", false),
		fsStep("{fstype: vfat, dev: "+fsDisk+", force: true, opts: -n LABDISK}", false),
		blkid,
		fsStep("{fstype: ext4, dev: "+fsDisk+", resizefs: true, force: true, opts: '-L lab -b 1024'}", false),
		fsStep("{fstype: ext4, dev: "+fsDisk+", resizefs: true}", false),
		fsStep("{fstype: ext4, dev: "+fsDisk+", resizefs: true}", true),
		shell("truncate -s 8M /tmp/fs.img && truncate -s 16M /tmp/swap.img"),
		fsStep("{fstype: ext3, dev: /tmp/fs.img}", false),
		shell("truncate -s 12M /tmp/fs.img"),
		fsStep("{fstype: ext3, dev: /tmp/fs.img, resizefs: true}", true),
		fsStep("{fstype: ext3, dev: /tmp/fs.img, resizefs: true}", false),
		fsStep("{fstype: ext3, dev: /tmp/fs.img, resizefs: true}", false),
		fsStep("{fstype: swap, device: /tmp/swap.img}", false),
		fsStep("{fstype: swap, dev: /tmp/swap.img, resizefs: true}", false),
		fsStep("{fstype: lvm, dev: "+fsDisk+", force: true}", false),
		fsStep("{fstype: lvm, dev: "+fsDisk+", resizefs: true}", true),
		blkid,
		fsStep("{dev: "+fsDisk+", state: absent}", true),
		fsStep("{dev: "+fsDisk+", state: absent}", false),
		fsStep("{dev: "+fsDisk+", state: absent}", false),
		fsStep("{dev: /dev/nosuchdisk, state: absent}", false),
		fsStep("{dev: /dev/nosuchdisk, fstype: ext4}", false),
		fsStep("{dev: "+fsDisk+"}", false),
		shell("truncate -s 320M /tmp/xfs.img"),
		fsStep("{fstype: xfs, dev: /tmp/xfs.img}", false),
		fsStep("{fstype: xfs, dev: /tmp/xfs.img, resizefs: true}", false),
		shell("truncate -s 400M /tmp/xfs.img"),
		fsStep("{fstype: xfs, dev: /tmp/xfs.img, resizefs: true}", false),
		fsStep("{fstype: vfat, dev: /tmp/swap.img, force: true}", false),
		fsStep("{fstype: vfat, dev: /tmp/swap.img, resizefs: true}", false),
		shell("truncate -s 64M /tmp/f2.img"),
		fsStep("{fstype: f2fs, dev: /tmp/f2.img}", false),
		fsStep("{fstype: f2fs, dev: /tmp/f2.img, resizefs: true}", false),
		shell("truncate -s 96M /tmp/f2.img"),
		fsStep("{fstype: f2fs, dev: /tmp/f2.img, resizefs: true}", true),
		fsStep("{fstype: f2fs, dev: /tmp/f2.img, resizefs: true}", false),
		fsStep("{fstype: f2fs, dev: /tmp/f2.img, resizefs: true}", false),
		blkid,
	}
	got := s.DiffPlay(t, steps)
	logResults(t, got)
	if out, _ := got[6]["stdout"].(string); !strings.Contains(out, "vfat") || !strings.Contains(out, "LABDISK") {
		t.Errorf("blkid does not see the vfat file system made with force:\n%s", out)
	}
	if got[14]["changed"] != true || got[15]["changed"] != false {
		t.Errorf("resizefs did not grow the ext3 file system once: %v, %v", got[14], got[15])
	}
}

// testParted labels a disk, makes, names, flags, resizes and removes
// partitions.
func testParted(t *testing.T, s *storageLab) {
	keys := []string{"msg", "rc", "err", "disk", "partitions", "script"}
	parted := func(args string, check bool) step {
		return step{Module: "community.general.parted", Args: fmt.Sprintf("{device: %s, %s}", partedDisk, args), Check: check, Keys: keys}
	}
	print := shell("parted -s -m " + partedDisk + " unit s print")
	steps := []step{
		parted("unit: KiB", false),
		parted("number: 1, state: present, label: gpt, part_end: 16MiB, name: data", true),
		print,
		parted("number: 1, state: present, label: gpt, part_end: 16MiB, name: data", false),
		parted("number: 1, state: present, label: gpt, part_end: 16MiB, name: data", false),
		parted("number: 2, state: present, label: gpt, part_start: 16MiB, part_end: 32MiB, flags: [lvm], fs_type: ext4", false),
		parted("number: 2, state: present, label: gpt, flags: [raid]", false),
		parted("number: 2, state: present, label: gpt, flags: [raid], name: 'two words'", false),
		parted("number: 2, state: present, label: gpt, part_end: 48MiB, resize: true, unit: MiB", true),
		parted("number: 2, state: present, label: gpt, part_end: 48MiB, resize: true, unit: MiB", false),
		parted("number: 2, state: present, label: gpt, part_end: 48MiB, resize: true, unit: MiB", false),
		print,
		parted("unit: s", false),
		parted("unit: compact", false),
		parted("unit: '%'", false),
		parted("unit: chs", false),
		parted("number: 1, state: absent", true),
		parted("number: 1, state: absent", false),
		parted("number: 1, state: absent", false),
		parted("number: 0, state: absent", false),
		parted("number: 3, state: present, part_start: '10 foo'", false),
		parted("number: 3, state: present, part_start: 'x'", false),
		parted("state: present", false),
		parted("number: 1, state: present, label: msdos, part_end: 8MiB, flags: [boot]", false),
		print,
	}
	got := s.DiffPlay(t, steps)
	logResults(t, got)
	if out, _ := got[11]["stdout"].(string); !strings.Contains(out, "two words") || !strings.Contains(out, "raid") {
		t.Errorf("parted does not show the named, flagged partition:\n%s", out)
	}
}

// logResults shows gorun's result of every step (with go test -v).
func logResults(t *testing.T, got []labdiff.Result) {
	for i, r := range got {
		t.Logf("step %d: %v", i, r)
	}
}
