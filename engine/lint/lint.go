// Package lint finds what can be known wrong in playbooks before connecting
// to any host: YAML and playbook syntax errors, unknown modules and options,
// invalid literal task arguments, undefined roles and task files, missing
// templates and files, and handlers notified but not defined.
//
// The playbook loader rejects YAML and playbook syntax errors, undefined
// roles of roles:/import_role and missing import_tasks files; those come
// back as one finding per playbook (the loader stops at the first).
// Everything else, unknown modules included, is checked on the loaded
// tree, so one run reports all of it.
package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/playbook"
	"gorun/engine/value"
)

// Finding is one problem, at a place in a file.
type Finding struct {
	Pos playbook.Pos
	// Check names the kind of problem ("syntax", "module-args",
	// "unknown-module", "missing-file", "undefined-role", "missing-tasks-file",
	// "undefined-handler").
	Check string
	Msg   string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", f.Pos.File, f.Pos.Line, f.Pos.Col, f.Msg)
}

// Linter checks playbooks with a loader configured as for a run.
type Linter struct {
	Loader *playbook.Loader
}

// Playbook loads path and returns its findings, sorted by place.
//
// Unknown modules do not stop the load: the loader's KnownAction is
// wrapped to accept them and remember their names, and every task using
// one is reported, so one lint run lists them all.
func (l *Linter) Playbook(path string) []Finding {
	unknown := map[string]bool{}
	if known := l.Loader.KnownAction; known != nil {
		l.Loader.KnownAction = func(name string, collections []string) bool {
			if !known(name, collections) {
				unknown[name] = true
			}
			return true
		}
		defer func() { l.Loader.KnownAction = known }()
	}
	pb, err := l.Loader.LoadPlaybook(path)
	if err != nil {
		return []Finding{loadFinding(path, err)}
	}
	c := &checker{l: l, seen: map[string]bool{}, unknown: unknown}
	for _, play := range pb.Plays {
		c.play(play)
	}
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i].Pos, c.out[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return c.out
}

// loadFinding turns a loader error into a finding at its place.
func loadFinding(path string, err error) Finding {
	var pe *playbook.Error
	if errors.As(err, &pe) && pe.Pos.File != "" {
		return Finding{Pos: pe.Pos, Check: "syntax", Msg: oneLine(pe.Msg)}
	}
	return Finding{Pos: playbook.Pos{File: path, Line: 1, Col: 1}, Check: "syntax", Msg: oneLine(err.Error())}
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return strings.Join(strings.Fields(s), " ")
}

type checker struct {
	l    *Linter
	out  []Finding
	seen map[string]bool // tasks already checked (a role used twice)
	// handlers are the names and listen topics of the current play's handlers.
	handlers map[string]bool
	notifies []notify
	playDir  string
	unknown  map[string]bool // actions no module or action plugin provides
}

type notify struct {
	pos  playbook.Pos
	name string
}

