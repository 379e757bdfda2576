package playbook

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// RoleEntry is a role reference: a roles: entry, a meta dependency or an
// import_role/include_role's options.
type RoleEntry struct {
	Pos    Pos
	Name   string
	Attrs  Attrs       // keywords (when, tags, become, ...)
	Params *value.Dict // role parameters
	Vars   *value.Dict // vars: keyword
}

// RoleOptions are import_role/include_role's options.
type RoleOptions struct {
	TasksFrom, VarsFrom, DefaultsFrom, HandlersFrom string
	AllowDuplicates                                 *bool
	Public                                          bool
	// NoValidate is rolespec_validate: false, which leaves out the
	// argument_specs validation task.
	NoValidate bool
}

func (l *Loader) roleEntry(doc *yamlx.Doc, n *yaml.Node) (RoleEntry, error) {
	p := docPos(doc, n)
	e := RoleEntry{Pos: p, Attrs: Attrs{}, Params: value.NewDict()}
	if n.Kind == yaml.ScalarNode {
		e.Name = n.Value
		return e, nil
	}
	if n.Kind != yaml.MappingNode {
		return e, errorf(p, "role definitions must contain a role name")
	}
	m, err := l.mapping(doc, n)
	if err != nil {
		return e, err
	}
	return entryFromMap(m.pos, m.keys, m.vals)
}

func entryFromMap(p Pos, keys []string, vals map[string]any) (RoleEntry, error) {
	e := RoleEntry{Pos: p, Attrs: Attrs{}, Params: value.NewDict()}
	for _, k := range keys {
		v := vals[k]
		switch {
		case k == "role" || k == "name":
			if s, ok := v.(string); ok && e.Name == "" {
				e.Name = s
			}
		case k == "vars":
			d, err := varsDict(v, p)
			if err != nil {
				return e, err
			}
			e.Vars = d
		case roleEntryKeywords[k]:
			e.Attrs[k] = v
		default:
			e.Params.Set(k, v)
		}
	}
	if e.Name == "" {
		return e, errorf(p, "role definitions must contain a role name")
	}
	return e, nil
}

// FindRole returns the directory of a role by name, searching as Ansible's
// RoleDefinition does: a path, roles/ beside the including file or playbook,
// roles_path, the playbook directory, then collections.
func (l *Loader) FindRole(name, fromDir string) (string, []string, error) {
	var searched []string
	try := func(dir string) (string, bool) {
		searched = append(searched, dir)
		st, err := os.Stat(dir)
		return dir, err == nil && st.IsDir()
	}
	if filepath.IsAbs(name) {
		if d, ok := try(name); ok {
			return d, nil, nil
		}
	}
	var dirs []string
	if fromDir != "" {
		dirs = append(dirs, filepath.Join(fromDir, "roles"))
	}
	if l.PlaybookDir != "" {
		dirs = append(dirs, filepath.Join(l.PlaybookDir, "roles"))
	}
	dirs = append(dirs, l.RolesPath...)
	if l.PlaybookDir != "" {
		dirs = append(dirs, l.PlaybookDir)
	}
	seen := map[string]bool{}
	for _, base := range dirs {
		if seen[base] {
			continue
		}
		seen[base] = true
		if d, ok := try(filepath.Join(base, name)); ok {
			return d, nil, nil
		}
	}
	if parts := strings.Split(name, "."); len(parts) == 3 {
		for _, cp := range l.CollectionsPath {
			if d, ok := try(filepath.Join(cp, "ansible_collections", parts[0], parts[1], "roles", parts[2])); ok {
				return d, nil, nil
			}
		}
	}
	if !strings.ContainsAny(name, "/") && fromDir != "" {
		if d, ok := try(filepath.Join(fromDir, name)); ok && hasRoleLayout(d) {
			return d, nil, nil
		}
	}
	// Ansible names the directories it searched, not the role paths.
	searchedDirs := dirs
	if fromDir != "" && fromDir != l.PlaybookDir {
		searchedDirs = append(searchedDirs, fromDir)
	}
	return "", searched, fmt.Errorf("the role '%s' was not found in %s", name, strings.Join(uniq(searchedDirs), ":"))
}

