package storage

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// filesystemModule is community.general.filesystem for Linux, a port of
// filesystem.py: it makes a file system with the type's mkfs when blkid
// finds none (or force), grows it into its device with resizefs, and wipes
// signatures with wipefs for state=absent.
type filesystemModule struct{}

func init() { module.Register(filesystemModule{}) }

func (filesystemModule) Doc() *module.Doc { return filesystemDoc }

// langEnv is Filesystem.LANG_ENV, set for the commands whose output the
// module parses.
var langEnv = map[string]string{"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C"}

// fsKind is one of filesystem.py's Filesystem classes.
type fsKind struct {
	// class is the Python class name, which the module's messages show.
	class string
	// mkfs makes the file system with forceFlags, which filesystem.py
	// always passes.
	mkfs       string
	forceFlags []string
	// info reads the file system's size; grow, with growFlags, grows it
	// (on its mount point when mountOnly). "" when the class has none.
	info, grow string
	growFlags  []string
	mountOnly  bool
}

var (
	fsExt2     = &fsKind{class: "Ext2", mkfs: "mkfs.ext2", forceFlags: []string{"-F"}, info: "tune2fs", grow: "resize2fs"}
	fsExt3     = &fsKind{class: "Ext3", mkfs: "mkfs.ext3", forceFlags: []string{"-F"}, info: "tune2fs", grow: "resize2fs"}
	fsExt4     = &fsKind{class: "Ext4", mkfs: "mkfs.ext4", forceFlags: []string{"-F"}, info: "tune2fs", grow: "resize2fs"}
	fsXFS      = &fsKind{class: "XFS", mkfs: "mkfs.xfs", forceFlags: []string{"-f"}, info: "xfs_info", grow: "xfs_growfs", mountOnly: true}
	fsReiserfs = &fsKind{class: "Reiserfs", mkfs: "mkfs.reiserfs", forceFlags: []string{"-q"}}
	fsBtrfs    = &fsKind{class: "Btrfs", mkfs: "mkfs.btrfs", info: "btrfs", grow: "btrfs", growFlags: []string{"filesystem", "resize", "max"}, mountOnly: true}
	fsOcfs2    = &fsKind{class: "Ocfs2", mkfs: "mkfs.ocfs2", forceFlags: []string{"-Fx"}}
	fsF2fs     = &fsKind{class: "F2fs", mkfs: "mkfs.f2fs", info: "dump.f2fs", grow: "resize.f2fs"}
	fsVFAT     = &fsKind{class: "VFAT", mkfs: "mkfs.vfat", info: "fatresize", grow: "fatresize", growFlags: []string{"-s", "max"}}
	fsLVM      = &fsKind{class: "LVM", mkfs: "pvcreate", forceFlags: []string{"-f"}, info: "pvs", grow: "pvresize"}
	fsSwap     = &fsKind{class: "Swap", mkfs: "mkswap", forceFlags: []string{"-f"}}
	fsUFS      = &fsKind{class: "UFS", mkfs: "newfs", info: "dumpfs", grow: "growfs", growFlags: []string{"-y"}}
)

// fsKinds is FILESYSTEMS: blkid's type names (and the option's) to classes.
var fsKinds = map[string]*fsKind{
	"ext2": fsExt2, "ext3": fsExt3, "ext4": fsExt4, "ext4dev": fsExt4,
	"f2fs": fsF2fs, "reiserfs": fsReiserfs, "xfs": fsXFS, "btrfs": fsBtrfs,
	"vfat": fsVFAT, "ocfs2": fsOcfs2, "LVM2_member": fsLVM, "swap": fsSwap, "ufs": fsUFS,
}

// fsRun is one run of the module: the target and the device.
type fsRun struct {
	t     *target
	check bool
	dev   string
	kind  *fsKind
	// forceFlags are the kind's, or what the mkfs version allows.
	forceFlags []string
	warn       func(string)
}

func (filesystemModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call, nil)
	return remotecmd.Finish(nil, filesystem(t, call))
}

