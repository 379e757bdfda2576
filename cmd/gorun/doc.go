package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"gorun/engine/module"
)

// docMain prints module documentation from the modules' own argument specs,
// as ansible-doc does.
func docMain(prog string, args []string, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet(prog, pflag.ContinueOnError)
	list := fs.BoolP("list", "l", false, "List available plugins")
	snippet := fs.BoolP("snippet", "s", false, "Show playbook snippet for these plugin types")
	typ := fs.StringP("type", "t", "module", "Choose which plugin type (defaults to \"module\")")
	if err := parseFlags(prog, fs, args, stderr); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s [-l] [-s] [plugin ...]\n\n%s", prog, fs.FlagUsages())
			return 0
		}
		return 2
	}
	if *typ != "module" {
		return fail(stderr, 5, fmt.Sprintf("gorun doc only documents modules, not plugin type %q", *typ))
	}
	if *list {
		for _, n := range module.Names() {
			m, _ := module.Lookup(n)
			d := m.Doc()
			name := n
			if len(d.Names) > 0 {
				name = d.Names[0]
			}
			fmt.Fprintf(stdout, "%-40s %s\n", name, d.Short)
		}
		return 0
	}
	if fs.NArg() == 0 {
		return fail(stderr, 5, "Incorrect options passed")
	}
	code := 0
	for _, name := range fs.Args() {
		m, ok := module.Lookup(name)
		if !ok {
			fmt.Fprintf(stderr, "[WARNING]: module %s not found in gorun's built-in modules\n", name)
			code = 1
			continue
		}
		d := m.Doc()
		if *snippet {
			fmt.Fprint(stdout, snippetText(d))
			continue
		}
		fmt.Fprint(stdout, d.Text())
	}
	return code
}

func snippetText(d *module.Doc) string {
	var b strings.Builder
	fqcn := d.Name
	if len(d.Names) > 0 {
		fqcn = d.Names[0]
	}
	fmt.Fprintf(&b, "- name: %s\n  %s:\n", d.Short, fqcn)
	for _, o := range d.Options {
		desc := o.Description
		if i := strings.Index(desc, ". "); i > 0 {
			desc = desc[:i+1]
		}
		mark := ""
		if o.Required {
			mark = "   # required."
		}
		fmt.Fprintf(&b, "      %s:%s # %s\n", o.Name, mark, desc)
	}
	return b.String()
}
