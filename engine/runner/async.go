package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/engine/value"
)

// defaultPollInterval is Ansible's DEFAULT_POLL_INTERVAL: how often an
// async task without poll: is checked.
const defaultPollInterval = 15

// noAsync are the actions whose Ansible action plugin refuses async
// (ActionBase._supports_async false); controller-only actions refuse it too.
var noAsync = map[string]bool{
	"assemble": true, "copy": true, "fetch": true, "raw": true, "script": true,
	"template": true, "unarchive": true, "async_status": true,
}

// asyncJob is a task started with async: its module runs in the background
// (on the controller, driving the target over the connection as any module
// does) while the play goes on. Its result is kept for async_status and
// written to the job's results file on the target, as Ansible's
// async_wrapper writes it.
type asyncJob struct {
	jid, host, resultsFile string
	done                   chan struct{}
	result                 map[string]any
}

// asyncJobs are the jobs of a run.
type asyncJobs struct {
	mu   sync.Mutex
	jobs map[string]*asyncJob // by host and jid
	wg   sync.WaitGroup
}

func jobKey(host, jid string) string { return host + "\x00" + jid }

func (a *asyncJobs) get(host, jid string) *asyncJob {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.jobs[jobKey(host, jid)]
}

func (a *asyncJobs) remove(host, jid string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.jobs, jobKey(host, jid))
}

// wait blocks until every job driven from the controller has ended: such
// a job (a module that is not module.Detachable) cannot go on after gorun
// exits, so a run waits for its fire-and-forget jobs (each bounded by its
// async time). Detached jobs are not waited for.
func (a *asyncJobs) wait() { a.wg.Wait() }

// jobTimeLimit is when a job is stopped: Ansible's async_wrapper checks its
// child every 5 seconds, after a first 5-second wait, so a job gets up to
// that much more than its async time (while the poller gives up on time).
func jobTimeLimit(secs int) int {
	return 5 + 5*((secs+4)/5)
}

// asyncSettings reads a task's async and poll keywords.
func (pr *playRun) asyncSettings(t *playbook.Task, vars map[string]any) (secs, poll int) {
	v, ok := t.Attrs["async"]
	if !ok {
		return 0, 0
	}
	tctx := ctxFor(vars, t)
	secs = toInt(renderOr(pr.r, v, tctx))
	poll = defaultPollInterval
	if p, ok := t.Attrs["poll"]; ok {
		poll = toInt(renderOr(pr.r, p, tctx))
	}
	return secs, poll
}

