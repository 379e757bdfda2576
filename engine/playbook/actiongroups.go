package playbook

import (
	_ "embed"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

//go:embed builtin_action_groups.yml
var builtinActionGroups []byte

// ActionGroups resolves module_defaults groups ("group/NAME" keys) to the
// actions they hold, as Ansible's Base._resolve_group does: from the
// action_groups of ansible.builtin (ansible-core's runtime metadata, kept
// here) and of collections' meta/runtime.yml, following extend_group.
type ActionGroups struct {
	// CollectionsPath are the directories holding ansible_collections/.
	CollectionsPath []string

	mu       sync.Mutex
	metadata map[string]*value.Dict // collection -> its action_groups
}

// Members returns the fully qualified actions of a group ("aws",
// "ansible.builtin.testgroup", "community.docker.docker"). An unqualified
// name is ansible.builtin's. A group that cannot be found is Ansible's
// error "could not resolve the module_defaults group".
func (g *ActionGroups) Members(name string) (map[string]bool, error) {
	out := map[string]bool{}
	fq := qualifyGroup(name)
	if !g.resolve(fq, out, map[string]bool{}, true) {
		return nil, fmt.Errorf("Error loading module_defaults: could not resolve the module_defaults group %s", fq)
	}
	return out, nil
}

func qualifyGroup(name string) string {
	if strings.Count(name, ".") < 2 {
		return "ansible.builtin." + name
	}
	return name
}

// resolve adds the actions of the group fq to out, then those of the groups
// it extends (which need not exist); it reports whether fq exists.
func (g *ActionGroups) resolve(fq string, out, seen map[string]bool, mandatory bool) bool {
	if seen[fq] {
		return true
	}
	seen[fq] = true
	parts := strings.SplitN(fq, ".", 3)
	collection, resource := parts[0]+"."+parts[1], parts[2]
	groups := g.collectionGroups(collection)
	if groups == nil {
		return false
	}
	entries, ok := groups.Get(fq)
	if !ok {
		entries, ok = groups.Get(resource)
	}
	if !ok {
		return false
	}
	var extends []string
	for _, e := range asList(entries) {
		if s, ok := e.(string); ok {
			if strings.Count(s, ".") < 2 {
				s = collection + "." + s
			}
			out[s] = true
			continue
		}
		if md, ok := value.Lookup(e, "metadata"); ok {
			ext, _ := value.Lookup(md, "extend_group")
			for _, x := range asList(ext) {
				extends = append(extends, fmt.Sprint(x))
			}
		}
	}
	for _, x := range extends {
		if strings.Count(x, ".") < 2 {
			x = collection + "." + x
		}
		g.resolve(x, out, seen, false)
	}
	return true
}

// collectionGroups reads a collection's action_groups, or nil when the
// collection is not installed.
func (g *ActionGroups) collectionGroups(collection string) *value.Dict {
	g.mu.Lock()
	defer g.mu.Unlock()
	if d, ok := g.metadata[collection]; ok {
		return d
	}
	if g.metadata == nil {
		g.metadata = map[string]*value.Dict{}
	}
	var doc any
	if collection == "ansible.builtin" {
		doc, _, _ = yamlx.Load(builtinActionGroups, "ansible_builtin_runtime.yml")
	} else {
		ns, name, _ := strings.Cut(collection, ".")
		for _, cp := range g.CollectionsPath {
			f := filepath.Join(cp, "ansible_collections", ns, name, "meta", "runtime.yml")
			if fileExists(f) {
				doc, _, _ = yamlx.LoadFile(f)
				if doc == nil {
					doc = value.NewDict()
				}
				break
			}
		}
	}
	var groups *value.Dict
	if doc != nil {
		groups = value.NewDict()
		if ag, ok := value.Lookup(doc, "action_groups"); ok && value.ToDict(ag) != nil {
			groups = value.ToDict(ag)
		}
	}
	g.metadata[collection] = groups
	return groups
}

// checkModuleDefaults refuses module_defaults naming an action group that
// cannot be resolved, as Ansible does when it loads the keyword.
func (l *Loader) checkModuleDefaults(md any) error {
	if l.groups == nil {
		l.groups = &ActionGroups{CollectionsPath: l.CollectionsPath}
	}
	for _, entry := range asList(md) {
		for _, k := range value.Keys(entry) {
			if group, ok := strings.CutPrefix(k, "group/"); ok {
				if _, err := l.groups.Members(group); err != nil {
					return &Error{Msg: err.Error()}
				}
			}
		}
	}
	return nil
}
