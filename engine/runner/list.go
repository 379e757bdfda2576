package runner

import (
	"fmt"
	"sort"
	"strings"

	"gorun/engine/playbook"
)

// ListPlay renders --list-hosts, --list-tasks and --list-tags for one play as
// ansible-playbook prints them. Nothing connects to a host.
func ListPlay(opts Options, play *playbook.Play, n int, hosts, tasks, tags bool) ([]string, error) {
	r := New(opts)
	tctx := r.playContext(play)
	pattern, err := hostPattern(play.Attrs["hosts"], r, tctx)
	if err != nil {
		return nil, err
	}
	name := play.Name()
	if name != "" {
		if s, err := opts.Templates.RenderString(name, tctx); err == nil {
			name = s
		}
	} else {
		name = pattern
	}
	playTags := playbook.StringList(play.Attrs["tags"])
	patterns := strings.Split(pattern, ",")
	msg := fmt.Sprintf("\n  play #%d (%s): %s\tTAGS: [%s]", n, strings.Join(patterns, ","), name, strings.Join(playTags, ","))
	if hosts {
		names, err := r.selectHosts(pattern)
		if err != nil {
			return nil, err
		}
		msg += fmt.Sprintf("\n    pattern: %s\n    hosts (%d):", pyList(patterns), len(names))
		for _, h := range names {
			msg += "\n      " + h
		}
	}
	lines := []string{msg}
	if !tasks && !tags {
		return lines, nil
	}
	var b strings.Builder
	if tasks {
		b.WriteString("    tasks:\n")
	}
	allTags := map[string]bool{}
	for _, t := range compileTasks(play) {
		tt := taskTags(t, play)
		if !tagsSelect(tt, opts.Tags, opts.SkipTags) {
			continue
		}
		for k := range tt {
			allTags[k] = true
		}
		if tasks {
			cur := map[string]bool{}
			for _, pt := range playTags {
				cur[pt] = true
			}
			for k := range tt {
				cur[k] = true
			}
			name := t.Action
			if t.Name() != "" {
				// Task.get_name: the name as written, after the role's
				// name (not for include_role, which names itself).
				name = t.Name()
				if t.Role != nil && playbook.ShortName(t.Action) != playbook.ActionIncludeRole {
					name = t.Role.Name + " : " + name
				}
			}
			fmt.Fprintf(&b, "      %s\tTAGS: [%s]\n", name, strings.Join(sortedSet(cur), ", "))
		}
	}
	if tags {
		for _, pt := range playTags {
			allTags[pt] = true
		}
		fmt.Fprintf(&b, "      TASK TAGS: [%s]\n", strings.Join(sortedSet(allTags), ", "))
	}
	// Ansible's display adds a newline only to text that lacks one.
	lines = append(lines, strings.TrimSuffix(b.String(), "\n"))
	return lines, nil
}

// compileTasks flattens a play's static tasks as ansible-playbook
// --list-tasks walks play.compile(): pre_tasks, every role (dependencies
// first, repeated as often as they appear: duplicates are only skipped at run
// time), tasks, post_tasks; the block: part of blocks only; explicit meta
// tasks too.
func compileTasks(play *playbook.Play) []*playbook.Task {
	var out []*playbook.Task
	var items func([]playbook.Item)
	role := func(rl *playbook.Role) {
		for _, r := range flattenRoles(rl) {
			for _, b := range r.Tasks {
				items([]playbook.Item{b})
			}
		}
	}
	items = func(list []playbook.Item) {
		for _, it := range list {
			switch t := it.(type) {
			case *playbook.Task:
				out = append(out, t)
			case *playbook.Block:
				items(t.Block)
			case *playbook.RoleUse:
				role(t.Role)
			}
		}
	}
	blocks := func(bs []*playbook.Block) {
		for _, b := range bs {
			items([]playbook.Item{b})
		}
	}
	blocks(play.PreTasks)
	for _, rl := range play.Roles {
		role(rl)
	}
	blocks(play.Tasks)
	blocks(play.PostTasks)
	return out
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// pyList formats strings as Python's repr of a list: ['a', 'b'].
func pyList(s []string) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = "'" + x + "'"
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
