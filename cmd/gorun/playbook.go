package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"gorun/engine/module"
	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/runner"
	"gorun/engine/template"
)

type playbookOptions struct {
	options
	tags        []string
	skipTags    []string
	listTasks   bool
	listTags    bool
	startAtTask string
	step        bool
	forceHandle bool
	reports     reportOptions
	ci          ciOptions
}

func playbookMain(prog string, args []string, stdout, stderr io.Writer) int {
	var o playbookOptions
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	o.register(fs)
	o.reports.register(fs)
	o.ci.register(fs)
	fs.StringArrayVarP(&o.tags, "tags", "t", nil, "only run plays and tasks tagged with these values")
	fs.StringArrayVar(&o.skipTags, "skip-tags", nil, "only run plays and tasks whose tags do not match these values")
	fs.BoolVar(&o.listTasks, "list-tasks", false, "list all tasks that would be executed")
	fs.BoolVar(&o.listTags, "list-tags", false, "list all available tags")
	fs.StringVar(&o.startAtTask, "start-at-task", "", "start the playbook at the task matching this name")
	fs.BoolVar(&o.step, "step", false, "one-step-at-a-time: confirm each task before running")
	fs.BoolVar(&o.forceHandle, "force-handlers", false, "run handlers even if a task fails")
	version := fs.Bool("version", false, "show program's version number and exit")
	if err := parseFlags(prog, fs, args, stderr); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s [options] playbook.yml [playbook2 ...]\n\n%s", prog, fs.FlagUsages())
			return 0
		}
		return 2
	}
	if *version {
		fmt.Fprintf(stdout, "gorun %s (ansible-core %s compatible)\n", Version, AnsibleVersion)
		return 0
	}
	if o.step {
		return fail(stderr, 5, "--step is not supported by gorun (it runs non-interactively)")
	}
	if err := o.checkUnsupported(); err != nil {
		return fail(stderr, 5, err.Error())
	}
	books := fs.Args()
	if len(books) == 0 {
		fmt.Fprintf(stderr, "usage: %s [options] playbook.yml [playbook2 ...]\n%s: error: the following arguments are required: playbook\n", prog, prog)
		return 2
	}
	var dirs []string
	for _, b := range books {
		abs, err := filepath.Abs(b)
		if err != nil {
			return fail(stderr, 1, err.Error())
		}
		if st, err := os.Stat(abs); err != nil || st.IsDir() {
			return fail(stderr, 1, fmt.Sprintf("the playbook: %s could not be found", b))
		}
		dirs = append(dirs, filepath.Dir(abs))
	}

	o.promptPasswords = !o.listHosts && !o.listTasks && !o.listTags && !o.syntaxCheck
	s, err := o.load(dirs, os.Stdin)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	o.preamble(stdout)
	cb, err := newCallback("", o.cfg, stdout, stderr, o.verbose, o.check)
	if err != nil {
		return fail(stderr, 5, err.Error())
	}
	cb, reps, repWarnings, err := o.reports.wrap(cb, o.cfg, dirs[0], stdout, o.verbose)
	if err != nil {
		return fail(stderr, 5, err.Error())
	}
	// On a terminal, a live line shows the running task's slowest host.
	if cols, ok := output.TerminalColumns(stdout); ok && os.Getenv("GORUN_PROGRESS") != "0" {
		p := output.NewProgress(cb, stdout, cols, 250*time.Millisecond)
		defer p.Close()
		cb = p
	}
	if o.reports.profile != "" {
		stop, err := startCPUProfile(o.reports.profile)
		if err != nil {
			return fail(stderr, 5, err.Error())
		}
		defer stop()
	}
	for _, w := range append(append(s.warnings, s.emptyInventoryWarning("all")...), repWarnings...) {
		cb.Warning(w)
	}

	var warnings, deprecations []string
	loader := &playbook.Loader{
		RolesPath:       o.cfg.List("DEFAULT_ROLES_PATH"),
		CollectionsPath: collectionsPath(o.cfg),
		KnownAction: func(name string, collections []string) bool {
			_, ok := module.Lookup(name, collections...)
			return ok
		},
		Decrypt:     s.secrets.Decrypt,
		PlaybookDir: dirs[0],
		Warn:        func(msg string) { warnings = append(warnings, msg) },
		Deprecate:   func(msg string) { deprecations = append(deprecations, msg) },
		Static: func(str string) (string, error) {
			return s.templates.RenderString(str, &template.Context{Vars: s.extraVars.Map()})
		},
	}
	var pbs []*playbook.Playbook
	for _, b := range books {
		pb, err := loader.LoadPlaybook(b)
		for _, d := range deprecations {
			cb.Deprecation(d)
		}
		for _, w := range warnings {
			cb.Warning(w)
		}
		warnings, deprecations = nil, nil
		if err != nil {
			code := 1
			var pe *playbook.Error
			if errors.As(err, &pe) {
				code = pe.ExitCode()
			}
			return fail(stderr, code, err.Error())
		}
		pbs = append(pbs, pb)
	}
	if o.syntaxCheck {
		for _, b := range books {
			fmt.Fprintf(stdout, "\nplaybook: %s\n", b)
		}
		return 0
	}
	ro, err := o.runnerOptions(s)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	ro.Loader = loader
	ro.Callback = cb
	ro.Tags = splitTags(o.tags)
	ro.SkipTags = splitTags(o.skipTags)
	ro.StartAtTask = o.startAtTask
	ro.PlaybookDir = dirs[0]
	cl, err := o.ci.apply(s.inv, s.inv.Sources(), loader, pbs, o.limit, o.cfg.File())
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	if cl.active {
		if o.listHosts {
			cl.printNotes(stdout)
		}
		if len(cl.hosts) == 0 {
			fmt.Fprintln(stdout, "No hosts are affected (--changed-since/--shard): nothing to do.")
			if !o.listHosts && !o.listTasks && !o.listTags {
				reps.writeEmpty(books[0], o.check)
			}
			return 0
		}
		ro.Limit = strings.Join(cl.hosts, ",")
	}
	if o.listHosts || o.listTasks || o.listTags {
		return listPlaybooks(stdout, stderr, books, pbs, &o, ro)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := runner.ExitOK
	r := runner.New(ro)
	if c := r.RunPlaybooks(ctx, pbs); c != runner.ExitOK {
		code = c
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "ERROR! User interrupted execution")
			return runner.ExitInterrupted
		}
		if err := r.Err(); err != nil {
			return fail(stderr, c, err.Error())
		}
	}
	if changed := reps.changedHosts(); len(changed) > 0 && code == runner.ExitOK {
		fmt.Fprintf(stderr, "ERROR! %d host(s) changed or would change (--fail-on-change): %s\n", len(changed), strings.Join(changed, ", "))
		code = 2
	}
	for _, err := range reps.errors() {
		fmt.Fprintf(stderr, "ERROR! %s\n", err)
		if code == runner.ExitOK {
			code = 1
		}
	}
	return code
}

func splitTags(list []string) []string {
	var out []string
	for _, t := range list {
		for _, p := range strings.Split(t, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// fail prints Ansible's "ERROR! msg" and returns code.
func fail(stderr io.Writer, code int, msg string) int {
	// Ansible's Display adds a newline only to a message without one.
	fmt.Fprintf(stderr, "ERROR! %s\n", strings.TrimSuffix(msg, "\n"))
	return code
}

// listPlaybooks prints --list-hosts, --list-tasks and --list-tags as
// ansible-playbook does, without connecting to any host.
func listPlaybooks(stdout, stderr io.Writer, books []string, pbs []*playbook.Playbook, o *playbookOptions, ro runner.Options) int {
	for i, pb := range pbs {
		fmt.Fprintf(stdout, "\nplaybook: %s\n", books[i])
		for n, play := range pb.Plays {
			lines, err := runner.ListPlay(ro, play, n+1, o.listHosts, o.listTasks, o.listTags)
			if err != nil {
				return fail(stderr, 1, err.Error())
			}
			for _, l := range lines {
				fmt.Fprintln(stdout, l)
			}
		}
	}
	return 0
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
