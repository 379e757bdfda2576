package playbook

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// Loader reads playbooks, task files and roles.
type Loader struct {
	// groups resolves module_defaults action groups (see checkModuleDefaults).
	groups *ActionGroups

	// RolesPath are the configured role directories (roles_path), searched after
	// the playbook's roles/ directory.
	RolesPath []string
	// CollectionsPath are the directories holding ansible_collections/, for
	// namespace.collection.role names.
	CollectionsPath []string
	// KnownAction reports whether an action name (short or FQCN) exists, given
	// the collections: in force. The parser uses it to tell the action key of a
	// task from a misspelt keyword, as Ansible does.
	KnownAction func(name string, collections []string) bool
	// Decrypt opens vault-encrypted files (nil: encrypted files are an error).
	Decrypt func([]byte) ([]byte, error)
	// Static renders a template in an import path (import_tasks: "{{ x }}.yml")
	// with the variables known at parse time; nil leaves templates unrendered.
	Static func(s string) (string, error)
	// Warn receives warnings (duplicate keys, deprecated forms).
	Warn func(msg string)
	// Deprecate receives deprecation warnings (the include action).
	Deprecate func(msg string)

	// PlaybookDir is the directory of the top playbook: the last place roles and
	// files are searched.
	PlaybookDir string
}

func (l *Loader) warn(format string, args ...any) {
	if l.Warn != nil {
		l.Warn(fmt.Sprintf(format, args...))
	}
}

// readYAML parses a YAML file, decrypting it when it is a vault.
func (l *Loader) readYAML(path string) (*yamlx.Doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(string(data), "$ANSIBLE_VAULT;") {
		if l.Decrypt == nil {
			return nil, fmt.Errorf("Attempting to decrypt but no vault secrets found")
		}
		if data, err = l.Decrypt(data); err != nil {
			return nil, err
		}
	}
	doc, err := yamlx.Parse(data, path)
	if err != nil {
		return nil, yamlSyntaxError(err)
	}
	return doc, nil
}

func yamlSyntaxError(err error) error {
	if ye, ok := err.(*yamlx.Error); ok && ye.Line > 0 {
		return &Error{Pos: Pos{File: ye.File, Line: ye.Line, Col: ye.Col}, Msg: "We were unable to read either as JSON nor YAML, these are the errors we got from each:\nJSON: Expecting value: line 1 column 1 (char 0)\n\nSyntax Error while loading YAML.\n  " + ye.Msg}
	}
	return err
}

func (l *Loader) flushWarnings(doc *yamlx.Doc) {
	for _, w := range doc.Warnings {
		l.warn("%s", w.Msg)
	}
	doc.Warnings = nil
}

// LoadVarsFile reads a vars file (vars_files, include_vars, role vars): a mapping or empty.
func (l *Loader) LoadVarsFile(path string) (*value.Dict, error) {
	d, _, err := l.ReadVarsFile(path)
	return d, err
}

// ReadVarsFile is LoadVarsFile that also reports whether the file was read
// as JSON (its strings are str, not AnsibleUnicode).
func (l *Loader) ReadVarsFile(path string) (*value.Dict, bool, error) {
	doc, err := l.readYAML(path)
	if err != nil {
		return nil, false, err
	}
	v, err := doc.Decode()
	l.flushWarnings(doc)
	if err != nil {
		return nil, false, err
	}
	if v == nil {
		return value.NewDict(), doc.JSON, nil
	}
	d, ok := v.(*value.Dict)
	if !ok {
		return nil, false, errorf(docPos(doc, doc.Root), "vars file %s was not a dictionary", path)
	}
	return d, doc.JSON, nil
}

// LoadPlaybook reads a playbook file and everything it imports.
func (l *Loader) LoadPlaybook(path string) (*Playbook, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if l.PlaybookDir == "" {
		l.PlaybookDir = filepath.Dir(abs)
	}
	pb := &Playbook{File: abs, Given: path}
	if err := l.loadPlaybookInto(pb, abs, nil, 0); err != nil {
		return nil, err
	}
	return pb, nil
}