// filesystem is filesystem.py's main.
func filesystem(t *target, call *module.Call) error {
	a := call.Args
	state, dev, fstype := a.String("state"), a.String("dev"), a.String("fstype")
	force, resizefs := a.Bool("force"), a.Bool("resizefs")
	mkfsOpts := strings.Fields(a.String("opts"))

	q := shell.Quote(dev)
	o, err := t.sh("test -e " + q)
	if err != nil {
		return err
	}
	if o.RC != 0 {
		msg := fmt.Sprintf("Device %s not found.", dev)
		if state == "present" {
			return remotecmd.Fail(msg)
		}
		return remotecmd.Done(module.Result{"changed": false, "msg": msg})
	}

	// A file system blkid does not know is overwritten even without force.
	blkid, err := t.bin("blkid")
	if err != nil {
		return err
	}
	probe, err := t.run(blkid, "-c", "/dev/null", "-o", "value", "-s", "TYPE", dev)
	if err != nil {
		return err
	}
	fs := strings.TrimSpace(probe.Stdout)

	if state != "present" {
		if fs == "" {
			return remotecmd.Done(module.Result{"changed": false})
		}
		if !call.Check {
			wipefs, err := t.bin("wipefs")
			if err != nil {
				return err
			}
			if _, err := t.runCheck(wipefs, "--all", dev); err != nil {
				return err
			}
		}
		return remotecmd.Done(module.Result{"changed": true})
	}

	if fstype == "lvm" {
		fstype = "LVM2_member"
	}
	kind := fsKinds[fstype]
	if kind == nil {
		return remotecmd.Fail(fmt.Sprintf("module does not support this filesystem (%s) yet.", fstype), "changed", false)
	}
	r := &fsRun{t: t, check: call.Check, dev: dev, kind: kind, forceFlags: kind.forceFlags, warn: call.Warn}
	if err := r.init(); err != nil {
		return err
	}

	same := fs != "" && fsKinds[fs] == kind
	switch {
	case same && !resizefs && !force:
		return remotecmd.Done(module.Result{"changed": false})
	case same && resizefs:
		if kind.grow == "" {
			return remotecmd.Fail(fmt.Sprintf("module does not support resizing %s filesystem yet.", fstype), "changed", false)
		}
		out, err := r.growFS()
		if err != nil {
			return err
		}
		return remotecmd.Done(module.Result{"changed": true, "msg": out})
	case fs != "" && !force:
		return remotecmd.Fail(fmt.Sprintf("'%s' is already used as %s, use force=true to overwrite", dev, fs), "rc", probe.RC, "err", probe.Stderr)
	}

	if !call.Check {
		mkfs, err := t.bin(kind.mkfs)
		if err != nil {
			return err
		}
		argv := append(append(append([]string{mkfs}, r.forceFlags...), mkfsOpts...), dev)
		if _, err := t.runCheck(argv...); err != nil {
			return err
		}
	}
	return remotecmd.Done(module.Result{"changed": true})
}

var (
	btrfsVersionRE = regexp.MustCompile(` v([0-9.]+)`)
	f2fsVersionRE  = regexp.MustCompile(`F2FS-tools: mkfs.f2fs Ver: ([0-9.]+) \(`)
)

// init is the classes' constructors: btrfs and f2fs take their force flag
// from the version of their mkfs.
func (r *fsRun) init() error {
	switch r.kind {
	case fsBtrfs:
		mkfs, err := r.t.bin(r.kind.mkfs)
		if err != nil {
			return err
		}
		o, err := r.t.runCheck(mkfs, "--version")
		if err != nil {
			return err
		}
		m := btrfsVersionRE.FindStringSubmatch(o.Stdout)
		if m == nil {
			m = btrfsVersionRE.FindStringSubmatch(o.Stderr)
		}
		if m == nil {
			r.forceFlags = []string{"-f"}
			r.warn(fmt.Sprintf("Unable to identify mkfs.btrfs version (%s, %s)", pytext.ReprString(o.Stdout), pytext.ReprString(o.Stderr)))
		} else if versionAtLeast(m[1], "3.12") {
			r.forceFlags = []string{"-f"}
		}
	case fsF2fs:
		mkfs, err := r.t.bin(r.kind.mkfs)
		if err != nil {
			return err
		}
		o, err := r.t.withEnv(langEnv).run(mkfs, "/dev/null")
		if err != nil {
			return err
		}
		if m := f2fsVersionRE.FindStringSubmatch(o.Stdout); m != nil && versionAtLeast(m[1], "1.9.0") {
			r.forceFlags = []string{"-f"}
		}
	}
	return nil
}

