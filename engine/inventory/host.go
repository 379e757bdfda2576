package inventory

import (
	"sort"
	"strings"

	"gorun/engine/value"
)

// Host is an inventory host with the variables its inventory source set on it.
type Host struct {
	Name string
	// Implicit is true for the implicit localhost, which Ansible creates when
	// "localhost" (or 127.0.0.1, ::1) is used but not defined in the inventory.
	Implicit bool

	inv      *Inventory
	vars     *value.Dict
	fromYAML origin   // which of vars were read from YAML
	groups   []*Group // every group the host belongs to, ancestors included
}

func newHost(inv *Inventory, name string) *Host {
	return &Host{Name: name, inv: inv, vars: value.NewDict()}
}

// InventoryVars returns the variables set on the host by inventory sources,
// including inventory_file and inventory_dir as Ansible sets them. The Dict
// must not be modified; use SetVar.
func (h *Host) InventoryVars() *value.Dict { return h.vars }

// SetVar sets a host variable as Host.set_variable does (a mapping over a
// mapping is combined per hash_behaviour).
func (h *Host) SetVar(key string, v any) {
	h.lock()
	defer h.unlock()
	setVar(h.vars, key, v, h.inv != nil && h.inv.opts.MergeHashes)
	h.fromYAML.set(key, false)
}

// lock and unlock guard the host with its inventory's mutex.
func (h *Host) lock() {
	if h.inv != nil {
		h.inv.mu.Lock()
	}
}

func (h *Host) unlock() {
	if h.inv != nil {
		h.inv.mu.Unlock()
	}
}

// Groups returns every group the host belongs to, including "all" and the
// ancestors of its groups.
func (h *Host) Groups() []*Group {
	h.lock()
	defer h.unlock()
	return append([]*Group(nil), h.groups...)
}

// GroupNames returns the magic variable group_names: the names of the host's
// groups except "all", sorted ("ungrouped" is included when the host is in it,
// as in Ansible).
func (h *Host) GroupNames() []string {
	h.lock()
	defer h.unlock()
	names := []string{}
	for _, g := range h.groups {
		if g.Name != "all" {
			names = append(names, g.Name)
		}
	}
	sort.Strings(names)
	return names
}

// ShortName returns inventory_hostname_short: the name up to the first dot,
// or the whole name for an IP address.
func (h *Host) ShortName() string {
	if reIPv4.MatchString(h.Name) || reIPv6.MatchString(h.Name) {
		return h.Name
	}
	return strings.SplitN(h.Name, ".", 2)[0]
}

// Vars returns the host's inventory variables from every level merged in
// Ansible's order (see HostVarsLayers).
func (h *Host) Vars() (*value.Dict, error) {
	l, err := h.inv.Layers(h)
	if err != nil {
		return nil, err
	}
	return l.Merged(), nil
}

// VarsWithOrigin is Vars with the names of the variables whose value was
// read from YAML (see HostVarsLayers.FromYAML).
func (h *Host) VarsWithOrigin() (*value.Dict, map[string]bool, error) {
	l, err := h.inv.Layers(h)
	if err != nil {
		return nil, nil, err
	}
	return l.Merged(), l.FromYAML, nil
}

func (h *Host) inGroup(g *Group) bool { return contains(h.groups, g) }

// addGroup is Host.add_group: ancestors first, then the group itself.
func (h *Host) addGroup(g *Group) {
	for _, a := range g.ancestors() {
		if !h.inGroup(a) {
			h.groups = append(h.groups, a)
		}
	}
	if !h.inGroup(g) {
		h.groups = append(h.groups, g)
	}
}

func (h *Host) populateAncestors(additions []*Group) {
	for _, g := range additions {
		if !h.inGroup(g) {
			h.groups = append(h.groups, g)
		}
	}
}

// removeGroup is Host.remove_group: it also drops ancestors that no other
// group of the host still needs, except "all".
func (h *Host) removeGroup(g *Group) {
	idx := -1
	for i, x := range h.groups {
		if x == g {
			idx = i
		}
	}
	if idx < 0 {
		return
	}
	h.groups = append(h.groups[:idx:idx], h.groups[idx+1:]...)
	for _, old := range g.ancestors() {
		if old.Name == "all" {
			continue
		}
		needed := false
		for _, other := range h.groups {
			if contains(other.ancestors(), old) {
				needed = true
				break
			}
		}
		if !needed {
			h.removeGroup(old)
		}
	}
}
