// Package runner executes plays: it picks hosts, walks blocks and tasks in
// Ansible's order (linear strategy in lockstep, free per host), runs modules on
// each host in its own goroutine bounded by forks, and keeps per-host state:
// facts, registered variables, notified handlers, failures and the recap.
package runner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"gorun/engine/connection"
	"gorun/engine/inventory"
	"gorun/engine/module"
	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/template"
	"gorun/engine/value"
)

// Exit codes, as ansible-playbook 2.14 returns them.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitHostFailed  = 2
	ExitUnreachable = 4
	ExitParseError  = 4
	ExitBadOptions  = 5
	ExitInterrupted = 99
	ExitUnexpected  = 250
)

// Options configure a run.
type Options struct {
	Inventory *inventory.Inventory
	Loader    *playbook.Loader
	Templates *template.Engine
	Pool      *connection.Pool
	Callback  output.Callback

	Forks       int
	Limit       string // --limit pattern ("" for none)
	Tags        []string
	SkipTags    []string
	Check, Diff bool
	Verbosity   int
	ExtraVars   *value.Dict
	// ExtraVarsFromYAML are the extra vars read from YAML (-e @file, or a
	// mapping that is not JSON); see provenance.go.
	ExtraVarsFromYAML map[string]bool
	StartAtTask       string

	// Connection defaults from the command line and ansible.cfg; host variables override them.
	Connection      string
	RemoteUser      string
	Password        string
	PrivateKeyFiles []string
	SSHArgs         string
	SSHCommonArgs   string
	SSHExtraArgs    string
	HostKeyChecking bool
	Timeout         time.Duration
	Become          connection.Become // -b, --become-user, --become-method, -K

	// Gathering is ansible.cfg's gathering (implicit, explicit, smart).
	Gathering    string
	GatherSubset []string

	// PlaybookDir is playbook_dir.
	PlaybookDir string
	// ConfigFile is ansible_config_file.
	ConfigFile string
	// Version is reported as ansible_version.
	Version string
}

// Runner runs playbooks and ad-hoc tasks against an inventory.
type Runner struct {
	opts Options

	mu    sync.Mutex // guards hosts and stats
	hosts map[string]*hostState
	stats map[string]*output.HostStats
	// custom are set_stats data, guarded by mu.
	custom customStats

	cbMu  sync.Mutex // serialises callback events
	invMu sync.Mutex // serialises inventory changes (add_host, group_by)

	startReached bool // --start-at-task reached
	taskSeq      int

	// breakPlaybook is set when a play must end the playbook: a batch whose
	// hosts all failed, any_errors_fatal, max_fail_percentage.
	breakPlaybook bool
	// failedBreak is set when any_errors_fatal or max_fail_percentage
	// ended the play: Ansible's RUN_FAILED_BREAK_PLAY, which its
	// PlaybookExecutor turns into exit status 2 even when the host that
	// set it off was unreachable.
	failedBreak bool
	// unreachable are the hosts that were ever unreachable in the run.
	unreachable map[string]bool
	// lastResult is the exit status of the last play run, which is the
	// playbook's (Ansible's PlaybookExecutor returns it).
	lastResult int
	// err is the error that ended the run early, if any.
	err error
	// async are the jobs of async tasks.
	async asyncJobs
	// groups resolves module_defaults action groups; see actionGroups.
	groupsOnce sync.Once
	groups     *playbook.ActionGroups
}

// actionGroups is the resolver of module_defaults groups, reading
// collections from the loader's collections path.
func (r *Runner) actionGroups() *playbook.ActionGroups {
	r.groupsOnce.Do(func() {
		r.groups = &playbook.ActionGroups{}
		if r.opts.Loader != nil {
			r.groups.CollectionsPath = r.opts.Loader.CollectionsPath
		}
	})
	return r.groups
}

// Err is the error that ended the last RunPlaybook early (shown by the
// caller as "ERROR! ..."), or nil.
func (r *Runner) Err() error { return r.err }

// New makes a Runner.
func New(opts Options) *Runner {
	if opts.Forks <= 0 {
		opts.Forks = 5
	}
	if opts.ExtraVars == nil {
		opts.ExtraVars = value.NewDict()
	}
	if opts.Pool == nil {
		opts.Pool = connection.NewPool()
	}
	return &Runner{opts: opts, hosts: map[string]*hostState{}, stats: map[string]*output.HostStats{}, unreachable: map[string]bool{}, startReached: opts.StartAtTask == ""}
}

