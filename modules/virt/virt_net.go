package virt

import (
	"context"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// virtNet is community.libvirt.virt_net: libvirt networks.
type virtNet struct{}

func init() { module.Register(virtNet{}) }

func (virtNet) Doc() *module.Doc { return virtNetDoc }

var (
	netEntryCommands = []any{"create", "status", "start", "stop", "undefine", "destroy", "get_xml", "define", "modify"}
	netHostCommands  = []any{"list_nets", "facts", "info"}
)

// networks implements entries with libvirt's network calls.
type networks struct{ lv *libvirt.Client }

func (networks) kind() string { return "network" }

func (n networks) lookup(name string) (golibvirt.Network, error) {
	net, err := n.lv.NetworkLookupByName(name)
	if libvirt.IsNoNetwork(err) {
		return net, entryNotFound{"network", name}
	}
	return net, err
}

func (n networks) names() ([]string, error) {
	return activeThenDefined(n.lv.ConnectListNetworks, n.lv.ConnectListDefinedNetworks)
}

func (n networks) isActive(name string) (bool, error) {
	return isSet(withEntry(n.lookup, name, n.lv.NetworkIsActive))
}

func (n networks) start(name string) error    { return doEntry(n.lookup, name, n.lv.NetworkCreate) }
func (n networks) stop(name string) error     { return doEntry(n.lookup, name, n.lv.NetworkDestroy) }
func (n networks) undefine(name string) error { return doEntry(n.lookup, name, n.lv.NetworkUndefine) }

func (n networks) define(xml string) error {
	_, err := n.lv.NetworkDefineXML(xml)
	return err
}

func (n networks) autostart(name string) (bool, error) {
	return isSet(withEntry(n.lookup, name, n.lv.NetworkGetAutostart))
}

func (n networks) setAutostart(name string, on bool) error {
	return doEntry(n.lookup, name, func(net golibvirt.Network) error { return n.lv.NetworkSetAutostart(net, boolInt(on)) })
}

func (n networks) xml(name string) (string, error) {
	return withEntry(n.lookup, name, func(net golibvirt.Network) (string, error) { return n.lv.NetworkGetXMLDesc(net, 0) })
}

func (virtNet) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	return runEntries(ctx, call, "list_nets", func(lv *libvirt.Client) networks { return networks{lv} }, netCore)
}

// netCore follows community.libvirt's virt_net core(): list by state, state,
// command, then autostart alone.
func netCore(r *entryRun, nets networks, command, state, name string) (module.Result, error) {
	a := r.call.Args
	if state != "" && command == "list_nets" {
		l, err := r.list(state)
		return module.Result{"list_nets": l}, err
	}
	if state != "" {
		if name == "" {
			return module.Failed("state change requires a specified name"), nil
		}
		return r.changeState(name, state, nil)
	}
	if command != "" {
		switch command {
		case "list_nets":
			l, err := r.list("")
			return module.Result{"list_nets": l}, err
		case "facts", "info":
			return nets.facts(r, command, name)
		}
		if name == "" {
			return failf("%s requires 1 argument: name", command), nil
		}
		if command == "modify" {
			return nets.modify(r, name, a.String("xml"))
		}
		res, _, err := r.command(command, name)
		return res, err
	}
	if a.Has("autostart") {
		if name == "" {
			return module.Failed("state change requires a specified name"), nil
		}
		return r.setAutostart(name, a.Bool("autostart"))
	}
	return module.Failed("expected state or command parameter to be specified"), nil
}