func (l *Loader) loadPlaybookInto(pb *Playbook, path string, imp *importInfo, depth int) error {
	if depth > 50 {
		return fmt.Errorf("import_playbook nesting too deep at %s", path)
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("the playbook: %s could not be found", path)
	}
	doc, err := l.readYAML(path)
	if err != nil {
		return err
	}
	defer l.flushWarnings(doc)
	root := doc.Root
	if root == nil {
		return fmt.Errorf("Empty playbook, nothing to do: %s", path)
	}
	if root.Kind != yaml.SequenceNode {
		return errorf(docPos(doc, root), "A playbook must be a list of plays, got a %s instead", kindName(root))
	}
	dir := filepath.Dir(path)
	for _, n := range root.Content {
		if n.Kind != yaml.MappingNode {
			return errorf(docPos(doc, n), "playbook entries must be either valid plays or 'import_playbook' statements")
		}
		m, err := l.mapping(doc, n)
		if err != nil {
			return err
		}
		if target, ok := m.get("import_playbook"); ok {
			if err := l.importPlaybook(pb, doc, m, target, dir, imp, depth); err != nil {
				return err
			}
			continue
		}
		if _, ok := m.get("include"); ok {
			return errorf(m.pos, "'include' for playbooks is not supported by gorun; use import_playbook")
		}
		play, err := l.parsePlay(doc, m, dir)
		if err != nil {
			return err
		}
		if imp != nil {
			play.ImportWhen = append(play.ImportWhen, imp.when...)
			play.ImportTags = append(play.ImportTags, imp.tags...)
			if imp.vars != nil {
				play.ImportVars = imp.vars
			}
		}
		pb.Plays = append(pb.Plays, play)
	}
	return nil
}

type importInfo struct {
	when []any
	tags []string
	vars *value.Dict
}

func (l *Loader) importPlaybook(pb *Playbook, doc *yamlx.Doc, m *mapNode, target any, dir string, parent *importInfo, depth int) error {
	for _, k := range m.keys {
		if !importPlaybookKeywords[k] {
			return errorf(m.pos, "'%s' is not a valid attribute for a PlaybookInclude", k)
		}
	}
	name, ok := target.(string)
	if !ok || name == "" {
		return errorf(m.pos, "import_playbook parameters cannot be mixed with 'vars' entries for import statements")
	}
	if l.Static != nil {
		rendered, err := l.Static(name)
		if err != nil {
			return errorf(m.pos, "%v", err)
		}
		name = rendered
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, name)
	}
	imp := &importInfo{}
	if parent != nil {
		imp.when = append(imp.when, parent.when...)
		imp.tags = append(imp.tags, parent.tags...)
		imp.vars = parent.vars
	}
	if w, ok := m.get("when"); ok {
		imp.when = append(imp.when, asList(w)...)
	}
	if t, ok := m.get("tags"); ok {
		imp.tags = append(imp.tags, StringList(t)...)
	}
	if v, ok := m.get("vars"); ok {
		d := value.ToDict(v)
		if d == nil {
			return errorf(m.keyPos["vars"], "vars for import_playbook must be a dictionary")
		}
		merged := value.NewDict()
		if imp.vars != nil {
			merged = imp.vars.Copy()
		}
		for _, k := range d.Keys() {
			x, _ := d.Get(k)
			merged.Set(k, x)
		}
		imp.vars = merged
	}
	return l.loadPlaybookInto(pb, path, imp, depth+1)
}