// growFS is Filesystem.grow: the file system grows when it is smaller than
// its device. It returns the grow command's output.
func (r *fsRun) growFS() (string, error) {
	devSize, err := r.deviceSize()
	if err != nil {
		return "", err
	}
	fsSize, err := r.fsSize()
	if err != nil {
		return "", err
	}
	if fsSize >= devSize {
		return "", remotecmd.Done(module.Result{"changed": false, "msg": fmt.Sprintf("%s filesystem is using the whole device %s", r.kind.class, r.dev)})
	}
	if r.check {
		return "", remotecmd.Done(module.Result{"changed": true, "msg": fmt.Sprintf("resizing filesystem %s on device %s", r.kind.class, r.dev)})
	}
	target := r.dev
	if r.kind.mountOnly {
		mp, err := r.mountpoint()
		if err != nil {
			return "", err
		}
		if mp == "" {
			return "", remotecmd.Fail(fmt.Sprintf("%s needs to be mounted for %s operations", r.dev, r.kind.class))
		}
		target = mp
	}
	grow, err := r.t.bin(r.kind.grow)
	if err != nil {
		return "", err
	}
	o, err := r.t.runCheck(append(append([]string{grow}, r.kind.growFlags...), target)...)
	return o.Stdout, err
}

// deviceSize is Device.size: blockdev for a block device, the size of a
// regular file.
func (r *fsRun) deviceSize() (int64, error) {
	q := shell.Quote(r.dev)
	o, err := r.t.sh("if test -b " + q + "; then echo block; elif test -f " + q + "; then stat -L -c %s " + q + "; else echo other; fi")
	if err != nil {
		return 0, err
	}
	switch out := strings.TrimSpace(o.Stdout); out {
	case "block":
		blockdev, err := r.t.bin("blockdev")
		if err != nil {
			return 0, err
		}
		o, err := r.t.runCheck(blockdev, "--getsize64", r.dev)
		if err != nil {
			return 0, err
		}
		return pyInt(o.Stdout)
	case "other":
		return 0, remotecmd.Fail(fmt.Sprintf("Target device not supported: %s", r.dev), "changed", false)
	default:
		return pyInt(out)
	}
}

// mountpoint is Device.get_mountpoint: the first mount point of the
// device, "" when it is not mounted.
func (r *fsRun) mountpoint() (string, error) {
	findmnt, err := r.t.bin("findmnt")
	if err != nil {
		return "", err
	}
	o, err := r.t.run(findmnt, "--mtab", "--noheadings", "--output", "TARGET", "--source", r.dev)
	if err != nil || o.RC != 0 {
		return "", err
	}
	mp, _, _ := strings.Cut(o.Stdout, "\n")
	return mp, nil
}