func (c *checker) add(p playbook.Pos, check, format string, args ...any) {
	c.out = append(c.out, Finding{Pos: p, Check: check, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) play(p *playbook.Play) {
	c.handlers, c.notifies, c.playDir = map[string]bool{}, nil, p.Dir
	c.blocks(p.PreTasks)
	for _, r := range p.Roles {
		c.role(r)
	}
	c.blocks(p.Tasks)
	c.blocks(p.PostTasks)
	c.blocks(p.Handlers)
	for _, n := range c.notifies {
		if !c.handlers[n.name] {
			c.add(n.pos, "undefined-handler", "The requested handler '%s' was not found in either the main handlers list nor in the listening handlers list", n.name)
		}
	}
}

func (c *checker) role(r *playbook.Role) {
	for _, d := range r.Deps {
		c.role(d)
	}
	c.blocks(r.Tasks)
	c.blocks(r.Handlers)
}

func (c *checker) blocks(bs []*playbook.Block) {
	for _, b := range bs {
		c.block(b)
	}
}

func (c *checker) block(b *playbook.Block) {
	for _, list := range [][]playbook.Item{b.Block, b.Rescue, b.Always} {
		for _, it := range list {
			switch x := it.(type) {
			case *playbook.Block:
				c.block(x)
			case *playbook.Task:
				c.task(x)
			case *playbook.RoleUse:
				c.role(x.Role)
			}
		}
	}
}

func (c *checker) task(t *playbook.Task) {
	key := fmt.Sprintf("%s:%d:%d", t.Pos.File, t.Pos.Line, t.Pos.Col)
	if t.Handler {
		c.handler(t)
	}
	for _, n := range value.Strings(t.Attrs["notify"]) {
		if !templated(n) {
			c.notifies = append(c.notifies, notify{t.Pos, n})
		}
	}
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	if c.unknown[t.Action] {
		c.add(t.Pos, "unknown-module", "couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, or incorrect module path.", t.Action)
		return
	}
	short := playbook.ShortName(t.Action)
	switch short {
	case playbook.ActionIncludeRole:
		c.includeRole(t)
		return
	case "include_tasks", "import_tasks", "include", "import_role", "import_playbook", "meta":
		if short == "include_tasks" || short == "include" {
			c.includeTasks(t)
		}
		return
	}
	c.args(t)
	c.sourceFile(t, short)
}

// handler records a handler's names: its name, "role : name", its topics.
func (c *checker) handler(t *playbook.Task) {
	if n := t.Name(); n != "" {
		c.handlers[n] = true
		if t.Role != nil {
			c.handlers[t.Role.Name+" : "+n] = true
		}
	}
	for _, l := range t.Listen {
		c.handlers[l] = true
	}
	if t.Name() != "" && templated(t.Name()) {
		// A templated handler name may match anything; do not report notifies.
		c.handlers[""] = true
	}
}

// args validates literal arguments against the module's spec.
func (c *checker) args(t *playbook.Task) {
	m, ok := module.Lookup(t.Action)
	if !ok || len(t.Args) == 0 || anyTemplated(t.Args) {
		return
	}
	if _, err := m.Doc().Validate(t.Args); err != nil {
		c.add(t.Pos, "module-args", "%s: %v", t.Action, err)
	}
}

// sourceKinds are the actions reading a controller file given by src, and
// the role subdirectory they search first.
var sourceKinds = map[string]string{"copy": "files", "template": "templates", "script": "files", "unarchive": "files"}

// sourceFile reports a src (or script) that no search location holds.
func (c *checker) sourceFile(t *playbook.Task, short string) {
	kind, ok := sourceKinds[short]
	if !ok || truthy(t.Args["remote_src"]) {
		return
	}
	key := "src"
	if short == "script" {
		key = "_raw_params"
		if _, ok := t.Args["cmd"]; ok {
			key = "cmd"
		}
	}
	src, _ := t.Args[key].(string)
	if short == "script" {
		src = strings.Fields(src + " ")[0]
	}
	if src == "" || templated(src) || (short == "unarchive" && strings.Contains(src, "://")) {
		return
	}
	if short == "copy" && strings.HasSuffix(src, "/") {
		src = strings.TrimSuffix(src, "/")
	}
	if _, err := Find(t, c.l.Loader.PlaybookDir, kind, src); err != nil {
		c.add(t.Pos, "missing-file", "%s: could not find %s '%s' on the controller", t.Action, strings.TrimSuffix(kind, "s"), src)
	}
}

// includeRole reports an include_role whose literal name no roles path holds.
func (c *checker) includeRole(t *playbook.Task) {
	name, _, err := playbook.RoleOptionsFromArgs(t.Args)
	if err != nil {
		c.add(t.Pos, "syntax", "%v", err)
		return
	}
	if name == "" || templated(name) {
		return
	}
	if _, _, err := c.l.Loader.FindRole(name, filepath.Dir(t.Pos.File)); err != nil {
		c.add(t.Pos, "undefined-role", "the role '%s' was not found", name)
	}
}

// includeTasks reports an include_tasks whose literal file does not exist.
func (c *checker) includeTasks(t *playbook.Task) {
	name, _ := t.Args["_raw_params"].(string)
	if name == "" {
		name, _ = t.Args["file"].(string)
	}
	if name == "" || templated(name) {
		return
	}
	if _, err := c.l.Loader.ResolveTasksPath(name, t); err != nil {
		c.add(t.Pos, "missing-tasks-file", "include_tasks: could not find '%s'", name)
	}
}

// Find searches for a controller file as the runner does (Ansible's
// path_dwim_relative_stack): the role's KIND/ and root, the task file's
// directory, then the playbook's directory.
func Find(t *playbook.Task, playbookDir, kind, name string) (string, error) {
	if filepath.IsAbs(name) {
		if _, err := os.Stat(name); err != nil {
			return "", err
		}
		return name, nil
	}
	var cands []string
	if t.Role != nil {
		cands = append(cands, filepath.Join(t.Role.Path, kind, name), filepath.Join(t.Role.Path, name))
	}
	if t.Pos.File != "" {
		dir := filepath.Dir(t.Pos.File)
		cands = append(cands, filepath.Join(dir, kind, name), filepath.Join(dir, name))
	}
	if playbookDir != "" {
		cands = append(cands, filepath.Join(playbookDir, kind, name), filepath.Join(playbookDir, name))
	}
	for _, p := range cands {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("could not find %s", name)
}

func templated(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%")
}

// anyTemplated reports whether any string inside v holds a template.
func anyTemplated(v any) bool {
	switch x := v.(type) {
	case string:
		return templated(x)
	case []any:
		for _, e := range x {
			if anyTemplated(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if anyTemplated(e) {
				return true
			}
		}
	default:
		if value.IsMapping(v) {
			for _, k := range value.Keys(v) {
				if e, _ := value.Lookup(v, k); anyTemplated(e) {
					return true
				}
			}
		}
	}
	return false
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		switch strings.ToLower(x) {
		case "yes", "true", "on", "1", "y":
			return true
		}
	}
	return false
}
