package runner

import (
	"context"
	"fmt"
	"time"

	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/value"
)

// loopItems resolves a task's loop: `loop:` is templated to a list; a
// with_<lookup> loop runs that lookup on its terms, as Ansible's _get_loop_items.
func (pr *playRun) loopItems(t *playbook.Task, vars map[string]any) ([]any, error) {
	r := pr.r
	tctx := ctxFor(vars, t)
	raw := t.Attrs["loop"]
	if t.LoopWith == "" {
		v, err := r.opts.Templates.Template(raw, tctx)
		if err != nil {
			return nil, err
		}
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("Invalid data passed to 'loop', it requires a list, got this instead: %v. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.", v)
		}
		return l, nil
	}
	// with_*: the terms are templated (a bare string naming a list is a template too in old Ansible, not in 2.14).
	terms, err := r.opts.Templates.Template(raw, tctx)
	if err != nil {
		if t.LoopWith != "first_found" {
			return nil, err
		}
		terms = raw
	}
	var list []any
	switch tv := terms.(type) {
	case []any:
		list = tv
	default:
		list = []any{tv}
	}
	// with_<lookup>: the lookup runs on the terms, as Ansible's
	// _get_loop_items calls the plugin itself: its errors are not wrapped
	// as lookup() wraps them.
	return r.opts.Templates.Lookup(t.LoopWith, list, nil, tctx)
}

