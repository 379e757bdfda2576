package system

import (
	"context"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotecmd"
)

// dpkgSelectionsModule is ansible.builtin.dpkg_selections: a package's dpkg
// selection state through dpkg --get-selections and --set-selections.
type dpkgSelectionsModule struct{}

func init() { module.Register(dpkgSelectionsModule{}) }

func (dpkgSelectionsModule) Doc() *module.Doc { return dpkgSelDoc }

func (dpkgSelectionsModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	name, selection := call.Args.String("name"), call.Args.String("selection")
	o, err := t.Run(nil, "dpkg", "--get-selections", name)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return remotecmd.FailRun(strings.TrimSpace(o.Stderr), o), nil
	}
	current := "not present"
	if f := strings.Fields(o.Stdout); len(f) >= 2 {
		current = f[1]
	}
	changed := current != selection
	res := module.Result{"changed": changed, "before": current, "after": selection}
	if call.Check || !changed {
		return res, nil
	}
	o, err = t.ShIn("dpkg --set-selections", []byte(name+" "+selection))
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return remotecmd.FailRun(strings.TrimSpace(o.Stderr), o), nil
	}
	return res, nil
}

var dpkgSelDoc = &module.Doc{
	Name:  "dpkg_selections",
	Names: []string{"ansible.builtin.dpkg_selections"},
	Short: "Dpkg package selection selections",
	Description: []string{
		"Change dpkg package selection state via --get-selections and --set-selections.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Description: "Name of the package."},
		{Name: "selection", Required: true, Choices: []any{"install", "hold", "deinstall", "purge"}, Description: "The selection state to set the package to."},
	},
	Check: module.Full,
	Diff:  module.Full,
	Examples: `- name: Prevent python from being upgraded
  ansible.builtin.dpkg_selections:
    name: python
    selection: hold

- name: Allow python to be upgraded
  ansible.builtin.dpkg_selections:
    name: python
    selection: install`,
}
