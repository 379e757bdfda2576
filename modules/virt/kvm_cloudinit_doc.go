package virt

import "gorun/engine/module"

var kvmCloudinitDoc = &module.Doc{
	Name:  "kvm_cloudinit",
	Names: []string{"gorun.kvm.cloudinit"},
	Short: "Build a cloud-init NoCloud seed image as a libvirt volume",
	Description: []string{
		"Builds a cloud-init NoCloud seed (an ISO 9660 image with Rock Ridge names, labelled cidata, holding user-data, meta-data and network-config) in Go on the controller from playbook variables, and stores it as a raw volume in a libvirt storage pool through libvirt's stream API. Attach it to a guest as a CD-ROM (gorun.kvm.guest's cloudinit option does).",
		"Idempotent: an existing seed is read back and replaced only when its files differ.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Description: "Name of the seed volume in the pool, e.g. web1-seed.iso."},
		{Name: "pool", Required: true, Description: "Name of the storage pool; it must exist and be active."},
		{Name: "state", Default: "present", Choices: []any{"present", "absent"}, Description: "present builds or updates the seed; absent deletes it."},
		{Name: "user_data", Type: "raw", Description: "user-data: a mapping (written as YAML after a #cloud-config line) or a string used as is (a #cloud-config document, a script, a MIME multipart). Empty: a bare #cloud-config."},
		{Name: "meta_data", Type: "raw", Description: "meta-data: a mapping (YAML) or a string used as is. A mapping gets instance-id and local-hostname from instance_id and hostname unless it has them."},
		{Name: "network_config", Type: "raw", Description: "network-config (version 1 or 2): a mapping (YAML) or a string. Omitted: no network-config file, cloud-init's default DHCP on the first NIC."},
		{Name: "hostname", Description: "The guest's host name (meta-data local-hostname)."},
		{Name: "instance_id", Description: "meta-data instance-id; default the hostname, else the volume name without .iso. cloud-init reruns its per-instance modules when it changes."},
		uriOption,
	},
	Check: module.Full,
	Diff:  module.Full,
	Examples: `- name: Seed for web1
  gorun.kvm.cloudinit:
    pool: default
    name: web1-seed.iso
    hostname: web1
    user_data:
      users:
        - name: admin
          sudo: ALL=(ALL) NOPASSWD:ALL
          ssh_authorized_keys: ["{{ lookup('file', '~/.ssh/id_ed25519.pub') }}"]
      packages: [qemu-guest-agent]
    network_config:
      version: 2
      ethernets:
        eth0: {dhcp4: true}
`,
	Returns: []module.Return{
		{Name: "path", Description: "The seed volume's path on the host.", Returned: "state=present", Type: "str", Sample: "/var/lib/libvirt/images/web1-seed.iso"},
		{Name: "files", Description: "The files in the seed.", Returned: "state=present", Type: "list", Sample: []any{"meta-data", "user-data"}},
	},
}