func (l *Loader) parsePlay(doc *yamlx.Doc, m *mapNode, dir string) (*Play, error) {
	play := &Play{Pos: m.pos, Attrs: Attrs{}, Dir: dir}
	for _, k := range m.keys {
		if !playKeywords[k] {
			return nil, errorf(m.pos, "'%s' is not a valid attribute for a Play", k)
		}
	}
	hosts, ok := m.get("hosts")
	if !ok || hosts == nil || hosts == "" {
		return nil, errorf(m.pos, "the field 'hosts' is required but was not set")
	}
	for _, k := range m.keys {
		switch k {
		case "tasks", "pre_tasks", "post_tasks", "handlers", "roles", "vars":
		default:
			if k == "module_defaults" {
				if err := l.checkModuleDefaults(m.vals[k]); err != nil {
					return nil, err
				}
			}
			play.Attrs[k] = m.vals[k]
		}
	}
	if v, ok := m.get("vars"); ok && v != nil {
		d, err := varsDict(v, m.keyPos["vars"])
		if err != nil {
			return nil, err
		}
		play.Vars = d
	}
	if play.Vars == nil {
		play.Vars = value.NewDict()
	}
	ctx := &fileCtx{dir: dir, file: doc.File}
	var err error
	sections := []struct {
		key      string
		dst      *[]*Block
		handlers bool
	}{{"pre_tasks", &play.PreTasks, false}, {"tasks", &play.Tasks, false}, {"post_tasks", &play.PostTasks, false}, {"handlers", &play.Handlers, true}}
	for _, s := range sections {
		n := m.nodes[s.key]
		if n == nil {
			continue
		}
		if *s.dst, err = l.parseBlockList(doc, n, nil, nil, ctx, s.handlers); err != nil {
			return nil, err
		}
	}
	if n := m.nodes["roles"]; n != nil {
		if n.Kind != yaml.SequenceNode {
			if n.Tag == "!!null" {
				return play, nil
			}
			return nil, errorf(docPos(doc, n), "A malformed role declaration was encountered.")
		}
		for _, rn := range n.Content {
			entry, err := l.roleEntry(doc, rn)
			if err != nil {
				return nil, err
			}
			role, err := l.LoadRole(entry, nil, RoleOptions{})
			if err != nil {
				return nil, err
			}
			play.Roles = append(play.Roles, role)
		}
	}
	return play, nil
}

func varsDict(v any, p Pos) (*value.Dict, error) {
	switch t := v.(type) {
	case nil:
		return value.NewDict(), nil
	case *value.Dict:
		return t, nil
	case []any:
		// A list of dicts is accepted and merged, as Ansible's preprocess_vars.
		d := value.NewDict()
		for _, item := range t {
			m, ok := item.(*value.Dict)
			if !ok {
				return nil, errorf(p, "Vars in a Play must be specified as a dictionary, or a list of dictionaries")
			}
			for _, k := range m.Keys() {
				x, _ := m.Get(k)
				d.Set(k, x)
			}
		}
		return d, nil
	}
	return nil, errorf(p, "Vars in a Play must be specified as a dictionary, or a list of dictionaries")
}

// fileCtx is where a task list was read from, for relative imports.
type fileCtx struct {
	dir  string // directory of the file
	file string
	role *Role
}

// parseBlockList reads a task list into blocks: explicit block: entries stay
// blocks, runs of plain tasks are wrapped in implicit blocks (as Ansible's
// load_list_of_blocks does).
func (l *Loader) parseBlockList(doc *yamlx.Doc, n *yaml.Node, parent *Block, role *Role, ctx *fileCtx, handlers bool) ([]*Block, error) {
	items, err := l.parseItems(doc, n, parent, role, ctx, handlers)
	if err != nil {
		return nil, err
	}
	var blocks []*Block
	var implicit *Block
	for _, it := range items {
		if b, ok := it.(*Block); ok && !b.Implicit {
			implicit = nil
			blocks = append(blocks, b)
			continue
		}
		if implicit == nil {
			implicit = &Block{Pos: it.position(), Attrs: Attrs{}, Parent: parent, Role: role, Implicit: true, Handlers: handlers}
			blocks = append(blocks, implicit)
		}
		reparent(it, implicit)
		implicit.Block = append(implicit.Block, it)
	}
	return blocks, nil
}

func reparent(it Item, b *Block) {
	switch t := it.(type) {
	case *Task:
		t.Parent = b
	case *Block:
		t.Parent = b
	}
}

