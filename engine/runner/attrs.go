package runner

import (
	"gorun/engine/playbook"
	"gorun/engine/value"
)

// inherited returns a keyword's value for a task, looking at the task, then its
// enclosing blocks (and the imports and includes that made them), then its
// role's entry, then the play, as Ansible's FieldAttribute inheritance does.
func inherited(t *playbook.Task, play *playbook.Play, key string) (any, bool) {
	if v, ok := t.Attrs[key]; ok {
		return v, true
	}
	for b := t.Parent; b != nil; b = b.Parent {
		if v, ok := b.Attrs[key]; ok {
			return v, true
		}
		if b.From != nil {
			if v, ok := inherited(b.From, nil, key); ok {
				return v, true
			}
		}
	}
	for r := t.Role; r != nil; r = r.Parent {
		if v, ok := r.Attrs[key]; ok {
			return v, true
		}
	}
	if play != nil {
		if v, ok := play.Attrs[key]; ok {
			return v, true
		}
	}
	return nil, false
}

// inheritedAll is every value of a keyword along a task's chain (task,
// blocks and the includes that made them, roles, play), outermost first,
// for keywords Ansible extends rather than overrides (environment).
func inheritedAll(t *playbook.Task, play *playbook.Play, key string) []any {
	var inner []any // innermost first
	var walk func(t *playbook.Task)
	walk = func(t *playbook.Task) {
		if v, ok := t.Attrs[key]; ok {
			inner = append(inner, v)
		}
		for b := t.Parent; b != nil; b = b.Parent {
			if v, ok := b.Attrs[key]; ok {
				inner = append(inner, v)
			}
			if b.From != nil {
				walk(b.From)
			}
		}
	}
	walk(t)
	for r := t.Role; r != nil; r = r.Parent {
		if v, ok := r.Attrs[key]; ok {
			inner = append(inner, v)
		}
	}
	if play != nil {
		if v, ok := play.Attrs[key]; ok {
			inner = append(inner, v)
		}
	}
	out := make([]any, 0, len(inner))
	for i := len(inner) - 1; i >= 0; i-- {
		out = append(out, inner[i])
	}
	return out
}

// conditions gathers every `when` that applies to a task: the task's own and
// those of its blocks, imports and role entries (all must hold).
func conditions(t *playbook.Task) []any {
	var out []any
	add := func(v any, ok bool) {
		if !ok || v == nil {
			return
		}
		if l, isList := v.([]any); isList {
			out = append(out, l...)
		} else {
			out = append(out, v)
		}
	}
	var roleConds []any
	seenRoles := map[*playbook.Role]bool{}
	var collectRole func(r *playbook.Role)
	collectRole = func(r *playbook.Role) {
		for ; r != nil; r = r.Parent {
			if seenRoles[r] {
				return
			}
			seenRoles[r] = true
			if v, ok := r.Attrs["when"]; ok {
				if l, isList := v.([]any); isList {
					roleConds = append(roleConds, l...)
				} else {
					roleConds = append(roleConds, v)
				}
			}
		}
	}
	collectRole(t.Role)
	var chain []any
	for b := t.Parent; b != nil; b = b.Parent {
		v, ok := b.Attrs["when"]
		if ok {
			if l, isList := v.([]any); isList {
				chain = append(l, chain...)
			} else {
				chain = append([]any{v}, chain...)
			}
		}
		if b.From != nil {
			chain = append(conditions(b.From), chain...)
		}
	}
	out = append(out, roleConds...)
	out = append(out, chain...)
	add(t.Attrs["when"], true)
	return out
}

// taskTags is the set of tags a task has, with those inherited from blocks,
// imports, roles and the play.
func taskTags(t *playbook.Task, play *playbook.Play) map[string]bool {
	tags := map[string]bool{}
	addTags := func(v any) {
		for _, s := range playbook.StringList(v) {
			tags[s] = true
		}
	}
	addTags(t.Attrs["tags"])
	for b := t.Parent; b != nil; b = b.Parent {
		addTags(b.Attrs["tags"])
		if b.From != nil {
			for tag := range taskTags(b.From, nil) {
				tags[tag] = true
			}
		}
	}
	for r := t.Role; r != nil; r = r.Parent {
		addTags(r.Attrs["tags"])
	}
	if play != nil {
		addTags(play.Attrs["tags"])
		for _, tag := range play.ImportTags {
			tags[tag] = true
		}
	}
	return tags
}

// tagsSelect decides whether a task with these tags runs under --tags/--skip-tags,
// as Ansible's Taggable.evaluate_tags.
func tagsSelect(tags map[string]bool, only, skip []string) bool {
	if len(only) > 0 {
		run := false
		for _, o := range only {
			switch o {
			case "all":
				if !tags["never"] {
					run = true
				}
			case "tagged":
				if len(tags) > 0 && !tags["never"] {
					run = true
				}
			case "untagged":
				if len(tags) == 0 {
					run = true
				}
			default:
				if tags[o] {
					run = true
				}
			}
		}
		if tags["always"] {
			run = true
		}
		if !run {
			return false
		}
	} else if tags["never"] {
		return false
	}
	for _, s := range skip {
		switch s {
		case "all":
			if !tags["always"] || contains(skip, "always") {
				return false
			}
		case "tagged":
			if len(tags) > 0 {
				return false
			}
		case "untagged":
			if len(tags) == 0 {
				return false
			}
		default:
			if tags[s] {
				return false
			}
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// blockVars merges the vars: of a task's enclosing blocks (outermost first),
// then the task's own.
func blockVars(t *playbook.Task) (*value.Dict, *value.Dict) {
	var chain []*value.Dict
	for b := t.Parent; b != nil; b = b.Parent {
		if d := value.ToDict(b.Attrs["vars"]); d != nil {
			chain = append([]*value.Dict{d}, chain...)
		}
		if b.From != nil {
			if d := value.ToDict(b.From.Attrs["vars"]); d != nil {
				chain = append([]*value.Dict{d}, chain...)
			}
		}
	}
	blocks := value.NewDict()
	for _, d := range chain {
		for _, k := range d.Keys() {
			v, _ := d.Get(k)
			blocks.Set(k, v)
		}
	}
	return blocks, value.ToDict(t.Attrs["vars"])
}