func hasRoleLayout(dir string) bool {
	for _, sub := range []string{"tasks", "handlers", "defaults", "vars", "meta"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// LoadRole loads a role and, recursively, its dependencies.
func (l *Loader) LoadRole(e RoleEntry, parent *Role, opts RoleOptions) (*Role, error) {
	return l.loadRole(e, parent, opts, 0)
}

func (l *Loader) loadRole(e RoleEntry, parent *Role, opts RoleOptions, depth int) (*Role, error) {
	if depth > 50 {
		return nil, errorf(e.Pos, "role dependency nesting too deep at %s", e.Name)
	}
	name := e.Name
	if l.Static != nil && strings.Contains(name, "{{") {
		r, err := l.Static(name)
		if err != nil {
			return nil, errorf(e.Pos, "%v", err)
		}
		name = r
	}
	fromDir := filepath.Dir(e.Pos.File)
	if parent != nil {
		fromDir = filepath.Dir(parent.Path)
		// Ansible looks for a short name in the including role's
		// collections first (RoleDefinition._load_role_path).
		name = l.collectionRole(name, parent.Collections)
	}
	path, _, err := l.FindRole(name, fromDir)
	if err != nil {
		return nil, &Error{Pos: e.Pos, Msg: err.Error(), NotFound: true}
	}
	role := &Role{
		Name:       filepath.Base(name),
		Path:       path,
		Attrs:      e.Attrs,
		Params:     e.Params,
		EntryVars:  e.Vars,
		Parent:     parent,
		Public:     opts.Public,
		EntryPoint: "main",
	}
	if strings.Count(name, ".") == 2 && !strings.Contains(name, "/") {
		role.Name = name
	}
	if opts.TasksFrom != "" {
		role.EntryPoint = strings.TrimSuffix(strings.TrimSuffix(opts.TasksFrom, ".yml"), ".yaml")
	}
	if role.Params == nil {
		role.Params = value.NewDict()
	}
	if role.Defaults, err = l.roleVars(path, "defaults", opts.DefaultsFrom); err != nil {
		return nil, err
	}
	if role.Vars, err = l.roleVars(path, "vars", opts.VarsFrom); err != nil {
		return nil, err
	}
	if err := l.roleMeta(role, depth); err != nil {
		return nil, err
	}
	if opts.AllowDuplicates != nil {
		role.AllowDuplicates = *opts.AllowDuplicates
	}
	ctx := &fileCtx{dir: filepath.Join(path, "tasks"), role: role}
	if f := roleFile(path, "tasks", opts.TasksFrom); f != "" {
		if role.Tasks, err = l.loadTaskFileBlocks(f, nil, role, ctx, false); err != nil {
			return nil, err
		}
	} else if opts.TasksFrom != "" {
		return nil, errorf(e.Pos, "Could not find specified file in role: tasks/%s", opts.TasksFrom)
	}
	if !opts.NoValidate {
		role.Tasks = prependValidation(role, role.Tasks)
	}
	hctx := &fileCtx{dir: filepath.Join(path, "handlers"), role: role}
	if f := roleFile(path, "handlers", opts.HandlersFrom); f != "" {
		if role.Handlers, err = l.loadTaskFileBlocks(f, nil, role, hctx, true); err != nil {
			return nil, err
		}
	}
	return role, nil
}

// roleFile finds DIR/main.yml, main.yaml or main (or the from-file) in a role.
func roleFile(roleDir, sub, from string) string {
	base := "main"
	if from != "" {
		base = from
	}
	for _, cand := range []string{base, base + ".yml", base + ".yaml", base + ".json"} {
		p := filepath.Join(roleDir, sub, cand)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// roleVars reads defaults/ or vars/: main.yml or a main/ directory of files.
func (l *Loader) roleVars(roleDir, sub, from string) (*value.Dict, error) {
	out := value.NewDict()
	if f := roleFile(roleDir, sub, from); f != "" {
		return l.LoadVarsFile(f)
	}
	base := "main"
	if from != "" {
		base = from
	}
	dir := filepath.Join(roleDir, sub, base)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return out, nil
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			switch filepath.Ext(p) {
			case ".yml", ".yaml", ".json", "":
				files = append(files, p)
			}
		}
		return nil
	})
	sort.Strings(files)
	for _, f := range files {
		d, err := l.LoadVarsFile(f)
		if err != nil {
			return nil, err
		}
		for _, k := range d.Keys() {
			v, _ := d.Get(k)
			out.Set(k, v)
		}
	}
	return out, nil
}

// collectionRole returns name as the FQCN of the first collection of
// collections that holds such a role, or name itself.
func (l *Loader) collectionRole(name string, collections []string) string {
	if strings.ContainsAny(name, "./") {
		return name
	}
	for _, c := range collections {
		parts := strings.Split(c, ".")
		if len(parts) != 2 || parts[0] == "ansible" && (parts[1] == "builtin" || parts[1] == "legacy") {
			continue
		}
		for _, cp := range l.CollectionsPath {
			if st, err := os.Stat(filepath.Join(cp, "ansible_collections", parts[0], parts[1], "roles", name)); err == nil && st.IsDir() {
				return c + "." + name
			}
		}
	}
	return name
}

// roleCollections is a role's collection search list (Role.Collections)
// from its directory and meta/main.yml's collections.
func (l *Loader) roleCollections(path string, meta []string) []string {
	var out []string
	own := ""
	if dir, name := filepath.Split(filepath.Dir(path)); name == "roles" {
		coll := filepath.Clean(dir)
		if filepath.Base(filepath.Dir(filepath.Dir(coll))) == "ansible_collections" {
			own = filepath.Base(filepath.Dir(coll)) + "." + filepath.Base(coll)
			out = append(out, own)
		}
	}
	for _, c := range meta {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) > 0 && !slices.Contains(out, "ansible.builtin") && !slices.Contains(out, "ansible.legacy") {
		if own != "" {
			out = append(out, "ansible.builtin")
		} else {
			out = append(out, "ansible.legacy")
		}
	}
	return out
}

func (l *Loader) roleMeta(role *Role, depth int) error {
	// meta/argument_specs.yml wins over meta/main.yml's argument_specs;
	// their data is not combined (Role._get_role_argspecs).
	if f := roleFile(role.Path, "meta", "argument_specs"); f != "" {
		specs, err := l.LoadVarsFile(f)
		if err != nil {
			return err
		}
		role.ArgumentSpecs = value.NewDict()
		if as, ok := specs.Get("argument_specs"); ok && value.ToDict(as) != nil {
			role.ArgumentSpecs = value.ToDict(as)
		}
	}
	role.Collections = l.roleCollections(role.Path, nil)
	f := roleFile(role.Path, "meta", "")
	if f == "" {
		return nil
	}
	doc, err := l.readYAML(f)
	if err != nil {
		return err
	}
	defer l.flushWarnings(doc)
	if doc.Root == nil || doc.Root.Kind != yaml.MappingNode {
		return nil
	}
	m, err := l.mapping(doc, doc.Root)
	if err != nil {
		return err
	}
	if c, ok := m.get("collections"); ok {
		role.Collections = l.roleCollections(role.Path, StringList(c))
	}
	if ad, ok := m.get("allow_duplicates"); ok {
		role.AllowDuplicates = value.Bool(ad)
	}
	if as, ok := m.get("argument_specs"); ok && role.ArgumentSpecs == nil {
		role.ArgumentSpecs = value.ToDict(as)
	}
	depsNode := m.nodes["dependencies"]
	if depsNode == nil || depsNode.Kind != yaml.SequenceNode {
		return nil
	}
	for _, dn := range depsNode.Content {
		e, err := l.roleEntry(doc, dn)
		if err != nil {
			return err
		}
		dep, err := l.loadRole(e, role, RoleOptions{}, depth+1)
		if err != nil {
			return err
		}
		role.Deps = append(role.Deps, dep)
	}
	return nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// loadTaskFileBlocks reads a tasks file into blocks.
func (l *Loader) loadTaskFileBlocks(path string, parent *Block, role *Role, ctx *fileCtx, handlers bool) ([]*Block, error) {
	doc, err := l.readYAML(path)
	if err != nil {
		return nil, err
	}
	defer l.flushWarnings(doc)
	if doc.Root == nil {
		return nil, nil
	}
	c := *ctx
	c.file = path
	return l.parseBlockList(doc, doc.Root, parent, role, &c, handlers)
}

// LoadTasksFile reads a tasks file for include_tasks at run time. The blocks
// hang under a wrapper block carrying the include task's keywords.
func (l *Loader) LoadTasksFile(path string, include *Task) (*Block, error) {
	wrapper := &Block{Pos: include.Pos, Attrs: Attrs{}, Parent: include.Parent, Role: include.Role, Implicit: true, Handlers: include.Handler, From: include}
	ctx := &fileCtx{dir: filepath.Dir(path), role: include.Role}
	blocks, err := l.loadTaskFileBlocks(path, wrapper, include.Role, ctx, include.Handler)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		wrapper.Block = append(wrapper.Block, b)
	}
	return wrapper, nil
}

// ResolveTasksPath finds a tasks file named by import_tasks/include_tasks: in
// the role's tasks/ directory for role tasks, else beside the including file,
// then in the playbook directory.
func (l *Loader) ResolveTasksPath(name string, t *Task) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	cands := l.tasksCandidates(name, t)
	for _, c := range cands {
		if fileExists(c) {
			return c, nil
		}
	}
	return "", fmt.Errorf("Could not find or access '%s'\nSearched in:\n\t%s on the Ansible Controller.", name, strings.Join(cands, "\n\t"))
}

