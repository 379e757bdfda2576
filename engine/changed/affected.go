package changed

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gorun/engine/inventory"
	"gorun/engine/lint"
	"gorun/engine/playbook"
	"gorun/engine/value"
)

// Affected is what a set of changed files touches.
type Affected struct {
	// Roles are the names of the roles whose files changed, or that use
	// such a role through meta dependencies, import_role or include_role.
	Roles []string
	// Plays are "FILE:LINE name" of the plays that load a changed file.
	Plays []string
	// Groups and HostVars are the groups and hosts whose group_vars or
	// host_vars changed.
	Groups, HostVars []string
	// Hosts are the hosts to check: those of the affected plays, plus the
	// hosts whose variables changed that some play targets.
	Hosts []string
	// Inventory is set when an inventory source itself changed (then every
	// host of the plays is affected).
	Inventory bool
	// Global lists the changed files that affect every play (ansible.cfg,
	// requirements.yml).
	Global []string
}

// Options say where to look.
type Options struct {
	// Loader resolves include_role names as the run would.
	Loader *playbook.Loader
	// Inventory is the loaded inventory; Sources its files or directories.
	Inventory *inventory.Inventory
	Sources   []string
	// PlaybookDir is the top playbook's directory (for group_vars beside it).
	PlaybookDir string
	// GlobalFiles change every play: the ansible.cfg in use; the
	// requirements files in PlaybookDir are added by Compute.
	GlobalFiles []string
}

// Compute maps changed files (absolute paths) to roles, plays and hosts.
func Compute(o Options, pbs []*playbook.Playbook, files []string) (*Affected, error) {
	g := &graph{loader: o.Loader, uses: map[string]map[string]bool{}, names: map[string]string{}}
	changed := map[string]bool{}
	for _, f := range files {
		changed[filepath.Clean(f)] = true
	}
	a := &Affected{}

	// Variables beside the inventory and the playbook, and the inventory itself.
	varDirs := []string{o.PlaybookDir}
	for _, src := range o.Sources {
		if abs, err := filepath.Abs(src); err == nil {
			if changed[abs] {
				a.Inventory = true
			}
			if st, err := os.Stat(abs); err == nil && st.IsDir() {
				varDirs = append(varDirs, abs)
				if under(files, abs) {
					a.Inventory = true
				}
			} else {
				varDirs = append(varDirs, filepath.Dir(abs))
			}
		}
	}
	groups, hostVars := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		for _, d := range varDirs {
			if name, ok := varsOwner(d, "group_vars", f); ok {
				groups[name] = true
			}
			if name, ok := varsOwner(d, "host_vars", f); ok {
				hostVars[name] = true
			}
		}
	}
	a.Groups, a.HostVars = sortedKeys(groups), sortedKeys(hostVars)
	global := append([]string{}, o.GlobalFiles...)
	for _, name := range []string{"requirements.yml", "requirements.yaml", "roles/requirements.yml", "roles/requirements.yaml", "ansible.cfg"} {
		global = append(global, filepath.Join(o.PlaybookDir, name))
	}
	for _, f := range global {
		if f != "" && changed[filepath.Clean(f)] && !slices.Contains(a.Global, filepath.Clean(f)) {
			a.Global = append(a.Global, filepath.Clean(f))
		}
	}

	// Plays, and the role graph they reveal.
	hosts := map[string]bool{}
	targeted := map[string]bool{}
	var playsHit []*playbook.Play
	for _, pb := range pbs {
		for _, play := range pb.Plays {
			deps := g.playFiles(play)
			ph, err := PlayHosts(o.Inventory, play)
			if err != nil {
				return nil, err
			}
			for _, h := range ph {
				targeted[h] = true
			}
			if changed[filepath.Clean(pb.File)] || deps.hit(changed, files) || g.rolesHit(deps.roles, files) || a.Inventory || len(a.Global) > 0 {
				playsHit = append(playsHit, play)
				a.Plays = append(a.Plays, playLabel(play))
				for _, h := range ph {
					hosts[h] = true
				}
			}
		}
	}
	a.Roles = g.affectedRoles(files)

	// Hosts whose variables changed, when a play targets them.
	for grp := range groups {
		if o.Inventory.Group(grp) == nil {
			continue
		}
		for _, h := range o.Inventory.Group(grp).Hosts() {
			if targeted[h.Name] {
				hosts[h.Name] = true
			}
		}
	}
	for h := range hostVars {
		if targeted[h] {
			hosts[h] = true
		}
	}
	a.Hosts = sortedKeys(hosts)
	return a, nil
}

// varsOwner returns NAME when f is DIR/KIND/NAME, DIR/KIND/NAME.yml (or
// .yaml, .json) or a file in DIR/KIND/NAME/.
func varsOwner(dir, kind, f string) (string, bool) {
	rel, err := filepath.Rel(filepath.Join(dir, kind), f)
	if err != nil || strings.HasPrefix(rel, "..") || rel == "." {
		return "", false
	}
	first := strings.Split(filepath.ToSlash(rel), "/")[0]
	for _, ext := range []string{".yml", ".yaml", ".json"} {
		if strings.HasSuffix(first, ext) {
			return strings.TrimSuffix(first, ext), true
		}
	}
	return first, true
}

// PlayHosts are the names of the hosts a play targets (all hosts when its
// pattern is templated, since it cannot be known before running).
func PlayHosts(inv *inventory.Inventory, play *playbook.Play) ([]string, error) {
	var patterns []string
	switch x := play.Attrs["hosts"].(type) {
	case string:
		patterns = []string{x}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				patterns = append(patterns, s)
			}
		}
	}
	for _, p := range patterns {
		if strings.Contains(p, "{{") {
			patterns = []string{"all"}
			break
		}
	}
	hs, err := inv.HostsFor(patterns)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.Name
	}
	return names, nil
}

