package labenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Disk is a block device given to one lab host: a sparse file in the lab's
// state directory attached to a loop device of the machine, whose device
// node the host sees as /dev/NAME. Only that host has the node, so tools
// that scan /dev (lvm, blkid) find no other disks of the machine there.
type Disk struct {
	Host string // the lab host
	Path string // the device node in the host, /dev/NAME
	Loop string // the machine's loop device, /dev/loopN
	File string // the backing file
}

// AttachDisk gives host a new, zeroed block device of size bytes as
// /dev/name. The loop device is the machine's (the kernel's block devices
// are not namespaced): Detach, or the lab's Down, releases it.
func (l *Lab) AttachDisk(host, name string, size int64) (*Disk, error) {
	if strings.ContainsAny(name, "/ ") || name == "" {
		return nil, fmt.Errorf("labenv: bad disk name %q", name)
	}
	if _, err := l.Host(host); err != nil {
		return nil, err
	}
	dir := filepath.Join(l.Dir, host, "disks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	file := filepath.Join(dir, name+".img")
	f, err := os.OpenFile(file, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("labenv: disk %s of %s: %w", name, host, err)
	}
	err = f.Truncate(size)
	f.Close()
	if err != nil {
		os.Remove(file)
		return nil, fmt.Errorf("labenv: disk %s of %s: %w", name, host, err)
	}
	out, err := run("losetup", "--find", "--show", file)
	if err != nil {
		os.Remove(file)
		return nil, err
	}
	d := &Disk{Host: host, Path: "/dev/" + name, Loop: strings.TrimSpace(out), File: file}
	var st unix.Stat_t
	if err := unix.Stat(d.Loop, &st); err != nil {
		return nil, errors.Join(fmt.Errorf("labenv: %s: %w", d.Loop, err), d.Detach(l))
	}
	node := fmt.Sprintf("rm -f %[1]s && mknod -m 0660 %[1]s b %d %d && chgrp disk %[1]s", d.Path, unix.Major(st.Rdev), unix.Minor(st.Rdev))
	if b, err := l.Exec(host, "sh", "-c", node); err != nil {
		return nil, errors.Join(fmt.Errorf("labenv: making %s in %s: %v: %s", d.Path, host, err, b), d.Detach(l))
	}
	return d, nil
}

// Detach removes the disk's node from its host (when the host still
// runs), releases the loop device and deletes the backing file.
func (d *Disk) Detach(l *Lab) error {
	l.Exec(d.Host, "rm", "-f", d.Path)
	var errs []error
	if err := release(d.Loop); err != nil {
		errs = append(errs, err)
	}
	if err := os.Remove(d.File); err != nil && !os.IsNotExist(err) {
		errs = append(errs, fmt.Errorf("labenv: %w", err))
	}
	return errors.Join(errs...)
}

// detachDisks releases the loop devices of every disk a lab's hosts were
// given and not detached (a test that crashed), before Down deletes the
// backing files.
func detachDisks(name string) error {
	files, _ := filepath.Glob(filepath.Join(labDir(name), "*", "disks", "*.img"))
	var errs []error
	for _, f := range files {
		out, err := run("losetup", "--list", "--noheadings", "--output", "NAME", "--associated", f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, loop := range strings.Fields(out) {
			if err := release(loop); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// release detaches a loop device. Partitions that parted made on it (with
// the BLKPG ioctl, which a loop device without partscan keeps after
// detaching) are deleted first, so that no /dev/loopNpM is left behind.
func release(loop string) error {
	run("partx", "-d", loop) // fails when there are none
	_, err := run("losetup", "-d", loop)
	return err
}
