// Package facts is ansible.builtin.setup: it gathers facts about a target in
// one remote command (facts.sh, plain POSIX sh printing raw data) and parses
// that data on the controller exactly as Ansible's fact collectors parse
// what they read on the target.
package facts

import (
	"context"
	"time"

	"gorun/engine/module"
)

type setup struct{}

func init() { module.Register(setup{}) }

func (setup) Doc() *module.Doc { return setupDoc }

// Run gathers the facts and returns them under ansible_facts.
func (setup) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	o := Options{
		Subset:   a.Strings("gather_subset"),
		Filter:   a.Strings("filter"),
		FactPath: a.String("fact_path"),
		Timeout:  time.Duration(a.Int("gather_timeout")) * time.Second,
		Warn:     call.Warn,
	}
	f, err := Collect(ctx, call.Conn, o)
	if err != nil {
		return module.Result{"failed": true, "changed": false, "msg": err.Error()}, nil
	}
	return module.Result{"ansible_facts": f, "changed": false}, nil
}

var setupDoc = &module.Doc{
	Name:  "setup",
	Names: []string{"ansible.builtin.setup"},
	Short: "Gathers facts about remote hosts",
	Description: []string{
		"This module is automatically called by playbooks to gather useful variables about remote hosts that can be used in playbooks.",
		"gorun gathers the facts with one POSIX shell command on the target (no Python needed) and parses the output on the controller as Ansible's collectors do.",
	},
	Options: []module.Option{
		{Name: "gather_subset", Type: "list", Elements: "str", Default: []any{"all"},
			Description: "If supplied, restrict the additional facts collected to the given subset. Possible values: all, min, hardware, network, virtual, ohai, and facter. Can specify a list of values to specify a larger subset. Values can also be used with an initial ! to specify that that specific subset should not be collected. For instance: !hardware,!network,!virtual,!ohai,!facter. If !all is specified then only the min subset is collected. To avoid collecting even the min subset, specify !all,!min. To collect only specific facts, use !all,!min, and specify the particular fact subsets."},
		{Name: "gather_timeout", Type: "int", Default: 10, Description: "Set the default timeout in seconds for individual fact gathering."},
		{Name: "filter", Type: "list", Elements: "str", Default: []any{},
			Description: "If supplied, only return facts that match one of the shell-style (fnmatch) pattern. An empty list basically means 'no filter'."},
		{Name: "fact_path", Type: "path", Default: DefaultFactPath,
			Description: "Path used for local ansible facts (*.fact) - files in this dir will be run (if executable) and their results be added to ansible_local facts. If a file is not executable it is read instead. File/results format can be JSON or INI-format."},
	},
	Check: module.Full,
	Diff:  module.None,
	Notes: []string{
		"More ansible facts will be added with successive releases.",
		"Not gathered by gorun: the ethtool data of interfaces (features, timestamping), the dmidecode fallback for DMI and virtualization facts when /sys has no DMI data, and python facts (targets need no Python).",
		"gorun reports the C library word size as userspace_bits.",
	},
	Examples: `# Display facts from all hosts and store them indexed by hostname at /tmp/facts.
# gorun all -m ansible.builtin.setup --tree /tmp/facts

# Display only facts regarding memory found by ansible on all hosts and output them.
# gorun all -m ansible.builtin.setup -a 'filter=ansible_*_mb'

# Display only facts returned by facter.
# gorun all -m ansible.builtin.setup -a 'filter=facter_*'

# Collect only facts returned by facter.
# gorun all -m ansible.builtin.setup -a 'gather_subset=!all,!any,facter'

- name: Collect only facts returned by facter
  ansible.builtin.setup:
    gather_subset:
      - '!all'
      - '!any'
      - facter

- name: Filter and return only selected facts
  ansible.builtin.setup:
    filter:
      - 'ansible_distribution'
      - 'ansible_machine_id'
      - 'ansible_*_mb'

# Display only facts about certain interfaces.
# gorun all -m ansible.builtin.setup -a 'filter=ansible_eth[0-2]'

# Restrict additional gathered facts to network and virtual (includes default minimum facts)
# gorun all -m ansible.builtin.setup -a 'gather_subset=network,virtual'

# Collect only network and virtual (excludes default minimum facts)
# gorun all -m ansible.builtin.setup -a 'gather_subset=!all,network,virtual'

# Do not call puppet facter or ohai even if present.
# gorun all -m ansible.builtin.setup -a 'gather_subset=!facter,!ohai'

# Only collect the default minimum amount of facts:
# gorun all -m ansible.builtin.setup -a 'gather_subset=!all'

# Collect no facts, even the default minimum subset of facts:
# gorun all -m ansible.builtin.setup -a 'gather_subset=!all,!min'

# Display facts from Windows hosts with custom facts stored in C:\custom_facts.
# gorun windows -m ansible.builtin.setup -a "fact_path='c:\custom_facts'"
`,
	Returns: []module.Return{
		{Name: "ansible_facts", Description: "Facts about the host, each named with the ansible_ prefix, plus gather_subset and module_setup.", Returned: "always", Type: "dict"},
	},
}