// fsSize is the classes' get_fs_size: the file system's size in bytes,
// read with the kind's info command.
func (r *fsRun) fsSize() (int64, error) {
	info, err := r.t.bin(r.kind.info)
	if err != nil {
		return 0, err
	}
	lang := r.t.withEnv(langEnv)
	var out string
	var size int64
	var ok bool
	switch r.kind {
	case fsExt2, fsExt3, fsExt4:
		o, err := lang.runCheck(info, "-l", r.dev)
		if err != nil {
			return 0, err
		}
		out = o.Stdout
		size, ok = extSize(out)
	case fsXFS:
		target := r.dev
		mp, err := r.mountpoint()
		if err != nil {
			return 0, err
		}
		if mp != "" {
			target = mp
		}
		o, err := lang.runCheck(info, target)
		if err != nil {
			return 0, err
		}
		out = o.Stdout
		size, ok = xfsSize(out)
	case fsBtrfs:
		mp, err := r.mountpoint()
		if err != nil {
			return 0, err
		}
		if mp == "" {
			return 0, remotecmd.Fail(fmt.Sprintf("%s needs to be mounted for %s operations", r.dev, r.kind.class))
		}
		o, err := r.t.runCheck(info, "filesystem", "usage", "-b", mp)
		if err != nil {
			return 0, err
		}
		out = o.Stdout
		size, ok = lastFieldOf(out, "Device size")
	case fsF2fs:
		o, err := lang.runCheck(info, r.dev)
		if err != nil {
			return 0, err
		}
		out = o.Stdout
		size, ok = f2fsSize(out)
	case fsVFAT:
		o, err := lang.runCheck(info, "--info", r.dev)
		if err != nil {
			return 0, err
		}
		out = o.Stdout
		size, ok = vfatSize(out)
	case fsLVM:
		o, err := r.t.runCheck(info, "--noheadings", "-o", "pv_size", "--units", "b", "--nosuffix", r.dev)
		if err != nil {
			return 0, err
		}
		out = o.Stdout
		size, err = pyInt(out)
		if err != nil {
			return 0, err
		}
		ok = true
	case fsUFS:
		o, err := lang.runCheck(info, r.dev)
		if err != nil {
			return 0, err
		}
		out = o.Stdout
		size, ok = ufsSize(out)
	default:
		return 0, remotecmd.Fail(fmt.Sprintf("module does not support resizing %s filesystem yet", r.kind.class))
	}
	if !ok {
		r.warn(fmt.Sprintf("unable to process %s output '%s'", r.kind.info, pytext.ReprString(out)))
		return 0, remotecmd.Fail(fmt.Sprintf("unable to process %s output for %s", r.kind.info, r.dev))
	}
	return size, nil
}

// extSize multiplies tune2fs's block count and block size.
func extSize(out string) (int64, bool) {
	var count, bsize int64 = -1, -1
	for _, line := range nonEmptyLines(out) {
		if _, v, ok := strings.Cut(line, "Block count:"); ok {
			count = atoi64(v)
		} else if _, v, ok := strings.Cut(line, "Block size:"); ok {
			bsize = atoi64(v)
		}
		if count >= 0 && bsize >= 0 {
			return count * bsize, true
		}
	}
	return 0, false
}

// xfsSize multiplies xfs_info's data bsize and blocks.
func xfsSize(out string) (int64, bool) {
	var bsize, blocks int64 = -1, -1
	for _, line := range nonEmptyLines(out) {
		col := strings.Split(line, "=")
		if len(col) < 4 || strings.TrimSpace(col[0]) != "data" {
			continue
		}
		if strings.TrimSpace(col[1]) == "bsize" {
			bsize = atoi64(strings.Fields(col[2])[0])
		}
		if f := strings.Fields(col[2]); len(f) > 1 && f[1] == "blocks" {
			blocks = atoi64(strings.Split(col[3], ",")[0])
		}
		if bsize >= 0 && blocks >= 0 {
			return bsize * blocks, true
		}
	}
	return 0, false
}

// f2fsSize multiplies dump.f2fs's sector size and count.
func f2fsSize(out string) (int64, bool) {
	var size, count int64 = -1, -1
	for _, line := range nonEmptyLines(out) {
		f := strings.Fields(line)
		if strings.Contains(line, "Info: sector size = ") && len(f) > 4 {
			size = atoi64(f[4])
		} else if strings.Contains(line, "Info: total FS sectors = ") && len(f) > 5 {
			count = atoi64(f[5])
		}
		if size >= 0 && count >= 0 {
			return size * count, true
		}
	}
	return 0, false
}

// vfatSize is fatresize's "Size:" (or "Cur size:") after the first line.
func vfatSize(out string) (int64, bool) {
	lines := nonEmptyLines(out)
	for i := 1; i < len(lines); i++ {
		param, v, ok := strings.Cut(lines[i], ":")
		if !ok {
			continue
		}
		if p := strings.TrimSpace(param); p == "Size" || p == "Cur size" {
			return atoi64(v), true
		}
	}
	return 0, false
}

