package virt

import "gorun/engine/module"

var kvmMigrateDoc = &module.Doc{
	Name:  "kvm_migrate",
	Names: []string{"gorun.kvm.migrate"},
	Short: "Cold-migrate a guest to another KVM host, resumably",
	Description: []string{
		"Moves a guest from the task's host (delegate the task to the guest's current KVM host) to dest, another host of the inventory, for hosts whose images sit on local disks: stops the guest (gracefully, destroyed after shutdown_timeout), streams each of its volumes from one libvirtd to the other through libvirt's stream API (through the controller, with no staging file, no scp and no qemu-img on the hosts), verifies the SHA-256 of each copy as the target holds it, defines the guest there with the source's inactive XML, starts it, and undefines it on the source only after that.",
		"Base images that qcow2 overlays refer to are copied too when the target has no volume at their path (copy_backing); the target's pool of the same name must then keep its volumes in the same directory, since an overlay names its base by path.",
		"Resumable and safe to rerun: every step looks first. A volume the target already holds with the source's checksum is not copied again; a partial copy is replaced; a guest defined on the target only is left alone (and started for state=running); a guest that already runs on the target keeps its disks. The source is touched last.",
		"In check mode nothing is changed and plan lists the steps a real run would take.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Aliases: []string{"guest"}, Description: "The guest's name."},
		{Name: "dest", Required: true, Description: "Inventory name of the KVM host to move the guest to. gorun connects to it as to a task delegated there (its ansible_host, ansible_user, become settings)."},
		{Name: "dest_uri", Description: "libvirt URI on dest. Default: uri."},
		{Name: "state", Default: "running", Choices: []any{"running", "stopped"}, Description: "The guest's state on dest afterwards."},
		{Name: "shutdown_timeout", Type: "int", Default: 120, Description: "Seconds to wait for the guest to shut down before destroying it."},
		{Name: "copy_backing", Type: "bool", Default: true, Description: "Copy base images of qcow2 overlays that dest lacks; false makes a missing base image an error."},
		{Name: "delete_source", Type: "bool", Default: false, Description: "Delete the guest's volumes on the source once it is undefined there (base images stay)."},
		uriOption,
	},
	Check: module.Full,
	Notes: []string{
		"Each volume crosses the controller twice: the copy (hashed on the way) and the verification read on the target; a volume the target already has is read on both hosts to compare.",
		"Disks must be volumes of storage pools (by pool/volume or by a path inside a pool). The target must have pools of the same names, and the networks or bridges the guest's NICs use.",
		"Update the guest's KVM host in the inventory afterwards (playbooks/vm-migrate.yml shows the whole step).",
	},
	Examples: `- name: Move web1 from kvm1 to kvm2
  gorun.kvm.migrate:
    name: web1
    dest: kvm2
    shutdown_timeout: 60
  delegate_to: kvm1

- name: What moving db1 would do
  gorun.kvm.migrate: {name: db1, dest: kvm3}
  delegate_to: kvm1
  check_mode: true
  register: plan
`,
	Returns: []module.Return{
		{Name: "plan", Description: "The steps taken (in check mode: that would be taken), in order.", Returned: "always", Type: "list",
			Sample: []any{"stop web1 on kvm1 (shutdown, destroyed after 60s)", "copy default/web1.qcow2 (10737418240 bytes, qcow2) from kvm1 to kvm2", "define web1 on kvm2", "start web1 on kvm2", "undefine web1 on kvm1"}},
		{Name: "volumes", Description: "The volumes considered: pool, name, format, capacity, sha256, copied (false: the target had it already), bytes sent.", Returned: "always", Type: "list"},
		{Name: "destroyed", Description: "The guest had to be destroyed after shutdown_timeout.", Returned: "when it was running", Type: "bool"},
		{Name: "started", Description: "The guest was started on dest.", Returned: "changed", Type: "bool"},
	},
}
