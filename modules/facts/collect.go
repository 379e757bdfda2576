package facts

import (
	"context"
	_ "embed"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"crypto/rand"
	"encoding/hex"

	"gorun/engine/connection"
	"gorun/engine/shell"
	"gorun/engine/value"
)

// script is the remote half of fact gathering: POSIX sh that prints raw data.
//
//go:embed facts.sh
var script string

// Options are the setup module's arguments.
type Options struct {
	// Subset is gather_subset ("all", "min", "network", "!hardware", ...).
	Subset []string
	// Filter are fnmatch patterns on the fact names (with or without "ansible_").
	Filter []string
	// FactPath is where local facts (*.fact) are; default /etc/ansible/facts.d.
	FactPath string
	// Timeout is gather_timeout; the whole gathering may take three times as long.
	Timeout time.Duration
	// Warn receives warnings (failing local fact scripts); may be nil.
	Warn func(string)
}

// DefaultFactPath is setup's default fact_path.
const DefaultFactPath = "/etc/ansible/facts.d"

// Gather collects the facts of the host behind conn as Ansible's setup
// module would return them in ansible_facts: names prefixed with "ansible_",
// plus gather_subset and module_setup. The runner calls it for gather_facts.
func Gather(ctx context.Context, conn connection.Conn, subset, filter []string, timeout time.Duration) (map[string]any, error) {
	return Collect(ctx, conn, Options{Subset: subset, Filter: filter, Timeout: timeout})
}

// Collect is Gather with every setup option.
func Collect(ctx context.Context, conn connection.Conn, o Options) (map[string]any, error) {
	if len(o.Subset) == 0 {
		o.Subset = []string{"all"}
	}
	if o.FactPath == "" {
		o.FactPath = DefaultFactPath
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	collectors, err := collectorNames(o.Subset)
	if err != nil {
		return nil, err
	}

	out, marker, err := runScript(ctx, conn, collectors, o)
	if err != nil {
		return nil, err
	}
	return build(parseRaw(out, marker), collectors, o), nil
}

// runScript runs facts.sh on the target for the given collectors and
// returns its output and the section marker it used.
func runScript(ctx context.Context, conn connection.Conn, collectors map[string]bool, o Options) (string, string, error) {
	// The script always needs uname (distribution and service_mgr use it).
	groups := map[string]bool{"platform": true}
	for c := range collectors {
		groups[c] = true
	}
	var want []string
	for g := range groups {
		want = append(want, g)
	}
	sort.Strings(want)

	marker := newMarker()
	secs := int(o.Timeout / time.Second)
	if secs < 1 {
		secs = 1
	}
	// The script's arguments are set by its first line: the script is the
	// command line itself, so no shell is started just to pass them.
	cmd := "set -- " + shell.Join([]string{marker, strings.Join(want, " "), o.FactPath, fmt.Sprint(secs)}) + "\n" + script
	ctx, cancel := context.WithTimeout(ctx, 3*o.Timeout)
	defer cancel()
	res, err := runQuick(ctx, conn, cmd)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return "", "", fmt.Errorf("gathering facts took longer than 3 x gather_timeout (%s)", 3*o.Timeout)
		}
		return "", "", err
	}
	if !strings.Contains(string(res.Stdout), "\n"+marker+" end\n") {
		return "", "", fmt.Errorf("the fact gathering script failed on the target (rc=%d): %s", res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
	return string(res.Stdout), marker, nil
}

// runQuick runs script in the host's kept shell where the connection has
// one (see connection.QuickRunner), saving the host a new session and a
// login shell; else through Exec.
func runQuick(ctx context.Context, conn connection.Conn, script string) (*connection.ExecResult, error) {
	if q, ok := conn.(connection.QuickRunner); ok {
		return q.RunQuick(ctx, script)
	}
	return conn.Exec(ctx, script, connection.ExecOptions{})
}

// build turns the raw data into facts, running the collectors in Ansible's
// order (later ones read what earlier ones found), then names and filters them.
func build(r *raw, collectors map[string]bool, o Options) map[string]any {
	all := map[string]any{}
	out := map[string]any{}
	for _, c := range collectorOrder {
		if !collectors[c.name] {
			continue
		}
		f := map[string]any{}
		// Collectors read the facts gathered so far (distribution for pkg_mgr, ...).
		for k, v := range all {
			f[k] = v
		}
		before := map[string]bool{}
		for k := range f {
			before[k] = true
		}
		if c.name == "local" {
			localFacts(r, f, o.Warn)
		} else {
			c.run(r, f)
		}
		for k, v := range f {
			if before[k] {
				continue
			}
			all[k] = v
			name := "ansible_" + strings.ReplaceAll(k, "-", "_")
			if matches(name, o.Filter) {
				out[name] = v
			}
		}
	}
	meta := map[string]any{"gather_subset": value.FromStrings(o.Subset), "module_setup": true}
	for k, v := range meta {
		if matches(k, o.Filter) {
			out[k] = v
		}
	}
	return out
}

// matches is AnsibleFactCollector._filter for one name.
func matches(name string, filter []string) bool {
	if len(filter) == 0 {
		return true
	}
	for _, f := range filter {
		if f == "" || f == "*" || fnmatch(name, f) {
			return true
		}
		if !strings.HasPrefix(f, "ansible_") && !strings.HasPrefix(f, "facter") && !strings.HasPrefix(f, "ohai") && fnmatch(name, "ansible_"+f) {
			return true
		}
	}
	return false
}

// fnmatch is Python's fnmatch.fnmatch on POSIX (case-sensitive, [!x] negation).
func fnmatch(name, pattern string) bool {
	pattern = strings.ReplaceAll(pattern, "[!", "[^")
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}

func newMarker() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "@@gorun-" + hex.EncodeToString(b) + "@@"
}
