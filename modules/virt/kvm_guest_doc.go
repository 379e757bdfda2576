package virt

import "gorun/engine/module"

var kvmGuestDoc = &module.Doc{
	Name:  "kvm_guest",
	Names: []string{"gorun.kvm.guest"},
	Short: "Declare a KVM guest: hardware, disks, NICs, cloud-init, state",
	Description: []string{
		"Generates a libvirt domain from a declaration (memory, vcpus, CPU model, disks, NICs with bridge or network and MAC, a cloud-init seed, direct kernel boot) and defines it when the guest is missing or its inactive XML would change; then sets autostart and brings the guest to state.",
		"Redefinition keeps the guest's UUID and, for NICs that name no MAC, the MAC addresses it has, so the generated XML is stable from run to run.",
		"Every guest gets a serial console and a virtio channel for the QEMU guest agent (gorun.kvm.guest_address can ask it for addresses).",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Description: "The guest's name."},
		{Name: "state", Default: "running", Choices: []any{"running", "stopped", "present", "absent"}, Description: "running starts (or resumes) the guest; stopped shuts it down (destroying it after shutdown_timeout); present only defines it; absent destroys and undefines it, keeping its disks."},
		{Name: "memory", Type: "int", Default: 1024, Description: "Memory in MiB."},
		{Name: "vcpus", Type: "int", Default: 1, Description: "Number of virtual CPUs."},
		{Name: "cpu_model", Default: "host-passthrough", Description: "host-passthrough, host-model, a named QEMU CPU model (e.g. EPYC, Skylake-Server), or empty for the hypervisor's default. Migration between different hosts needs a named model."},
		{Name: "domain_type", Choices: []any{"kvm", "qemu"}, Description: "kvm (hardware virtualization) or qemu (TCG emulation). Default: kvm when the host offers it."},
		{Name: "machine", Description: "QEMU machine type (q35, pc, pc-q35-7.2). Default: the hypervisor's."},
		{Name: "disks", Type: "list", Elements: "dict", Default: []any{}, Description: "Disks in boot order: volume with pool, or path; format (qcow2 default, raw); target (vda, vdb, ...); bus (virtio); readonly.",
			Suboptions: []module.Option{
				{Name: "volume"}, {Name: "pool"}, {Name: "path"}, {Name: "format", Choices: []any{"qcow2", "raw"}},
				{Name: "target"}, {Name: "bus", Choices: []any{"virtio", "sata", "scsi", "ide"}}, {Name: "readonly", Type: "bool"},
			}},
		{Name: "nics", Type: "list", Elements: "dict", Default: []any{}, Description: "Network interfaces: network (a libvirt network) or bridge (a host bridge); mac; model (virtio).",
			Suboptions:        []module.Option{{Name: "network"}, {Name: "bridge"}, {Name: "mac"}, {Name: "model"}},
			MutuallyExclusive: [][]string{{"network", "bridge"}}, RequiredOneOf: [][]string{{"network", "bridge"}}},
		{Name: "cloudinit", Type: "dict", Description: "The cloud-init seed volume (gorun.kvm.cloudinit) to attach as a CD-ROM: pool and volume.",
			Suboptions: []module.Option{{Name: "pool", Required: true}, {Name: "volume", Required: true}}},
		{Name: "kernel", Type: "path", Description: "Kernel on the host for direct kernel boot."},
		{Name: "initrd", Type: "path", Description: "Initrd on the host for direct kernel boot."},
		{Name: "cmdline", Description: "Kernel command line for direct kernel boot (e.g. root=/dev/vda console=ttyS0)."},
		{Name: "graphics", Default: "none", Choices: []any{"none", "vnc"}, Description: "A VNC display on the host's loopback, or none (serial console only)."},
		{Name: "console_log", Type: "path", Description: "File on the host that receives everything the guest writes to its serial console (kept by virtlogd, appended across boots), e.g. /var/log/libvirt/qemu/web1-console.log. Default: the console is not logged."},
		{Name: "autostart", Type: "bool", Description: "Start the guest when the host boots."},
		{Name: "define", Type: "bool", Default: true, Description: "false: leave an existing guest's definition alone and only manage its state (the hardware options are then ignored), e.g. to stop a guest before migrating it."},
		{Name: "shutdown_timeout", Type: "int", Default: 120, Description: "Seconds state=stopped waits for a graceful shutdown before destroying the guest."},
		uriOption,
	},
	Check: module.Full,
	Diff:  module.Full,
	Notes: []string{
		"In check mode an existing guest's change is predicted by comparing the generated XML with its inactive XML (every element and attribute gorun writes must be there already); libvirt's normalization of a few values (machine type aliases) can make it report a change that defining would not make.",
	},
	Examples: `- name: web1 on kvm1
  gorun.kvm.guest:
    name: web1
    memory: 2048
    vcpus: 2
    disks:
      - {pool: default, volume: web1.qcow2}
    nics:
      - {bridge: br0, mac: "52:54:00:12:34:56"}
    cloudinit: {pool: default, volume: web1-seed.iso}
    autostart: true
    state: running
  delegate_to: kvm1
`,
	Returns: []module.Return{
		{Name: "uuid", Description: "The guest's UUID.", Returned: "state!=absent", Type: "str"},
		{Name: "status", Description: "The guest's state after the task (running, paused, shutdown, crashed).", Returned: "state!=absent", Type: "str"},
		{Name: "macs", Description: "MAC addresses of the guest's NICs, in order.", Returned: "state!=absent", Type: "list"},
		{Name: "created", Description: "The guest was defined.", Returned: "changed", Type: "bool"},
		{Name: "change_reason", Description: "config changed, when an existing guest was redefined.", Returned: "changed", Type: "str"},
		{Name: "destroyed", Description: "state=stopped had to destroy the guest after shutdown_timeout.", Returned: "changed", Type: "bool"},
	},
}
