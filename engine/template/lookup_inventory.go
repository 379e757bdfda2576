package template

import (
	"gorun/engine/inventory"
	"gorun/engine/value"
)

func init() {
	lookups["inventory_hostnames"] = lookupInventoryHostnames
}

// lookupInventoryHostnames is ansible-core's inventory_hostnames lookup: it
// rebuilds an inventory from the `groups` variable and resolves the terms as
// a host pattern (groups, wildcards, ~regex, !exclusions, &intersections);
// a pattern Ansible cannot resolve gives an empty list.
func lookupInventoryHostnames(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	groups, err := ev.lookupName("groups", newFrame(nil))
	if err != nil {
		return nil, err
	}
	if u, ok := groups.(*undefined); ok {
		return nil, u.err()
	}
	inv := inventory.New(inventory.Options{})
	for _, g := range mapKeys(groups) {
		inv.AddGroup(g)
		members, _ := mapGet(groups, g)
		hosts, err := iterate(resolveLazy(members))
		if err != nil {
			return nil, err
		}
		for _, h := range hosts {
			if _, _, err := inv.AddHost(ToText(h), []string{g}, nil); err != nil {
				return nil, err
			}
		}
	}
	patterns := make([]string, 0, len(terms))
	for _, t := range flatten(terms, 1, false) {
		patterns = append(patterns, ToText(t))
	}
	hosts, err := inv.HostsFor(patterns)
	if err != nil {
		return []any{}, nil
	}
	out := make([]any, len(hosts))
	for i, h := range hosts {
		out[i] = h.Name
	}
	return out, nil
}
