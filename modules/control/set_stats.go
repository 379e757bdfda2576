package control

import (
	"context"
	"fmt"

	"gorun/engine/module"
	"gorun/engine/value"
)

func init() { module.Register(setStats{}) }

// setStats returns its data under "ansible_stats"; the runner adds it to the
// run's custom stats, which the recap shows with show_custom_stats.
type setStats struct{}

func (setStats) Doc() *module.Doc {
	return &module.Doc{
		Name:  "set_stats",
		Names: []string{"ansible.builtin.set_stats"},
		Short: "Define and display stats for the current ansible run",
		Description: []string{"This module allows setting/accumulating stats on the current ansible run, either per host or for all hosts in the run.",
			"This module is also supported for Windows targets."},
		Options: []module.Option{
			{Name: "data", Type: "dict", Required: true, Description: "A dictionary of which each key represents a stat (or variable) you want to keep track of."},
			{Name: "per_host", Type: "bool", Default: false, Description: "whether the stats are per host or for all hosts in the run."},
			{Name: "aggregate", Type: "bool", Default: true, Description: "Whether the provided value is aggregated to the existing stat true or will replace it false."},
		},
		Check: module.Full, Diff: module.None, Controller: true,
		Returns: []module.Return{{Name: "ansible_stats", Description: "data, per_host and aggregate, for the runner."}},
		Examples: `- name: Aggregating packages_installed stat per host
  ansible.builtin.set_stats:
    data:
      packages_installed: 31
    per_host: yes

- name: Setting stats (not aggregating)
  ansible.builtin.set_stats:
    data:
      the_answer: 42
    aggregate: no`,
	}
}

func (setStats) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	data := value.ToDict(c.Args["data"])
	if data == nil {
		return module.Failed("The 'data' option needs to be a dictionary/hash"), nil
	}
	for _, k := range data.Keys() {
		if !identifier.MatchString(k) {
			return module.Failed(fmt.Sprintf("The variable name '%s' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.", k)), nil
		}
	}
	stats := value.NewDict()
	stats.Set("data", data)
	stats.Set("per_host", c.Args.Bool("per_host"))
	stats.Set("aggregate", c.Args.Bool("aggregate"))
	return module.Result{"changed": false, "ansible_stats": stats}, nil
}
