package virt

import "gorun/engine/module"

var kvmBackupDoc = &module.Doc{
	Name:  "kvm_backup",
	Names: []string{"gorun.kvm.backup"},
	Short: "Back a guest's disk images up to the controller, with retention, and restore them",
	Description: []string{
		"state=present copies the volumes of a guest's disks (and CD-ROMs) from its KVM host (the task's host: delegate the task to it) through libvirt's stream API into DEST/NAME/STAMP/ on the controller, a NAS mount for example, with the guest's inactive XML as domain.xml and the files' checksums in SHA256SUMS (sha256sum -c checks them). The copy is written to STAMP.partial and renamed when complete, so a backup directory with SHA256SUMS is always whole; rerunning with the same stamp keeps it.",
		"A running guest is copied consistently: with mode=snapshot (the default for running guests, mode=auto) an external disk-only snapshot freezes its writable disks while the guest writes to temporary overlays next to them, the frozen images are streamed, and a block commit merges the overlays back and pivots the guest onto its disks again, without stopping it. With mode=stop the guest is shut down (destroyed after shutdown_timeout) for the copy and started again. A stopped guest is copied as it is.",
		"keep deletes the oldest finished backups of the guest beyond that number after a successful one.",
		"state=restored checks every file of a backup (stamp, default the latest) against SHA256SUMS, stops the guest if it runs, recreates each volume whose contents differ from the backup with the backup's bytes, verifies them through libvirt, and starts the guest again if it was running. Volumes that already hold the backup's contents are left alone.",
		"In check mode nothing is changed and plan lists the steps a real run would take.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Aliases: []string{"guest"}, Description: "The guest's name."},
		{Name: "dest", Required: true, Type: "path", Description: "Directory on the controller holding the backups; each guest gets a subdirectory."},
		{Name: "state", Default: "present", Choices: []any{"present", "restored"}, Description: "present makes a backup; restored writes one back."},
		{Name: "stamp", Description: "Name of the backup's directory. Default for a backup: the UTC time (20261128T031500Z); for a restore: the latest finished backup."},
		{Name: "mode", Default: "auto", Choices: []any{"auto", "snapshot", "stop"}, Description: "How to copy a running guest: snapshot (external snapshot, copy, block commit; the guest keeps running) or stop (shut it down for the copy). auto: snapshot."},
		{Name: "quiesce", Type: "bool", Default: false, Description: "Have the QEMU guest agent freeze the guest's file systems for the snapshot."},
		{Name: "keep", Type: "int", Default: 0, Description: "Number of backups of the guest to keep (the oldest beyond it are deleted); 0 keeps all."},
		{Name: "shutdown_timeout", Type: "int", Default: 120, Description: "Seconds to wait for a shutdown (mode=stop, restore of a running guest) before destroying the guest."},
		uriOption,
	},
	Check: module.Full,
	Notes: []string{
		"A qcow2 overlay is backed up as it is: it refers to its base image by path, which must be backed up (once) on its own, or the guest's disk made a full copy.",
		"Disks must be volumes of storage pools. Snapshots need a QEMU guest (not the test driver) and a pool directory the guest's QEMU may write the temporary overlays to.",
	},
	Examples: `- name: Nightly backup of web1 to the NAS, keeping a week
  gorun.kvm.backup:
    name: web1
    dest: /mnt/nas/vm-backups
    keep: 7
  delegate_to: kvm1

- name: Put web1's disks back as they were last night
  gorun.kvm.backup:
    name: web1
    dest: /mnt/nas/vm-backups
    state: restored
  delegate_to: kvm1
`,
	Returns: []module.Return{
		{Name: "path", Description: "The backup's directory.", Returned: "always", Type: "str", Sample: "/mnt/nas/vm-backups/web1/20261128T031500Z"},
		{Name: "stamp", Description: "The backup's name.", Returned: "always", Type: "str"},
		{Name: "mode", Description: "How the guest was copied: snapshot or stop.", Returned: "a backup was made", Type: "str"},
		{Name: "volumes", Description: "The copied volumes: pool, name, target, format, sha256, bytes.", Returned: "a backup was made", Type: "list"},
		{Name: "removed", Description: "Stamps of old backups deleted for keep.", Returned: "keep is set", Type: "list"},
		{Name: "restored", Description: "Names of the volumes written back.", Returned: "state=restored", Type: "list"},
		{Name: "plan", Description: "The steps taken (in check mode: that would be taken).", Returned: "always", Type: "list"},
	},
}