func (l *Loader) parseItems(doc *yamlx.Doc, n *yaml.Node, parent *Block, role *Role, ctx *fileCtx, handlers bool) ([]Item, error) {
	if n == nil || n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, errorf(docPos(doc, n), "A malformed block was encountered while loading tasks: %s should be a list or None", describe(n))
	}
	var items []Item
	for _, tn := range n.Content {
		if tn.Kind != yaml.MappingNode {
			return nil, errorf(docPos(doc, tn), "A malformed block was encountered while loading a block")
		}
		m, err := l.mapping(doc, tn)
		if err != nil {
			return nil, err
		}
		if _, isBlock := m.nodes["block"]; isBlock {
			b, err := l.parseBlock(doc, m, parent, role, ctx, handlers)
			if err != nil {
				return nil, err
			}
			items = append(items, b)
			continue
		}
		t, err := l.parseTask(m, parent, role, handlers)
		if err != nil {
			return nil, err
		}
		// Static imports are expanded here, as Ansible does at parse time.
		switch ShortName(t.Action) {
		case ActionImportTasks:
			b, err := l.importTasks(t, ctx, handlers)
			if err != nil {
				return nil, err
			}
			items = append(items, b)
			continue
		case ActionImportRole:
			b, err := l.importRole(t, ctx, handlers)
			if err != nil {
				return nil, err
			}
			items = append(items, b)
			continue
		case ActionInclude:
			if l.Deprecate != nil {
				l.Deprecate(`"include" is deprecated, use include_tasks/import_tasks instead. See https://docs.ansible.com/ansible-core/2.14/user_guide/playbooks_reuse_includes.html for details.`)
			}
			if static := legacyInclude(t); static {
				b, err := l.importTasks(t, ctx, handlers)
				if err != nil {
					return nil, err
				}
				items = append(items, b)
				continue
			}
		}
		items = append(items, t)
	}
	return items, nil
}

