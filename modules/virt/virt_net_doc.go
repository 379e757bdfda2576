package virt

import "gorun/engine/module"

var virtNetDoc = &module.Doc{
	Name:  "virt_net",
	Names: []string{"community.libvirt.virt_net"},
	Short: "Manage libvirt network configuration",
	Description: []string{
		"Manage libvirt networks.",
		"gorun speaks libvirt's RPC protocol to the daemon on the task's host through the host's connection: no Python bindings are needed there.",
	},
	Options: []module.Option{
		{Name: "name", Aliases: []string{"network"}, Description: "Name of the network being managed. Note that network must be previously defined with xml."},
		{Name: "state", Choices: []any{"active", "inactive", "present", "absent"}, Description: "Specify which state you want a network to be in. If 'active', network will be started. If 'present', ensure that network is present but do not change its state; if it is missing, you need to specify xml argument. If 'inactive', network will be stopped. If 'undefined' or 'absent', network will be removed from libvirt configuration."},
		{Name: "command", Choices: append(append([]any{}, netEntryCommands...), netHostCommands...), Description: "In addition to state management, various non-idempotent commands are available. See examples. Modify was added in version 2.1."},
		{Name: "autostart", Type: "bool", Description: "Specify if a given network should be started automatically on system boot."},
		uriOption,
		{Name: "xml", Description: "XML document used with the define command."},
	},
	RequiredIf: []module.RequiredIf{
		{Key: "command", Value: "create", Requires: []string{"name"}},
		{Key: "command", Value: "status", Requires: []string{"name"}},
		{Key: "command", Value: "start", Requires: []string{"name"}},
		{Key: "command", Value: "stop", Requires: []string{"name"}},
		{Key: "command", Value: "undefine", Requires: []string{"name"}},
		{Key: "command", Value: "destroy", Requires: []string{"name"}},
		{Key: "command", Value: "get_xml", Requires: []string{"name"}},
		{Key: "command", Value: "define", Requires: []string{"name"}},
		{Key: "command", Value: "modify", Requires: []string{"name"}},
	},
	Check: module.Full,
	Diff:  module.None,
	Notes: []string{
		"In check mode an action that would change something returns only changed: true, as community.libvirt does; unlike community.libvirt 1.2.0, state=absent in check mode does not undefine the network.",
		"modify only adds or changes <host> entries of the network's DHCP range, as community.libvirt.",
	},
	Examples: `- name: Define a new network
  community.libvirt.virt_net:
    command: define
    name: br_nat
    xml: '{{ lookup("template", "network/bridge.xml.j2") }}'

- name: Start a network
  community.libvirt.virt_net:
    command: create
    name: br_nat

- name: Ensure that a network is active (needs to be defined and built first)
  community.libvirt.virt_net:
    state: active
    name: br_nat

- name: Gather facts about networks
  community.libvirt.virt_net:
    command: facts

- name: Add a new host in the dhcp pool
  community.libvirt.virt_net:
    name: br_nat
    command: modify
    xml: "<host mac='FC:C2:33:00:6c:3c' name='my_vm' ip='192.168.122.30'/>"
`,
	Returns: []module.Return{
		{Name: "list_nets", Description: "The networks (command=list_nets, or with state those in that state).", Returned: "success", Type: "list"},
		{Name: "status", Description: "active or inactive (command=status).", Returned: "success", Type: "str"},
		{Name: "ansible_facts", Description: "ansible_libvirt_networks: per network autostart, persistent, state, bridge, uuid, dhcp_leases, forward_mode, domain, macaddress (command=facts).", Returned: "success", Type: "dict"},
		{Name: "networks", Description: "The same as ansible_libvirt_networks (command=info).", Returned: "success", Type: "dict"},
		{Name: "created", Description: "The network's name when it was defined.", Returned: "changed", Type: "str"},
	},
}