// runLoop runs a task once per loop item and aggregates the results as
// Ansible does: "results" list, changed if any changed, failed if any failed.
func (pr *playRun) runLoop(ctx context.Context, t *playbook.Task, h *hostState, vars map[string]any, info *output.Task) map[string]any {
	r := pr.r
	items, err := pr.loopItems(t, vars)
	if err != nil {
		if _, undef := undefinedText(err); undef {
			// Ansible keeps an undefined loop variable's error until the
			// task's when has been tested without an item: a false when
			// skips the task (TaskExecutor._loop_eval_error).
			if ok, werr := pr.evalWhen(t, vars); werr == nil && !ok {
				return map[string]any{"changed": false, "skip_reason": "Conditional result was False", "skipped": true}
			}
		}
		// Raised before any module ran: no "changed" (TaskExecutor.run).
		return exceptionResult(loopError(err))
	}
	lc := value.ToDict(t.Attrs["loop_control"])
	loopVar, indexVar, labelTpl := "item", "", any(nil)
	extended, allItems := false, true
	var pause float64
	if lc != nil {
		tctx := ctxFor(vars, t)
		for _, k := range lc.Keys() {
			v, _ := lc.Get(k)
			switch k {
			case "loop_var":
				loopVar = fmt.Sprint(renderOr(r, v, tctx))
			case "index_var":
				indexVar = fmt.Sprint(renderOr(r, v, tctx))
			case "label":
				labelTpl = v
			case "extended":
				extended = truthy(renderOr(r, v, tctx))
			case "pause":
				fmt.Sscan(fmt.Sprint(renderOr(r, v, tctx)), &pause)
			case "extended_allitems":
				allItems = truthy(renderOr(r, v, tctx))
			default:
				return map[string]any{"failed": true, "msg": fmt.Sprintf("'%s' is not a valid attribute for a LoopControl", k)}
			}
		}
	}
	if _, clash := vars[loopVar]; clash {
		// The loop variable wins over the variable it hides.
		msg := fmt.Sprintf("TASK: %s: The loop variable '%s' is already in use. You should set the `loop_var` value in the `loop_control` option for the task to something else to avoid variable collisions and unexpected behavior.", taskLabel(t), loopVar)
		r.emit(func(cb output.Callback) { cb.Warning(msg) })
	}
	if labelTpl == nil && loopVar != "item" {
		// Ansible's label is '{{' + loop_var + '}}' when none is set; the
		// callback shows the item itself for the default loop var.
		labelTpl = "{{" + loopVar + "}}"
	}
	results := []any{}
	anyChanged, anyFailed, allSkipped := false, false, len(items) > 0
	for i, item := range items {
		if i > 0 && pause > 0 {
			time.Sleep(time.Duration(pause * float64(time.Second)))
		}
		iv := make(map[string]any, len(vars)+4)
		for k, v := range vars {
			iv[k] = v
		}
		iv[loopVar] = item
		iv["ansible_loop_var"] = loopVar
		if o := originOf(vars); o != nil {
			// Loop variables hide play variables of the same name.
			iv[yamlOriginKey] = o.without(loopVar, indexVar, "ansible_loop")
		}
		if indexVar != "" {
			iv[indexVar] = i
			iv["ansible_index_var"] = indexVar
		}
		if extended {
			iv["ansible_loop"] = loopInfo(items, i, allItems)
		}
		var res map[string]any
		ok, err := pr.evalWhen(t, iv)
		switch {
		case err != nil:
			res = exceptionResult(err.Error())
		case !ok:
			res = map[string]any{"changed": false, "skip_reason": "Conditional result was False", "skipped": true}
		default:
			res = pr.execute(ctx, t, h, iv)
			// add_host and group_by items change the inventory as they
			// come, before the item's result is shown (as Ansible's strategy).
			pr.applyInventoryResult(t, h, iv, res)
		}
		if res[exceptionKey] != nil {
			// An error raised for an item ends the loop: it leaves
			// TaskExecutor._run_loop, and TaskExecutor.run makes it the
			// task's result, without the items before it.
			return res
		}
		res[loopVar] = item
		res["ansible_loop_var"] = loopVar
		if indexVar != "" {
			res[indexVar] = i
			res["ansible_index_var"] = indexVar
		}
		if extended {
			res["ansible_loop"] = iv["ansible_loop"]
		}
		if labelTpl != nil {
			if lbl, err := r.opts.Templates.Template(labelTpl, ctxFor(iv, t)); err == nil {
				res["_ansible_item_label"] = lbl
			}
		}
		if _, ok := res["changed"]; !ok {
			res["changed"] = false
		}
		if _, ok := res["failed"]; !ok && !truthy(res["skipped"]) {
			res["failed"] = false
		}
		failed := truthy(res["failed"])
		skipped := truthy(res["skipped"])
		changed := truthy(res["changed"])
		if changed {
			anyChanged = true
		}
		if failed {
			anyFailed = true
		}
		if !skipped {
			allSkipped = false
		}
		status := output.OK
		switch {
		case truthy(res["unreachable"]):
			status = output.Unreachable
		case failed:
			status = output.Failed
		case skipped:
			status = output.Skipped
		case changed:
			status = output.Changed
		}
		shown := res
		if v, ok := inherited(t, pr.play, "no_log"); ok && truthy(v) {
			shown = map[string]any{"censored": censored, "changed": changed, "_ansible_no_log": true}
			if failed {
				shown["failed"] = true
			}
		}
		itemRes := &output.Result{Task: info, Host: h.name, Status: status, Result: shown, Delegated: delegatedHost(res)}
		r.emit(func(cb output.Callback) { cb.ItemResult(itemRes) })
		results = append(results, res)
		if truthy(res["unreachable"]) {
			return map[string]any{"unreachable": true, "msg": res["msg"], "changed": anyChanged, "results": results}
		}
	}
	out := map[string]any{"changed": anyChanged, "results": results}
	switch {
	case len(items) == 0:
		out["skipped"] = true
		out["skipped_reason"] = "No items in the list"
	case allSkipped:
		out["skipped"] = true
		out["msg"] = "All items skipped"
	case anyFailed:
		out["failed"] = true
		out["msg"] = "One or more items failed"
	default:
		out["msg"] = "All items completed"
	}
	if _, ok := out["skipped"]; !ok {
		// Ansible's TaskExecutor sets skipped on every loop result that
		// is not all skipped.
		out["skipped"] = false
	}
	return out
}

// loopInfo is ansible_loop for loop_control.extended.
// allItems is loop_control.extended_allitems: without it the list is left
// out, which saves memory on long loops.
func loopInfo(items []any, i int, allItems bool) *value.Dict {
	n := len(items)
	d := value.NewDict()
	if allItems {
		d.Set("allitems", items)
	}
	d.Set("index", i+1)
	d.Set("index0", i)
	d.Set("revindex", n-i)
	d.Set("revindex0", n-i-1)
	d.Set("first", i == 0)
	d.Set("last", i == n-1)
	d.Set("length", n)
	if i > 0 {
		d.Set("previtem", items[i-1])
	}
	if i < n-1 {
		d.Set("nextitem", items[i+1])
	}
	return d
}
