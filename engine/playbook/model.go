// Package playbook reads playbooks, task files and roles into typed plays,
// blocks, tasks and roles, each with the file, line and column it came from.
// It resolves everything that Ansible resolves at parse time (import_playbook,
// import_tasks, import_role, roles: and their dependencies, action forms and
// module names) and leaves keyword values untemplated for the runner.
package playbook

import (
	"gorun/engine/value"
)

// Attrs are an object's keywords as written (not yet templated).
type Attrs map[string]any

// Playbook is a playbook file with its imports expanded.
type Playbook struct {
	File string // absolute path
	// Given is the path as the command line gave it (Ansible's messages show it).
	Given string
	Plays []*Play
}

// Play is one play.
type Play struct {
	Pos   Pos
	Attrs Attrs // hosts, name, gather_facts, become, serial, strategy, ...
	// Vars is the play's vars: section.
	Vars *value.Dict
	// PreTasks, Tasks, PostTasks and Handlers are the task lists, as blocks.
	PreTasks, Tasks, PostTasks, Handlers []*Block
	// Roles are the roles: section, each already holding its dependencies.
	Roles []*Role
	// Dir is the directory of the playbook file the play is in (playbook_dir is
	// that of the top playbook; this one is for relative paths).
	Dir string
	// ImportWhen and ImportVars come from the import_playbook that brought the play in.
	ImportWhen []any
	ImportVars *value.Dict
	ImportTags []string
}

// Name returns the play's name as written, or "" when it has none.
func (p *Play) Name() string {
	s, _ := p.Attrs["name"].(string)
	return s
}

// Item is an entry of a task list: a *Task or a *Block.
type Item interface {
	parent() *Block
	position() Pos
}

// Block is a block: section, or the implicit block Ansible wraps around task lists,
// or the wrapper holding what an import_tasks/import_role brought in.
type Block struct {
	Pos   Pos
	Attrs Attrs
	// Parent is the enclosing block; nil for a top-level block of a play.
	Parent *Block
	// Role is the role the block belongs to, nil for play tasks.
	Role *Role
	// Block, Rescue and Always are the sections.
	Block, Rescue, Always []Item
	// Implicit marks a wrapper that is not a block: in the source (a play's task
	// list, an included file, an import). Implicit blocks carry the keywords of the
	// import that made them.
	Implicit bool
	// Handlers marks blocks of handlers.
	Handlers bool
	// From is the include/import task that loaded this block, for inheritance.
	From *Task
}

func (b *Block) parent() *Block  { return b.Parent }
func (b *Block) position() Pos   { return b.Pos }
func (t *Task) parent() *Block   { return t.Parent }
func (t *Task) position() Pos    { return t.Pos }
func (t *Task) String() string   { return t.DisplayName() }
func (b *Block) String() string  { return "block@" + b.Pos.String() }
func (b *Block) IsBlockKW() bool { return !b.Implicit }

// Task is one task or handler.
type Task struct {
	Pos   Pos
	Attrs Attrs // every keyword except the action
	// Action is the module or action name as written ("copy", "ansible.builtin.copy").
	Action string
	// Args are the action's arguments as written (untemplated); free-form text is "_raw_params".
	Args map[string]any
	// ArgOrder are the keys of Args in the order the task wrote them
	// (Ansible templates the arguments in that order, so the first
	// undefined variable it names is the first written).
	ArgOrder []string
	// LoopWith is the lookup of a with_<lookup> loop ("items", "dict", ...); the loop
	// terms are Attrs["loop"] in both forms.
	LoopWith string
	Parent   *Block
	Role     *Role
	Handler  bool
	// Listen are the topics a handler listens to.
	Listen []string
}

// Name returns the task's name keyword as written.
func (t *Task) Name() string {
	s, _ := t.Attrs["name"].(string)
	return s
}

// DisplayName is the name Ansible shows for the task: its name, or the
// action; an include_role without a name shows "ACTION : ROLE"
// (IncludeRole.get_name).
func (t *Task) DisplayName() string {
	if n := t.Name(); n != "" {
		return n
	}
	if ShortName(t.Action) == ActionIncludeRole {
		if role, ok := t.Args["name"].(string); ok {
			return t.Action + " : " + role
		}
	}
	return t.Action
}

// Role is one use of a role in a play (roles: entry, dependency, import_role or include_role).
type Role struct {
	Name string // as Ansible reports role_name
	Path string // the role's directory
	// Attrs are the keywords of the roles: entry or include (when, tags, become, vars, ...).
	Attrs Attrs
	// Params are the role parameters (non-keyword keys of the roles: entry) .
	Params *value.Dict
	// Vars is the entry's vars: keyword.
	EntryVars *value.Dict
	// Defaults and Vars are the role's defaults/ and vars/ files.
	Defaults, Vars *value.Dict
	// Tasks and Handlers are the role's task and handler blocks.
	Tasks, Handlers []*Block
	// Deps are the meta/main.yml dependencies, in order.
	Deps []*Role
	// Parent is the role that depends on this one or whose tasks include it.
	Parent *Role
	// Included marks a role brought in by include_role/import_role (not a
	// dependency): only those see ansible_parent_role_names, as in Ansible.
	Included bool
	// AllowDuplicates is meta/main.yml's allow_duplicates or the include's option.
	AllowDuplicates bool
	// Public: the role's vars and defaults are visible to the rest of the play.
	Public bool
	// ArgumentSpecs is meta/argument_specs.yml, keyed by entry point.
	ArgumentSpecs *value.Dict
	// EntryPoint is the tasks file name used ("main").
	EntryPoint string
	// Collections is the role's collection search list, as Role sets
	// it: its own collection when it lives in one, then meta/main.yml's
	// collections, then ansible.builtin (ansible.legacy for a role outside
	// collections) when neither is listed. Its tasks resolve short module
	// and role names through it.
	Collections []string
}

// ParentRoles returns the roles behind ansible_parent_role_names: the
// roles whose tasks included this one, innermost first (Ansible's
// IncludeRole.get_include_params). A role that is not included has none.
func (r *Role) ParentRoles() []*Role {
	var out []*Role
	for c := r; c.Included && c.Parent != nil; c = c.Parent {
		out = append(out, c.Parent)
	}
	return out
}
