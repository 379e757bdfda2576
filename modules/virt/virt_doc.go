package virt

import "gorun/engine/module"

var virtDoc = &module.Doc{
	Name:  "virt",
	Names: []string{"community.libvirt.virt"},
	Short: "Manages virtual machines supported by libvirt",
	Description: []string{
		"Manages virtual machines supported by libvirt: their state, their definition from XML, and host information.",
		"gorun speaks libvirt's RPC protocol to the daemon on the task's host through the host's connection, so the host needs libvirtd but no Python bindings.",
		"Results have community.libvirt's shape: state changes answer msg 0, command=info returns one top-level key per guest, command=nodeinfo the host's facts at the top level, other commands {command: value}.",
	},
	Options: []module.Option{
		{Name: "name", Aliases: []string{"guest"}, Description: "Name of the guest VM being managed. Note that VM must be previously defined with xml. This option is required unless command is list_vms or info."},
		{Name: "state", Choices: []any{"destroyed", "paused", "running", "shutdown"}, Description: "Note that there may be some lag for state requests like shutdown since these refer only to VM states. After starting a guest, it may not be immediately accessible. state and command are mutually exclusive except when command=list_vms. In this case all VMs in specified state will be listed."},
		{Name: "command", Choices: append(append([]any{}, vmCommands...), hostCommands...), Description: "In addition to state management, various non-idempotent commands are available."},
		{Name: "autostart", Type: "bool", Description: "Start VM at host startup."},
		uriOption,
		{Name: "xml", Description: "XML document used with the define command. Must be raw XML content using lookup. XML cannot be reference to a file."},
		{Name: "mutate_flags", Type: "list", Elements: "str", Default: []any{"ADD_UUID"}, Choices: []any{"ADD_UUID", "ADD_MAC_ADDRESSES", "ADD_MAC_ADDRESSES_FUZZY"}, Description: "For each mutate_flag, we will modify the given XML in some way. ADD_UUID will add an existing domain's UUID to the xml if it's missing. (ADD_MAC_ADDRESSES and ADD_MAC_ADDRESSES_FUZZY are refused: not supported by gorun yet.)"},
		{Name: "flags", Type: "list", Elements: "str", Choices: []any{"managed_save", "snapshots_metadata", "nvram", "keep_nvram", "checkpoints_metadata"}, Description: "Pass additional parameters to the undefine command: remove the managed save image, snapshot and checkpoint metadata, the NVRAM file (or keep it)."},
		{Name: "force", Type: "bool", Description: "With command=undefine, destroy a running guest first."},
	},
	Check: module.Full,
	Diff:  module.Full,
	Notes: []string{
		"community.libvirt 1.2.0 (the reference installed here) has no check mode for virt and no mutate_flags, flags, force, get_interfaces or uuid; gorun implements them in the shape of later releases.",
		"In check mode a redefinition is predicted by comparing the given XML with the guest's inactive XML: every element and attribute given must already be there.",
	},
	Examples: `- name: Start a VM
  community.libvirt.virt:
    name: alpha
    state: running

- name: Define a VM
  community.libvirt.virt:
    command: define
    xml: "{{ lookup('template', 'vm_template.xml.j2') }}"
    autostart: yes

- name: List only running VMs
  community.libvirt.virt:
    command: list_vms
    state: running
  register: running_vms

- name: Undefine a VM and its UEFI variables, stopping it first
  community.libvirt.virt:
    name: alpha
    command: undefine
    flags: [nvram]
    force: true
`,
	Returns: []module.Return{
		{Name: "list_vms", Description: "The list of vms defined on the remote system.", Returned: "success", Type: "list", Sample: []any{"build.example.org", "dev.example.org"}},
		{Name: "status", Description: "The status of the VM, among running, crashed, paused and shutdown.", Returned: "success", Type: "str", Sample: "success"},
		{Name: "created", Description: "The name of a guest command=define created.", Returned: "changed", Type: "str"},
		{Name: "change_reason", Description: "Why command=define changed an existing guest: 'config changed' or 'autostart'.", Returned: "changed", Type: "str"},
	},
}
