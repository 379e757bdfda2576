package virt

import "gorun/engine/module"

var kvmGuestAddressDoc = &module.Doc{
	Name:  "kvm_guest_address",
	Names: []string{"gorun.kvm.guest_address"},
	Short: "Wait for a KVM guest's IP address and return it",
	Description: []string{
		"Asks libvirt for the guest's addresses until one appears or timeout passes: from the DHCP leases of the libvirt network the guest is on (lease), from the QEMU guest agent inside the guest (agent), or from the host's ARP table (arp, for bridged guests that have sent traffic).",
		"The result's address is ready for add_host, so that a play can provision a guest and configure it over SSH in the same run. The module only reads: it runs in check mode too.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Description: "The guest's name."},
		{Name: "source", Default: "any", Choices: []any{"any", "lease", "agent", "arp"}, Description: "Where to look; any tries lease, agent and arp in turn."},
		{Name: "family", Default: "ipv4", Choices: []any{"ipv4", "ipv6", "any"}, Description: "Address family wanted."},
		{Name: "mac", Description: "Only addresses of the NIC with this MAC address."},
		{Name: "timeout", Type: "int", Default: 300, Description: "Seconds to wait for an address."},
		{Name: "interval", Type: "int", Default: 2, Description: "Seconds between attempts."},
		uriOption,
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Wait for web1's address
  gorun.kvm.guest_address:
    name: web1
    timeout: 180
  register: web1_addr
  delegate_to: kvm1

- name: Reach web1 over SSH from here on
  add_host:
    name: web1
    ansible_host: "{{ web1_addr.address }}"
    groups: [new_vms]
`,
	Returns: []module.Return{
		{Name: "address", Description: "The first address found.", Returned: "success", Type: "str", Sample: "192.168.122.57"},
		{Name: "addresses", Description: "Every address found: interface, mac, address, prefix, family.", Returned: "success", Type: "list"},
		{Name: "source", Description: "Where the address came from: lease, agent or arp.", Returned: "success", Type: "str"},
	},
}
