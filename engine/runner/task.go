package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/template"
	"gorun/engine/value"
)

const censored = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

// runTask runs one task on the hosts, one goroutine per host bounded by forks.
func (pr *playRun) runTask(ctx context.Context, t *playbook.Task, hosts []*hostState) error {
	r := pr.r
	if !pr.selected(t) {
		return nil
	}
	if !r.startReached {
		if t.DisplayName() != r.opts.StartAtTask && taskLabel(t) != r.opts.StartAtTask {
			return nil
		}
		r.startReached = true
	}
	switch playbook.ShortName(t.Action) {
	case playbook.ActionIncludeTasks, playbook.ActionIncludeRole:
		return pr.runInclude(ctx, t, hosts)
	case playbook.ActionMeta:
		return pr.runMeta(ctx, t, hosts)
	}
	info := pr.taskInfo(t, hosts...)
	r.emit(func(cb output.Callback) { cb.TaskStart(info) })

	runOnce := pr.runOnce(t, hosts)
	if !runOnce && bypassesHostLoop(t) && len(hosts) > 0 {
		// pause and add_host run once, for the first host, without
		// standing for the others (Ansible's BYPASS_HOST_LOOP).
		pr.runOnHost(ctx, t, hosts[0], info)
		return pr.fatalErr()
	}
	if runOnce && len(hosts) > 0 {
		_, result := pr.runOnHost(ctx, t, hosts[0], info)
		// The result of a run_once task stands for every host of the batch:
		// its registered result and its facts (Ansible's get_task_hosts).
		for _, h := range hosts[1:] {
			pr.register(t, h, result)
			if !truthy(result["failed"]) && !truthy(result["skipped"]) && !truthy(result["unreachable"]) {
				pr.applyResultVars(t, h, map[string]any{}, result)
			}
		}
		return pr.fatalErr()
	}
	limit := r.opts.Forks
	if th, ok := inherited(t, pr.play, "throttle"); ok {
		if n := toInt(th); n > 0 && n < limit {
			limit = n
		}
	}
	switch playbook.ShortName(t.Action) {
	case "group_by", "add_host":
		// These change the inventory: one host at a time, in play order, so
		// group members come out in the order Ansible's workers (started in
		// host order) normally give.
		limit = 1
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, h := range hosts {
		wg.Add(1)
		sem <- struct{}{}
		go func(h *hostState) {
			defer wg.Done()
			defer func() { <-sem }()
			pr.runOnHost(ctx, t, h, info)
		}(h)
	}
	wg.Wait()
	return pr.fatalErr()
}

// bypassesHostLoop reports whether the task's action runs once per batch
// rather than once per host (action plugins with BYPASS_HOST_LOOP).
func bypassesHostLoop(t *playbook.Task) bool {
	switch playbook.ShortName(t.Action) {
	case "pause", "add_host":
		return true
	}
	return false
}

// selected applies --tags/--skip-tags.
func (pr *playRun) selected(t *playbook.Task) bool {
	tags := taskTags(t, pr.play)
	return tagsSelect(tags, pr.r.opts.Tags, pr.r.opts.SkipTags)
}

func taskLabel(t *playbook.Task) string {
	if t.Role != nil {
		return t.Role.Name + " : " + t.DisplayName()
	}
	return t.DisplayName()
}

// taskInfo describes a task for the callbacks. Its name is templated as
// Ansible's strategies template the banner: with the variables of the first
// host that runs the task (first of hosts), leaving the name as written when
// a variable is undefined (fail_on_undefined=False); without hosts, with the
// play's variables.
func (pr *playRun) taskInfo(t *playbook.Task, hosts ...*hostState) *output.Task {
	pr.r.mu.Lock()
	pr.r.taskSeq++
	seq := pr.r.taskSeq
	pr.r.mu.Unlock()
	name := t.DisplayName()
	if t.Name() != "" && strings.Contains(t.Name(), "{") {
		tctx := pr.r.playContext(pr.play)
		if len(hosts) > 0 {
			tctx = ctxFor(pr.r.vars(hosts[0], scope{pr: pr, task: t}), t)
		}
		if s, err := pr.r.opts.Templates.RenderString(t.Name(), tctx); err == nil {
			name = s
		}
	}
	ownName := name
	diff := pr.r.opts.Diff
	if v, ok := inherited(t, pr.play, "diff"); ok {
		diff = truthy(v)
	}
	// include_role names itself without the role prefix (IncludeRole.get_name).
	if t.Role != nil && playbook.ShortName(t.Action) != playbook.ActionIncludeRole {
		name = t.Role.Name + " : " + name
	}
	kind := "TASK"
	if t.Handler {
		kind = "RUNNING HANDLER"
	}
	_, hasLoop := t.Attrs["loop"]
	noLog := false
	if v, ok := inherited(t, pr.play, "no_log"); ok {
		noLog = truthy(v)
	}
	pos := t.Pos
	if pos.File == "" {
		// A task gorun made (a role's argument spec validation) is
		// reported at its play, as Ansible does.
		pos = pr.play.Pos
	}
	return &output.Task{
		UUID: fmt.Sprintf("task-%d", seq), Name: name, Kind: kind, Path: pos.String(),
		Action: t.Action, Args: t.Args, NoLog: noLog, Check: pr.checkMode(t, nil), Loop: hasLoop,
		Diff: diff, OwnName: ownName,
	}
}

func (pr *playRun) checkMode(t *playbook.Task, tctx *template.Context) bool {
	if v, ok := inherited(t, pr.play, "check_mode"); ok {
		if tctx != nil {
			if rv, err := pr.r.opts.Templates.Template(v, tctx); err == nil {
				v = rv
			}
		}
		return truthy(v)
	}
	return pr.r.opts.Check
}

func ctxFor(vars map[string]any, t *playbook.Task) *template.Context {
	c := &template.Context{Vars: vars, FromYAML: originOf(vars).fromYAMLFunc()}
	if sp, ok := vars["ansible_search_path"].([]any); ok {
		for _, p := range sp {
			c.SearchPath = append(c.SearchPath, fmt.Sprint(p))
		}
	}
	return c
}

// runOnHost runs a task on one host: conditions, loop, module, retries,
// register, facts, handlers, the callback event and the recap.
func (pr *playRun) runOnHost(ctx context.Context, t *playbook.Task, h *hostState, info *output.Task) (*output.Result, map[string]any) {
	r := pr.r
	// Ansible's v2_runner_on_start: the task is queued for the host, before
	// its conditional is known.
	r.emit(func(cb output.Callback) {
		if hs, ok := cb.(output.HostStarter); ok {
			hs.HostStart(info, h.name)
		}
	})
	start := time.Now()
	vars := r.vars(h, scope{pr: pr, task: t})
	res := &output.Result{Task: info, Host: h.name, Start: start}

	var result map[string]any
	if _, hasLoop := t.Attrs["loop"]; hasLoop {
		result = pr.runLoop(ctx, t, h, vars, info)
	} else {
		ok, err := pr.evalWhen(t, vars)
		switch {
		case err != nil:
			result = exceptionResult(err.Error())
		case !ok:
			result = map[string]any{"changed": false, "skip_reason": "Conditional result was False", "skipped": true}
		default:
			result = pr.execute(ctx, t, h, vars)
		}
	}
	res.End = time.Now()
	if ctx.Err() != nil {
		// The run was interrupted (SIGINT): what the task did is unknown,
		// and Ansible stops without reporting it.
		return res, result
	}
	pr.finishResult(t, h, vars, result, res)
	return res, result
}

// exceptionKey marks a result made from an error raised before the module
// ran (a templating or conditional error), which Ansible's TaskExecutor.run
// returns as {failed, msg} without "changed"; finishResult removes it.
const exceptionKey = module.ExceptionKey

// exceptionResult is the result of such an error.
func exceptionResult(msg string) map[string]any {
	return map[string]any{"failed": true, "msg": msg, exceptionKey: true}
}

// finishResult registers the result, updates host state and stats, notifies
// handlers and emits the host's result.
func (pr *playRun) finishResult(t *playbook.Task, h *hostState, vars map[string]any, result map[string]any, res *output.Result) {
	r := pr.r
	if result[exceptionKey] != nil {
		// A failure raised before any module ran has no "changed", as
		// Ansible's TaskExecutor.run returns it.
		delete(result, exceptionKey)
	} else if _, ok := result["changed"]; !ok {
		result["changed"] = false
	}
	noLog := false
	if v, ok := inherited(t, pr.play, "no_log"); ok {
		noLog = truthy(v)
	}
	if !truthy(result["failed"]) && !truthy(result["skipped"]) {
		// A loop's items made their inventory changes one by one (runLoop).
		pr.applyInventoryResult(t, h, vars, result)
		pr.noteAddedHosts(result)
		if st, ok := result["ansible_stats"]; ok {
			r.mu.Lock()
			if r.custom == nil {
				r.custom = customStats{}
			}
			r.custom.apply(h.name, st)
			r.mu.Unlock()
		}
	}
	pr.register(t, h, result)

	failed := truthy(result["failed"])
	unreachable := truthy(result["unreachable"])
	skipped := truthy(result["skipped"])
	changed := truthy(result["changed"])
	ignoreErrors := false
	if v, ok := inherited(t, pr.play, "ignore_errors"); ok {
		if rv, err := r.opts.Templates.Template(v, ctxFor(vars, t)); err == nil {
			ignoreErrors = truthy(rv)
		}
	}
	ignoreUnreachable := false
	if v, ok := inherited(t, pr.play, "ignore_unreachable"); ok {
		ignoreUnreachable = truthy(v)
	}

	if truthy(result["changed"]) && !truthy(result["failed"]) && !truthy(result["unreachable"]) && !truthy(result["skipped"]) {
		if err := pr.notifyFor(t, h, vars); err != nil {
			pr.setFatal(err)
			return
		}
	}
	display := result
	if noLog {
		// Ansible's TaskResult.clean_copy keeps "changed" only where the
		// result had it.
		display = map[string]any{"censored": censored}
		if _, ok := result["changed"]; ok {
			display["changed"] = changed
		}
		if failed {
			display["failed"] = true
		}
		if skipped {
			display["skipped"] = true
		}
		display["_ansible_no_log"] = true
	}
	res.Result = display
	st := r.stat(h.name)
	r.mu.Lock()
	switch {
	case unreachable:
		res.Status = output.Unreachable
		if ignoreUnreachable {
			// An ignored unreachable counts as ok too, as in Ansible's
			// _process_pending_results.
			res.Ignored = true
			st.Ignored++
			st.OK++
		} else {
			st.Unreachable++
		}
	case failed:
		res.Status = output.Failed
		switch {
		case ignoreErrors:
			// An ignored failure counts as ok too, as in Ansible's
			// _process_pending_results.
			res.Ignored = true
			st.Ignored++
			st.OK++
			if changed {
				st.Changed++
			}
		case h.rescuable > 0:
			// The host goes on to a rescue section.
			st.Rescued++
		default:
			st.Failures++
		}
	case skipped:
		res.Status = output.Skipped
		st.Skipped++
	case changed:
		res.Status = output.Changed
		st.Changed++
		st.OK++
	default:
		res.Status = output.OK
		st.OK++
	}
	r.mu.Unlock()
	switch {
	case unreachable && !ignoreUnreachable:
		h.unreachable = true
		r.mu.Lock()
		r.unreachable[h.name] = true
		r.mu.Unlock()
	case failed && !ignoreErrors:
		h.failed = true
		h.mu.Lock()
		h.failedTask = map[string]any{"name": t.Name(), "action": t.Action, "args": t.Args, "uuid": res.Task.UUID}
		h.failedResult = result
		h.mu.Unlock()
	}
	res.Delegated = delegatedHost(result)
	r.emit(func(cb output.Callback) { cb.HostResult(res) })
}

// notifyFor marks the handlers a changed result notifies. A notification
// nobody answers is an error that ends the run, as in Ansible (before the
// result is shown or counted).
func (pr *playRun) notifyFor(t *playbook.Task, h *hostState, vars map[string]any) error {
	n, ok := t.Attrs["notify"]
	if !ok {
		return nil
	}
	var rendered []string
	for _, name := range playbook.StringList(n) {
		s, err := pr.r.opts.Templates.RenderString(name, ctxFor(vars, t))
		if err != nil {
			s = name
		}
		rendered = append(rendered, s)
	}
	return pr.notify(h, rendered, vars)
}

// setFatal records the first error that ends the run.
func (pr *playRun) setFatal(err error) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.fatal == nil {
		pr.fatal = err
	}
}