// tasksCandidates are the paths a relative tasks file name of t may
// stand for, in the order they are tried.
func (l *Loader) tasksCandidates(name string, t *Task) []string {
	var cands []string
	if t.Role != nil {
		cands = append(cands, filepath.Join(t.Role.Path, "tasks", name), filepath.Join(t.Role.Path, name))
	}
	cands = append(cands, filepath.Join(filepath.Dir(t.Pos.File), name))
	if l.PlaybookDir != "" {
		cands = append(cands, filepath.Join(l.PlaybookDir, name))
	}
	return cands
}

func (l *Loader) importTasks(t *Task, ctx *fileCtx, handlers bool) (*Block, error) {
	name, _ := t.Args["_raw_params"].(string)
	if f, ok := t.Args["file"].(string); ok {
		name = f
	}
	for k := range t.Args {
		if k != "_raw_params" && k != "file" {
			return nil, errorf(t.Pos, "Invalid options for import_tasks: %s", k)
		}
	}
	if name == "" {
		return nil, errorf(t.Pos, "No file specified for import_tasks")
	}
	if strings.Contains(name, "{{") {
		if l.Static == nil {
			return nil, errorf(t.Pos, "import_tasks file name %q needs templating; use include_tasks", name)
		}
		r, err := l.Static(name)
		if err != nil {
			return nil, errorf(t.Pos, "%v", err)
		}
		name = r
	}
	if _, bad := t.Attrs["loop"]; bad {
		return nil, errorf(t.Pos, "You cannot use loops on 'import_tasks' statements. You should use 'include_tasks' instead.")
	}
	path, err := l.ResolveTasksPath(name, t)
	if err != nil {
		// Ansible's import_tasks fails in the loader's path_dwim, with
		// neither the searched paths nor the task's position.
		return nil, &Error{NotFound: true, Msg: fmt.Sprintf("Unable to retrieve file contents\nCould not find or access '%s' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", l.tasksCandidates(name, t)[0])}
	}
	wrapper := &Block{Pos: t.Pos, Attrs: importAttrs(t), Parent: t.Parent, Role: t.Role, Implicit: true, Handlers: handlers, From: t}
	c := &fileCtx{dir: filepath.Dir(path), role: ctx.role}
	blocks, err := l.loadTaskFileBlocks(path, wrapper, t.Role, c, handlers)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		wrapper.Block = append(wrapper.Block, b)
	}
	return wrapper, nil
}