func (l *Loader) parseBlock(doc *yamlx.Doc, m *mapNode, parent *Block, role *Role, ctx *fileCtx, handlers bool) (*Block, error) {
	b := &Block{Pos: m.pos, Attrs: Attrs{}, Parent: parent, Role: role, Handlers: handlers}
	for _, k := range m.keys {
		if !blockKeywords[k] {
			return nil, errorf(m.pos, "'%s' is not a valid attribute for a Block", k)
		}
		switch k {
		case "block", "rescue", "always":
		default:
			if k == "module_defaults" {
				if err := l.checkModuleDefaults(m.vals[k]); err != nil {
					return nil, err
				}
			}
			b.Attrs[k] = m.vals[k]
		}
	}
	var err error
	for _, s := range []struct {
		key string
		dst *[]Item
	}{{"block", &b.Block}, {"rescue", &b.Rescue}, {"always", &b.Always}} {
		if *s.dst, err = l.parseItems(doc, m.nodes[s.key], b, role, ctx, handlers); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// parseTask finds a task's action among its keys and splits its arguments, as
// Ansible's ModuleArgsParser does.
func (l *Loader) parseTask(m *mapNode, parent *Block, role *Role, handler bool) (*Task, error) {
	t := &Task{Pos: m.pos, Attrs: Attrs{}, Parent: parent, Role: role, Handler: handler}
	var collections []string
	if c, ok := m.get("collections"); ok {
		collections = StringList(c)
	}
	collections = append(collections, inheritedCollections(parent, role)...)
	var actionKey string
	var actionVal any
	for _, k := range m.keys {
		v := m.vals[k]
		switch {
		case taskKeywords[k] || (handler && handlerKeywords[k]):
			if k == "action" || k == "local_action" {
				if actionKey != "" {
					if k == "local_action" && actionKey == "action" {
						return nil, errorf(m.pos, "action and local_action are mutually exclusive")
					}
					return nil, errorf(m.pos, "conflicting action statements: %s, %s", actionKey, k)
				}
				actionKey, actionVal = k, v
				continue
			}
			if k == "module_defaults" {
				if err := l.checkModuleDefaults(v); err != nil {
					return nil, err
				}
			}
			t.Attrs[k] = v
		case strings.HasPrefix(k, "with_"):
			if !isLookup(strings.TrimPrefix(k, "with_")) {
				// Task.preprocess_data takes with_X as a loop only when X is a
				// lookup plugin; otherwise attribute validation refuses it,
				// and Task._validate_attributes adds its note to a message
				// that already carries the excerpt.
				msg := fmt.Sprintf("'%s' is not a valid attribute for a Task", k)
				if m.pos.JSON {
					// The task's data has no position, yet is a YAML
					// object there: Ansible shows an excerpt of nowhere.
					return nil, errorf(m.pos, "%s\n\n%s\nThis error can be suppressed as a warning using the \"invalid_task_attribute_failed\" configuration\n\n%s", msg, noExcerpt, noExcerpt)
				}
				return nil, errorf(m.pos, "%s\n\n%s\nThis error can be suppressed as a warning using the \"invalid_task_attribute_failed\" configuration", msg, Excerpt(m.pos))
			}
			if t.LoopWith != "" || m.has("loop") {
				return nil, errorf(m.keyPos[k], "The following loop keywords are mutually exclusive: %s", "loop, with_*")
			}
			t.LoopWith = strings.TrimPrefix(k, "with_")
			t.Attrs["loop"] = v
		default:
			// Every key that is not a keyword is a candidate action, known or
			// not, as in Ansible's ModuleArgsParser: a misspelt keyword
			// beside the action is a conflict of two actions.
			if actionKey != "" {
				return nil, errorf(m.pos, "conflicting action statements: %s, %s", actionKey, k)
			}
			actionKey, actionVal = k, v
		}
	}
	if actionKey == "" {
		return nil, errorf(m.pos, "no module/action detected in task.")
	}
	if actionKey != "action" && actionKey != "local_action" && !l.resolves(actionKey, collections) {
		return nil, errorf(m.pos, "couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, or incorrect module path.", actionKey)
	}
	extra := map[string]any{}
	argsKW := t.Attrs["args"]
	if a, ok := t.Attrs["args"]; ok {
		delete(t.Attrs, "args")
		switch av := a.(type) {
		case *value.Dict:
			extra = av.Map()
		case map[string]any:
			extra = av
		case string:
			if !strings.Contains(av, "{{") {
				return nil, errorf(m.pos, "Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style ('{{var_name}}')")
			}
			extra["_variable_params"] = av
		case nil:
		default:
			return nil, errorf(m.pos, "Complex args must be a dictionary or variable string (\"{{var}}\").")
		}
	}
	switch actionKey {
	case "action", "local_action":
		name, args, err := oldStyleArgs(actionVal)
		if err != nil {
			return nil, errorf(m.pos, "%v", err)
		}
		t.Action, t.Args = name, args
		if actionKey == "local_action" {
			t.Attrs["delegate_to"] = "localhost"
		}
		if !l.resolves(name, collections) {
			return nil, errorf(m.pos, "couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, or incorrect module path.", name)
		}
	default:
		args, err := newStyleArgs(actionVal, actionKey)
		if err != nil {
			return nil, errorf(m.pos, "%v", err)
		}
		t.Action, t.Args = actionKey, args
	}
	for k, v := range extra {
		if _, set := t.Args[k]; !set {
			t.Args[k] = v
		}
	}
	t.ArgOrder = argOrder(t.Args, argsKW, actionKey, actionVal)
	if raw, ok := t.Args["_raw_params"].(string); ok && raw != "" && !rawParamActions[ShortName(t.Action)] {
		if !strings.Contains(raw, "{{") {
			return nil, errorf(m.pos, "this task '%s' has extra params, which is only allowed in the following modules: %s", t.Action, strings.Join(sortedSet(rawParamActions), ", "))
		}
		delete(t.Args, "_raw_params")
		t.Args["_variable_params"] = raw
	}
	if handler {
		if lv, ok := t.Attrs["listen"]; ok {
			t.Listen = StringList(lv)
		}
	}
	return t, nil
}

// builtinAction reports the actions the engine implements itself, so they are
// recognised even without a module registry.
func builtinAction(name string) bool {
	switch ShortName(name) {
	case ActionImportTasks, ActionIncludeTasks, ActionImportRole, ActionIncludeRole, ActionMeta, ActionInclude:
		return true
	}
	return false
}

func inheritedCollections(b *Block, r *Role) []string {
	for ; b != nil; b = b.Parent {
		if c, ok := b.Attrs["collections"]; ok {
			return StringList(c)
		}
	}
	if r != nil {
		return r.Collections
	}
	return nil
}

// resolves reports whether an action name can be loaded: gorun has it, or
// ansible-playbook would find it (AnsibleResolves; the task then fails
// when it runs, naming the module gorun lacks).
func (l *Loader) resolves(name string, collections []string) bool {
	if l.KnownAction == nil || l.KnownAction(name, collections) || builtinAction(name) {
		return true
	}
	_, ok := AnsibleResolves(name, collections, l.CollectionsPath)
	return ok
}

// argOrder lists the keys of args in the order they were written: those of
// the args keyword first, then the action's (a dict's keys, or the k=v
// pairs of a string), as Ansible's ModuleArgsParser builds the dict.
func argOrder(args map[string]any, argsKW any, actionKey string, actionVal any) []string {
	var order []string
	seen := map[string]bool{}
	add := func(k string) {
		if _, ok := args[k]; ok && !seen[k] {
			seen[k] = true
			order = append(order, k)
		}
	}
	written := func(v any) {
		switch x := v.(type) {
		case *value.Dict:
			for _, k := range x.Keys() {
				add(k)
			}
		case string:
			if actionKey == "action" || actionKey == "local_action" {
				_, x, _ = strings.Cut(strings.TrimSpace(x), " ")
			}
			parts, _ := SplitArgs(x)
			for _, p := range parts {
				d := decodeEscapes(p)
				if pos := equalsAt(d); pos >= 0 {
					add(strings.TrimSpace(d[:pos]))
				}
			}
		}
	}
	written(argsKW)
	written(actionVal)
	return order
}

func newStyleArgs(v any, action string) (map[string]any, error) {
	switch t := v.(type) {
	case *value.Dict:
		return t.Map(), nil
	case map[string]any:
		return t, nil
	case string:
		return ParseKV(t, freeFormActions[ShortName(action)])
	case value.Unsafe:
		return ParseKV(string(t), freeFormActions[ShortName(action)])
	case nil:
		return map[string]any{}, nil
	case int, float64, bool:
		return ParseKV(fmt.Sprint(t), freeFormActions[ShortName(action)])
	}
	return nil, fmt.Errorf("unexpected parameter type in action: %T", v)
}

func oldStyleArgs(v any) (string, map[string]any, error) {
	switch t := v.(type) {
	case string:
		name, rest, _ := strings.Cut(strings.TrimSpace(t), " ")
		if name == "" {
			return "", nil, fmt.Errorf("no module/action detected in task.")
		}
		args, err := ParseKV(strings.TrimSpace(rest), freeFormActions[ShortName(name)])
		return name, args, err
	case *value.Dict:
		m := t.Map()
		modv, ok := m["module"]
		if !ok {
			return "", nil, fmt.Errorf("no module/action detected in task.")
		}
		delete(m, "module")
		name, rest, _ := strings.Cut(strings.TrimSpace(fmt.Sprint(modv)), " ")
		kv, err := ParseKV(rest, freeFormActions[ShortName(name)])
		if err != nil {
			return "", nil, err
		}
		for k, x := range kv {
			m[k] = x
		}
		return name, m, nil
	}
	return "", nil, fmt.Errorf("unexpected parameter type in action: %T", v)
}

// mapNode is a YAML mapping decoded key by key, keeping positions.
type mapNode struct {
	pos    Pos
	keys   []string
	vals   map[string]any
	nodes  map[string]*yaml.Node
	keyPos map[string]Pos
}

func (m *mapNode) get(k string) (any, bool) {
	v, ok := m.vals[k]
	return v, ok
}

func (m *mapNode) has(k string) bool { _, ok := m.vals[k]; return ok }

func (l *Loader) mapping(doc *yamlx.Doc, n *yaml.Node) (*mapNode, error) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	m := &mapNode{pos: docPos(doc, n), vals: map[string]any{}, nodes: map[string]*yaml.Node{}, keyPos: map[string]Pos{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Value == "<<" {
			v, err := doc.DecodeNode(vn)
			if err != nil {
				return nil, err
			}
			if d, ok := v.(*value.Dict); ok {
				for _, k := range d.Keys() {
					if !m.has(k) {
						x, _ := d.Get(k)
						m.keys = append(m.keys, k)
						m.vals[k] = x
						m.keyPos[k] = docPos(doc, kn)
					}
				}
			}
			continue
		}
		k := kn.Value
		v, err := doc.DecodeNode(vn)
		if err != nil {
			return nil, err
		}
		if _, dup := m.vals[k]; dup {
			if !doc.JSON {
				// json.loads keeps the last value without a word.
				l.warn("While constructing a mapping from %s, line %d, column %d, found a duplicate dict key (%s). Using last defined value only.", doc.File, n.Line, n.Column, k)
			}
		} else {
			m.keys = append(m.keys, k)
		}
		m.vals[k] = v
		for vn.Kind == yaml.AliasNode {
			vn = vn.Alias
		}
		m.nodes[k] = vn
		m.keyPos[k] = docPos(doc, kn)
	}
	return m, nil
}

// docPos is the place of n in doc.
func docPos(doc *yamlx.Doc, n *yaml.Node) Pos {
	p := pos(doc.File, n)
	p.JSON = doc.JSON
	return p
}

func pos(file string, n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: file}
	}
	return Pos{File: file, Line: n.Line, Col: n.Column}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "<class 'dict'>"
	case yaml.ScalarNode:
		return "<class 'str'>"
	}
	return "<class 'list'>"
}