// hostState is what the run knows about one host across plays.
type hostState struct {
	name string
	inv  *inventory.Host

	mu       sync.Mutex
	facts    *value.Dict // ansible_facts, without the ansible_ prefix
	setFacts *value.Dict // set_fact and registered variables
	incVars  *value.Dict // include_vars
	// incJSON are the include_vars variables read from JSON (str, not
	// AnsibleUnicode).
	incJSON map[string]bool
	// yamlFacts are the set_fact variables whose value is a literal of
	// the task's YAML (see provenance.go).
	yamlFacts map[string]bool

	// Per-play state.
	failed      bool
	unreachable bool
	ended       bool // meta: end_host
	// rescuable counts the blocks with a rescue section whose block: part
	// the host is in: a failure there is counted as rescued, not failed.
	rescuable int
	notified  map[*playbook.Task]bool
	// failedTask and failedResult are the last failure, shown to rescue
	// sections as ansible_failed_task and ansible_failed_result.
	failedTask   map[string]any
	failedResult map[string]any
}

func (r *Runner) host(name string) *hostState {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.hosts[name]
	if !ok {
		h = &hostState{name: name, inv: r.opts.Inventory.Host(name), facts: value.NewDict(), setFacts: value.NewDict(), incVars: value.NewDict(), incJSON: map[string]bool{}, yamlFacts: map[string]bool{}}
		r.hosts[name] = h
	}
	return h
}

func (r *Runner) stat(host string) *output.HostStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.stats[host]
	if !ok {
		s = &output.HostStats{}
		r.stats[host] = s
	}
	return s
}

// emit runs f with the callback, one event at a time.
func (r *Runner) emit(f func(cb output.Callback)) {
	if r.opts.Callback == nil {
		return
	}
	r.cbMu.Lock()
	defer r.cbMu.Unlock()
	f(r.opts.Callback)
}

// RunPlaybook runs every play of pb and returns the exit code.
func (r *Runner) RunPlaybook(ctx context.Context, pb *playbook.Playbook) int {
	return r.RunPlaybooks(ctx, []*playbook.Playbook{pb})
}

// RunPlaybooks runs the playbooks one after the other, as
// ansible-playbook runs the playbooks of its command line: facts, host
// state and statistics carry over, and one recap ends the run.
func (r *Runner) RunPlaybooks(ctx context.Context, pbs []*playbook.Playbook) int {
	for _, pb := range pbs {
		r.emit(func(cb output.Callback) {
			cb.PlaybookStart(pb.File)
			if d, ok := cb.(output.Displayer); ok {
				d.Display(fmt.Sprintf("%d plays in %s", len(pb.Plays), pb.Given), 2)
			}
		})
		for _, play := range pb.Plays {
			if err := r.runPlay(ctx, play); err != nil {
				if ctx.Err() != nil {
					return ExitInterrupted
				}
				// An error ends the run without a recap, as an AnsibleError
				// raised in the PlaybookExecutor does; the caller prints it.
				r.err = err
				r.opts.Pool.CloseAll()
				var pe *playbook.Error
				if errors.As(err, &pe) {
					return pe.ExitCode()
				}
				return ExitError
			}
			if ctx.Err() != nil {
				return ExitInterrupted
			}
			if r.breakPlaybook {
				break
			}
		}
		// Each playbook ends with a recap of the run so far, and a
		// playbook that did not succeed ends the run (PlaybookExecutor).
		r.async.wait()
		if code := r.finish(r.lastResult, nil); code != ExitOK || r.breakPlaybook {
			return code
		}
	}
	return ExitOK
}

// RunError is a fatal error that stops the run (undefined play hosts, missing files).
type RunError struct{ Err error }

func (e *RunError) Error() string { return e.Err.Error() }

// finish ends the run with the recap and returns code, the exit status.
func (r *Runner) finish(code int, err error) int {
	stats := &output.Stats{Hosts: map[string]*output.HostStats{}, Check: r.opts.Check}
	r.mu.Lock()
	for h, s := range r.stats {
		// A copy: later playbooks of the run go on counting.
		cp := *s
		stats.Hosts[h] = &cp
	}
	stats.Custom = r.custom.forCallbacks()
	r.mu.Unlock()
	r.emit(func(cb output.Callback) { cb.Stats(stats) })
	r.opts.Pool.CloseAll()
	return code
}

// sortedHostNames lists host names in a stable order for messages.
func sortedHostNames(hs []*hostState) []string {
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.name
	}
	sort.Strings(names)
	return names
}

// moduleFor finds the module behind an action name.
func moduleFor(action string, collections []string) (module.Module, error) {
	m, ok := module.Lookup(action, collections...)
	if !ok {
		return nil, fmt.Errorf("couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, or incorrect module path.", action)
	}
	return m, nil
}
