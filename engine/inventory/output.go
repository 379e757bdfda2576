package inventory

import (
	"fmt"
	"sort"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// internalVars are left out of ansible-inventory's output (INTERNAL_VARS).
var internalVars = map[string]bool{
	"ansible_diff_mode": true, "ansible_config_file": true, "ansible_facts": true,
	"ansible_forks": true, "ansible_inventory_sources": true, "ansible_limit": true,
	"ansible_playbook_python": true, "ansible_run_tags": true, "ansible_skip_tags": true,
	"ansible_verbosity": true, "ansible_version": true, "inventory_dir": true,
	"inventory_file": true, "inventory_hostname": true, "inventory_hostname_short": true,
	"groups": true, "group_names": true, "omit": true, "playbook_dir": true,
}

func removeInternal(d *value.Dict) *value.Dict {
	out := value.NewDict(d.Len())
	for _, k := range d.Keys() {
		if !internalVars[k] {
			v, _ := d.Get(k)
			out.Set(k, v)
		}
	}
	return out
}

// hostVarsForOutput is InventoryCLI._get_host_variables: all inventory levels
// merged (export=false) or only the host's own vars and host_vars files
// (export=true), internal variables removed.
func (inv *Inventory) hostVarsForOutput(h *Host, export bool) (*value.Dict, error) {
	if export {
		d := h.vars.Copy()
		files, err := inv.HostVarsFiles(h, true)
		if err != nil {
			return nil, err
		}
		combine(d, files, inv.opts.MergeHashes)
		return removeInternal(d), nil
	}
	d, err := h.Vars()
	if err != nil {
		return nil, err
	}
	return removeInternal(d), nil
}

// groupVarsForOutput is InventoryCLI._get_group_variables.
func (inv *Inventory) groupVarsForOutput(g *Group) (*value.Dict, error) {
	d := g.vars.Copy()
	files, err := inv.GroupVarsFiles(g, true)
	if err != nil {
		return nil, err
	}
	combine(d, files, inv.opts.MergeHashes)
	if g.Priority != 1 {
		d.Set("ansible_group_priority", g.Priority)
	}
	return removeInternal(d), nil
}

// ListJSON returns what "ansible-inventory --list" prints (without the final
// newline): groups with their hosts and children, and _meta.hostvars with
// each host's merged inventory variables.
func ListJSON(inv *Inventory) ([]byte, error) { return listJSON(inv, false) }

// ListExportJSON is "ansible-inventory --list --export": group variables stay
// on their groups and hostvars hold only each host's own variables.
func ListExportJSON(inv *Inventory) ([]byte, error) { return listJSON(inv, true) }

func listJSON(inv *Inventory, export bool) ([]byte, error) {
	results := value.NewDict()
	seen := map[string]bool{}
	var format func(g *Group) error
	format = func(g *Group) error {
		entry := value.NewDict()
		results.Set(g.Name, entry)
		if g.Name != "all" {
			entry.Set("hosts", hostNames(g.hosts))
		}
		children := []any{}
		for _, c := range g.children {
			children = append(children, c.Name)
			if !seen[c.Name] {
				if err := format(c); err != nil {
					return err
				}
				seen[c.Name] = true
			}
		}
		entry.Set("children", children)
		if export {
			gv, err := inv.groupVarsForOutput(g)
			if err != nil {
				return err
			}
			entry.Set("vars", gv)
		}
		removeEmpty(entry)
		if entry.Len() == 0 {
			results.Delete(g.Name)
		}
		return nil
	}
	if err := format(inv.groups["all"]); err != nil {
		return nil, err
	}
	hostvars := value.NewDict()
	for _, h := range inv.groups["all"].Hosts() {
		hv, err := inv.hostVarsForOutput(h, export)
		if err != nil {
			return nil, err
		}
		if hv.Len() > 0 {
			hostvars.Set(h.Name, hv)
		}
	}
	results.Set("_meta", value.DictOf("hostvars", hostvars))
	return pyJSON(results)
}

func hostNames(hs []*Host) []any {
	out := make([]any, len(hs))
	for i, h := range hs {
		out[i] = h.Name
	}
	return out
}

// removeEmpty is InventoryCLI._remove_empty.
func removeEmpty(d *value.Dict) {
	for _, k := range []string{"hosts", "vars", "children"} {
		if v, ok := d.Get(k); ok && !truthy(v) {
			d.Delete(k)
		}
	}
}

// HostJSON returns what "ansible-inventory --host PATTERN" prints: the
// merged variables of the single host the pattern matches.
func HostJSON(inv *Inventory, pattern string) ([]byte, error) {
	hosts, err := inv.Hosts(pattern)
	if err != nil {
		return nil, err
	}
	if len(hosts) != 1 {
		return nil, fmt.Errorf("You must pass a single valid host to --host parameter")
	}
	hv, err := inv.hostVarsForOutput(hosts[0], false)
	if err != nil {
		return nil, err
	}
	return pyJSON(hv)
}

// GraphText returns what "ansible-inventory --graph [GROUP] [--vars]" prints
// (without the final newline).
func GraphText(inv *Inventory, group string, withVars bool) (string, error) {
	if group == "" {
		group = "all"
	}
	g := inv.groups[group]
	if g == nil {
		return "", fmt.Errorf("Pattern must be valid group name when using --graph")
	}
	lines, err := inv.graphGroup(g, 0, withVars)
	if err != nil {
		return "", err
	}
	return strings.Join(lines, "\n"), nil
}

func graphName(name string, depth int) string {
	if depth > 0 {
		return strings.Repeat("  |", depth) + "--" + name
	}
	return name
}

func graphVars(d *value.Dict, depth int) []string {
	keys := append([]string(nil), d.Keys()...)
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		v, _ := d.Get(k)
		out = append(out, graphName(fmt.Sprintf("{%s = %s}", k, pytext.Str(v)), depth))
	}
	return out
}

