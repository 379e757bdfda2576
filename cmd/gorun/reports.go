package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"gorun/engine/config"
	"gorun/engine/output"
)

// reportOptions are the report files a playbook run writes beside its
// stdout output (for CI: GitLab's JUnit widget and merge-request comments).
type reportOptions struct {
	junit string // --junit FILE
	plan  string // --plan FILE.md
}

func (r *reportOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&r.junit, "junit", "", "write a JUnit XML report of the run to this file (as the junit callback)")
	fs.StringVar(&r.plan, "plan", "", "write a Markdown summary of what changed (or would change with --check --diff) per host to this file")
}

// reports are the report callbacks of a run; err collects their write errors.
type reports struct {
	junit []*output.JUnit
	plan  *output.Plan
}

// notificationCallbacks are the callbacks_enabled names gorun has.
var notificationCallbacks = map[string]bool{"junit": true, "ansible.builtin.junit": true, "ansible.legacy.junit": true}

// wrap returns cb with the enabled report callbacks added: junit when named
// in callbacks_enabled (ANSIBLE_CALLBACKS_ENABLED) or when --junit is given,
// the plan with --plan. Enabled callbacks gorun does not have are warned
// about, since they only add output and the run itself is unaffected.
func (r *reportOptions) wrap(cb output.Callback, cfg *config.Config, playbookDir string) (output.Callback, *reports, []string) {
	rep := &reports{}
	var warnings []string
	multi := output.Multi{cb}
	for _, name := range cfg.List("CALLBACKS_ENABLED") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !notificationCallbacks[name] {
			warnings = append(warnings, fmt.Sprintf("callback %q in callbacks_enabled is not supported by gorun and is ignored (supported: junit)", name))
			continue
		}
		j := output.NewJUnit(output.JUnitOptionsFromEnv(os.LookupEnv))
		rep.junit = append(rep.junit, j)
		multi = append(multi, j)
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
	if len(multi) == 1 {
		return cb, rep, warnings
	}
	return multi, rep, warnings
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