// importAttrs are the keywords of an import task that its imported tasks inherit.
func importAttrs(t *Task) Attrs {
	a := Attrs{}
	for k, v := range t.Attrs {
		if k != "name" && k != "register" {
			a[k] = v
		}
	}
	return a
}

// RoleOptionsFromArgs reads import_role/include_role's arguments.
func RoleOptionsFromArgs(args map[string]any) (string, RoleOptions, error) {
	var opts RoleOptions
	name := ""
	for k, v := range args {
		s := fmt.Sprint(v)
		switch k {
		case "name":
			name = s
		case "tasks_from":
			opts.TasksFrom = s
		case "vars_from":
			opts.VarsFrom = s
		case "defaults_from":
			opts.DefaultsFrom = s
		case "handlers_from":
			opts.HandlersFrom = s
		case "allow_duplicates":
			b := value.Bool(v)
			opts.AllowDuplicates = &b
		case "public":
			opts.Public = value.Bool(v)
		case "rolespec_validate":
			opts.NoValidate = !value.Bool(v)
		case "apply":
		default:
			return "", opts, fmt.Errorf("Invalid options for include_role: %s", k)
		}
	}
	if name == "" {
		return "", opts, fmt.Errorf("'name' is a required field for include_role.")
	}
	return name, opts, nil
}