// fatalErr is the error that ends the run, if any.
func (pr *playRun) fatalErr() error {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.fatal
}

// stripInternal copies a result without its internal keys (_ansible_*) at
// any depth, as Ansible's strip_internal_keys does before registering a result.
func stripInternal(v any) any {
	internal := func(k string) bool { return strings.HasPrefix(k, "_ansible_") }
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if !internal(k) {
				out[k] = stripInternal(x)
			}
		}
		return out
	case *value.Dict:
		out := value.NewDict(t.Len())
		for _, k := range t.Keys() {
			if !internal(k) {
				x, _ := t.Get(k)
				out.Set(k, stripInternal(x))
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = stripInternal(x)
		}
		return out
	}
	return v
}

func (pr *playRun) register(t *playbook.Task, h *hostState, result map[string]any) {
	reg, ok := t.Attrs["register"].(string)
	if !ok || reg == "" {
		return
	}
	clean := markRegistered(t, stripInternal(result))
	h.mu.Lock()
	h.setFacts.Set(reg, clean)
	delete(h.yamlFacts, reg)
	h.mu.Unlock()
}

// markRegistered marks a result unsafe as Ansible has it when registered:
// text a module returned is never templated again (wrap_var on the
// action's result). A loop's result is TaskExecutor's own: its keys and
// each item's loop variables are as they were (the item as the loop gave
// it), only what each item's action returned is unsafe.
func markRegistered(t *playbook.Task, result any) any {
	m, isMap := result.(map[string]any)
	items, isList := m["results"].([]any)
	if _, loop := t.Attrs["loop"]; !loop || !isMap || !isList {
		return template.MarkUnsafe(result)
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	marked := make([]any, len(items))
	for i, it := range items {
		res, ok := it.(map[string]any)
		if !ok {
			marked[i] = template.MarkUnsafe(it)
			continue
		}
		keep := map[string]bool{"ansible_loop_var": true, "ansible_index_var": true, "ansible_loop": true, "_ansible_item_label": true}
		for _, k := range []string{"ansible_loop_var", "ansible_index_var"} {
			if name, ok := res[k].(string); ok {
				keep[name] = true
			}
		}
		mr := make(map[string]any, len(res))
		for k, v := range res {
			if keep[k] {
				mr[k] = v
			} else {
				mr[k] = template.MarkUnsafe(v)
			}
		}
		marked[i] = mr
	}
	out["results"] = marked
	return out
}

// evalWhen evaluates every condition on a task.
func (pr *playRun) evalWhen(t *playbook.Task, vars map[string]any) (bool, error) {
	conds := conditions(t)
	if !t.Handler && len(pr.play.ImportWhen) > 0 {
		// import_playbook's when is prepended to the when of every task
		// block of the imported plays (not handlers), as PlaybookInclude does.
		conds = append(append([]any{}, pr.play.ImportWhen...), conds...)
	}
	for _, c := range conds {
		ok, err := pr.r.opts.Templates.Condition(c, ctxFor(vars, t))
		if err != nil {
			return false, conditionError(t, c, err)
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// execute runs the module once (with until/retries), after templating its arguments.
func (pr *playRun) execute(ctx context.Context, t *playbook.Task, h *hostState, vars map[string]any) map[string]any {
	r := pr.r
	tctx := ctxFor(vars, t)
	collections := stringsOf(inheritedAny(t, pr.play, "collections"))
	if len(collections) == 0 && t.Role != nil {
		collections = t.Role.Collections
	}
	mod, err := moduleFor(t.Action, collections)
	if err != nil {
		if r.opts.Loader != nil {
			if fq, ok := playbook.AnsibleResolves(t.Action, collections, r.opts.Loader.CollectionsPath); ok {
				err = fmt.Errorf("the module '%s' is not implemented by gorun", fq)
				// Ansible templates the arguments before it runs the
				// module: an undefined variable in them is the failure.
				if _, aerr := pr.moduleArgs(t, &module.Doc{Name: playbook.ShortName(t.Action)}, tctx); aerr != nil {
					return exceptionResult(argsError(t, aerr))
				}
			}
		}
		return map[string]any{"failed": true, "msg": err.Error()}
	}
	doc := mod.Doc()
	// delegate_to is resolved before the arguments are templated: a task
	// whose arguments fail still shows "host -> delegate", as in Ansible.
	delegate := ""
	if d, ok := inherited(t, pr.play, "delegate_to"); ok && d != nil {
		s, err := r.opts.Templates.RenderString(fmt.Sprint(d), tctx)
		if err != nil {
			return exceptionResult(err.Error())
		}
		if s != template.Omit() {
			// An omitted delegate_to is no delegation (post_validate
			// puts the keyword back to its default).
			delegate = s
		}
	}
	rawArgs, err := pr.moduleArgs(t, doc, tctx)
	if err != nil {
		res := exceptionResult(argsError(t, err))
		if delegate != "" {
			res["_ansible_delegated_vars"] = r.delegatedVars(delegate)
		}
		return res
	}
	if doc.Name == "debug" || doc.Name == "assert" || doc.Name == "fail" || doc.Name == "set_fact" {
		// These take their own templating: debug's var and assert's that are expressions.
	}
	args, err := doc.Validate(rawArgs)
	if err != nil {
		return map[string]any{"failed": true, "msg": err.Error(), "changed": false}
	}
	asyncSecs, poll := pr.asyncSettings(t, vars)
	check := pr.checkMode(t, tctx)
	diff := r.opts.Diff
	if v, ok := inherited(t, pr.play, "diff"); ok {
		diff = truthy(v)
	}
	if check && doc.Check == module.None {
		// Ansible names the module as it resolved it: a short name as ansible.legacy.NAME.
		name := t.Action
		if !strings.Contains(name, ".") {
			name = "ansible.legacy." + name
		}
		return map[string]any{"changed": false, "failed": false, "skipped": true, "msg": fmt.Sprintf("remote module (%s) does not support check mode", name)}
	}

	call := &module.Call{
		Module: t.Action, Host: h.name, Task: taskLabel(t), Args: args, Check: check, Diff: diff, Vars: vars,
		Templar: &templar{e: r.opts.Templates, ctx: tctx},
		Files:   &fileFinder{task: t, playbookDir: r.playbookDir(pr.play)},
	}
	if r.opts.Loader != nil {
		call.Decrypt = r.opts.Loader.Decrypt
	}
	var warnings []any
	call.Warn = func(msg string) { warnings = append(warnings, msg) }
	call.WarnNow = func(msg string) { r.emit(func(cb output.Callback) { cb.Warning(msg) }) }

	call.Delegate = delegate
	target := r.connParams(t, pr.play, h.name, vars, tctx)
	call.Target, call.Become = &target, r.become(t, pr.play, vars, tctx)
	call.Connect = func(ctx context.Context) (connection.Conn, error) {
		target := h.name
		if delegate != "" {
			target = delegate
		}
		r.opts.Pool.Reset(target)
		return pr.connect(ctx, t, h, vars, delegate)
	}
	call.ConnectTo = func(ctx context.Context, host string) (connection.Conn, error) {
		return pr.connect(ctx, t, h, vars, host)
	}
	if !doc.Controller {
		conn, err := pr.connect(ctx, t, h, vars, delegate)
		if err != nil {
			var ue *connection.UnreachableError
			if errors.As(err, &ue) {
				return map[string]any{"unreachable": true, "msg": err.Error(), "changed": false}
			}
			var fe *fieldError
			if errors.As(err, &fe) {
				return exceptionResult(fe.msg)
			}
			// Raised by the connection plugin (sshpass missing, say).
			return exceptionResult(err.Error())
		}
		call.Conn = conn
	}

	retries, delay, until := 1, 5, any(nil)
	if u, ok := t.Attrs["until"]; ok {
		until = u
		retries = 3
		if rv, ok := t.Attrs["retries"]; ok {
			if n := toInt(renderOr(r, rv, tctx)); n > 0 {
				retries = n
			} else {
				retries = 0
			}
		}
		retries++
		if retries <= 0 {
			retries = 1
		}
	}
	if dv, ok := t.Attrs["delay"]; ok {
		delay = toInt(renderOr(r, dv, tctx))
	}
	timeout := 0
	if tv, ok := inherited(t, pr.play, "timeout"); ok {
		timeout = toInt(renderOr(r, tv, tctx))
	}

	var result map[string]any
	for attempt := 1; attempt <= retries; attempt++ {
		switch {
		case doc.Name == "async_status":
			result = pr.asyncStatusTask(ctx, t, h, vars, args)
		case asyncSecs > 0:
			result = pr.runAsync(ctx, mod, call, t, asyncSecs, poll)
		default:
			result = pr.runModule(ctx, mod, call, timeout, t)
		}
		if delegate != "" {
			result["_ansible_delegated_vars"] = r.delegatedVars(delegate)
		}
		// Ansible adds "failed" to every result an action returns, skipped
		// ones too (command in check mode), but not to an AnsibleActionSkip
		// the action raised; results of tasks skipped by their conditional
		// never come here.
		if result[module.SkipKey] != nil {
			delete(result, module.SkipKey)
		} else if _, ok := result["failed"]; !ok {
			rc, hasRC := result["rc"]
			result["failed"] = hasRC && toInt(rc) != 0
		}
		if until != nil {
			result["attempts"] = attempt
		}
		if _, ok := result["changed"]; !ok && result[exceptionKey] == nil {
			result["changed"] = false
		}
		if len(warnings) > 0 {
			result["warnings"] = warnings
		}
		pr.applyResultVars(t, h, vars, result)
		if !truthy(result["skipped"]) && !truthy(result["unreachable"]) {
			pr.evalChangedFailed(t, vars, result)
		}
		// With retries <= 0 there is one attempt and until is not checked.
		if until == nil || retries <= 1 || truthy(result["unreachable"]) {
			break
		}
		ok, err := r.opts.Templates.Condition(until, ctxFor(vars, t))
		if err != nil {
			result["failed"] = true
			result["msg"] = err.Error()
			break
		}
		if ok {
			break
		}
		if attempt == retries {
			// Out of attempts: Ansible reports one attempt fewer than it
			// made (retries + 1 runs, attempts = retries).
			result["attempts"] = attempt - 1
			result["failed"] = true
			break
		}
		result["retries"] = retries
		res := &output.Result{Task: pr.taskInfoCached(t), Host: h.name, Result: copyMap(result)}
		res.Result["retries"] = retries
		r.emit(func(cb output.Callback) { cb.Retry(res) })
		select {
		case <-ctx.Done():
			return map[string]any{"failed": true, "msg": "interrupted"}
		case <-time.After(time.Duration(delay) * time.Second):
		}
	}
	return result
}

func (pr *playRun) taskInfoCached(t *playbook.Task) *output.Task {
	// OwnName is the task's name without its role's prefix: retry messages
	// show it, as Ansible's show the task's own name.
	return &output.Task{Name: taskLabel(t), OwnName: t.Name(), Action: t.Action}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func renderOr(r *Runner, v any, tctx *template.Context) any {
	rv, err := r.opts.Templates.Template(v, tctx)
	if err != nil {
		return v
	}
	return rv
}

// runModule calls the module, turning panics and errors into results.
func (pr *playRun) runModule(ctx context.Context, mod module.Module, call *module.Call, timeout int, t *playbook.Task) (result map[string]any) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(timeout)*time.Second)
		defer cancel()
	}
	defer func() {
		if p := recover(); p != nil {
			result = map[string]any{"failed": true, "msg": fmt.Sprintf("module %s crashed: %v", mod.Doc().Name, p)}
		}
	}()
	res, err := mod.Run(ctx, call)
	if err != nil {
		if timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return map[string]any{"failed": true, "msg": fmt.Sprintf("The %s action failed to execute in the expected time frame (%d) and was terminated", t.Action, timeout)}
		}
		var ue *connection.UnreachableError
		if errors.As(err, &ue) {
			return map[string]any{"unreachable": true, "msg": err.Error(), "changed": false}
		}
		var be *connection.BecomeError
		if errors.As(err, &be) && be.UnknownUser && mod.Doc().Name != "raw" && call.Target != nil && call.Target.User == "root" {
			// Ansible fails earlier, giving the module's temporary files
			// to the become user (_fixup_perms2): setfacl and chown both
			// fail for a user that does not exist, and a privileged
			// remote user gets this error. (An unprivileged one gets a
			// longer chain of attempts; sudo's message is kept there.)
			return exceptionResult("Failed to change ownership of the temporary files Ansible (via chmod nor setfacl) needs to create despite connecting as a privileged user. Unprivileged become user would be unable to read the file.")
		}
		return map[string]any{"failed": true, "msg": err.Error()}
	}
	if res == nil {
		res = module.Result{}
	}
	return map[string]any(res)
}

// applyResultVars records facts and registered results so changed_when,
// failed_when and until can see them.
func (pr *playRun) applyResultVars(t *playbook.Task, h *hostState, vars map[string]any, result map[string]any) {
	if reg, ok := t.Attrs["register"].(string); ok && reg != "" {
		vars[reg] = markRegistered(t, result)
		delete(originOf(vars), reg)
	}
	facts := value.ToDict(result["ansible_facts"])
	if facts == nil || playbook.ShortName(t.Action) == "debug" {
		return
	}
	action := playbook.ShortName(t.Action)
	target := h
	if df, ok := inherited(t, pr.play, "delegate_facts"); ok && truthy(renderOr(pr.r, df, ctxFor(vars, t))) {
		if dn := delegatedHost(result); dn != "" {
			target = pr.r.host(dn)
		}
	}
	target.mu.Lock()
	defer target.mu.Unlock()
	switch action {
	case "set_fact":
		origin := originOf(vars)
		for _, k := range facts.Keys() {
			v, _ := facts.Get(k)
			target.setFacts.Set(k, v)
			vars[k] = v
			if setFactFromYAML(t, k) {
				target.yamlFacts[k] = true
				if origin != nil {
					origin[k] = true
				}
			} else {
				delete(target.yamlFacts, k)
				delete(origin, k)
			}
		}
	case "include_vars":
		fromJSON := map[string]bool{}
		if l, ok := result[module.JSONFactsKey].([]any); ok {
			for _, k := range l {
				fromJSON[fmt.Sprint(k)] = true
			}
		}
		origin := originOf(vars)
		for _, k := range facts.Keys() {
			v, _ := facts.Get(k)
			target.incVars.Set(k, v)
			vars[k] = v
			if fromJSON[k] {
				target.incJSON[k] = true
				delete(origin, k)
			} else {
				delete(target.incJSON, k)
				if origin != nil {
					origin[k] = true
				}
			}
		}
	default:
		for _, k := range facts.Keys() {
			v, _ := facts.Get(k)
			name := strings.TrimPrefix(k, "ansible_")
			target.facts.Set(name, v)
			vars["ansible_"+name] = v
		}
		vars["ansible_facts"] = target.facts.Copy()
	}
}

func inheritedVal(t *playbook.Task, p *playbook.Play, key string) any {
	v, _ := inherited(t, p, key)
	return v
}

func inheritedAny(t *playbook.Task, p *playbook.Play, key string) any {
	return inheritedVal(t, p, key)
}

func stringsOf(v any) []string { return playbook.StringList(v) }

func (pr *playRun) evalChangedFailed(t *playbook.Task, vars map[string]any, result map[string]any) {
	r := pr.r
	if cw, ok := t.Attrs["changed_when"]; ok {
		v, err := r.opts.Templates.Condition(condAll(cw), ctxFor(vars, t))
		if err != nil {
			result["failed"] = true
			result["changed_when_result"] = err.Error()
			return
		}
		result["changed"] = v
	}
	if fw, ok := t.Attrs["failed_when"]; ok {
		v, err := r.opts.Templates.Condition(condAll(fw), ctxFor(vars, t))
		if err != nil {
			result["failed"] = true
			result["failed_when_result"] = err.Error()
			return
		}
		result["failed"] = v
		result["failed_when_result"] = v
	}
}

// condAll joins a list of conditions with "and", as a conditional list means all.
func condAll(c any) any {
	l, ok := c.([]any)
	if !ok {
		return c
	}
	if len(l) == 1 {
		return l[0]
	}
	parts := make([]string, len(l))
	for i, x := range l {
		parts[i] = "(" + fmt.Sprint(x) + ")"
	}
	return strings.Join(parts, " and ")
}

// moduleArgs templates a task's arguments, merges module_defaults and drops omitted options.
func (pr *playRun) moduleArgs(t *playbook.Task, doc *module.Doc, tctx *template.Context) (map[string]any, error) {
	raw := map[string]any{}
	// module_defaults extends along the task's chain, the play's first
	// (Ansible's extend=True, prepend=True), so inner ones win.
	if mds := inheritedAll(t, pr.play, "module_defaults"); len(mds) > 0 {
		var md []any
		for _, v := range mds {
			md = append(md, asAnyList(v)...)
		}
		defaults, err := pr.moduleDefaults(md, t.Action, doc)
		if err != nil {
			return nil, err
		}
		for k, v := range defaults {
			raw[k] = v
		}
	}
	for k, v := range t.Args {
		raw[k] = v
	}
	if vp, ok := raw["_variable_params"]; ok {
		delete(raw, "_variable_params")
		rv, err := pr.r.opts.Templates.Template(vp, tctx)
		if err != nil {
			return nil, err
		}
		d := value.ToDict(rv)
		if d == nil {
			return nil, fmt.Errorf("this task '%s' has extra params, which is only allowed in the following modules: command, shell, script, raw, include_vars, ...", t.Action)
		}
		for _, k := range d.Keys() {
			if _, set := raw[k]; !set {
				raw[k], _ = d.Get(k)
			}
		}
	}
	// Some actions evaluate parts of their arguments themselves (assert's that,
	// debug's var): those stay raw here.
	keepRaw := map[string]bool{}
	switch doc.Name {
	case "assert":
		keepRaw["that"] = true
	case "debug":
		keepRaw["var"] = true
	}
	out := map[string]any{}
	omit := template.Omit()
	for _, k := range argKeys(raw, t) {
		v := raw[k]
		if keepRaw[k] {
			out[k] = v
			continue
		}
		rv, tainted, err := pr.r.opts.Templates.TemplateTainted(v, tctx)
		if err != nil {
			return nil, err
		}
		if s, ok := rv.(string); ok && s == omit {
			continue
		}
		if tainted && doc.Name == "set_fact" {
			// Ansible keeps lookup output (and what was built from unsafe
			// values) unsafe in facts, so it is never templated again.
			rv = template.MarkUnsafe(rv)
		}
		out[k] = dropOmitted(rv, omit)
	}
	return out, nil
}

// argKeys orders the keys of a task's arguments for templating as Ansible
// meets them: module_defaults first, then the task's own in the order
// written, then any others (sorted, so that runs agree with each other).
func argKeys(raw map[string]any, t *playbook.Task) []string {
	var first, rest []string
	written := map[string]bool{}
	for _, k := range t.ArgOrder {
		written[k] = true
	}
	for k := range raw {
		if _, own := t.Args[k]; !own {
			first = append(first, k)
		} else if !written[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(first)
	sort.Strings(rest)
	keys := first
	for _, k := range t.ArgOrder {
		if _, ok := raw[k]; ok {
			keys = append(keys, k)
		}
	}
	return append(keys, rest...)
}

// dropOmitted removes omit placeholders inside nested arguments.
func dropOmitted(v any, omit string) any {
	switch t := v.(type) {
	case *value.Dict:
		d := value.NewDict(t.Len())
		for _, k := range t.Keys() {
			x, _ := t.Get(k)
			if s, ok := x.(string); ok && s == omit {
				continue
			}
			d.Set(k, dropOmitted(x, omit))
		}
		return d
	case map[string]any:
		m := map[string]any{}
		for k, x := range t {
			if s, ok := x.(string); ok && s == omit {
				continue
			}
			m[k] = dropOmitted(x, omit)
		}
		return m
	case []any:
		var l []any
		for _, x := range t {
			if s, ok := x.(string); ok && s == omit {
				continue
			}
			l = append(l, dropOmitted(x, omit))
		}
		if l == nil {
			l = []any{}
		}
		return l
	}
	return v
}

func asAnyList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// moduleDefaults are the module_defaults for a task's module, merged as
// Ansible's get_action_args_with_defaults merges them: the dicts of the list
// one over the other, then the defaults of every action group
// ("group/NAME") the module belongs to, then the module's own.
func (pr *playRun) moduleDefaults(md any, action string, doc *module.Doc) (map[string]any, error) {
	var lists []any
	if l, ok := md.([]any); ok {
		lists = l
	} else {
		lists = []any{md}
	}
	merged := value.NewDict()
	for _, entry := range lists {
		d := value.ToDict(entry)
		for _, k := range d.Keys() {
			v, _ := d.Get(k)
			merged.Set(k, v)
		}
	}
	names := map[string]bool{action: true, doc.Name: true}
	for _, n := range doc.Names {
		names[n] = true
	}
	out := map[string]any{}
	apply := func(v any) {
		for _, ak := range value.Keys(v) {
			out[ak], _ = value.Lookup(v, ak)
		}
	}
	for _, k := range merged.Keys() {
		group, ok := strings.CutPrefix(k, "group/")
		if !ok {
			continue
		}
		members, err := pr.r.actionGroups().Members(group)
		if err != nil {
			return nil, err
		}
		for n := range names {
			if members[n] {
				v, _ := merged.Get(k)
				apply(v)
				break
			}
		}
	}
	for _, k := range merged.Keys() {
		if names[k] {
			v, _ := merged.Get(k)
			apply(v)
		}
	}
	return out, nil
}

func toInt(v any) int {
	switch t := v.(type) {
	case int:
		return t
	case float64:
		return int(t)
	case string:
		n := 0
		fmt.Sscan(strings.TrimSpace(t), &n)
		return n
	case bool:
		if t {
			return 1
		}
	}
	return 0
}

func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case int:
		return t != 0
	case float64:
		return t != 0
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "yes", "true", "on", "1", "y", "t":
			return true
		}
		return false
	}
	return true
}

// templar is module.Templar bound to one task's variables.
type templar struct {
	e   *template.Engine
	ctx *template.Context
}

func (t *templar) Template(v any) (any, error)   { return t.e.Template(v, t.ctx) }
func (t *templar) Condition(c any) (bool, error) { return t.e.Condition(c, t.ctx) }
func (t *templar) Expr(expr string) (any, error) { return t.e.Expr(expr, t.ctx) }
func (t *templar) Engine() *template.Engine      { return t.e }
func (t *templar) Context() *template.Context    { return t.ctx }
func (t *templar) File(src string, o template.FileOptions) (string, error) {
	return t.e.File(src, t.ctx, o)
}
