package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gorun/engine/value"
)

// varsExtensions is C.YAML_FILENAME_EXTENSIONS, tried after the bare name.
var varsExtensions = []string{"", ".yml", ".yaml", ".json"}

// HostVarsLayers are a host's inventory variables split by precedence level,
// lowest first, as Ansible's documented precedence lists them (levels 3-10).
// The variable manager places other levels (role defaults, facts, play vars,
// extra vars...) around them. Each layer is already merged within itself.
type HostVarsLayers struct {
	// InventoryGroup: group vars set by inventory sources (INI [g:vars], YAML
	// vars:, script vars), "all" first, then the host's groups by depth,
	// ansible_group_priority and name.
	InventoryGroup *value.Dict
	// InventoryGroupVarsAll: group_vars/all beside the inventory sources.
	InventoryGroupVarsAll *value.Dict
	// PlaybookGroupVarsAll: group_vars/all beside the playbook.
	PlaybookGroupVarsAll *value.Dict
	// InventoryGroupVars: group_vars/<group> beside the inventory sources.
	InventoryGroupVars *value.Dict
	// PlaybookGroupVars: group_vars/<group> beside the playbook.
	PlaybookGroupVars *value.Dict
	// InventoryHost: host vars set by inventory sources, with inventory_file
	// and inventory_dir.
	InventoryHost *value.Dict
	// InventoryHostVars: host_vars/<host> beside the inventory sources.
	InventoryHostVars *value.Dict
	// PlaybookHostVars: host_vars/<host> beside the playbook.
	PlaybookHostVars *value.Dict

	// FromYAML names the variables whose merged value was read from YAML
	// (a YAML inventory source, a group_vars or host_vars file that is not
	// JSON): Ansible's text there is AnsibleUnicode, elsewhere str.
	FromYAML map[string]bool

	mergeHashes bool // hash_behaviour=merge
}

// origin names the variables of a dict that were read from YAML.
type origin map[string]bool

// set records whether key's value was read from YAML.
func (o *origin) set(key string, fromYAML bool) {
	if !fromYAML {
		delete(*o, key)
		return
	}
	if *o == nil {
		*o = origin{}
	}
	(*o)[key] = true
}

// over records the origin of every key of d, which replaced earlier values.
func (o *origin) over(d *value.Dict, from origin) {
	for _, k := range d.Keys() {
		o.set(k, from[k])
	}
}

// List returns the layers lowest precedence first.
func (l HostVarsLayers) List() []*value.Dict {
	return []*value.Dict{l.InventoryGroup, l.InventoryGroupVarsAll, l.PlaybookGroupVarsAll,
		l.InventoryGroupVars, l.PlaybookGroupVars, l.InventoryHost, l.InventoryHostVars, l.PlaybookHostVars}
}

// Merged combines the layers as combine_vars does with the default
// hash_behaviour (replace): later layers replace whole top-level keys.
func (l HostVarsLayers) Merged() *value.Dict {
	out := value.NewDict()
	for _, d := range l.List() {
		combine(out, d, l.mergeHashes)
	}
	return out
}

// merge is Python's dict.update: src's keys replace dst's.
func merge(dst, src *value.Dict) {
	for _, k := range src.Keys() {
		v, _ := src.Get(k)
		dst.Set(k, v)
	}
}

// combine is combine_vars into dst: with hash_behaviour=replace (the
// default) a dict.update, with hash_behaviour=merge a recursive merge of
// mappings (merge_hash, lists replaced).
func combine(dst, src *value.Dict, mergeHashes bool) {
	for _, k := range src.Keys() {
		v, _ := src.Get(k)
		if old, ok := dst.Get(k); ok && mergeHashes {
			if od, nd := value.ToDict(old), value.ToDict(v); od != nil && nd != nil {
				merged := od.Copy()
				combine(merged, nd, true)
				v = merged
			}
		}
		dst.Set(k, v)
	}
}

// sortedGroups is sort_groups: by depth, priority, then name.
func sortedGroups(gs []*Group) []*Group {
	out := append([]*Group(nil), gs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Depth != b.Depth {
			return a.Depth < b.Depth
		}
		if a.Priority != b.Priority {
			return a.Priority < b.Priority
		}
		return a.Name < b.Name
	})
	return out
}

