package runner

import (
	"fmt"

	"gorun/engine/inventory"
	"gorun/engine/playbook"
	"gorun/engine/template"
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
	d, _ := hostInventoryVarsOrigin(h)
	return d
}

// hostInventoryVarsOrigin is hostInventoryVars with the names of the
// variables read from YAML.
func hostInventoryVarsOrigin(h *inventory.Host) (*value.Dict, map[string]bool) {
	if h == nil {
		return value.NewDict(), nil
	}
	d, fromYAML, err := h.VarsWithOrigin()
	if err != nil || d == nil {
		return value.NewDict(), nil
	}
	return d, fromYAML
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
		_, changed, err := inv.AddHost(name, groups, value.ToDict(varsV))
		if err != nil {
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
		changed, err := inv.AddHostToGroup(h.inv, g, parents...)
		if err != nil {
			return err
		}
		result["changed"] = changed
	}
	return nil
}

// applyInventoryResult performs the inventory change an add_host or
// group_by result asks for (a whole task's, or one loop item's), as
// Ansible's strategy does once the result is in: the change decides
// "changed", then changed_when and failed_when are evaluated again with the
// result registered (post_process_whens).
func (pr *playRun) applyInventoryResult(t *playbook.Task, h *hostState, vars, result map[string]any) {
	if truthy(result["failed"]) || truthy(result["skipped"]) {
		return
	}
	if _, ok := result["add_host"]; !ok {
		if _, ok := result["add_group"]; !ok {
			return
		}
	}
	if err := pr.r.applyInventoryChanges(h, result); err != nil {
		result["failed"] = true
		result["msg"] = err.Error()
		return
	}
	_, cw := t.Attrs["changed_when"]
	_, fw := t.Attrs["failed_when"]
	if !cw && !fw {
		return
	}
	v := make(map[string]any, len(vars)+1)
	for k, x := range vars {
		v[k] = x
	}
	if reg, ok := t.Attrs["register"].(string); ok && reg != "" {
		v[reg] = template.MarkUnsafe(result)
	}
	pr.evalChangedFailed(t, v, result)
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

// noteAddedHosts adds the hosts a result's add_host created or changed to
// the play's ansible_play_hosts_all, whatever the play's pattern, as
// Ansible's strategy appends them to its host cache "for subsequent plays".
func (pr *playRun) noteAddedHosts(result map[string]any) {
	items := []any{result}
	if rs, ok := result["results"].([]any); ok {
		items = rs
	}
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok || !truthy(m["changed"]) {
			continue
		}
		ah := value.ToDict(m["add_host"])
		if ah == nil {
			continue
		}
		name, _ := ah.Get("host_name")
		n := fmt.Sprint(name)
		pr.mu.Lock()
		if !contains(pr.allNames, n) {
			pr.allNames = append(append([]string(nil), pr.allNames...), n)
		}
		pr.mu.Unlock()
	}
}