// modify adds or changes a DHCP host entry of a network (the only change
// community.libvirt supports), or defines the network when it is missing.
func (n networks) modify(r *entryRun, name, xml string) (module.Result, error) {
	if xml == "" {
		return module.Failed("modify requires xml argument"), nil
	}
	net, err := n.lookup(name)
	if _, missing := err.(entryNotFound); missing {
		if r.check() {
			return wouldChange, nil
		}
		if err := n.define(xml); err != nil {
			return nil, err
		}
		return module.Result{"changed": true, "created": name}, nil
	}
	if err != nil {
		return nil, err
	}
	var host libvirtxml.NetworkDHCPHost
	if err := host.Unmarshal(xml); err != nil || host.XMLName.Local != "host" {
		return failf("updating this is not supported yet %s", xml), nil
	}
	cur, err := n.lv.NetworkGetXMLDesc(net, 0)
	if err != nil {
		return nil, err
	}
	var def libvirtxml.Network
	if err := def.Unmarshal(cur); err != nil {
		return nil, err
	}
	command := golibvirt.NetworkUpdateCommandAddLast
	for _, ip := range def.IPs {
		if ip.DHCP == nil {
			continue
		}
		for _, h := range ip.DHCP.Hosts {
			if h.MAC == host.MAC {
				if h.Name == host.Name && h.IP == host.IP {
					return module.Result{"changed": false, "modified": name}, nil
				}
				command = golibvirt.NetworkUpdateCommandModify
			}
		}
	}
	if !r.check() {
		flags := golibvirt.NetworkUpdateAffectConfig
		if active, _ := n.lv.NetworkIsActive(net); active != 0 {
			flags |= golibvirt.NetworkUpdateAffectLive
		}
		if err := n.lv.NetworkUpdateCompat(net, command, golibvirt.NetworkSectionIPDhcpHost, -1, xml, flags); err != nil {
			return nil, err
		}
	}
	return module.Result{"changed": true, "modified": name}, nil
}

// facts describes the networks (or the one named) as community.libvirt does,
// under ansible_facts.ansible_libvirt_networks or, for info, networks.
func (n networks) facts(r *entryRun, command, name string) (module.Result, error) {
	var list []string
	if name != "" && command == "facts" {
		list = []string{name}
	} else {
		all, err := n.names()
		if err != nil {
			return nil, err
		}
		list = all
	}
	results := map[string]any{}
	for _, e := range list {
		f, err := n.netFacts(r, e)
		if err != nil {
			return nil, err
		}
		results[e] = f
	}
	if command == "info" {
		return module.Result{"networks": results}, nil
	}
	return module.Result{"ansible_facts": map[string]any{"ansible_libvirt_networks": results}}, nil
}

func (n networks) netFacts(r *entryRun, name string) (map[string]any, error) {
	net, err := n.lookup(name)
	if err != nil {
		return nil, err
	}
	auto, err := n.lv.NetworkGetAutostart(net)
	if err != nil {
		return nil, err
	}
	persistent, err := n.lv.NetworkIsPersistent(net)
	if err != nil {
		return nil, err
	}
	state, err := r.status(name)
	if err != nil {
		return nil, err
	}
	bridge, err := n.lv.NetworkGetBridgeName(net)
	if err != nil {
		return nil, err
	}
	leases, _, err := n.lv.NetworkGetDhcpLeases(net, nil, 1, 0)
	if err != nil {
		return nil, err
	}
	f := map[string]any{
		"autostart": yesNo(auto != 0), "persistent": yesNo(persistent != 0), "state": state,
		"bridge": bridge, "uuid": uuidString(net.UUID), "dhcp_leases": dhcpLeases(leases),
	}
	x, err := n.lv.NetworkGetXMLDesc(net, 0)
	if err != nil {
		return nil, err
	}
	var def libvirtxml.Network
	if err := def.Unmarshal(x); err != nil {
		return nil, err
	}
	if def.Forward != nil && def.Forward.Mode != "" {
		f["forward_mode"] = def.Forward.Mode
	}
	if def.Domain != nil && def.Domain.Name != "" {
		f["domain"] = def.Domain.Name
	}
	if def.MAC != nil && def.MAC.Address != "" {
		f["macaddress"] = def.MAC.Address
	}
	return f, nil
}

// dhcpLeases shapes leases as libvirt-python's virNetwork.DHCPLeases().
func dhcpLeases(leases []golibvirt.NetworkDhcpLease) []any {
	out := []any{}
	opt := func(s golibvirt.OptString) any {
		if len(s) == 0 {
			return nil
		}
		return s[0]
	}
	for _, l := range leases {
		out = append(out, map[string]any{
			"iface": l.Iface, "expirytime": int(l.Expirytime), "type": int(l.Type), "mac": opt(l.Mac),
			"iaid": opt(l.Iaid), "ipaddr": l.Ipaddr, "prefix": int(l.Prefix), "hostname": opt(l.Hostname), "clientid": opt(l.Clientid),
		})
	}
	return out
}
