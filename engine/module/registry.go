package module

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

var registry = struct {
	sync.RWMutex
	byName map[string]Module
}{byName: map[string]Module{}}

// Register makes m reachable by its short name and every name in Doc().Names.
// Modules call it from init; a duplicate name is a programming error.
func Register(m Module) {
	registry.Lock()
	defer registry.Unlock()
	d := m.Doc()
	for _, n := range append([]string{d.Name}, d.Names...) {
		if _, dup := registry.byName[n]; dup {
			panic(fmt.Sprintf("module name %q registered twice", n))
		}
		registry.byName[n] = m
	}
}

// Lookup finds a module by the name a task uses: short name, FQCN, or the
// `ansible.legacy.` / `ansible.builtin.` forms Ansible accepts for builtins.
// collections are the play's or task's `collections:` list, searched for short names.
func Lookup(name string, collections ...string) (Module, bool) {
	registry.RLock()
	defer registry.RUnlock()
	if m, ok := registry.byName[name]; ok {
		return m, true
	}
	if short, ok := strings.CutPrefix(name, "ansible.legacy."); ok {
		if m, ok := registry.byName[short]; ok {
			return m, true
		}
	}
	if !strings.Contains(name, ".") {
		for _, c := range collections {
			if m, ok := registry.byName[c+"."+name]; ok {
				return m, true
			}
		}
	}
	return nil, false
}

// Names returns the short names of all registered modules, sorted.
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	seen := map[string]bool{}
	var names []string
	for _, m := range registry.byName {
		n := m.Doc().Name
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}
