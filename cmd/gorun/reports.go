package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"gorun/engine/config"
	"gorun/engine/output"
)

// reportOptions are the report files a playbook run writes beside its
// stdout output (for CI: GitLab's JUnit widget and merge-request comments).
type reportOptions struct {
	junit        string // --junit FILE
	plan         string // --plan FILE.md
	failOnChange bool   // --fail-on-change
	profile      string // --profile FILE
}

func (r *reportOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&r.junit, "junit", "", "write a JUnit XML report of the run to this file (as the junit callback)")
	fs.StringVar(&r.plan, "plan", "", "write a Markdown summary of what changed (or would change with --check --diff) per host to this file")
	fs.BoolVar(&r.failOnChange, "fail-on-change", false, "exit 2 when any host changed (or would change with --check): drift detection")
	fs.StringVar(&r.profile, "profile", "", "write gorun's CPU profile (pprof) to this file and show per-task timings (as the profile_tasks callback)")
}

// reports are the report callbacks of a run; err collects their write errors.
type reports struct {
	junit []*output.JUnit
	plan  *output.Plan
	stats *statsRecorder
}

// statsRecorder keeps the recap for --fail-on-change.
type statsRecorder struct {
	output.Null
	changed []string
}

// Stats records the hosts with changes.
func (s *statsRecorder) Stats(st *output.Stats) {
	for h, hs := range st.Hosts {
		if hs.Changed > 0 {
			s.changed = append(s.changed, h)
		}
	}
}

// notificationCallbacks are the callbacks_enabled names gorun has, by the
// short name of their plugin.
var notificationCallbacks = map[string]string{
	"junit": "junit", "ansible.builtin.junit": "junit", "ansible.legacy.junit": "junit",
	"profile_tasks": "profile_tasks", "ansible.posix.profile_tasks": "profile_tasks",
	"timer": "timer", "ansible.posix.timer": "timer",
}

// wrap returns cb with the enabled report callbacks added: junit when named
// in callbacks_enabled (ANSIBLE_CALLBACKS_ENABLED) or when --junit is given,
// the plan with --plan. Enabled callbacks gorun does not have are warned
// about, since they only add output and the run itself is unaffected.
func (r *reportOptions) wrap(cb output.Callback, cfg *config.Config, playbookDir string, stdout io.Writer, verbosity int) (output.Callback, *reports, []string, error) {
	rep := &reports{}
	var warnings []string
	multi := output.Multi{cb}
	profiling := r.profile != ""
	for _, name := range cfg.List("CALLBACKS_ENABLED") {
		name = strings.TrimSpace(name)
		switch notificationCallbacks[name] {
		case "":
			if name != "" {
				warnings = append(warnings, fmt.Sprintf("callback %q in callbacks_enabled is not supported by gorun and is ignored (supported: junit, profile_tasks, timer)", name))
			}
		case "junit":
			j := output.NewJUnit(output.JUnitOptionsFromEnv(os.LookupEnv))
			rep.junit = append(rep.junit, j)
			multi = append(multi, j)
		case "profile_tasks":
			p, err := newProfileTasks(stdout, verbosity)
			if err != nil {
				return nil, nil, nil, err
			}
			multi = append(multi, p)
			profiling = false // shown once, here in the list's order
		case "timer":
			multi = append(multi, output.NewTimer(stdout, nil))
		}
	}
	if profiling {
		p, err := newProfileTasks(stdout, verbosity)
		if err != nil {
			return nil, nil, nil, err
		}
		multi = append(multi, p)
	}
	if r.junit != "" {
		o := output.JUnitOptionsFromEnv(os.LookupEnv)
		o.File = r.junit
		j := output.NewJUnit(o)
		rep.junit = append(rep.junit, j)
		multi = append(multi, j)
	}
	if r.plan != "" {
		rep.plan = output.NewPlan(output.PlanOptions{File: r.plan, BaseDir: playbookDir})
		multi = append(multi, rep.plan)
	}
	if r.failOnChange {
		rep.stats = &statsRecorder{}
		multi = append(multi, rep.stats)
	}
	if len(multi) == 1 {
		return cb, rep, warnings, nil
	}
	return multi, rep, warnings, nil
}

// newProfileTasks is the profile_tasks callback configured from the environment.
func newProfileTasks(stdout io.Writer, verbosity int) (*output.ProfileTasks, error) {
	o, err := output.ProfileTasksOptionsFromEnv(os.LookupEnv)
	if err != nil {
		return nil, err
	}
	o.Verbosity = verbosity
	return output.NewProfileTasks(stdout, o), nil
}

// changedHosts are the hosts with changes (with --fail-on-change).
func (rep *reports) changedHosts() []string {
	if rep.stats == nil {
		return nil
	}
	sort.Strings(rep.stats.changed)
	return rep.stats.changed
}

// writeEmpty writes the reports of a run that had nothing to do, so CI
// finds the files it expects.
func (rep *reports) writeEmpty(playbook string, check bool) {
	var multi output.Multi
	for _, j := range rep.junit {
		multi = append(multi, j)
	}
	if rep.plan != nil {
		multi = append(multi, rep.plan)
	}
	multi.PlaybookStart(playbook)
	multi.Stats(&output.Stats{Hosts: map[string]*output.HostStats{}, Check: check})
}

// errors returns the reports' write errors.
func (rep *reports) errors() []error {
	var errs []error
	for _, j := range rep.junit {
		if j.Err != nil {
			errs = append(errs, j.Err)
		}
	}
	if rep.plan != nil && rep.plan.Err != nil {
		errs = append(errs, rep.plan.Err)
	}
	return errs
}
