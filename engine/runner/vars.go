package runner

import (
	"path/filepath"
	"sort"
	"strings"

	"gorun/engine/inventory"
	"gorun/engine/playbook"
	"gorun/engine/template"
	"gorun/engine/value"
)

// scope is what a host's variables depend on besides the host: the play, the
// role, the task (and its loop item vars).
type scope struct {
	pr   *playRun
	task *playbook.Task
	role *playbook.Role
	// extra are variables set for one evaluation (loop var, ansible_loop, include params).
	extra map[string]any
}

// vars builds the variables a task sees on a host, merging Ansible's precedence
// levels from lowest to highest. Later levels overwrite earlier ones.
func (r *Runner) vars(h *hostState, s scope) map[string]any {
	m := make(map[string]any, 256)
	yaml := yamlOrigin{}
	// set gives the variable k its value from a level that read it from
	// YAML or not.
	set := func(k string, v any, fromYAML bool) {
		m[k] = v
		if fromYAML {
			yaml[k] = true
		} else {
			delete(yaml, k)
		}
	}
	mergeFrom := func(d *value.Dict, fromYAML bool) {
		for _, k := range d.Keys() {
			v, _ := d.Get(k)
			set(k, v, fromYAML)
		}
	}
	merge := func(d *value.Dict) { mergeFrom(d, true) }
	pr := s.pr
	role := s.role
	if role == nil && s.task != nil {
		role = s.task.Role
	}

	// 2. role defaults: every role of the play (their vars are public by default), then the task's role chain.
	if pr != nil {
		for _, pr := range pr.playRoles {
			merge(pr.Defaults)
		}
	}
	for _, rl := range roleChain(role) {
		merge(rl.Defaults)
	}
	// 3-10. inventory: group vars then host vars, as the inventory merged them.
	invVars, invYAML := hostInventoryVarsOrigin(h.inv)
	for _, k := range invVars.Keys() {
		v, _ := invVars.Get(k)
		set(k, v, invYAML[k])
	}
	// 11. facts.
	h.mu.Lock()
	facts := h.facts.Copy()
	setFacts := h.setFacts.Copy()
	incVars := h.incVars.Copy()
	incJSON := make(map[string]bool, len(h.incJSON))
	for k := range h.incJSON {
		incJSON[k] = true
	}
	yamlFacts := make(map[string]bool, len(h.yamlFacts))
	for k := range h.yamlFacts {
		yamlFacts[k] = true
	}
	h.mu.Unlock()
	m["ansible_facts"] = facts
	for _, k := range facts.Keys() {
		v, _ := facts.Get(k)
		if !strings.HasPrefix(k, "ansible_") {
			k = "ansible_" + k
		}
		m[k] = v
		delete(yaml, k)
	}
	if pr != nil {
		// 12. play vars, 14. vars_files.
		if pr.play.ImportVars != nil {
			merge(pr.play.ImportVars)
		}
		// A play read from JSON has str, not AnsibleUnicode.
		mergeFrom(pr.play.Vars, !pr.play.Pos.JSON)
		mergeFrom(pr.promptVars, false)
		if vf := pr.varsFiles[h.name]; vf != nil {
			merge(vf)
			for k, isJSON := range pr.varsFilesJSON[h.name] {
				if isJSON {
					delete(yaml, k)
				}
			}
		}
		// 15. role vars.
		for _, rl := range pr.playRoles {
			merge(rl.Vars)
		}
	}
	for _, rl := range roleChain(role) {
		merge(rl.Vars)
		if rl.EntryVars != nil {
			merge(rl.EntryVars)
		}
	}
	// 16-17. block and task vars.
	if s.task != nil {
		bv, tv := blockVars(s.task)
		fromYAML := !s.task.Pos.JSON
		mergeFrom(bv, fromYAML)
		if tv != nil {
			mergeFrom(tv, fromYAML)
		}
	}
	// 18. include_vars; 19. set_fact and register.
	for _, k := range incVars.Keys() {
		v, _ := incVars.Get(k)
		set(k, v, !incJSON[k])
	}
	for _, k := range setFacts.Keys() {
		v, _ := setFacts.Get(k)
		set(k, v, yamlFacts[k])
	}
	// 20. role params.
	for _, rl := range roleChain(role) {
		merge(rl.Params)
	}
	h.mu.Lock()
	if h.failedTask != nil {
		m["ansible_failed_task"] = h.failedTask
		m["ansible_failed_result"] = h.failedResult
	}
	h.mu.Unlock()
	// 21. include params and loop variables.
	for k, v := range s.extra {
		m[k] = v
		delete(yaml, k)
	}
	// 22. extra vars.
	for _, k := range r.opts.ExtraVars.Keys() {
		v, _ := r.opts.ExtraVars.Get(k)
		set(k, v, r.opts.ExtraVarsFromYAML[k])
	}

	r.magicVars(m, h, s, role)
	if s.task != nil {
		// Ansible sets 'environment' to the task's environment keywords,
		// outermost first, over any variable of that name.
		var play *playbook.Play
		if s.pr != nil {
			play = s.pr.play
		}
		env := inheritedAll(s.task, play, "environment")
		if env == nil {
			env = []any{}
		}
		m["environment"] = env
		delete(yaml, "environment")
	}
	if s.pr != nil {
		// 'vars': for a play or task, Ansible's VariableManager adds a
		// shallow copy of all the variables, their values as written (the
		// template engine returns it untemplated, as AnsibleJ2Vars does).
		all := make(rawVars, len(m))
		for k, v := range m {
			all[k] = v
		}
		m["vars"] = all
	}
	m[yamlOriginKey] = yaml
	return m
}

