package inventory

import "gorun/engine/value"

// AddHost adds a host at run time, as the add_host module does: the host is
// created if new (in "all"), vars are merged onto its variables, it joins
// groups (created if needed), and the inventory is reconciled.
func (inv *Inventory) AddHost(name string, groups []string, vars *value.Dict) (*Host, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	h := inv.hosts[name]
	if h == nil {
		var err error
		if h, err = inv.addHost(name, "all", -1); err != nil {
			return nil, err
		}
	}
	for _, k := range vars.Keys() {
		v, _ := vars.Get(k)
		h.vars.Set(k, v)
	}
	for _, gname := range groups {
		inv.addGroup(gname).addHost(h)
	}
	return h, inv.reconcile()
}

// AddHostToGroup puts h in group (created if needed, under the given parents),
// as group_by does, and reconciles the inventory.
func (inv *Inventory) AddHostToGroup(h *Host, group string, parents ...string) error {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	g := inv.addGroup(group)
	for _, p := range parents {
		if _, err := inv.addGroup(p).addChild(g); err != nil {
			return err
		}
	}
	if !contains(h.groups, g) {
		g.addHost(h)
	}
	return inv.reconcile()
}

// GroupsDict returns the magic variable "groups": every group name (in the
// order groups were created) mapped to the names of its hosts, descendants
// included, in inventory order.
func (inv *Inventory) GroupsDict() *value.Dict {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	d := value.NewDict(len(inv.groupOrder))
	for _, g := range inv.groupOrder {
		d.Set(g.Name, hostNames(g.Hosts()))
	}
	return d
}