// Layers returns the host's inventory variables by precedence level
// (VariableManager.get_vars with Ansible's default VARIABLE_PRECEDENCE).
func (inv *Inventory) Layers(h *Host) (HostVarsLayers, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	all := inv.groups["all"]
	var groups []*Group
	for _, g := range h.groups {
		if g != all {
			groups = append(groups, g)
		}
	}
	groups = sortedGroups(groups)
	mh := inv.opts.MergeHashes
	l := HostVarsLayers{InventoryGroup: all.vars.Copy(), mergeHashes: mh}
	var from origin
	from.over(all.vars, all.fromYAML)
	for _, g := range groups {
		combine(l.InventoryGroup, g.vars, mh)
		from.over(g.vars, g.fromYAML)
	}
	invDirs := inv.sourceDirs()
	files := func(dst **value.Dict, dirs []string, subdir string, entities []string) error {
		d, o, err := inv.entityVars(dirs, subdir, entities)
		if err != nil {
			return err
		}
		*dst = d
		from.over(d, o)
		return nil
	}
	if err := files(&l.InventoryGroupVarsAll, invDirs, "group_vars", []string{"all"}); err != nil {
		return l, err
	}
	if err := files(&l.PlaybookGroupVarsAll, inv.opts.PlaybookDirs, "group_vars", []string{"all"}); err != nil {
		return l, err
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
	}
	if err := files(&l.InventoryGroupVars, invDirs, "group_vars", names); err != nil {
		return l, err
	}
	if err := files(&l.PlaybookGroupVars, inv.opts.PlaybookDirs, "group_vars", names); err != nil {
		return l, err
	}
	l.InventoryHost = h.vars.Copy()
	from.over(h.vars, h.fromYAML)
	if err := files(&l.InventoryHostVars, invDirs, "host_vars", []string{h.Name}); err != nil {
		return l, err
	}
	if err := files(&l.PlaybookHostVars, inv.opts.PlaybookDirs, "host_vars", []string{h.Name}); err != nil {
		return l, err
	}
	l.FromYAML = from
	return l, nil
}

// GroupVarsFiles returns the variables of group_vars/<group> beside the
// inventory sources (and the playbook dirs when withPlaybook is set).
func (inv *Inventory) GroupVarsFiles(g *Group, withPlaybook bool) (*value.Dict, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	d, _, err := inv.entityVars(inv.sourceDirs(), "group_vars", []string{g.Name})
	if err != nil || !withPlaybook {
		return d, err
	}
	p, _, err := inv.entityVars(inv.opts.PlaybookDirs, "group_vars", []string{g.Name})
	if err != nil {
		return nil, err
	}
	combine(d, p, inv.opts.MergeHashes)
	return d, nil
}

// HostVarsFiles is GroupVarsFiles for host_vars/<host>.
func (inv *Inventory) HostVarsFiles(h *Host, withPlaybook bool) (*value.Dict, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	d, _, err := inv.entityVars(inv.sourceDirs(), "host_vars", []string{h.Name})
	if err != nil || !withPlaybook {
		return d, err
	}
	p, _, err := inv.entityVars(inv.opts.PlaybookDirs, "host_vars", []string{h.Name})
	if err != nil {
		return nil, err
	}
	combine(d, p, inv.opts.MergeHashes)
	return d, nil
}

// sourceDirs is where get_vars_from_inventory_sources looks: each source
// directory itself, or the directory of each source file; host lists are skipped.
func (inv *Inventory) sourceDirs() []string {
	var dirs []string
	for _, src := range inv.opts.Sources {
		if strings.Contains(src, ",") {
			if _, err := os.Stat(src); err != nil {
				continue
			}
		}
		if st, err := os.Stat(src); err == nil && st.IsDir() {
			dirs = append(dirs, src)
		} else {
			dirs = append(dirs, filepath.Dir(src))
		}
	}
	return dirs
}

