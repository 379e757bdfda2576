package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"gorun/engine/inventory"
)

func inventoryMain(prog string, args []string, stdout, stderr io.Writer) int {
	var o options
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	fs.StringArrayVarP(&o.inventories, "inventory", "i", nil, "specify inventory host path or comma separated host list (repeatable)")
	fs.StringVarP(&o.limit, "limit", "l", "", "further limit selected hosts to an additional pattern")
	fs.StringArrayVarP(&o.extraVars, "extra-vars", "e", nil, "set additional variables as key=value or YAML/JSON, if filename prepend with @")
	fs.StringArrayVar(&o.vaultIDs, "vault-id", nil, "the vault identity to use")
	fs.StringArrayVar(&o.vaultFiles, "vault-password-file", nil, "vault password file")
	fs.BoolVar(&o.askVaultPass, "ask-vault-pass", false, "ask for vault password")
	fs.CountVarP(&o.verbose, "verbose", "v", "verbose mode")
	list := fs.Bool("list", false, "Output all hosts info, works as inventory script")
	graph := fs.Bool("graph", false, "create inventory graph, if supplying pattern it must be a valid group name")
	host := fs.String("host", "", "Output specific host info, works as inventory script")
	withVars := fs.Bool("vars", false, "Add vars to graph display, ignored unless used with --graph")
	export := fs.Bool("export", false, "When doing an --list, represent in a way that is optimized for export")
	yamlOut := fs.BoolP("yaml", "y", false, "Use YAML format instead of default JSON, ignored for --graph")
	toml := fs.Bool("toml", false, "Use TOML format instead of default JSON, ignored for --graph")
	outFile := fs.String("output", "", "When doing --list, send the inventory to a file instead of to the screen")
	playbookDir := fs.String("playbook-dir", "", "Since this tool does not use playbooks, use this as a substitute playbook directory")
	if err := parseFlags(prog, fs, args, stderr); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s [options] [host|group]\n\n%s", prog, fs.FlagUsages())
			return 0
		}
		return 2
	}
	modes := 0
	for _, m := range []bool{*list, *graph, *host != ""} {
		if m {
			modes++
		}
	}
	if modes != 1 {
		return fail(stderr, 5, "No action selected, at least one of --host, --graph or --list needs to be specified.")
	}
	var dirs []string
	if *playbookDir != "" {
		dirs = []string{*playbookDir}
	}
	s, err := o.load(dirs, os.Stdin)
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	for _, w := range s.warnings {
		fmt.Fprintf(stderr, "[WARNING]: %s\n", w)
	}
	var out []byte
	text := func(str string, e error) { out, err = []byte(str), e }
	switch {
	case *list && *yamlOut:
		if *export {
			text(inventory.ListExportYAML(s.inv))
		} else {
			text(inventory.ListYAML(s.inv))
		}
	case *list && *toml:
		if *export {
			text(inventory.ListExportTOML(s.inv))
		} else {
			text(inventory.ListTOML(s.inv))
		}
		if err == nil && len(out) == 0 {
			return 1
		}
	case *list:
		if *export {
			out, err = inventory.ListExportJSON(s.inv)
		} else {
			out, err = inventory.ListJSON(s.inv)
		}
	case *host != "" && *yamlOut:
		text(inventory.HostYAML(s.inv, *host))
	case *host != "":
		out, err = inventory.HostJSON(s.inv, *host)
	case *graph:
		group := "all"
		if fs.NArg() > 0 {
			group = fs.Arg(0)
		}
		text(inventory.GraphText(s.inv, group, *withVars))
	}
	if err != nil {
		return fail(stderr, 1, err.Error())
	}
	if *outFile != "" {
		if err := os.WriteFile(*outFile, append(out, '\n'), 0o644); err != nil {
			return fail(stderr, 1, err.Error())
		}
		return 0
	}
	stdout.Write(out)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		fmt.Fprintln(stdout)
	}
	return 0
}