// ufsSize multiplies dumpfs's fragment size and provider size.
func ufsSize(out string) (int64, bool) {
	var frag, provider int64 = -1, -1
	for _, line := range nonEmptyLines(out) {
		f := strings.Fields(line)
		if strings.HasPrefix(line, "fsize") && len(f) > 1 {
			frag = atoi64(f[1])
		} else if strings.Contains(line, "providersize") && len(f) > 0 {
			provider = atoi64(f[len(f)-1])
		}
		if frag >= 0 && provider >= 0 {
			return frag * provider, true
		}
	}
	return 0, false
}

// lastFieldOf is the last word of the first line containing key.
func lastFieldOf(out, key string) (int64, bool) {
	for _, line := range nonEmptyLines(out) {
		if f := strings.Fields(line); strings.Contains(line, key) && len(f) > 0 {
			n, err := strconv.ParseInt(f[len(f)-1], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

func atoi64(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// pyInt is Python's int() of a command's output.
func pyInt(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, remotecmd.Fail(fmt.Sprintf("invalid literal for int() with base 10: %s", pytext.ReprString(s)))
	}
	return n, nil
}

// versionAtLeast compares dotted versions as LooseVersion does for numbers.
func versionAtLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		if i >= len(a) {
			return false
		}
		if i >= len(b) {
			return true
		}
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			return x > y
		}
	}
	return true
}

var filesystemDoc = &module.Doc{
	Name:  "filesystem",
	Names: []string{"community.general.filesystem"},
	Short: "Makes a filesystem",
	Description: []string{
		"This module creates a filesystem.",
	},
	Options: []module.Option{
		{Name: "dev", Type: "path", Required: true, Aliases: []string{"device"}, Description: "Target path to block device (Linux) or character device (FreeBSD) or regular file (both). lvm doesn't support a regular file as its target dev."},
		{Name: "force", Type: "bool", Default: false, Description: "If true, allows to create new filesystem on devices that already has filesystem."},
		{Name: "fstype", Aliases: []string{"type"}, Choices: []any{"btrfs", "ext2", "ext3", "ext4", "ext4dev", "f2fs", "lvm", "ocfs2", "reiserfs", "xfs", "vfat", "swap", "ufs"}, Description: "Filesystem type to be created. This option is required with state=present (or if state is omitted)."},
		{Name: "opts", Description: "List of options to be passed to mkfs command."},
		{Name: "resizefs", Type: "bool", Default: false, Description: "If true, if the block device and filesystem size differ, grow the filesystem into the space. Supported for btrfs, ext2, ext3, ext4, ext4dev, f2fs, lvm, xfs, ufs and vfat filesystems. Attempts to resize other filesystem types will fail. XFS will only grow if mounted."},
		{Name: "state", Default: "present", Choices: []any{"present", "absent"}, Description: "If state=present, the filesystem is created if it doesn't already exist. If state=absent, filesystem signatures on dev are wiped if it contains a filesystem (as known by blkid); all other options but dev are ignored, and the module doesn't fail if the device dev doesn't actually exist."},
	},
	RequiredIf: []module.RequiredIf{{Key: "state", Value: "present", Requires: []string{"fstype"}}},
	Check:      module.Full,
	Diff:       module.None,
	Notes: []string{
		"Potential filesystems on dev are checked using blkid. In case blkid is unable to detect a filesystem, this filesystem is overwritten even if force is false.",
		"gorun runs the Linux commands of the module; FreeBSD's fstyp, diskinfo and newfs_msdos are not used.",
	},
	Examples: `- name: Create a ext2 filesystem on /dev/sdb1
  community.general.filesystem:
    fstype: ext2
    dev: /dev/sdb1

- name: Create a ext4 filesystem on /dev/sdb1 and check disk blocks
  community.general.filesystem:
    fstype: ext4
    dev: /dev/sdb1
    opts: -cc

- name: Blank filesystem signature on /dev/sdb1
  community.general.filesystem:
    dev: /dev/sdb1
    state: absent

- name: Create a filesystem on top of a regular file
  community.general.filesystem:
    dev: /path/to/disk.img
    fstype: vfat`,
}