func (inv *Inventory) graphGroup(g *Group, depth int, withVars bool) ([]string, error) {
	lines := []string{graphName("@"+g.Name+":", depth)}
	depth++
	for _, c := range g.children {
		more, err := inv.graphGroup(c, depth, withVars)
		if err != nil {
			return nil, err
		}
		lines = append(lines, more...)
	}
	if g.Name != "all" {
		for _, h := range g.hosts {
			lines = append(lines, graphName(h.Name, depth))
			if withVars {
				hv, err := inv.hostVarsForOutput(h, false)
				if err != nil {
					return nil, err
				}
				lines = append(lines, graphVars(hv, depth+1)...)
			}
		}
	}
	if withVars {
		gv, err := inv.groupVarsForOutput(g)
		if err != nil {
			return nil, err
		}
		lines = append(lines, graphVars(gv, depth)...)
	}
	return lines, nil
}

// ListYAML returns what "ansible-inventory --list --yaml" prints: the group
// tree under "all" with each host's variables at its first appearance.
func ListYAML(inv *Inventory) (string, error) { return listYAML(inv, false) }

// ListExportYAML is "ansible-inventory --list --yaml --export".
func ListExportYAML(inv *Inventory) (string, error) { return listYAML(inv, true) }

func listYAML(inv *Inventory, export bool) (string, error) {
	seen := map[string]bool{}
	var format func(g *Group) (*value.Dict, error)
	format = func(g *Group) (*value.Dict, error) {
		entry := value.NewDict()
		children := value.NewDict()
		for _, c := range g.children {
			if c.Name == "all" {
				continue
			}
			sub, err := format(c)
			if err != nil {
				return nil, err
			}
			merge(children, sub)
		}
		entry.Set("children", children)
		hosts := value.NewDict()
		if g.Name != "all" {
			for _, h := range g.hosts {
				hv := value.NewDict()
				if !seen[h.Name] {
					seen[h.Name] = true
					var err error
					if hv, err = inv.hostVarsForOutput(h, export); err != nil {
						return nil, err
					}
				}
				hosts.Set(h.Name, hv)
			}
		}
		entry.Set("hosts", hosts)
		if export {
			gv, err := inv.groupVarsForOutput(g)
			if err != nil {
				return nil, err
			}
			if gv.Len() > 0 {
				entry.Set("vars", gv)
			}
		}
		removeEmpty(entry)
		return value.DictOf(g.Name, entry), nil
	}
	top, err := format(inv.groups["all"])
	if err != nil {
		return "", err
	}
	return pyYAML(top), nil
}

// HostYAML is "ansible-inventory --host PATTERN --yaml".
func HostYAML(inv *Inventory, pattern string) (string, error) {
	hosts, err := inv.Hosts(pattern)
	if err != nil {
		return "", err
	}
	if len(hosts) != 1 {
		return "", fmt.Errorf("You must pass a single valid host to --host parameter")
	}
	hv, err := inv.hostVarsForOutput(hosts[0], false)
	if err != nil {
		return "", err
	}
	return pyYAML(hv), nil
}