func playLabel(p *playbook.Play) string {
	label := p.Pos.String()
	if n := p.Name(); n != "" {
		label += " " + n
	}
	return label
}

// deps are the files and role directories a play loads.
type deps struct {
	files map[string]bool
	roles map[string]bool // role directories
}

func (d deps) hit(changed map[string]bool, files []string) bool {
	for f := range d.files {
		if changed[f] {
			return true
		}
	}
	return false
}

// graph records which role uses which (by directory) as plays are walked.
type graph struct {
	loader *playbook.Loader
	uses   map[string]map[string]bool // role dir -> role dirs it uses
	names  map[string]string          // role dir -> role name
}

func (g *graph) use(from, to string) {
	if g.uses[from] == nil {
		g.uses[from] = map[string]bool{}
	}
	g.uses[from][to] = true
}

// playFiles walks a play: every task file, role and literal source file.
func (g *graph) playFiles(p *playbook.Play) deps {
	d := deps{files: map[string]bool{}, roles: map[string]bool{}}
	if p.Pos.File != "" {
		d.files[filepath.Clean(p.Pos.File)] = true
	}
	for _, vf := range value.Strings(p.Attrs["vars_files"]) {
		if !strings.Contains(vf, "{{") {
			if !filepath.IsAbs(vf) {
				vf = filepath.Join(p.Dir, vf)
			}
			d.files[filepath.Clean(vf)] = true
		}
	}
	var walkRole func(r *playbook.Role, parent string)
	var walkBlocks func(bs []*playbook.Block, role string)
	var walkItems func(items []playbook.Item, role string)
	walkRole = func(r *playbook.Role, parent string) {
		dir := filepath.Clean(r.Path)
		g.names[dir] = r.Name
		if parent != "" {
			g.use(parent, dir)
		}
		if d.roles[dir] {
			return // walked already (a role used twice, or including itself)
		}
		d.roles[dir] = true
		for _, dep := range r.Deps {
			walkRole(dep, dir)
		}
		walkBlocks(r.Tasks, dir)
		walkBlocks(r.Handlers, dir)
	}
	walkItems = func(items []playbook.Item, role string) {
		for _, it := range items {
			switch x := it.(type) {
			case *playbook.Block:
				walkItems(x.Block, role)
				walkItems(x.Rescue, role)
				walkItems(x.Always, role)
			case *playbook.RoleUse:
				walkRole(x.Role, role)
			case *playbook.Task:
				if x.Pos.File != "" {
					d.files[filepath.Clean(x.Pos.File)] = true
				}
				g.task(x, role, d, walkRole)
			}
		}
	}
	walkBlocks = func(bs []*playbook.Block, role string) {
		for _, b := range bs {
			if b.Pos.File != "" {
				d.files[filepath.Clean(b.Pos.File)] = true
			}
			walkItems(b.Block, role)
			walkItems(b.Rescue, role)
			walkItems(b.Always, role)
		}
	}
	walkBlocks(p.PreTasks, "")
	for _, r := range p.Roles {
		walkRole(r, "")
	}
	walkBlocks(p.Tasks, "")
	walkBlocks(p.PostTasks, "")
	walkBlocks(p.Handlers, "")
	return d
}

// task adds what a task loads at run time: an include_role's role (with
// its tree), an include_tasks file, a literal src file.
func (g *graph) task(t *playbook.Task, role string, d deps, walkRole func(*playbook.Role, string)) {
	switch playbook.ShortName(t.Action) {
	case playbook.ActionIncludeRole:
		name, opts, err := playbook.RoleOptionsFromArgs(t.Args)
		if err != nil || name == "" || strings.Contains(name, "{{") {
			return
		}
		r, err := g.loader.LoadRole(playbook.RoleEntry{Name: name, Pos: t.Pos}, t.Role, opts)
		if err != nil {
			return
		}
		walkRole(r, role)
	case "include_tasks", "include":
		name, _ := t.Args["_raw_params"].(string)
		if name == "" {
			name, _ = t.Args["file"].(string)
		}
		if name != "" && !strings.Contains(name, "{{") {
			if p, err := g.loader.ResolveTasksPath(name, t); err == nil {
				d.files[filepath.Clean(p)] = true
			}
		}
	case "copy", "template", "script", "unarchive":
		kind := "files"
		if playbook.ShortName(t.Action) == "template" {
			kind = "templates"
		}
		if src, ok := t.Args["src"].(string); ok && !strings.Contains(src, "{{") {
			if p, err := lint.Find(t, g.loader.PlaybookDir, kind, src); err == nil {
				d.files[filepath.Clean(p)] = true
			}
		}
	}
}

// rolesHit reports whether a changed file lies in one of the role dirs.
func (g *graph) rolesHit(roles map[string]bool, files []string) bool {
	for r := range roles {
		if under(files, r) {
			return true
		}
	}
	return false
}

// affectedRoles are the roles with changed files and, transitively, the
// roles that use them.
func (g *graph) affectedRoles(files []string) []string {
	hit := map[string]bool{}
	for dir := range g.names {
		if under(files, dir) {
			hit[dir] = true
		}
	}
	for grew := true; grew; {
		grew = false
		for from, tos := range g.uses {
			if hit[from] {
				continue
			}
			for to := range tos {
				if hit[to] {
					hit[from] = true
					grew = true
					break
				}
			}
		}
	}
	names := map[string]bool{}
	for dir := range hit {
		names[g.names[dir]] = true
	}
	return sortedKeys(names)
}

// under reports whether any file lies inside dir.
func under(files []string, dir string) bool {
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	for _, f := range files {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