// runAsync starts the module as a job and, with poll > 0, polls it every
// poll seconds until it finishes or async seconds have passed, as
// Ansible's TaskExecutor._poll_async_result does; with poll 0 it returns
// the job's id at once.
func (pr *playRun) runAsync(ctx context.Context, mod module.Module, call *module.Call, t *playbook.Task, secs, poll int) map[string]any {
	r := pr.r
	if doc := mod.Doc(); doc.Controller || noAsync[doc.Name] {
		// Ansible's AnsibleActionFail, raised outside an exception, carries
		// an empty traceback that the callback shows.
		return map[string]any{"failed": true, "msg": "async is not supported for this task.", "exception": "NoneType: None\n"}
	}
	jid := fmt.Sprintf("j%d.%d", 100000000000+rand.Int64N(900000000000), os.Getpid())
	if d, ok := mod.(module.Detachable); ok && poll <= 0 {
		return pr.detachJob(ctx, d, call, jid, secs)
	}
	// Every other job is driven from the controller, as any module is: its
	// module needs gorun (Go code talking to the target), so the run waits
	// for the job before it exits (Runner.async.wait), and the job's result
	// is written to its job file when it ends.
	file, err := startJobFile(ctx, call, asyncDirOf(call.Vars), jid, "")
	if err != nil {
		return map[string]any{"failed": true, "msg": err.Error()}
	}
	job := &asyncJob{jid: jid, host: call.Host, resultsFile: file, done: make(chan struct{})}
	r.async.mu.Lock()
	if r.async.jobs == nil {
		r.async.jobs = map[string]*asyncJob{}
	}
	r.async.jobs[jobKey(call.Host, jid)] = job
	r.async.mu.Unlock()
	r.async.wg.Add(1)
	// The job outlives the task: it is not cancelled with it.
	jctx := context.WithoutCancel(ctx)
	go func() {
		defer r.async.wg.Done()
		res := pr.runModule(jctx, mod, call, jobTimeLimit(secs), t)
		if msg, _ := res["msg"].(string); strings.HasPrefix(msg, "The "+t.Action+" action failed to execute in the expected time frame") {
			// The time limit of async_wrapper.
			res = map[string]any{"failed": true, "msg": "Timeout exceeded"}
		}
		job.result = res
		close(job.done)
		writeJobFile(jctx, call, file, res)
	}()
	if poll <= 0 {
		return startedResult(jid, file)
	}
	timeLeft := secs
	var status map[string]any
	for timeLeft > 0 {
		select {
		case <-ctx.Done():
			return map[string]any{"failed": true, "msg": ctx.Err().Error()}
		case <-time.After(time.Duration(poll) * time.Second):
		}
		status = r.asyncStatus(call.Host, jid, "status")
		if toInt(status["finished"]) == 1 {
			break
		}
		timeLeft -= poll
		r.emit(func(cb output.Callback) {
			if ar, ok := cb.(output.AsyncReporter); ok {
				ar.AsyncPoll(call.Host, jid, status["started"], status["finished"])
			}
		})
	}
	if status == nil || toInt(status["finished"]) != 1 {
		if status != nil {
			// The last poll's raw module result, with its invocation as
			// Ansible's async_status module reports it.
			status["invocation"] = map[string]any{"module_args": map[string]any{
				"_async_dir": path.Dir(file), "jid": jid, "mode": "status"}}
		}
		res := map[string]any{"failed": true, "msg": fmt.Sprintf("async task did not complete within the requested time - %ds", secs), "async_result": status}
		r.emit(func(cb output.Callback) {
			if ar, ok := cb.(output.AsyncReporter); ok {
				ar.AsyncDone(call.Host, jid, true)
			}
		})
		return res
	}
	// A finished job's file is removed, as Ansible cleans up after polling.
	removeJobFile(ctx, call, file)
	r.async.remove(call.Host, jid)
	r.emit(func(cb output.Callback) {
		if ar, ok := cb.(output.AsyncReporter); ok {
			ar.AsyncDone(call.Host, jid, truthy(status["failed"]))
		}
	})
	return status
}

// asyncStatus is the async_status action on host: the job's state, merged
// over the keys Ansible's async_status action always returns.
func (r *Runner) asyncStatus(host, jid, mode string) map[string]any {
	res := map[string]any{"started": 0, "finished": 0, "stdout": "", "stderr": "",
		"stdout_lines": []any{}, "stderr_lines": []any{}, "ansible_job_id": jid}
	job := r.async.get(host, jid)
	if job == nil {
		res["failed"] = true
		res["msg"] = "could not find job"
		res["started"], res["finished"] = 1, 1
		return res
	}
	if mode == "cleanup" {
		res["erased"] = job.resultsFile
		return res
	}
	res["results_file"] = job.resultsFile
	res["started"] = 1
	select {
	case <-job.done:
	default:
		return res
	}
	for k, v := range job.result {
		res[k] = v
	}
	res["finished"] = 1
	return res
}

// asyncDirOf is the async directory of a task: ansible_async_dir, or
// Ansible's default.
func asyncDirOf(vars map[string]any) string {
	if v, ok := vars["ansible_async_dir"].(string); ok && v != "" {
		return v
	}
	return "~/.ansible_async"
}

// quoteDir quotes a directory for the shell, leaving a leading ~/ to be
// expanded to the user's home.
func quoteDir(dir string) string {
	if rest, ok := strings.CutPrefix(dir, "~/"); ok {
		return `"$HOME"/` + shell.Quote(rest)
	}
	return shell.Quote(dir)
}

// asyncDirOn is the async directory's path on the target, expanded.
func asyncDirOn(ctx context.Context, conn connection.Conn, dir string) (string, error) {
	res, err := conn.Exec(ctx, "printf '%s' "+quoteDir(dir), connection.ExecOptions{})
	if err != nil {
		return "", err
	}
	return string(res.Stdout), nil
}

// writeJobFile writes a finished job's result to its results file.
func writeJobFile(ctx context.Context, call *module.Call, file string, res map[string]any) {
	b, err := json.Marshal(res)
	if err != nil {
		return
	}
	opts := connection.ExecOptions{}
	opts.Stdin = strings.NewReader(string(b))
	call.Conn.Exec(ctx, "cat > "+shell.Quote(file), opts)
}

