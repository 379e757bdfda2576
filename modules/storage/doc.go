// Package storage holds gorun's storage modules, ports of community.general's
// lvg, lvol, filesystem and parted: LVM volume groups and logical volumes,
// file systems and partition tables.
//
// Like every gorun module they run on the controller and drive the target
// only through call.Conn, running the commands the Python modules run (pvs,
// vgcreate, lvcreate, blkid, mkfs.*, parted, ...) with the same arguments,
// so that results and the state left on the host match ansible-playbook's.
package storage
