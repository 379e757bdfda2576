package runner

import (
	"fmt"
	"strconv"

	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/template"
)

// afterTask applies what Ansible's linear strategy checks once every host has
// a task's result: any_errors_fatal (a run_once task counts as one) and
// max_fail_percentage. Either one fails every host of the batch and ends the
// playbook, with "NO MORE HOSTS LEFT". ran are the hosts the task ran on.
func (pr *playRun) afterTask(t *playbook.Task, ran []*hostState) {
	var failed []*hostState
	for _, h := range ran {
		// A host going on to a rescue section has not failed (the iterator's
		// is_failed is false for it).
		if h.unreachable || h.failed && h.rescuable == 0 {
			failed = append(failed, h)
		}
	}
	if len(failed) == 0 {
		return
	}
	fatal := false
	if v, ok := inherited(t, pr.play, "any_errors_fatal"); ok && truthy(v) {
		fatal = true
	}
	if pr.runOnce(t, ran) || bypassesHostLoop(t) {
		fatal = true
	}
	if v, ok := inherited(t, pr.play, "ignore_errors"); ok && truthy(v) {
		fatal = false
	}
	maxFail := pr.overMaxFail()
	if !fatal && !maxFail {
		return
	}
	all := true
	for _, h := range pr.batch {
		if !h.unreachable && !h.ended && h.rescuable == 0 {
			h.failed = true
		}
		all = all && (h.failed || h.unreachable || h.ended)
	}
	pr.r.breakPlaybook = true
	pr.r.failedBreak = true
	// Ansible's linear strategy says it once for max_fail_percentage and
	// once more when no host is left.
	if maxFail {
		pr.r.emit(func(cb output.Callback) { cb.NoHostsRemaining() })
	}
	if all {
		pr.r.emit(func(cb output.Callback) { cb.NoHostsRemaining() })
	}
}

// overMaxFail reports whether the batch's failed hosts are above the play's
// max_fail_percentage (Ansible compares failed/batch size > percentage).
// Unreachable hosts do not count: Ansible's linear strategy counts only
// the TaskQueueManager's failed hosts.
func (pr *playRun) overMaxFail() bool {
	raw, ok := pr.play.Attrs["max_fail_percentage"]
	if !ok || len(pr.batch) == 0 {
		return false
	}
	limit, err := strconv.ParseFloat(fmt.Sprint(renderOr(pr.r, raw, pr.r.playContext(pr.play))), 64)
	if err != nil {
		return false
	}
	failed := 0
	for _, h := range pr.batch {
		if h.failed && h.rescuable == 0 {
			failed++
		}
	}
	return float64(failed)/float64(len(pr.batch)) > limit/100
}

// playResult is the exit status Ansible's strategy returns for a play (the
// playbook's exit code is that of its last play): 4 when any host was ever
// unreachable, 2 when a host has failed (in this play or an earlier one, as
// the TaskQueueManager carries failed hosts into every play's iterator and
// only meta: clear_host_errors forgives them), else 0.
func (pr *playRun) playResult() int {
	r := pr.r
	r.mu.Lock()
	defer r.mu.Unlock()
	failed := false
	for _, h := range r.hosts {
		failed = failed || h.failed
	}
	everUnreachable := len(r.unreachable) > 0
	switch {
	case everUnreachable:
		return ExitUnreachable
	case failed:
		return ExitHostFailed
	}
	return ExitOK
}

// runOnce reports whether a task runs once for the batch: its run_once
// templated with the first host's variables and tested as Python tests a
// value, as Ansible's linear strategy does (so an omitted run_once, the
// omit placeholder, is true).
func (pr *playRun) runOnce(t *playbook.Task, hosts []*hostState) bool {
	v, ok := inherited(t, pr.play, "run_once")
	if !ok {
		return false
	}
	if s, isStr := v.(string); isStr && len(hosts) > 0 {
		vars := pr.r.vars(hosts[0], scope{pr: pr, task: t})
		rv, err := pr.r.opts.Templates.Template(s, ctxFor(vars, t))
		if err != nil {
			return truthy(v)
		}
		return template.Truthy(rv)
	}
	return truthy(v)
}
