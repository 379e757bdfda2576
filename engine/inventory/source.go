package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gorun/engine/value"
)

// DefaultIgnoreExts is INVENTORY_IGNORE_EXTS: files of an inventory
// directory with these endings are not inventory sources.
var DefaultIgnoreExts = []string{".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".ini", ".cfg", ".retry"}

// ignoredEntries builds the manager's IGNORED expression: hidden entries,
// host_vars, group_vars, vars_plugins, INVENTORY_IGNORE_PATTERNS (Python
// regexes searched anywhere in the name) and INVENTORY_IGNORE_EXTS.
func ignoredEntries(exts, patterns []string) (*regexp.Regexp, error) {
	if exts == nil {
		exts = DefaultIgnoreExts
	}
	parts := []string{`^\.`, `^host_vars$`, `^group_vars$`, `^vars_plugins$`}
	parts = append(parts, patterns...)
	for _, e := range exts {
		parts = append(parts, regexp.QuoteMeta(e)+`$`)
	}
	re, err := regexp.Compile(strings.Join(parts, "|"))
	if err != nil {
		return nil, fmt.Errorf("invalid INVENTORY_IGNORE_PATTERNS %q: %v", patterns, err)
	}
	return re, nil
}

// pluginFailure is one inventory plugin's reason for rejecting a source.
type pluginFailure struct {
	plugin string
	err    error
}

// errUnsupported marks inventory features gorun does not have; they are
// errors, never warnings, so that nothing is silently ignored.
var errUnsupported = errors.New("not supported by gorun")

// parseSource is InventoryManager.parse_source: a directory is read entry by
// entry in sorted order; anything else is offered to the enabled plugins in
// Ansible's default order (host_list, script, auto, yaml, ini, toml) until
// one parses it. A source that yields nothing (a directory included) is
// Ansible's "Unable to parse" warning.
func (inv *Inventory) parseSource(src string) (bool, error) {
	var parsed bool
	var failures []pluginFailure
	var err error
	if st, statErr := os.Stat(src); statErr == nil && st.IsDir() {
		parsed, err = inv.parseDir(src)
	} else {
		parsed, failures, err = inv.parseWithPlugins(src)
	}
	if err != nil || parsed {
		return parsed, err
	}
	if _, err := os.Stat(src); src != "/etc/ansible/hosts" || err == nil {
		for _, f := range failures {
			inv.warn(fmt.Sprintf("\n* Failed to parse %s with %s plugin: %s", src, f.plugin, f.err))
		}
		if inv.opts.AnyUnparsedIsFailed {
			return false, fmt.Errorf("Completely failed to parse inventory source %s", src)
		}
		inv.warn(fmt.Sprintf("Unable to parse %s as an inventory source", src))
	}
	return false, nil
}

// parseDir reads the entries of an inventory directory in sorted order,
// skipping the ignored ones.
func (inv *Inventory) parseDir(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	ignored, err := ignoredEntries(inv.opts.IgnoreExts, inv.opts.IgnorePatterns)
	if err != nil {
		return false, err
	}
	parsed := false
	for _, name := range names {
		if ignored.MatchString(name) {
			continue
		}
		ok, err := inv.parseSource(filepath.Join(dir, name))
		if err != nil {
			return false, err
		}
		parsed = parsed || ok
	}
	return parsed, nil
}

// parseWithPlugins offers a file or host list to the plugins in order until
// one parses it, and returns the failures of those that tried.
func (inv *Inventory) parseWithPlugins(src string) (bool, []pluginFailure, error) {
	inv.currentSource = src
	defer func() { inv.currentSource = "" }()
	var failures []pluginFailure
	for _, p := range inventoryPlugins {
		if !p.verify(src) {
			continue
		}
		err := p.parse(inv, src)
		if err == nil {
			return true, nil, nil
		}
		if errors.Is(err, errUnsupported) {
			return false, nil, err
		}
		failures = append(failures, pluginFailure{p.name, err})
	}
	return false, failures, nil
}

// inventoryPlugin is one of Ansible's inventory plugins: verify says whether
// it wants a source, parse reads it into the inventory.
type inventoryPlugin struct {
	name   string
	verify func(src string) bool
	parse  func(inv *Inventory, src string) error
}

var inventoryPlugins = []inventoryPlugin{
	{"host_list", verifyHostList, (*Inventory).parseHostList},
	{"script", verifyScript, (*Inventory).parseScript},
	{"auto", verifyAuto, (*Inventory).parseAuto},
	{"yaml", verifyYAML, (*Inventory).parseYAML},
	{"ini", readable, (*Inventory).parseINI},
	{"toml", verifyTOML, (*Inventory).parseTOML},
}

// readable is BaseInventoryPlugin.verify_file: the path exists and can be read.
func readable(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// splitExt is Python's os.path.splitext: leading dots of the base name do
// not start an extension.
func splitExt(path string) (string, string) {
	base := filepath.Base(path)
	trimmed := strings.TrimLeft(base, ".")
	i := strings.LastIndex(trimmed, ".")
	if i < 0 {
		return path, ""
	}
	ext := trimmed[i:]
	return path[:len(path)-len(ext)], ext
}

func verifyHostList(src string) bool {
	_, err := os.Stat(src)
	return err != nil && strings.Contains(src, ",")
}

func verifyAuto(src string) bool {
	return (strings.HasSuffix(src, ".yml") || strings.HasSuffix(src, ".yaml")) && readable(src)
}

func verifyYAML(src string) bool {
	if !readable(src) {
		return false
	}
	_, ext := splitExt(src)
	return ext == "" || ext == ".yaml" || ext == ".yml" || ext == ".json"
}

func verifyTOML(src string) bool {
	_, ext := splitExt(src)
	return ext == ".toml" && readable(src)
}

// parseHostList is the host_list plugin: "h1,h2:2222,[::1]:22," with no ranges.
func (inv *Inventory) parseHostList(src string) error {
	for _, h := range strings.Split(src, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		host, port, err := parseAddress(h, false)
		if err != nil {
			host, port = h, -1 // Ansible keeps the name unchanged
		}
		if inv.hosts[host] == nil {
			if _, err := inv.addHost(host, "ungrouped", port); err != nil {
				return fmt.Errorf("Invalid data from string, could not parse: %v", err)
			}
		}
	}
	return nil
}

// parseAuto is the auto plugin: a YAML file whose root "plugin" key names an
// inventory plugin. gorun has none of those plugins, so naming one is an error.
func (inv *Inventory) parseAuto(src string) error {
	data, _, err := inv.loadData(src)
	if err != nil {
		return err
	}
	name := ""
	if d, ok := data.(*value.Dict); ok {
		if p, ok := d.Get("plugin"); ok && truthy(p) {
			name = fmt.Sprint(p)
		}
	}
	if name == "" {
		return fmt.Errorf("no root 'plugin' key found, '%s' is not a valid YAML inventory plugin config file", src)
	}
	return fmt.Errorf("inventory source %s uses the inventory plugin '%s', which is %w", src, name, errUnsupported)
}

// vaultHeader starts a file encrypted with ansible-vault.
var vaultHeader = []byte("$ANSIBLE_VAULT")

// readSource reads an inventory or vars file, decrypting it when it is a
// vault file (DataLoader._get_file_contents).
func (inv *Inventory) readSource(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("an error occurred while trying to read the file '%s': %v", path, err)
	}
	if !bytes.HasPrefix(data, vaultHeader) {
		return data, nil
	}
	if inv.opts.Decrypt == nil {
		return nil, fmt.Errorf("Attempting to decrypt but no vault secrets found")
	}
	plain, err := inv.opts.Decrypt(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return plain, nil
}

// truthy is Python truthiness for decoded values.
func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case int:
		return t != 0
	case float64:
		return t != 0
	case []any:
		return len(t) > 0
	}
	if d, ok := v.(interface{ Len() int }); ok {
		return d.Len() > 0
	}
	return true
}
