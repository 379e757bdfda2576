package virt

import "gorun/engine/module"

var kvmVolumeDoc = &module.Doc{
	Name:  "kvm_volume",
	Names: []string{"gorun.kvm.volume"},
	Short: "Manage a disk image in a libvirt storage pool",
	Description: []string{
		"Creates a volume in a libvirt storage pool: empty, as a copy-on-write qcow2 overlay of a base image (backing), as a full copy of another volume (clone), or from a file on the controller (upload). Grows it to capacity. Copies it to the controller (download).",
		"Everything goes through libvirt's API and stream calls on the host's libvirtd, reached through the task's connection: no scp and no shell commands on the host.",
		"Idempotent: an existing volume is left as it is (only grown when capacity is larger); upload happens when the volume is created, or again with force.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Description: "Name of the volume in the pool (for a dir pool, its file name)."},
		{Name: "pool", Required: true, Description: "Name of the storage pool; it must exist and be active."},
		{Name: "state", Default: "present", Choices: []any{"present", "absent"}, Description: "present creates the volume when missing; absent deletes it."},
		{Name: "capacity", Type: "bytes", Description: "Size of the disk as the guest sees it, in bytes or with a unit (20G). Required for an empty volume; with backing, clone or upload it defaults to the source's size. A larger capacity than an existing volume's grows it; a smaller one is an error."},
		{Name: "format", Default: "qcow2", Choices: []any{"qcow2", "raw"}, Description: "Image format of a new volume."},
		{Name: "backing", Description: "Base volume (a name in the pool, or an absolute path) for a copy-on-write qcow2 overlay."},
		{Name: "clone", Description: "Source volume (a name in the pool, or an absolute path) to copy in full."},
		{Name: "upload", Type: "path", Description: "File on the controller whose bytes become the new volume's contents (a raw or qcow2 image matching format). Relative paths are searched as for copy's src."},
		{Name: "download", Type: "path", Description: "File on the controller to copy the volume into, when it does not exist yet (or always, with force)."},
		{Name: "checksum", Type: "bool", Default: false, Description: "Return the SHA-256 of the volume's contents (read through libvirt's stream API), e.g. to verify a copy on another host."},
		{Name: "force", Type: "bool", Default: false, Description: "Upload into an existing volume again; replace an existing download file."},
		uriOption,
	},
	MutuallyExclusive: [][]string{{"backing", "clone", "upload"}},
	Check:             module.Full,
	Diff:              module.None,
	Examples: `- name: Upload a base image once
  gorun.kvm.volume:
    pool: default
    name: debian-12-base.qcow2
    upload: images/debian-12-genericcloud-amd64.qcow2

- name: A 20 GiB disk for web1 on top of it
  gorun.kvm.volume:
    pool: default
    name: web1.qcow2
    backing: debian-12-base.qcow2
    capacity: 20G

- name: Copy a disk to the controller
  gorun.kvm.volume:
    pool: default
    name: web1.qcow2
    download: /backup/web1.qcow2
`,
	Returns: []module.Return{
		{Name: "path", Description: "The volume's path on the host.", Returned: "state=present", Type: "str", Sample: "/var/lib/libvirt/images/web1.qcow2"},
		{Name: "key", Description: "The volume's libvirt key.", Returned: "state=present", Type: "str"},
		{Name: "format", Description: "The volume's format.", Returned: "state=present", Type: "str", Sample: "qcow2"},
		{Name: "capacity", Description: "Size in bytes as the guest sees it.", Returned: "state=present", Type: "int"},
		{Name: "allocation", Description: "Bytes the image takes on the host.", Returned: "state=present", Type: "int"},
		{Name: "sha256", Description: "SHA-256 of the volume's contents.", Returned: "checksum or download", Type: "str"},
		{Name: "created", Description: "The volume was created.", Returned: "changed", Type: "bool"},
		{Name: "resized", Description: "The volume was grown.", Returned: "changed", Type: "bool"},
		{Name: "uploaded", Description: "Bytes uploaded.", Returned: "changed", Type: "int"},
		{Name: "downloaded", Description: "The file the volume was copied to.", Returned: "changed", Type: "str"},
	},
}