// rawVars is the 'vars' magic variable: a template.Mapping, so the engine
// hands out its values as written, untemplated.
type rawVars map[string]any

func (v rawVars) Get(key string) (any, bool) {
	x, ok := v[key]
	return x, ok
}

func (v rawVars) Keys() []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// roleChain lists a role and the roles above it, outermost first.
func roleChain(r *playbook.Role) []*playbook.Role {
	var chain []*playbook.Role
	for ; r != nil; r = r.Parent {
		chain = append([]*playbook.Role{r}, chain...)
	}
	return chain
}

func (r *Runner) magicVars(m map[string]any, h *hostState, s scope, role *playbook.Role) {
	inv := r.opts.Inventory
	m["inventory_hostname"] = h.name
	short, _, _ := strings.Cut(h.name, ".")
	m["inventory_hostname_short"] = short
	if h.inv != nil {
		m["group_names"] = value.FromStrings(h.inv.GroupNames())
	} else {
		m["group_names"] = []any{}
	}
	m["groups"] = groupsVar(inv)
	m["hostvars"] = &hostVars{r: r, pr: s.pr}
	var play *playbook.Play
	if s.pr != nil {
		play = s.pr.play
	}
	m["playbook_dir"] = r.playbookDir(play)
	m["ansible_check_mode"] = r.opts.Check
	m["ansible_diff_mode"] = r.opts.Diff
	m["ansible_forks"] = r.opts.Forks
	m["ansible_verbosity"] = r.opts.Verbosity
	m["ansible_run_tags"] = runTags(r.opts.Tags)
	m["ansible_skip_tags"] = value.FromStrings(r.opts.SkipTags)
	m["ansible_version"] = versionVar(r.opts.Version)
	m["ansible_config_file"] = r.opts.ConfigFile
	m["omit"] = template.Omit()
	m["ansible_inventory_sources"] = []any{}
	if s.pr != nil {
		m["play_hosts"] = value.FromStrings(s.pr.batchNames())
		m["ansible_play_batch"] = value.FromStrings(s.pr.batchNames())
		m["ansible_play_hosts"] = value.FromStrings(s.pr.activeNames())
		m["ansible_play_hosts_all"] = value.FromStrings(s.pr.allNames)
		m["ansible_play_name"] = s.pr.name
		m["ansible_play_role_names"] = value.FromStrings(s.pr.roleNames())
		m["role_names"] = value.FromStrings(s.pr.roleNames())
	}
	if role != nil {
		m["role_name"] = role.Name
		m["role_path"] = role.Path
		m["ansible_role_name"] = role.Name
		if parents := role.ParentRoles(); len(parents) > 0 {
			var names, paths []any
			for _, p := range parents {
				names = append(names, p.Name)
				paths = append(paths, p.Path)
			}
			m["ansible_parent_role_names"] = names
			m["ansible_parent_role_paths"] = paths
		}
	}
	if s.task != nil {
		m["ansible_search_path"] = value.FromStrings(searchPath(s.task, r.playbookDir(play)))
	}
}

func runTags(tags []string) []any {
	if len(tags) == 0 {
		return []any{"all"}
	}
	return value.FromStrings(tags)
}

func versionVar(v string) *value.Dict {
	d := value.NewDict()
	d.Set("string", v)
	d.Set("full", v)
	parts := strings.SplitN(v, ".", 4)
	nums := []string{"major", "minor", "revision"}
	for i, n := range nums {
		x := 0
		if i < len(parts) {
			for _, c := range parts[i] {
				if c < '0' || c > '9' {
					break
				}
				x = x*10 + int(c-'0')
			}
		}
		d.Set(n, x)
	}
	return d
}

func groupsVar(inv *inventory.Inventory) *value.Dict {
	d := value.NewDict()
	for _, g := range inventoryGroups(inv) {
		d.Set(g.name, value.FromStrings(g.hosts))
	}
	return d
}

// searchPath is where a task's relative files are looked for (ansible_search_path):
// the role directory, the task file's directory, the playbook directory.
func searchPath(t *playbook.Task, playbookDir string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for rl := t.Role; rl != nil; rl = rl.Parent {
		add(rl.Path)
	}
	switch {
	case t.Pos.JSON:
		// A task read from JSON has no file: Ansible's
		// get_search_path gives the empty directory, which file
		// searches take for the working directory.
		seen[""] = true
		out = append(out, "")
	case t.Pos.File != "":
		add(filepath.Dir(t.Pos.File))
	}
	add(playbookDir)
	return out
}

// hostVars is the `hostvars` magic variable: each host's variables, computed
// when a template reads them.
type hostVars struct {
	r  *Runner
	pr *playRun
}

func (hv *hostVars) Get(name string) (any, bool) {
	inv := hv.r.opts.Inventory
	if inv.Host(name) == nil {
		return nil, false
	}
	h := hv.r.host(name)
	return &lazyHostVars{r: hv.r, h: h, pr: hv.pr}, true
}

func (hv *hostVars) Keys() []string {
	return allHostNames(hv.r.opts.Inventory)
}

// lazyHostVars resolves one host's variables on first use.
type lazyHostVars struct {
	r    *Runner
	h    *hostState
	pr   *playRun
	once bool
	m    map[string]any
}

func (l *lazyHostVars) Resolve() (any, error) {
	if !l.once {
		l.m = l.r.vars(l.h, scope{pr: l.pr})
		delete(l.m, "hostvars")
		delete(l.m, "vars")
		delete(l.m, yamlOriginKey)
		l.once = true
	}
	return l.m, nil
}
