package runner

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/value"
)

// inclusion is one include_tasks/include_role outcome shared by hosts that
// resolved it the same way (same file and loop item), as Ansible's IncludedFile.
type inclusion struct {
	key     string
	file    string
	roleArg map[string]any
	item    any
	hasItem bool
	loopVar string
	// apply are the include's apply: keywords, for the included tasks.
	apply *value.Dict
	hosts []*hostState
}

// runInclude evaluates an include on each host and runs what it brings in.
func (pr *playRun) runInclude(ctx context.Context, t *playbook.Task, hosts []*hostState) error {
	r := pr.r
	info := pr.taskInfo(t, hosts...)
	r.emit(func(cb output.Callback) { cb.TaskStart(info) })
	isRole := playbook.ShortName(t.Action) == playbook.ActionIncludeRole

	var mu sync.Mutex
	var order []*inclusion
	byKey := map[string]*inclusion{}
	add := func(h *hostState, file string, roleArgs map[string]any, item any, hasItem bool, loopVar string, apply *value.Dict) {
		key := fmt.Sprintf("%s|%v|%v", file, hasItem, value.ToDict(map[string]any{"i": item}))
		mu.Lock()
		defer mu.Unlock()
		inc, ok := byKey[key]
		if !ok {
			inc = &inclusion{key: key, file: file, roleArg: roleArgs, item: item, hasItem: hasItem, loopVar: loopVar, apply: apply}
			byKey[key] = inc
			order = append(order, inc)
		}
		inc.hosts = append(inc.hosts, h)
	}

	var wg sync.WaitGroup
	for _, h := range hosts {
		wg.Add(1)
		go func(h *hostState) {
			defer wg.Done()
			vars := r.vars(h, scope{pr: pr, task: t})
			res := &output.Result{Task: info, Host: h.name}
			items := []any{nil}
			_, hasLoop := t.Attrs["loop"]
			loopVar := "item"
			if lc := value.ToDict(t.Attrs["loop_control"]); lc != nil {
				if lv, ok := lc.Get("loop_var"); ok {
					loopVar = fmt.Sprint(lv)
				}
			}
			if hasLoop {
				var err error
				if items, err = pr.loopItems(t, vars); err != nil {
					pr.finishResult(t, h, vars, map[string]any{"failed": true, "msg": err.Error()}, res)
					return
				}
			}
			included := false
			for _, item := range items {
				iv := vars
				if hasLoop {
					iv = copyMap(vars)
					iv[loopVar] = item
				}
				ok, err := pr.evalWhen(t, iv)
				if err != nil {
					pr.finishResult(t, h, vars, map[string]any{"failed": true, "msg": err.Error()}, res)
					return
				}
				if !ok {
					continue
				}
				args, err := r.opts.Templates.Template(toAnyMap(t.Args), ctxFor(iv, t))
				if err != nil {
					pr.finishResult(t, h, vars, map[string]any{"failed": true, "msg": err.Error()}, res)
					return
				}
				am := value.ToDict(args).Map()
				var apply *value.Dict
				if a, ok := am["apply"]; ok {
					if apply = value.ToDict(a); apply == nil {
						pr.finishResult(t, h, vars, map[string]any{"failed": true, "msg": "Expected a dict for apply but got " + fmt.Sprintf("%T", a)}, res)
						return
					}
					delete(am, "apply")
				}
				if isRole {
					add(h, "", am, item, hasLoop, loopVar, apply)
				} else {
					name := fmt.Sprint(am["_raw_params"])
					if f, ok := am["file"]; ok {
						name = fmt.Sprint(f)
					}
					path, err := r.opts.Loader.ResolveTasksPath(name, t)
					if err != nil {
						pr.finishResult(t, h, vars, map[string]any{"failed": true, "msg": err.Error()}, res)
						return
					}
					add(h, path, nil, item, hasLoop, loopVar, apply)
				}
				included = true
			}
			if !included {
				pr.finishResult(t, h, vars, map[string]any{"changed": false, "skipped": true, "skip_reason": "Conditional result was False"}, res)
				return
			}
			// An include that ran is not counted in the recap: Ansible's
			// _process_pending_results counts ok only for non-TaskInclude tasks.
		}(h)
	}
	wg.Wait()

	// Hosts are listed in play order, whatever order they finished in.
	rank := map[*hostState]int{}
	for i, h := range hosts {
		rank[h] = i
	}
	for _, inc := range order {
		sort.SliceStable(inc.hosts, func(i, j int) bool { return rank[inc.hosts[i]] < rank[inc.hosts[j]] })
	}
	if isRole {
		for _, inc := range order {
			if err := pr.runIncludedRole(ctx, t, inc); err != nil {
				return err
			}
		}
		return nil
	}
	// Every file is loaded and announced before any runs, as the linear
	// strategy loads all included files of a task, then runs them.
	blocks := make([]*playbook.Block, len(order))
	for i, inc := range order {
		names := make([]string, len(inc.hosts))
		for j, h := range inc.hosts {
			names[j] = h.name
		}
		wrapper, err := r.opts.Loader.LoadTasksFile(inc.file, t)
		if err != nil {
			return err
		}
		if len(wrapper.Block) > 0 {
			// Each included file counts as ok for its hosts, as in Ansible's
			// _load_included_file (which skips an empty file).
			for _, h := range inc.hosts {
				st := r.stat(h.name)
				r.mu.Lock()
				st.OK++
				r.mu.Unlock()
			}
		}
		inc := inc
		r.emit(func(cb output.Callback) { cb.Included(inc.file, names, inc.item, inc.hasItem) })
		if inc.hasItem {
			wrapper.Attrs["vars"] = value.DictOf(inc.loopVar, inc.item)
		}
		blocks[i] = applied(wrapper, inc.apply)
	}
	for i, inc := range order {
		if err := pr.runBlock(ctx, blocks[i], inc.hosts); err != nil {
			return err
		}
	}
	return nil
}

