package runner

import (
	"context"
	"fmt"
	"sync"

	"gorun/engine/output"
	"gorun/engine/playbook"
)

// runBlocks runs blocks in order for the hosts. With the free strategy every
// host walks the blocks on its own; with linear they move in lockstep.
func (pr *playRun) runBlocks(ctx context.Context, blocks []*playbook.Block, hosts []*hostState) error {
	if pr.strategy != "linear" && len(hosts) > 1 {
		var wg sync.WaitGroup
		errs := make([]error, len(hosts))
		for i, h := range hosts {
			wg.Add(1)
			go func(i int, h *hostState) {
				defer wg.Done()
				errs[i] = pr.runBlocksFor(ctx, blocks, []*hostState{h})
			}(i, h)
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}
	return pr.runBlocksFor(ctx, blocks, hosts)
}

func (pr *playRun) runBlocksFor(ctx context.Context, blocks []*playbook.Block, hosts []*hostState) error {
	for _, b := range blocks {
		if err := pr.runBlock(ctx, b, hosts); err != nil {
			return err
		}
	}
	return nil
}

// live filters hosts that can still run tasks.
func live(hosts []*hostState) []*hostState {
	var out []*hostState
	for _, h := range hosts {
		if !h.failed && !h.unreachable && !h.ended {
			out = append(out, h)
		}
	}
	return out
}

// runBlock runs a block's tasks, then rescue for the hosts that failed in it,
// then always for every host that entered the block.
func (pr *playRun) runBlock(ctx context.Context, b *playbook.Block, hosts []*hostState) error {
	entered := live(hosts)
	if len(entered) == 0 || pr.endPlay {
		return nil
	}
	if len(b.Rescue) > 0 {
		for _, h := range entered {
			h.rescuable++
		}
	}
	err := pr.runItems(ctx, b.Block, entered)
	if len(b.Rescue) > 0 {
		for _, h := range entered {
			h.rescuable--
		}
	}
	if err != nil {
		return err
	}
	if len(b.Rescue) > 0 {
		var rescue []*hostState
		for _, h := range entered {
			if h.failed && !h.unreachable {
				h.failed = false
				rescue = append(rescue, h)
			}
		}
		if len(rescue) > 0 {
			if err := pr.runItems(ctx, b.Rescue, rescue); err != nil {
				return err
			}
		}
	}
	if len(b.Always) > 0 {
		var always []*hostState
		wasFailed := map[*hostState]bool{}
		for _, h := range entered {
			if h.unreachable || h.ended {
				continue
			}
			wasFailed[h] = h.failed
			h.failed = false
			always = append(always, h)
		}
		err := pr.runItems(ctx, b.Always, always)
		for h, f := range wasFailed {
			if f {
				h.failed = true
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (pr *playRun) runItems(ctx context.Context, items []playbook.Item, hosts []*hostState) error {
	for _, it := range items {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if pr.endPlay {
			return nil
		}
		active := live(hosts)
		if len(active) == 0 {
			return nil
		}
		switch t := it.(type) {
		case *playbook.Block:
			if err := pr.runBlock(ctx, t, active); err != nil {
				return err
			}
		case *playbook.Task:
			if err := pr.runTask(ctx, t, active); err != nil {
				return err
			}
			pr.afterTask(t, active)
		case *playbook.RoleUse:
			seen := map[string]bool{}
			if err := pr.runRole(ctx, t.Role, active, seen); err != nil {
				return err
			}
		default:
			return fmt.Errorf("internal error: unknown item %T", it)
		}
	}
	return nil
}

// collectHandlers gathers the play's handlers and its roles' handlers in the
// order Ansible searches them.
func (pr *playRun) collectHandlers() {
	var walk func(items []playbook.Item)
	walk = func(items []playbook.Item) {
		for _, it := range items {
			switch t := it.(type) {
			case *playbook.Task:
				pr.handlers = append(pr.handlers, t)
			case *playbook.Block:
				walk(t.Block)
				walk(t.Rescue)
				walk(t.Always)
			case *playbook.RoleUse:
				for _, rl := range flattenRoles(t.Role) {
					for _, b := range rl.Handlers {
						walk([]playbook.Item{b})
					}
				}
			}
		}
	}
	for _, rl := range pr.playRoles {
		for _, b := range rl.Handlers {
			walk([]playbook.Item{b})
		}
	}
	for _, b := range pr.play.Handlers {
		walk([]playbook.Item{b})
	}
	// Roles imported in tasks bring their handlers too.
	for _, sec := range [][]*playbook.Block{pr.play.PreTasks, pr.play.Tasks, pr.play.PostTasks} {
		for _, b := range sec {
			pr.collectRoleHandlers(b.Block)
		}
	}
}

func (pr *playRun) collectRoleHandlers(items []playbook.Item) {
	for _, it := range items {
		switch t := it.(type) {
		case *playbook.Block:
			pr.collectRoleHandlers(t.Block)
			pr.collectRoleHandlers(t.Rescue)
			pr.collectRoleHandlers(t.Always)
		case *playbook.RoleUse:
			for _, rl := range flattenRoles(t.Role) {
				for _, b := range rl.Handlers {
					pr.addHandlerBlock(b)
				}
			}
		}
	}
}

func (pr *playRun) addHandlerBlock(b *playbook.Block) {
	for _, it := range b.Block {
		if t, ok := it.(*playbook.Task); ok {
			pr.mu.Lock()
			dup := false
			for _, existing := range pr.handlers {
				if existing == t {
					dup = true
				}
			}
			if !dup {
				pr.handlers = append(pr.handlers, t)
			}
			pr.mu.Unlock()
		}
	}
}

// notify marks the handlers a changed task names as pending for a host: the
// last handler loaded with that name (Ansible's search_handler_blocks_by_name
// searches in reverse), and every handler listening to it.
func (pr *playRun) notify(h *hostState, names []string, vars map[string]any) error {
	mark := func(hd *playbook.Task) {
		h.mu.Lock()
		h.notified[hd] = true
		h.mu.Unlock()
		pr.r.emit(func(cb output.Callback) { cb.Notified(hd.DisplayName(), h.name) })
	}
	for _, name := range names {
		found := false
		for i := len(pr.handlers) - 1; i >= 0; i-- {
			if hd := pr.handlers[i]; pr.handlerNamed(hd, name, vars) {
				found = true
				mark(hd)
				break
			}
		}
		for _, hd := range pr.handlers {
			if handlerListens(hd, name) {
				found = true
				mark(hd)
			}
		}
		if !found {
			return fmt.Errorf("The requested handler '%s' was not found in either the main handlers list nor in the listening handlers list", name)
		}
	}
	return nil
}

// handlerNamed reports whether a handler's name, plain or prefixed with its
// role ("role : name"), is the notification.
func (pr *playRun) handlerNamed(hd *playbook.Task, name string, vars map[string]any) bool {
	hn := hd.Name()
	if hn == "" {
		return false
	}
	if rendered, err := pr.r.opts.Templates.RenderString(hn, ctxFor(vars, nil)); err == nil {
		hn = rendered
	}
	return hn == name || (hd.Role != nil && hd.Role.Name+" : "+hn == name)
}

// handlerListens reports whether a handler listens to the notification.
func handlerListens(hd *playbook.Task, name string) bool {
	for _, l := range hd.Listen {
		if l == name {
			return true
		}
	}
	return false
}

// flushHandlers runs notified handlers, in definition order, on the hosts
// that notified them (failed hosts only with force_handlers).
func (pr *playRun) flushHandlers(ctx context.Context) error {
	force := false
	if v, ok := pr.play.Attrs["force_handlers"]; ok {
		force = truthy(v)
	}
	for round := 0; round < 100; round++ {
		ran := false
		for _, hd := range pr.handlers {
			var hosts []*hostState
			for _, h := range pr.batch {
				h.mu.Lock()
				pending := h.notified[hd]
				if pending {
					delete(h.notified, hd)
				}
				h.mu.Unlock()
				if !pending || h.unreachable || h.ended || (h.failed && !force) {
					continue
				}
				hosts = append(hosts, h)
			}
			if len(hosts) == 0 {
				continue
			}
			ran = true
			if err := pr.runTask(ctx, hd, hosts); err != nil {
				return err
			}
		}
		if !ran {
			return nil
		}
	}
	return nil
}
