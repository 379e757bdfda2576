package runner

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/value"
)

// runMeta performs a meta: action, which changes the run rather than a host.
func (pr *playRun) runMeta(ctx context.Context, t *playbook.Task, hosts []*hostState) error {
	r := pr.r
	action := strings.TrimSpace(fmt.Sprint(t.Args["_raw_params"]))
	// The strategy executes a meta task host by host, each with its own
	// banner and no recap count; all but these few run for the first host
	// only and act on the whole play (Ansible's run_once for metas).
	switch action {
	case "noop", "reset_connection", "end_host", "role_complete", "flush_handlers":
	default:
		if len(hosts) > 1 {
			hosts = hosts[:1]
		}
	}
	info := pr.taskInfo(t)
	// These three ignore "when" and say so, as Ansible's _execute_meta.
	unconditional := action == "noop" || action == "refresh_inventory" || action == "reset_connection"
	_, hasWhen := t.Attrs["when"]
	var matching []*hostState
	for _, h := range hosts {
		r.emit(func(cb output.Callback) { cb.TaskStart(info) })
		if unconditional {
			if hasWhen {
				r.emit(func(cb output.Callback) { cb.Warning(action + " task does not support when conditional") })
			}
			matching = append(matching, h)
			continue
		}
		vars := r.vars(h, scope{pr: pr, task: t})
		ok, err := pr.evalWhen(t, vars)
		if err != nil {
			return err
		}
		if ok {
			matching = append(matching, h)
			continue
		}
		skip := &output.Result{Task: info, Host: h.name, Status: output.Skipped,
			Result: map[string]any{"changed": false, "skipped": true, "skip_reason": "Conditional result was False"}}
		r.emit(func(cb output.Callback) { cb.HostResult(skip) })
	}
	switch action {
	case "noop":
	case "flush_handlers":
		if len(matching) > 0 {
			return pr.flushHandlers(ctx)
		}
	case "end_play":
		if len(matching) > 0 {
			pr.endPlay = true
		}
	case "end_batch":
		if len(matching) > 0 {
			for _, h := range pr.batch {
				h.ended = true
			}
		}
	case "end_host":
		for _, h := range matching {
			h.ended = true
		}
	case "clear_facts":
		if len(matching) == 0 {
			break
		}
		for _, h := range pr.batch {
			h.mu.Lock()
			h.facts = value.NewDict()
			h.mu.Unlock()
		}
	case "clear_host_errors":
		// Hosts that failed are forgiven for later plays; in this play they
		// have left the iterator and do not come back.
		if len(matching) == 0 {
			break
		}
		for _, h := range pr.batch {
			if h.failed || h.unreachable {
				h.failed, h.unreachable, h.ended = false, false, true
				pr.r.mu.Lock()
				delete(pr.r.unreachable, h.name)
				pr.r.mu.Unlock()
			}
		}
	case "reset_connection":
		for _, h := range matching {
			r.opts.Pool.Reset(h.name)
		}
	case "refresh_inventory":
		return pr.refreshInventory()
	default:
		// A run-time error (exit 1), not a parse error, as in Ansible.
		return fmt.Errorf("invalid meta action requested: %s%s", action, playbook.ErrorContext(t.Pos, ""))
	}
	return nil
}

// shouldGather decides whether the play gathers facts, from gather_facts and
// the gathering setting (implicit: yes unless disabled; explicit: only when
// asked; smart: only hosts without facts).
func (pr *playRun) shouldGather() bool {
	if v, ok := pr.play.Attrs["gather_facts"]; ok {
		return truthy(v)
	}
	return pr.r.opts.Gathering != "explicit"
}

// gatherFacts runs setup on the batch as the implicit "Gathering Facts" task.
func (pr *playRun) gatherFacts(ctx context.Context) {
	r := pr.r
	// As in Ansible, the implicit task is the gather_facts action, which
	// runs setup and hides the facts from -v output.
	mod, ok := module.Lookup("gather_facts")
	if !ok {
		r.emit(func(cb output.Callback) {
			cb.Warning("fact gathering is not available: the gather_facts action is missing")
		})
		return
	}
	args := map[string]any{}
	if v, ok := pr.play.Attrs["gather_subset"]; ok {
		args["gather_subset"] = v
	} else if len(r.opts.GatherSubset) > 0 {
		args["gather_subset"] = value.FromStrings(r.opts.GatherSubset)
	}
	if v, ok := pr.play.Attrs["gather_timeout"]; ok {
		args["gather_timeout"] = v
	}
	if v, ok := pr.play.Attrs["fact_path"]; ok {
		args["fact_path"] = v
	}
	t := &playbook.Task{
		Pos:    pr.play.Pos,
		Attrs:  playbook.Attrs{"name": "Gathering Facts", "tags": []any{"always"}},
		Action: mod.Doc().Name,
		Args:   args,
		Parent: &playbook.Block{Pos: pr.play.Pos, Attrs: playbook.Attrs{}, Implicit: true},
	}
	if !tagsSelect(map[string]bool{"always": true}, r.opts.Tags, r.opts.SkipTags) {
		return
	}
	var hosts []*hostState
	for _, h := range pr.batch {
		if !h.failed && !h.unreachable && !(r.opts.Gathering == "smart" && h.factsGathered()) {
			hosts = append(hosts, h)
		}
	}
	if len(hosts) == 0 {
		return
	}
	// Fact gathering runs in check mode too (it changes nothing).
	saved := r.opts.Check
	info := pr.taskInfo(t)
	info.Check = saved
	r.emit(func(cb output.Callback) { cb.TaskStart(info) })
	done := make(chan struct{}, len(hosts))
	sem := make(chan struct{}, r.opts.Forks)
	for _, h := range hosts {
		sem <- struct{}{}
		go func(h *hostState) {
			defer func() { <-sem; done <- struct{}{} }()
			pr.runOnHost(ctx, t, h, info)
		}(h)
	}
	for range hosts {
		<-done
	}
}

// factsGathered reports whether gather_facts ran for the host in this run
// (gathering = smart skips such hosts).
func (h *hostState) factsGathered() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, _ := h.facts.Get("_ansible_facts_gathered")
	return v == true
}

// refreshInventory re-reads the inventory sources mid-play, as Ansible's
// refresh_inventory: hosts added by add_host and groups made by group_by are
// replayed onto the new inventory, facts and registered variables stay (they
// belong to the host's name), the play keeps its hosts (new hosts do not join
// it) and hosts that left the inventory stop, as Ansible's strategy drops
// them from its host cache.
func (pr *playRun) refreshInventory() error {
	r := pr.r
	inv := r.opts.Inventory
	r.invMu.Lock()
	err := inv.Refresh()
	r.invMu.Unlock()
	if err != nil {
		return err
	}
	r.mu.Lock()
	for _, h := range r.hosts {
		h.inv = inv.Host(h.name)
	}
	r.mu.Unlock()
	for _, h := range pr.batch {
		if h.inv == nil {
			h.ended = true
		}
	}
	all, err := pr.playHosts()
	if err != nil {
		return err
	}
	pr.allNames = all
	return nil
}