func (pr *playRun) runIncludedRole(ctx context.Context, t *playbook.Task, inc *inclusion) error {
	r := pr.r
	name, opts, err := playbook.RoleOptionsFromArgs(inc.roleArg)
	if err != nil {
		return err
	}
	e := playbook.RoleEntry{Pos: t.Pos, Name: name, Attrs: playbook.Attrs{}, Params: value.NewDict()}
	if v, ok := t.Attrs["vars"]; ok {
		e.Vars = value.ToDict(v)
	}
	if inc.hasItem {
		if e.Vars == nil {
			e.Vars = value.NewDict()
		} else {
			e.Vars = e.Vars.Copy()
		}
		e.Vars.Set(inc.loopVar, inc.item)
	}
	role, err := r.opts.Loader.LoadRole(e, t.Role, opts)
	if err != nil {
		return err
	}
	role.Included = true
	for _, rl := range flattenRoles(role) {
		for _, b := range rl.Handlers {
			pr.addHandlerBlock(b)
		}
		if opts.Public {
			pr.playRoles = append(pr.playRoles, rl)
		}
	}
	wrapper := &playbook.Block{Pos: t.Pos, Attrs: playbook.Attrs{}, Parent: t.Parent, Role: t.Role, Implicit: true, From: t}
	wrapper.Block = append(wrapper.Block, &playbook.RoleUse{Pos: t.Pos, Role: role, Parent: wrapper})
	return pr.runBlock(ctx, applied(wrapper, inc.apply), inc.hosts)
}

// applied puts what an include brought in under a block holding the
// include's apply: keywords, as Ansible's TaskInclude.build_parent_block
// does. Without apply it returns the wrapper unchanged.
func applied(wrapper *playbook.Block, apply *value.Dict) *playbook.Block {
	if apply == nil {
		return wrapper
	}
	attrs := playbook.Attrs{}
	for _, k := range apply.Keys() {
		attrs[k], _ = apply.Get(k)
	}
	b := &playbook.Block{Pos: wrapper.Pos, Attrs: attrs, Parent: wrapper.Parent, Role: wrapper.Role}
	wrapper.Parent = b
	b.Block = []playbook.Item{wrapper}
	return b
}

func toAnyMap(m map[string]any) *value.Dict {
	d := value.NewDict(len(m))
	for _, k := range value.Keys(m) {
		d.Set(k, m[k])
	}
	return d
}
