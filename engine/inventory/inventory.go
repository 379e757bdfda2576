// Package inventory reads Ansible inventories as ansible-core 2.14 does: INI,
// YAML, JSON and TOML files, executable inventory scripts, "h1,h2," host
// lists and directories of these; group_vars/ and host_vars/ beside the
// inventory and beside the playbook; and host patterns (all, *, globs,
// ~regex, a:b, a,b, a:&b, a:!b, group[0], group[-1], group[1:3], --limit
// with @file).
//
// The data model follows ansible/inventory/{data,group,host}.py: every group
// is below "all", hosts in no group are in "ungrouped", group depth and
// ansible_group_priority decide the order in which group variables apply,
// and an implicit localhost exists for patterns that name it without the
// inventory defining it.
//
// Typical use:
//
//	inv, err := inventory.Load(inventory.Options{Sources: []string{"hosts"}, PlaybookDirs: []string{dir}})
//	// print inv.Warnings as [WARNING]: lines (or set Options.Warn)
//	err = inv.SetLimit("web:!web3")          // --limit
//	hosts, err := inv.Hosts("webservers:&prod") // a play's hosts:
//	layers, err := inv.Layers(hosts[0])        // precedence levels 3-10 for the variable manager
//	inv.AddHost("new", []string{"grp"}, vars)  // add_host
//	inv.AddHostToGroup(h, "os_debian")         // group_by
//
// ansible-inventory's output: ListJSON, ListExportJSON, ListYAML,
// ListExportYAML, ListTOML, ListExportTOML, HostJSON, HostYAML and GraphText
// return exactly what it prints; the JSON and graph forms lack the final
// newline that Ansible's display adds, the YAML and TOML forms end with one
// and Ansible adds nothing. For --playbook-dir, pass it in PlaybookDirs.
package inventory

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"gorun/engine/value"
)

// Options says where an inventory comes from.
type Options struct {
	// Sources are the -i arguments in order: files, directories, or host
	// lists such as "h1,h2,". An empty list gives an inventory with only the
	// implicit localhost, as Ansible's does.
	Sources []string
	// PlaybookDirs are the directories whose group_vars/ and host_vars/ apply
	// as "playbook" variables (the playbook's directory, in Ansible's order).
	PlaybookDirs []string
	// Decrypt decrypts a vault-encrypted group_vars/host_vars file. When nil,
	// such a file is an error ("Attempting to decrypt but no vault secrets found").
	Decrypt func([]byte) ([]byte, error)
	// UnparsedIsFailed makes it an error when no source could be parsed
	// (INVENTORY_UNPARSED_IS_FAILED); by default that is a warning.
	UnparsedIsFailed bool
	// AnyUnparsedIsFailed makes it an error when any source cannot be parsed
	// (INVENTORY_ANY_UNPARSED_IS_FAILED); by default that is a warning.
	AnyUnparsedIsFailed bool
	// IgnoreExts replaces INVENTORY_IGNORE_EXTS (nil: DefaultIgnoreExts) and
	// IgnorePatterns is INVENTORY_IGNORE_PATTERNS: which files of an
	// inventory directory are skipped.
	IgnoreExts     []string
	IgnorePatterns []string
	// PatternMismatch is HOST_PATTERN_MISMATCH for patterns that match no
	// host: "warning" (the default when empty), "error" or "ignore".
	PatternMismatch string
	// NoUnparsedWarning turns off "No inventory was parsed, only implicit
	// localhost is available" (INVENTORY_UNPARSED_WARNING=False).
	NoUnparsedWarning bool
	// MergeHashes is hash_behaviour=merge: mappings defined at several
	// levels are merged recursively instead of replaced.
	MergeHashes bool
	// Warn receives warnings as Ansible would print them ([WARNING]: ...
	// without the prefix). When nil they are collected in Inventory.Warnings.
	Warn func(msg string)
}

// Inventory holds the hosts and groups of all sources. Its methods are safe
// for concurrent use (the runner asks for hosts and variables from many
// goroutines); Options.Warn is called with the inventory locked and must not
// call back into it. Dicts returned by Vars and InventoryVars must not be
// modified.
type Inventory struct {
	// Warnings collects warnings when Options.Warn is nil.
	Warnings []string

	mu sync.Mutex

	opts       Options
	groups     map[string]*Group
	groupOrder []*Group
	hosts      map[string]*Host
	hostOrder  []*Host
	localhost  *Host
	warned     map[string]bool

	currentSource string
	limit         []string
	patternCache  map[string][]*Host
	varsCache     map[string]varsFileData // file path -> decoded vars
	dirCache      map[string]string       // group_vars/host_vars path -> real dir or ""
	foundCache    map[string][]string     // dir + entity -> vars files
	dynamic       []dynamicChange         // add_host and group_by calls, for Refresh
}

// localhostNames is C.LOCALHOST: names that refer to the controller.
var localhostNames = map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true}

// implicitPython is the interpreter Ansible records for the implicit localhost
// (sys.executable of ansible-core on Debian). gorun runs no Python; the
// variable is kept so playbooks that read it see Ansible's value.
const implicitPython = "/usr/bin/python3"

