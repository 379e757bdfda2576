package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"gorun/engine/module"
	"gorun/engine/playbook"
	"gorun/engine/runner"
	"gorun/engine/value"
	"gorun/engine/yamlx"
)

func adhocMain(prog string, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	o.register(fs)
	moduleName := fs.StringP("module-name", "m", "command", "name of the action to execute")
	moduleArgs := fs.StringP("args", "a", "", "the action's options in space separated k=v format or JSON")
	oneLine := fs.BoolP("one-line", "o", false, "condense output")
	tree := fs.StringP("tree", "t", "", "log output to this directory")
	background := fs.IntP("background", "B", 0, "run asynchronously, failing after X seconds")
	poll := fs.IntP("poll", "P", 15, "set the poll interval if using -B")
	taskTimeout := fs.Int("task-timeout", 0, "set task timeout limit in seconds")
	version := fs.Bool("version", false, "show program's version number and exit")
	if err := parseFlags(prog, fs, args, stderr); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s <host-pattern> [options]\n\n%s", prog, fs.FlagUsages())
			return 0
		}
		return 2
	}
	if *version {
		fmt.Fprintf(stdout, "gorun %s (ansible-core %s compatible)\n", Version, AnsibleVersion)
		return 0
	}
	if *tree != "" {
		return fail(stderr, 5, "--tree is not supported by gorun yet")
	}
	if err := o.checkUnsupported(); err != nil {
		return fail(stderr, 5, err.Error())
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "usage: %s <host-pattern> [options]\n%s: error: the following arguments are required: pattern\n", prog, prog)
		return 2
	}
	pattern := fs.Arg(0)
	mod := *moduleName
	if _, ok := module.Lookup(mod); !ok {
		return fail(stderr, 4, fmt.Sprintf("couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, or incorrect module path.", mod))
	}
	short := playbook.ShortName(mod)
	requiresArgs := map[string]bool{"command": true, "shell": true, "raw": true, "script": true}
	if requiresArgs[short] && *moduleArgs == "" {
		msg := fmt.Sprintf("No argument passed to %s module", mod)
		if strings.HasSuffix(pattern, ".yml") {
			msg += " (did you mean to run ansible-playbook?)"
		}
		return fail(stderr, 5, msg)
	}
	if short == "import_playbook" {
		return fail(stderr, 5, fmt.Sprintf("'%s' is not a valid action for ad-hoc commands", mod))
	}
	taskArgs, err := adhocArgs(*moduleArgs, requiresArgs[short])
	if err != nil {
		return fail(stderr, 5, err.Error())
	}

	cwd, _ := os.Getwd()
	o.promptPasswords = true
	s, err := o.load([]string{cwd}, os.Stdin)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	o.preamble(stdout)
	name := "minimal"
	if *oneLine {
		name = "oneline"
	}
	cb, err := newCallback(name, o.cfg, stdout, stderr, o.verbose, o.check)
	if err != nil {
		return fail(stderr, 5, err.Error())
	}
	for _, w := range append(s.warnings, s.emptyInventoryWarning(pattern)...) {
		cb.Warning(w)
	}
	ro, err := o.runnerOptions(s)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	ro.Callback = cb
	ro.PlaybookDir = cwd
	ro.Loader = &playbook.Loader{PlaybookDir: cwd, Decrypt: s.secrets.Decrypt}

	hosts, err := s.inv.Hosts(pattern)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	if o.limit != "" {
		limited, err := s.inv.Hosts(o.limit)
		if err != nil {
			return fail(stderr, 1, err.Error())
		}
		keep := map[string]bool{}
		for _, h := range limited {
			keep[h.Name] = true
		}
		var both int
		for _, h := range hosts {
			if keep[h.Name] {
				both++
			}
		}
		if both == 0 {
			return fail(stderr, 1, "Specified inventory, host pattern and/or --limit leaves us with no hosts to target.")
		}
	}
	if len(hosts) == 0 {
		cb.Warning("No hosts matched, nothing to do")
		return 0
	}
	if o.listHosts {
		fmt.Fprintf(stdout, "  hosts (%d):\n", len(hosts))
		for _, h := range hosts {
			fmt.Fprintf(stdout, "    %s\n", h.Name)
		}
		return 0
	}

	task := &playbook.Task{Action: mod, Args: taskArgs, Attrs: playbook.Attrs{}}
	if *taskTimeout > 0 {
		task.Attrs["timeout"] = *taskTimeout
	}
	if *background > 0 {
		// -B/-P are the task's async and poll, as Ansible's _play_ds sets them.
		task.Attrs["async"] = *background
		task.Attrs["poll"] = *poll
	}
	block := &playbook.Block{Attrs: playbook.Attrs{}, Implicit: true, Block: []playbook.Item{task}}
	task.Parent = block
	play := &playbook.Play{
		Attrs: playbook.Attrs{"name": "Ansible Ad-Hoc", "hosts": pattern, "gather_facts": false},
		Vars:  value.NewDict(), Tasks: []*playbook.Block{block}, Dir: cwd,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := runner.New(ro).RunPlaybook(ctx, &playbook.Playbook{File: "__adhoc_playbook__", Plays: []*playbook.Play{play}})
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "ERROR! User interrupted execution")
		return runner.ExitInterrupted
	}
	return code
}

// adhocArgs reads -a: a JSON object, or k=v pairs (free form for command-like modules).
func adhocArgs(raw string, freeForm bool) (map[string]any, error) {
	t := strings.TrimSpace(raw)
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		if v, err := value.FromJSON([]byte(t)); err == nil {
			if d, ok := v.(*value.Dict); ok {
				return d.Map(), nil
			}
		}
		if v, _, err := yamlx.Load([]byte(t), "<args>"); err == nil {
			if d := value.ToDict(v); d != nil {
				return d.Map(), nil
			}
		}
	}
	return playbook.ParseKV(raw, freeForm)
}
