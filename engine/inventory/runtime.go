package inventory

import (
	"reflect"

	"gorun/engine/value"
)

// dynamicChange is an add_host or group_by call, replayed by Refresh as
// Ansible's refresh_inventory replays them.
type dynamicChange struct {
	host    string
	groups  []string // add_host: the host's groups; group_by: [group, parents...]
	vars    *value.Dict
	groupBy bool
}

// AddHost adds a host at run time, as the add_host module does
// (InventoryManager.add_dynamic_host): the host is created if new (directly
// in "all"), vars are combined onto its variables, it joins the groups
// (created if needed) and the inventory is reconciled. changed is the
// module's "changed".
func (inv *Inventory) AddHost(name string, groups []string, vars *value.Dict) (h *Host, changed bool, err error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.dynamic = append(inv.dynamic, dynamicChange{host: name, groups: groups, vars: vars})
	return inv.addDynamicHost(name, groups, vars)
}

func (inv *Inventory) addDynamicHost(name string, groups []string, vars *value.Dict) (*Host, bool, error) {
	changed := false
	h := inv.hosts[name]
	if h == nil {
		var err error
		if h, err = inv.addHost(name, "all", -1); err != nil {
			return nil, false, err
		}
		changed = true
	}
	combined := h.vars.Copy()
	combine(combined, vars, inv.opts.MergeHashes)
	if !reflect.DeepEqual(combined, h.vars) {
		h.vars = combined
		changed = true
	}
	for _, gname := range groups {
		if inv.groups[gname] == nil {
			changed = true
		}
		if inv.addGroup(gname).addHost(h) {
			changed = true
		}
	}
	if changed {
		if err := inv.reconcile(); err != nil {
			return nil, false, err
		}
	}
	return h, changed, nil
}

// AddHostToGroup puts h in group (created if needed, under the given
// parents), as group_by does (InventoryManager.add_dynamic_group), and
// reconciles the inventory. changed is the module's "changed".
func (inv *Inventory) AddHostToGroup(h *Host, group string, parents ...string) (bool, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.dynamic = append(inv.dynamic, dynamicChange{host: h.Name, groups: append([]string{group}, parents...), groupBy: true})
	return inv.addDynamicGroup(h, group, parents)
}

func (inv *Inventory) addDynamicGroup(h *Host, group string, parents []string) (bool, error) {
	changed := false
	g := inv.addGroup(group)
	for _, p := range parents {
		if inv.groups[p] == nil {
			changed = true
		}
		added, err := inv.addGroup(p).addChild(g)
		if err != nil {
			return false, err
		}
		changed = changed || added
	}
	if !hostIn(g.allHosts(false), h) {
		changed = g.addHost(h)
	}
	if !contains(h.groups, g) {
		h.addGroup(g)
		changed = true
	}
	if changed {
		return true, inv.reconcile()
	}
	return false, nil
}

func hostIn(hs []*Host, h *Host) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

// Refresh re-reads every source and replays the add_host and group_by
// changes made so far (meta: refresh_inventory). Host objects are new
// afterwards: callers must look hosts up again.
func (inv *Inventory) Refresh() error {
	fresh, err := Load(inv.opts)
	if err != nil {
		return err
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	for _, c := range inv.dynamic {
		if !c.groupBy {
			if _, _, err := fresh.addDynamicHost(c.host, c.groups, c.vars); err != nil {
				return err
			}
			continue
		}
		h := fresh.lookupHost(c.host)
		if h == nil {
			continue // the host left the inventory: Ansible skips it too
		}
		if _, err := fresh.addDynamicGroup(h, c.groups[0], c.groups[1:]); err != nil {
			return err
		}
	}
	inv.Warnings = append(inv.Warnings, fresh.Warnings...)
	inv.groups, inv.groupOrder = fresh.groups, fresh.groupOrder
	inv.hosts, inv.hostOrder, inv.localhost = fresh.hosts, fresh.hostOrder, fresh.localhost
	for _, h := range inv.hostOrder {
		h.inv = inv
	}
	if inv.localhost != nil {
		inv.localhost.inv = inv
	}
	inv.clearCaches()
	inv.varsCache = map[string]varsFileData{}
	inv.dirCache = map[string]string{}
	inv.foundCache = map[string][]string{}
	return nil
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
