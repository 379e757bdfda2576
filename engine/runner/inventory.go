package runner

import (
	"fmt"

	"gorun/engine/inventory"
	"gorun/engine/value"
)

type groupHosts struct {
	name  string
	hosts []string
}

// inventoryGroups lists every group with its hosts, for the `groups` variable.
func inventoryGroups(inv *inventory.Inventory) []groupHosts {
	var out []groupHosts
	for _, g := range inv.Groups() {
		gh := groupHosts{name: g.Name, hosts: []string{}}
		for _, h := range g.Hosts() {
			gh.hosts = append(gh.hosts, h.Name)
		}
		out = append(out, gh)
	}
	return out
}

func allHostNames(inv *inventory.Inventory) []string {
	var out []string
	for _, h := range inv.AllHosts() {
		out = append(out, h.Name)
	}
	return out
}

// hostInventoryVars is the host's merged inventory variables (group and host vars).
func hostInventoryVars(h *inventory.Host) *value.Dict {
	if h == nil {
		return value.NewDict()
	}
	d, err := h.Vars()
	if err != nil || d == nil {
		return value.NewDict()
	}
	return d
}

// applyInventoryChanges performs what add_host and group_by ask for in their
// results and sets the result's changed flag to whether the inventory changed,
// as Ansible's add_dynamic_host and add_dynamic_group do.
func (r *Runner) applyInventoryChanges(h *hostState, result map[string]any) error {
	r.invMu.Lock()
	defer r.invMu.Unlock()
	inv := r.opts.Inventory
	if ah := value.ToDict(result["add_host"]); ah != nil {
		nameV, _ := ah.Get("host_name")
		groupsV, _ := ah.Get("groups")
		varsV, _ := ah.Get("host_vars")
		name := fmt.Sprint(nameV)
		var groups []string
		for _, g := range toList(groupsV) {
			groups = append(groups, fmt.Sprint(g))
		}
		changed := !hasHost(inv, name)
		for _, g := range groups {
			changed = changed || !directMember(inv, name, g)
		}
		if _, err := inv.AddHost(name, groups, value.ToDict(varsV)); err != nil {
			return err
		}
		result["changed"] = changed
	}
	if g, ok := result["add_group"].(string); ok && g != "" {
		var parents []string
		for _, p := range toList(result["parent_groups"]) {
			parents = append(parents, fmt.Sprint(p))
		}
		if h.inv == nil {
			return fmt.Errorf("group_by: host %s is not in the inventory", h.name)
		}
		changed := !directMember(inv, h.name, g)
		for _, p := range parents {
			changed = changed || !isChild(inv, p, g)
		}
		if err := inv.AddHostToGroup(h.inv, g, parents...); err != nil {
			return err
		}
		result["changed"] = changed
	}
	return nil
}

// hasHost reports whether the inventory has the host (not counting the
// implicit localhost).
func hasHost(inv *inventory.Inventory, name string) bool {
	for _, h := range inv.AllHosts() {
		if h.Name == name {
			return true
		}
	}
	return false
}

// directMember reports whether a host is directly in a group.
func directMember(inv *inventory.Inventory, host, group string) bool {
	g := inv.Group(group)
	if g == nil {
		return false
	}
	for _, h := range g.DirectHosts() {
		if h.Name == host {
			return true
		}
	}
	return false
}

// isChild reports whether group child is a child of group parent.
func isChild(inv *inventory.Inventory, parent, child string) bool {
	p := inv.Group(parent)
	if p == nil {
		return false
	}
	for _, c := range p.Children() {
		if c.Name == child {
			return true
		}
	}
	return false
}

func toList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}
