package system

import (
	"context"
	"strings"

	"gorun/engine/module"
	"gorun/engine/value"
)

// getentModule is ansible.builtin.getent: it runs getent on the target and
// returns the entries as the ansible_facts getent_DATABASE.
type getentModule struct{}

func init() { module.Register(getentModule{}) }

func (getentModule) Doc() *module.Doc { return getentDoc }

// colonDatabases are split on ':' when split is not given.
var colonDatabases = map[string]bool{"passwd": true, "shadow": true, "group": true, "gshadow": true}

func (getentModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	db, key := a.String("database"), a.String("key")
	argv := []string{"getent", db}
	if a.Has("key") {
		argv = append(argv, key)
	}
	if a.Has("service") {
		argv = append(argv, "-s", a.String("service"))
	}
	split := a.String("split")
	if !a.Has("split") && colonDatabases[db] {
		split = ":"
	}
	o, err := newTarget(ctx, call).Run(nil, argv...)
	if err != nil {
		return nil, err
	}
	tree := map[string]any{}
	facts := map[string]any{"getent_" + db: tree}
	switch o.RC {
	case 0:
		seen := map[string]int{}
		for _, line := range strings.Split(strings.TrimRight(o.Stdout, "\n"), "\n") {
			if line == "" {
				continue
			}
			var record []string
			if split == "" {
				record = strings.Fields(line)
			} else {
				record = strings.Split(line, split)
			}
			if len(record) == 0 {
				continue
			}
			rest := value.FromStrings(record[1:])
			switch seen[record[0]] {
			case 0:
				tree[record[0]] = rest
			case 1:
				tree[record[0]] = []any{tree[record[0]], rest}
			default:
				tree[record[0]] = append(tree[record[0]].([]any), rest)
			}
			seen[record[0]]++
		}
		return module.Result{"changed": false, "ansible_facts": facts}, nil
	case 1:
		return module.Failed("Missing arguments, or database unknown."), nil
	case 2:
		msg := "One or more supplied key could not be found in the database."
		if !a.Bool("fail_key") {
			tree[key] = nil
			return module.Result{"changed": false, "ansible_facts": facts, "msg": msg}, nil
		}
		return module.Failed(msg), nil
	case 3:
		return module.Failed("Enumeration not supported on this database."), nil
	}
	return module.Failed("Unexpected failure!"), nil
}

var getentDoc = &module.Doc{
	Name:  "getent",
	Names: []string{"ansible.builtin.getent"},
	Short: "A wrapper to the unix getent utility",
	Description: []string{
		"Runs getent against one of its various databases and returns information into the host's facts, in a getent_<database> prefixed variable.",
	},
	Options: []module.Option{
		{Name: "database", Required: true, Description: "The name of a getent database supported by the target system (passwd, group, hosts, etc)."},
		{Name: "fail_key", Type: "bool", Default: true, Description: "If a supplied key is missing this will make the task fail if true."},
		{Name: "key", Description: "Key from which to return values from the specified database, otherwise the full contents are returned."},
		{Name: "service", Description: "Override all databases with the specified service The underlying system must support the service flag which is not always available."},
		{Name: "split", Description: "Character used to split the database values into lists/arrays such as : or \\t, otherwise it will try to pick one depending on the database."},
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Get root user info
  ansible.builtin.getent:
    database: passwd
    key: root
- ansible.builtin.debug:
    var: ansible_facts.getent_passwd

- name: Get all groups
  ansible.builtin.getent:
    database: group
    split: ':'
- ansible.builtin.debug:
    var: ansible_facts.getent_group

- name: Get all hosts, split by tab
  ansible.builtin.getent:
    database: hosts
- ansible.builtin.debug:
    var: ansible_facts.getent_hosts

- name: Get http service info, no error if missing
  ansible.builtin.getent:
    database: services
    key: http
    fail_key: False
- ansible.builtin.debug:
    var: ansible_facts.getent_services

- name: Get user password hash (requires sudo/root)
  ansible.builtin.getent:
    database: shadow
    key: www-data
    split: ':'
- ansible.builtin.debug:
    var: ansible_facts.getent_shadow`,
	Returns: []module.Return{
		{Name: "ansible_facts", Description: "Facts to add to ansible_facts.", Returned: "always", Type: "dict"},
	},
}
