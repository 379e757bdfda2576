// Package output turns what the runner does into what people and tools read:
// the default callback exactly as ansible-playbook 2.14 prints it (NewDefault),
// ad-hoc output as `ansible` prints it (NewMinimal, NewOneline), and the json
// stdout callback (NewJSON); ByName picks one by its stdout_callback name.
// Results are printed with Python's json.dumps (Dumps) or, with
// result_format=yaml, with libyaml's emitter (DumpYAML).
//
// The runner calls a Callback's methods from one goroutine at a time (it
// serialises events), in the order Ansible's callbacks receive them.
package output

import "time"

// Callback receives the events of a run, like an Ansible callback plugin.
type Callback interface {
	PlaybookStart(file string)
	PlayStart(p *Play)
	// TaskStart is called once per task before any host result (linear strategy);
	// Kind is "TASK", "RUNNING HANDLER" or "CLEANUP TASK".
	TaskStart(t *Task)
	// HostResult is a task's final result on one host.
	HostResult(r *Result)
	// ItemResult is the result of one loop item on one host, before the
	// task's HostResult.
	ItemResult(r *Result)
	// Retry is an until-loop attempt that failed and will be retried.
	Retry(r *Result)
	// Included reports a file included for some hosts (include_tasks/include_role).
	Included(file string, hosts []string, item any, hasItem bool)
	// NoHostsMatched is a play whose pattern matched no host.
	NoHostsMatched()
	// NoHostsRemaining is a play that lost every host.
	NoHostsRemaining()
	// Notified is a handler notification (shown at -vv).
	Notified(handler string, host string)
	// Warning and Deprecation are shown as Ansible's [WARNING]: and
	// [DEPRECATION WARNING]: on stderr, wrapped and each shown once.
	// Deprecation has no version or date: "will be removed in a future
	// release". (Deprecations returned by modules in a result's
	// "deprecations" carry theirs.)
	Warning(msg string)
	Deprecation(msg string)
	// Stats ends the run with the recap.
	Stats(s *Stats)
}

// AsyncReporter is implemented by callbacks that show the polling of async
// tasks (Ansible's v2_runner_on_async_poll, _ok and _failed). The runner
// calls it, when the callback implements it, while it polls a job.
type AsyncReporter interface {
	// AsyncPoll is a poll that found the job still running.
	AsyncPoll(host, jid string, started, finished any)
	// AsyncDone is the end of the polling: the job finished, or failed
	// (including running out of time).
	AsyncDone(host, jid string, failed bool)
}

// HostStarter is implemented by callbacks that want to know when a task
// starts on one host (Ansible's v2_runner_on_start): the default callback's
// show_per_host_start, and the json callback under the free strategies.
// The runner calls it, when the callback implements it, just before the
// task runs on that host.
type HostStarter interface {
	HostStart(t *Task, host string)
}

// Displayer is implemented by callbacks that show the messages Ansible's
// executor prints itself, outside any callback ("N plays in FILE" at -vv).
// The runner calls it, when the stdout callback implements it, with the
// verbosity the message needs.
type Displayer interface {
	Display(msg string, verbosity int)
}

// Play describes a play for the callbacks.
type Play struct {
	Name string // as templated; "" for an unnamed play
	// Hosts is the hosts pattern as written; an unnamed play is shown by it.
	Hosts    []string
	Check    bool   // the play runs in check mode (for [CHECK MODE] markers)
	Strategy string // linear, free, host_pinned
	// UUID and Path (FILE:LINE) identify the play in the json callback.
	UUID string
	Path string
}

// Task describes a task for the callbacks.
type Task struct {
	UUID string // unique per task object in the run
	Name string // the displayed name: "role : name" or the action
	// OwnName is the task's name as written, without the role prefix;
	// "" for an unnamed task. Retry messages show it (Ansible's task_name).
	OwnName string
	Kind    string // TASK, RUNNING HANDLER, CLEANUP TASK
	Path    string // FILE:LINE for `task path:` at -vv
	Action  string // module name as written
	Args    map[string]any
	NoLog   bool
	Check   bool
	Loop    bool // the task has a loop
	// Diff is set when the task runs with --diff or `diff: true`: results'
	// "diff" are shown.
	Diff bool
}

// Status is a host's outcome for a task or item.
type Status int

// The outcomes Ansible distinguishes.
const (
	OK Status = iota
	Changed
	Skipped
	Failed
	Unreachable
)

// Result is a task's (or item's) result on one host.
type Result struct {
	Task *Task
	Host string
	// Delegated is the host the task was delegated to, shown as "h -> d".
	Delegated string
	Status    Status
	// Ignored is set when a failure (or unreachable) was ignored.
	Ignored bool
	// Result is the registered result (module return values plus "changed",
	// "failed", "msg", "results" for loops, internal "_ansible_*" keys).
	// The callbacks clean it as Ansible does before showing it; what they
	// read besides module values, as Ansible's executor sets them:
	//   - "_ansible_verbose_always": true from debug (and other actions
	//     whose result is always shown, indented);
	//   - "_ansible_verbose_override": true hides the result even at -v
	//     (fact gathering);
	//   - "_ansible_no_log": true censors it (as does Task.NoLog);
	//   - on items: "item", "ansible_loop_var" and "_ansible_item_label"
	//     (loop_control.label, else the item);
	//   - on retries: "attempts" and "retries" (retries + 1, as Ansible
	//     counts), so that "N retries left" is retries - attempts;
	//   - "_ansible_delegated_vars" with the delegate's "ansible_host";
	//   - "warnings", "deprecations" and "exception" from modules.
	Result map[string]any
	Start  time.Time
	End    time.Time
}

// HostStats are one host's recap counters.
type HostStats struct {
	OK, Changed, Unreachable, Failures, Skipped, Rescued, Ignored int
}

// Stats is the recap of a run.
type Stats struct {
	Hosts map[string]*HostStats
	// Custom are set_stats data (per host and "_run").
	Custom map[string]any
	Check  bool
}