func removeJobFile(ctx context.Context, call *module.Call, file string) {
	call.Conn.Exec(ctx, "rm -f "+shell.Quote(file), connection.ExecOptions{})
}

// asyncStatusTask runs an async_status task: the state of a job of this
// host, or (mode: cleanup) the removal of its results file.
func (pr *playRun) asyncStatusTask(ctx context.Context, t *playbook.Task, h *hostState, vars map[string]any, args module.Args) map[string]any {
	jid, mode := args.String("jid"), args.String("mode")
	if pr.r.async.get(h.name, jid) == nil {
		return pr.asyncStatusOnTarget(ctx, t, h, vars, jid, mode)
	}
	res := pr.r.asyncStatus(h.name, jid, mode)
	if res["msg"] == "could not find job" {
		// The action names the file it looked for.
		conn, err := pr.connect(ctx, t, h, vars, "")
		if err != nil {
			return map[string]any{"failed": true, "msg": err.Error()}
		}
		dir, err := asyncDirOn(ctx, conn, asyncDirOf(vars))
		if err != nil {
			return map[string]any{"failed": true, "msg": err.Error()}
		}
		res["results_file"] = dir + "/" + jid
	}
	if mode == "cleanup" {
		if job := pr.r.async.get(h.name, jid); job != nil {
			if conn, err := pr.connect(ctx, t, h, vars, ""); err == nil {
				removeJobFile(ctx, &module.Call{Conn: conn}, job.resultsFile)
			}
			pr.r.async.remove(h.name, jid)
		}
	}
	return res
}

// asyncStatusOnTarget answers async_status for a job this run did not
// start (an earlier run's, e.g. `gorun -B 60 -P 0` then `gorun -m
// async_status`) from its results file on the target, as Ansible's
// async_status module reads it.
func (pr *playRun) asyncStatusOnTarget(ctx context.Context, t *playbook.Task, h *hostState, vars map[string]any, jid, mode string) map[string]any {
	fail := func(err error) map[string]any { return map[string]any{"failed": true, "msg": err.Error()} }
	conn, err := pr.connect(ctx, t, h, vars, "")
	if err != nil {
		return fail(err)
	}
	dir, err := asyncDirOn(ctx, conn, asyncDirOf(vars))
	if err != nil {
		return fail(err)
	}
	file := dir + "/" + jid
	res := map[string]any{"started": 0, "finished": 0, "stdout": "", "stderr": "",
		"stdout_lines": []any{}, "stderr_lines": []any{}, "ansible_job_id": jid, "changed": false}
	if mode == "cleanup" {
		res["erased"] = file
	} else {
		res["results_file"] = file
		res["started"] = 1
	}
	out, err := conn.Exec(ctx, "cat "+shell.Quote(file), connection.ExecOptions{})
	if err != nil {
		return fail(err)
	}
	if out.ExitCode != 0 {
		res["failed"], res["msg"] = true, "could not find job"
		res["started"], res["finished"] = 1, 1
		res["results_file"] = file
		return res
	}
	if mode == "cleanup" {
		removeJobFile(ctx, &module.Call{Conn: conn}, file)
		return res
	}
	v, err := value.FromJSON(out.Stdout)
	data := value.ToDict(v)
	if err != nil || data == nil {
		if strings.TrimSpace(string(out.Stdout)) == "" {
			res["finished"] = 0 // not written yet: the job is running
			return res
		}
		res["failed"], res["finished"] = true, 1
		res["msg"] = "Could not parse job output: " + string(out.Stdout)
		return res
	}
	if _, ok := data.Get("started"); !ok {
		data.Set("finished", 1)
		data.Set("ansible_job_id", jid)
	} else if _, ok := data.Get("finished"); !ok {
		data.Set("finished", 0)
	}
	for _, k := range data.Keys() {
		res[k], _ = data.Get(k)
	}
	// The action splits the module's output into lines, as for any module.
	for _, k := range []string{"stdout", "stderr"} {
		s, ok := res[k].(string)
		if _, has := data.Get(k + "_lines"); ok && !has {
			lines := []any{}
			for _, l := range pytext.SplitLines(s) {
				lines = append(lines, l)
			}
			res[k+"_lines"] = lines
		}
	}
	return res
}