// entityVars is the host_group_vars plugin over several base directories
// and entities: for each directory, for each entity in order, the files of
// <dir>/<subdir>/<entity> are merged.
// The origin names the variables read from YAML rather than JSON.
func (inv *Inventory) entityVars(dirs []string, subdir string, entities []string) (*value.Dict, origin, error) {
	out := value.NewDict()
	var from origin
	for _, dir := range dirs {
		base := inv.varsDir(filepath.Join(dir, subdir))
		if base == "" {
			continue
		}
		fromDir := value.NewDict() // what the vars plugin has combined so far for this directory
		for _, name := range entities {
			if strings.HasPrefix(name, "/") {
				continue // 'chroot' style names never have vars files
			}
			for _, f := range inv.findVarsFiles(base, name) {
				v, err := inv.varsFile(f)
				if err != nil {
					return nil, nil, err
				}
				if !truthy(v.data) {
					continue // Ansible skips empty files
				}
				d, ok := v.data.(*value.Dict)
				if !ok {
					return nil, nil, fmt.Errorf("failed to combine variables, expected dicts but got a 'dict' and a '%s': \n%s\n%s",
						pyTypeShort(v.data, v.fromJSON), pyJSONInline(fromDir), pyJSONInline(v.data))
				}
				combine(fromDir, d, inv.opts.MergeHashes)
				for _, k := range d.Keys() {
					from.set(k, !v.fromJSON)
				}
			}
		}
		combine(out, fromDir, inv.opts.MergeHashes)
	}
	return out, from, nil
}

// varsDir resolves a group_vars or host_vars directory (cached): its real
// path, or "" when it does not exist or is not a directory (with Ansible's warning).
func (inv *Inventory) varsDir(path string) string {
	if base, ok := inv.dirCache[path]; ok {
		return base
	}
	base, err := filepath.EvalSymlinks(path)
	if err == nil {
		if st, err := os.Stat(base); err != nil {
			base = ""
		} else if !st.IsDir() {
			inv.warn(fmt.Sprintf("Found %s that is not a directory, skipping: %s", filepath.Base(path), base))
			base = ""
		}
	} else {
		base = ""
	}
	inv.dirCache[path] = base
	return base
}

// findVarsFiles caches findVarsFiles per directory and entity, as the
// host_group_vars plugin does.
func (inv *Inventory) findVarsFiles(dir, name string) []string {
	key := dir + "\x00" + name
	if files, ok := inv.foundCache[key]; ok {
		return files
	}
	files := findVarsFiles(dir, name)
	inv.foundCache[key] = files
	return files
}

// findVarsFiles is DataLoader.find_vars_files: <name> (a file, or a directory
// read recursively in sorted order), else <name>.yml, .yaml, .json.
func findVarsFiles(dir, name string) []string {
	base := filepath.Join(dir, name)
	for _, ext := range varsExtensions {
		p := base + ext
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if st.IsDir() {
			return dirVarsFiles(p)
		}
		return []string{p}
	}
	return nil
}

func dirVarsFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var found []string
	for _, n := range names {
		if strings.HasPrefix(n, ".") || strings.HasSuffix(n, "~") {
			continue // hidden files and backups
		}
		_, ext := splitExt(n)
		full := filepath.Join(dir, n)
		st, err := os.Stat(full)
		if err != nil {
			continue
		}
		if st.IsDir() && ext == "" {
			found = append(found, dirVarsFiles(full)...)
		} else if st.Mode().IsRegular() && (ext == "" || ext == ".yml" || ext == ".yaml" || ext == ".json") {
			found = append(found, full)
		}
	}
	return found
}

// varsFileData is a decoded vars file and which loader read it.
type varsFileData struct {
	data     any
	fromJSON bool
}

// varsFile loads one vars file, once per inventory.
func (inv *Inventory) varsFile(path string) (varsFileData, error) {
	if v, ok := inv.varsCache[path]; ok {
		return v, nil
	}
	data, fromJSON, err := inv.loadData(path)
	if err != nil {
		return varsFileData{}, err
	}
	v := varsFileData{data, fromJSON}
	inv.varsCache[path] = v
	return v, nil
}