// New returns an empty inventory with the "all" and "ungrouped" groups.
func New(opts Options) *Inventory {
	inv := &Inventory{
		opts:         opts,
		groups:       map[string]*Group{},
		hosts:        map[string]*Host{},
		warned:       map[string]bool{},
		patternCache: map[string][]*Host{},
		varsCache:    map[string]varsFileData{},
		dirCache:     map[string]string{},
		foundCache:   map[string][]string{},
	}
	inv.addGroup("all")
	inv.addGroup("ungrouped")
	_, _ = inv.groups["all"].addChild(inv.groups["ungrouped"])
	return inv
}

// Load parses every source in order, then applies Ansible's rules (every
// group under "all", ungrouped hosts in "ungrouped"). A source no parser can
// read is a warning, as in Ansible; errors are returned only where Ansible
// stops (for example a missing limit file or a broken group_vars file).
func Load(opts Options) (*Inventory, error) {
	inv := New(opts)
	parsed := false
	for _, src := range opts.Sources {
		if src == "" {
			continue
		}
		if !strings.Contains(src, ",") {
			src = absPath(src)
		}
		ok, err := inv.parseSource(src)
		if err != nil {
			return nil, err
		}
		parsed = parsed || ok
	}
	if parsed {
		if err := inv.reconcile(); err != nil {
			return nil, err
		}
	} else if opts.UnparsedIsFailed {
		return nil, fmt.Errorf("No inventory was parsed, please check your configuration and options.")
	} else if !opts.NoUnparsedWarning {
		inv.warn("No inventory was parsed, only implicit localhost is available")
	}
	inv.opts.Sources = absSources(opts.Sources)
	return inv, nil
}

// absPath is unfrackpath(follow=False): absolute, cleaned, ~ expanded.
func absPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	p = expandVars(p)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// envVar is posixpath's _varprog: $NAME or ${NAME}.
var envVar = regexp.MustCompile(`\$(\w+|\{[^}]*\})`)

// expandVars is os.path.expandvars: known environment variables are
// replaced, unknown ones left as written.
func expandVars(p string) string {
	return envVar.ReplaceAllStringFunc(p, func(m string) string {
		name := strings.Trim(m[1:], "{}")
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		return m
	})
}

func absSources(srcs []string) []string {
	out := make([]string, 0, len(srcs))
	for _, s := range srcs {
		if s == "" {
			continue
		}
		if !strings.Contains(s, ",") {
			s = absPath(s)
		}
		out = append(out, s)
	}
	return out
}

func (inv *Inventory) warn(msg string) {
	if inv.warned[msg] {
		return // Ansible's Display prints each warning once
	}
	inv.warned[msg] = true
	if inv.opts.Warn != nil {
		inv.opts.Warn(msg)
		return
	}
	inv.Warnings = append(inv.Warnings, msg)
}

// Group returns the named group, or nil.
func (inv *Inventory) Group(name string) *Group {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.groups[name]
}

// Groups returns every group in the order it was created ("all" and
// "ungrouped" first).
func (inv *Inventory) Groups() []*Group {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return append([]*Group(nil), inv.groupOrder...)
}

// AllHosts returns every host defined by the inventory in the order it was
// first seen (the implicit localhost is not among them).
func (inv *Inventory) AllHosts() []*Host {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return append([]*Host(nil), inv.hostOrder...)
}

// Host returns the named host; for localhost, 127.0.0.1 and ::1 not defined in
// the inventory it returns the implicit localhost (InventoryData.get_host).
func (inv *Inventory) Host(name string) *Host {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.lookupHost(name)
}

func (inv *Inventory) lookupHost(name string) *Host {
	if h := inv.hosts[name]; h != nil {
		return h
	}
	if localhostNames[name] {
		return inv.implicitLocalhost(name)
	}
	return nil
}

func (inv *Inventory) implicitLocalhost(name string) *Host {
	if inv.localhost != nil {
		return inv.localhost
	}
	h := newHost(inv, name)
	h.Implicit = true
	h.vars.Set("ansible_python_interpreter", implicitPython)
	h.vars.Set("ansible_connection", "local")
	inv.localhost = h
	return h
}

// AddGroup adds a group if it does not exist yet and returns it (group_by,
// add_host's groups). Group names are used as given: Ansible's default
// (TRANSFORM_INVALID_GROUP_CHARS=never) only warns about odd characters.
func (inv *Inventory) AddGroup(name string) *Group {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	g := inv.addGroup(name)
	inv.clearCaches()
	return g
}

func (inv *Inventory) addGroup(name string) *Group {
	if g := inv.groups[name]; g != nil {
		return g
	}
	if invalidGroupChars.MatchString(name) {
		inv.warn("Invalid characters were found in group names but not replaced, use -vvvv to see details")
	}
	g := newGroup(name)
	inv.groups[name] = g
	inv.groupOrder = append(inv.groupOrder, g)
	return g
}