func (l *Loader) importRole(t *Task, ctx *fileCtx, handlers bool) (*Block, error) {
	name, opts, err := RoleOptionsFromArgs(t.Args)
	if err != nil {
		return nil, errorf(t.Pos, "%s", strings.Replace(err.Error(), "include_role", "import_role", 1))
	}
	if _, bad := t.Attrs["loop"]; bad {
		return nil, errorf(t.Pos, "You cannot use loops on 'import_role' statements. You should use 'include_role' instead.")
	}
	// import_role makes the role's vars visible to the play, as Ansible's public default for imports.
	opts.Public = true
	// The import's keywords (when, tags, become, ...) apply to every task of the role.
	attrs := importAttrs(t)
	delete(attrs, "vars")
	e := RoleEntry{Pos: t.Pos, Name: name, Attrs: attrs, Params: value.NewDict()}
	if v, ok := t.Attrs["vars"]; ok {
		e.Vars = value.ToDict(v)
	}
	role, err := l.LoadRole(e, ctx.role, opts)
	if err != nil {
		return nil, err
	}
	role.Included = true
	wrapper := &Block{Pos: t.Pos, Attrs: Attrs{}, Parent: t.Parent, Role: t.Role, Implicit: true, Handlers: handlers}
	wrapper.Block = append(wrapper.Block, &RoleUse{Role: role, Parent: wrapper, Pos: t.Pos})
	return wrapper, nil
}

// RoleUse is an item standing for a whole role (its dependencies and tasks) in
// a task list, as import_role puts it there.
type RoleUse struct {
	Pos    Pos
	Role   *Role
	Parent *Block
}

func (r *RoleUse) parent() *Block { return r.Parent }
func (r *RoleUse) position() Pos  { return r.Pos }

// uniq drops repeated strings, keeping the first of each.
func uniq(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
