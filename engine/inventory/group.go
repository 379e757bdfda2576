package inventory

import (
	"fmt"
	"regexp"

	"gorun/engine/value"
)

// Group is an inventory group: its own variables, its hosts (in the order
// they were added) and its place in the group tree.
type Group struct {
	Name string
	// Depth is the group's distance from "all" along its longest path, as
	// Ansible computes it; group vars are applied in (Depth, Priority, Name) order.
	Depth int
	// Priority is ansible_group_priority (default 1).
	Priority int

	vars     *value.Dict
	fromYAML origin // which of vars were read from YAML
	hosts    []*Host
	hostSet  map[string]bool
	children []*Group
	parents  []*Group
}

func newGroup(name string) *Group {
	return &Group{Name: name, Priority: 1, vars: value.NewDict(), hostSet: map[string]bool{}}
}

// Vars returns the variables set on the group by inventory sources (not
// group_vars/ files). The Dict must not be modified.
func (g *Group) Vars() *value.Dict { return g.vars }

// DirectHosts returns the hosts added to this group itself, in order.
func (g *Group) DirectHosts() []*Host { return g.hosts }

// Children returns the child groups in the order they were added.
func (g *Group) Children() []*Group { return g.children }

// Parents returns the parent groups in the order they were added.
func (g *Group) Parents() []*Group { return g.parents }

// setPriority is Group.set_variable for ansible_group_priority, which sets
// Priority instead of a variable.
func (g *Group) setPriority(v any) error {
	p, err := pyInt(v) // Ansible's int(value), with Python's error message
	if err != nil {
		return err
	}
	g.Priority = p
	return nil
}

// ancestors returns every group above g, nearest first.
func (g *Group) ancestors() []*Group {
	return walk(g, func(x *Group) []*Group { return x.parents }, false)
}

// descendants returns g (when self is true) and every group below it,
// level by level, in the order children were added.
func (g *Group) descendants(self bool) []*Group {
	return walk(g, func(x *Group) []*Group { return x.children }, self)
}

// walk is Group._walk_relationship with preserve_ordering. Ansible iterates
// Python sets of groups at each level, whose order is arbitrary; gorun uses
// the order in which the relations were added so results are reproducible.
func walk(g *Group, rel func(*Group) []*Group, self bool) []*Group {
	seen := map[*Group]bool{}
	var out []*Group
	if self {
		seen[g] = true
		out = append(out, g)
	}
	level := []*Group{}
	for _, x := range rel(g) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
			level = append(level, x)
		}
	}
	for len(level) > 0 {
		var next []*Group
		for _, x := range level {
			for _, y := range rel(x) {
				if !seen[y] {
					seen[y] = true
					out = append(out, y)
					next = append(next, y)
				}
			}
		}
		level = next
	}
	return out
}

func contains(gs []*Group, g *Group) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}

// addChild makes child a child group of g (Group.add_child_group).
func (g *Group) addChild(child *Group) (bool, error) {
	if g == child {
		return false, fmt.Errorf("can't add group to itself")
	}
	if contains(g.children, child) {
		return false, nil
	}
	startAnc := child.ancestors()
	newAnc := g.ancestors()
	if contains(newAnc, child) {
		return false, fmt.Errorf("Adding group '%s' as child to '%s' creates a recursive dependency loop.", child.Name, g.Name)
	}
	newAnc = append(newAnc, g)
	var additions []*Group
	for _, a := range newAnc {
		if !contains(startAnc, a) {
			additions = append(additions, a)
		}
	}
	g.children = append(g.children, child)
	if g.Depth+1 > child.Depth {
		child.Depth = g.Depth + 1
	}
	if err := child.checkChildrenDepth(); err != nil {
		return false, err
	}
	hasParent := false
	for _, p := range child.parents {
		if p.Name == g.Name {
			hasParent = true
		}
	}
	if !hasParent {
		child.parents = append(child.parents, g)
		for _, h := range child.allHosts(false) {
			h.populateAncestors(additions)
		}
	}
	return true, nil
}

// checkChildrenDepth pushes depth changes down the tree (_check_children_depth).
func (g *Group) checkChildrenDepth() error {
	depth := g.Depth
	start := g.Depth
	seen := map[*Group]bool{}
	unprocessed := append([]*Group(nil), g.children...)
	for len(unprocessed) > 0 {
		for _, x := range unprocessed {
			seen[x] = true
		}
		depth++
		var next []*Group
		for _, x := range unprocessed {
			if x.Depth < depth {
				x.Depth = depth
				next = append(next, x.children...)
			}
		}
		unprocessed = next
		if depth-start > len(seen) {
			return fmt.Errorf("The group named '%s' has a recursive dependency loop.", g.Name)
		}
	}
	return nil
}

// addHost adds h to the group's own hosts (Group.add_host).
func (g *Group) addHost(h *Host) bool {
	if g.hostSet[h.Name] {
		return false
	}
	g.hosts = append(g.hosts, h)
	g.hostSet[h.Name] = true
	h.addGroup(g)
	return true
}

// removeHost removes h from the group's own hosts (Group.remove_host).
func (g *Group) removeHost(h *Host) bool {
	if !g.hostSet[h.Name] {
		return false
	}
	for i, x := range g.hosts {
		if x == h {
			g.hosts = append(g.hosts[:i:i], g.hosts[i+1:]...)
			break
		}
	}
	delete(g.hostSet, h.Name)
	h.removeGroup(g)
	return true
}

// Hosts returns every host in the group or its descendants, in Ansible's
// order (Group.get_hosts); the implicit localhost is never a member of "all".
func (g *Group) Hosts() []*Host { return g.allHosts(g.Name == "all") }

func (g *Group) allHosts(skipImplicit bool) []*Host {
	var out []*Host
	seen := map[*Host]bool{}
	for _, kid := range g.descendants(true) {
		for _, h := range kid.hosts {
			if seen[h] {
				continue
			}
			seen[h] = true
			if skipImplicit && h.Implicit {
				continue
			}
			out = append(out, h)
		}
	}
	return out
}

// invalidGroupChars is C.INVALID_VARIABLE_NAMES.
var invalidGroupChars = regexp.MustCompile(`^[\d\W]|[^\w]`)
