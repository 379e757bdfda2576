package virt

import "gorun/engine/module"

var virtPoolDoc = &module.Doc{
	Name:  "virt_pool",
	Names: []string{"community.libvirt.virt_pool"},
	Short: "Manage libvirt storage pools",
	Description: []string{
		"Manage libvirt storage pools.",
		"gorun speaks libvirt's RPC protocol to the daemon on the task's host through the host's connection: no Python bindings are needed there.",
	},
	Options: []module.Option{
		{Name: "name", Aliases: []string{"pool"}, Description: "Name of the storage pool being managed. Note that pool must be previously defined with xml."},
		{Name: "state", Choices: []any{"active", "inactive", "present", "absent", "undefined", "deleted"}, Description: "Specify which state you want a storage pool to be in. If 'active', pool will be started. If 'present', ensure that pool is present but do not change its state; if it is missing, you need to specify xml argument. If 'inactive', pool will be stopped. If 'undefined' or 'absent', pool will be removed from libvirt configuration. If 'deleted', pool contents will be deleted and then pool undefined."},
		{Name: "command", Choices: append(append([]any{}, poolEntryCommands...), poolHostCommands...), Description: "In addition to state management, various non-idempotent commands are available. See examples."},
		{Name: "autostart", Type: "bool", Description: "Specify if a given storage pool should be started automatically on system boot."},
		uriOption,
		{Name: "xml", Description: "XML document used with the define command."},
		{Name: "mode", Choices: []any{"new", "repair", "resize", "no_overwrite", "overwrite", "normal", "zeroed"}, Description: "Pass additional parameters to 'build' or 'delete' commands."},
	},
	Check: module.Full,
	Diff:  module.None,
	Notes: []string{
		"In check mode an action that would change something returns only changed: true, as community.libvirt does for most actions.",
	},
	Examples: `- name: Define a new storage pool
  community.libvirt.virt_pool:
    command: define
    name: vms
    xml: '{{ lookup("template", "pool/dir.xml.j2") }}'

- name: Build a storage pool if it does not exist
  community.libvirt.virt_pool:
    command: build
    name: vms

- name: Ensure that a pool is active (needs to be defined and built first)
  community.libvirt.virt_pool:
    state: active
    name: vms

- name: Gather facts about storage pools
  community.libvirt.virt_pool:
    command: facts

- name: Ensure that a given pool will be started at boot
  community.libvirt.virt_pool:
    autostart: yes
    name: vms
`,
	Returns: []module.Return{
		{Name: "list_pools", Description: "The pools (command=list_pools, or with state those in that state).", Returned: "success", Type: "list"},
		{Name: "status", Description: "active or inactive (command=status).", Returned: "success", Type: "str"},
		{Name: "ansible_facts", Description: "ansible_libvirt_pools: per pool status, size_total, size_used, size_available, autostart, persistent, state, type, uuid, volume_count, volumes, path, host, source_path, format, devices (command=facts).", Returned: "success", Type: "dict"},
		{Name: "pools", Description: "The same as ansible_libvirt_pools (command=info).", Returned: "success", Type: "dict"},
		{Name: "created", Description: "The pool's name when it was defined.", Returned: "changed", Type: "str"},
	},
}