func describe(n *yaml.Node) string {
	return fmt.Sprintf("%s", kindName(n))
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// StringList reads a tags-like value: a list, or a comma-separated string.
func StringList(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			out = append(out, fmt.Sprint(x))
		}
	case string:
		for _, s := range strings.Split(t, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	case nil:
	default:
		out = append(out, fmt.Sprint(t))
	}
	return out
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// legacyInclude turns a task of the deprecated include action into what
// Ansible 2.14 runs: its k=v options beyond the file become vars of the
// included tasks, and it is an import_tasks when it is static (the file name
// is not a template and it has no loop, as helpers.load_list_of_tasks
// decides) or else an include_tasks. It reports whether it is static.
func legacyInclude(t *Task) bool {
	vars := value.NewDict()
	if v := value.ToDict(t.Attrs["vars"]); v != nil {
		vars = v.Copy()
	}
	for k, v := range t.Args {
		if k != "_raw_params" && k != "file" {
			vars.Set(k, v)
			delete(t.Args, k)
		}
	}
	if vars.Len() > 0 {
		t.Attrs["vars"] = vars
	}
	name, _ := t.Args["_raw_params"].(string)
	_, loop := t.Attrs["loop"]
	if s, ok := t.Attrs["static"]; ok {
		delete(t.Attrs, "static")
		if b, isBool := s.(bool); isBool && !loop {
			if b {
				t.Action = ActionImportTasks
			} else {
				t.Action = ActionIncludeTasks
			}
			return b
		}
	}
	if !loop && !strings.Contains(name, "{{") && !strings.Contains(name, "{%") {
		t.Action = ActionImportTasks
		return true
	}
	t.Action = ActionIncludeTasks
	return false
}