// addHost is InventoryData.add_host: it creates the host on first sight
// (recording inventory_file and inventory_dir) and adds it to group.
func (inv *Inventory) addHost(name, group string, port int) (*Host, error) {
	if name == "" {
		return nil, fmt.Errorf("Invalid empty host name provided: %s", name)
	}
	var g *Group
	if group != "" {
		g = inv.groups[group]
		if g == nil {
			return nil, fmt.Errorf("Could not find group %s in inventory", group)
		}
	}
	h := inv.hosts[name]
	if h == nil {
		h = newHost(inv, name)
		if port >= 0 {
			h.vars.Set("ansible_port", port)
		}
		inv.hosts[name] = h
		inv.hostOrder = append(inv.hostOrder, h)
		if inv.currentSource != "" {
			h.vars.Set("inventory_file", inv.currentSource)
			h.vars.Set("inventory_dir", basedir(inv.currentSource))
		} else {
			h.vars.Set("inventory_file", nil)
			h.vars.Set("inventory_dir", nil)
		}
		if localhostNames[name] {
			if inv.localhost == nil || inv.localhost.Implicit {
				inv.localhost = h
			} else {
				inv.warn(fmt.Sprintf("A duplicate localhost-like entry was found (%s). First found localhost was %s", name, inv.localhost.Name))
			}
		}
	}
	if g != nil {
		g.addHost(h)
	}
	return h, nil
}

// setVar is Group/Host.set_variable: a mapping set over a mapping is
// combined with combine_vars, anything else replaces.
func setVar(d *value.Dict, key string, v any, mergeHashes bool) {
	combine(d, value.DictOf(key, v), mergeHashes)
}

// basedir is ansible.utils.path.basedir: a directory itself, a file's
// directory, and for anything else (a host list) the string "None", which is
// what Ansible ends up storing in inventory_dir.
func basedir(source string) string {
	st, err := os.Stat(source)
	switch {
	case err == nil && st.IsDir():
		return source
	case err == nil:
		return filepath.Dir(source)
	}
	return "None"
}

// Sources returns the inventory sources as Ansible records them in
// ansible_inventory_sources: absolute paths, host lists unchanged.
func (inv *Inventory) Sources() []string {
	return append([]string(nil), inv.opts.Sources...)
}

// addChild is InventoryData.add_child: child may name a group or a host.
func (inv *Inventory) addChild(group, child string) error {
	g := inv.groups[group]
	if g == nil {
		return fmt.Errorf("%s is not a known group", group)
	}
	if c := inv.groups[child]; c != nil {
		_, err := g.addChild(c)
		return err
	}
	if h := inv.hosts[child]; h != nil {
		g.addHost(h)
		return nil
	}
	return fmt.Errorf("%s is not a known host nor group", child)
}

// setVariable is InventoryData.set_variable for a group or host named entity.
func (inv *Inventory) setVariable(entity, key string, v any) error {
	return inv.setVariableFrom(entity, key, v, false)
}

// setVariableFrom is setVariable for a value read from YAML (fromYAML) or
// not: Ansible's text from YAML is AnsibleUnicode, from INI or JSON str.
func (inv *Inventory) setVariableFrom(entity, key string, v any, fromYAML bool) error {
	if g := inv.groups[entity]; g != nil {
		if key == "ansible_group_priority" {
			return g.setPriority(v)
		}
		setVar(g.vars, key, v, inv.opts.MergeHashes)
		g.fromYAML.set(key, fromYAML)
		return nil
	}
	if h := inv.hosts[entity]; h != nil {
		setVar(h.vars, key, v, inv.opts.MergeHashes)
		h.fromYAML.set(key, fromYAML)
		return nil
	}
	return fmt.Errorf("Could not identify group or host named %s", entity)
}

// reconcile is InventoryData.reconcile_inventory: groups without a parent go
// under "all", hosts without a group go to "ungrouped", and hosts with other
// groups leave "ungrouped".
func (inv *Inventory) reconcile() error {
	inv.currentSource = ""
	all, ungrouped := inv.groups["all"], inv.groups["ungrouped"]
	for _, g := range inv.groupOrder {
		if g != all && len(g.parents) == 0 {
			if _, err := all.addChild(g); err != nil {
				return err
			}
		}
	}
	for _, h := range inv.hostOrder {
		if h.inGroup(ungrouped) {
			for _, g := range h.groups {
				if g != all && g != ungrouped {
					ungrouped.removeHost(h)
					break
				}
			}
		} else if !h.Implicit {
			if len(h.groups) == 0 || (len(h.groups) == 1 && h.groups[0] == all) {
				ungrouped.addHost(h)
			}
		}
	}
	if lh := inv.localhost; lh != nil && lh.Implicit {
		merged := all.vars.Copy()
		for _, k := range lh.vars.Keys() {
			v, _ := lh.vars.Get(k)
			merged.Set(k, v)
		}
		lh.vars = merged
	}
	for _, g := range inv.groupOrder {
		if inv.hosts[g.Name] != nil {
			inv.warn("Found both group and host with same name: " + g.Name)
		}
	}
	inv.clearCaches()
	return nil
}

func (inv *Inventory) clearCaches() {
	inv.patternCache = map[string][]*Host{}
}
