package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"gorun/engine/changed"
	"gorun/engine/inventory"
	"gorun/engine/playbook"
)

// ciOptions narrow a run to part of the fleet for CI pipelines: the hosts a
// merge request's change touches, and one shard of GitLab's parallel: jobs.
type ciOptions struct {
	changedSince string // --changed-since REF
	shard        string // --shard I/N
}

func (c *ciOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.changedSince, "changed-since", os.Getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA"),
		"only hosts affected by the git changes between this revision and HEAD (default $CI_MERGE_REQUEST_DIFF_BASE_SHA)")
	def := ""
	if i, n := os.Getenv("CI_NODE_INDEX"), os.Getenv("CI_NODE_TOTAL"); i != "" && n != "" {
		def = i + "/" + n
	}
	fs.StringVar(&c.shard, "shard", def, "only shard I of N (1-based) of the hosts, split deterministically (default $CI_NODE_INDEX/$CI_NODE_TOTAL)")
}

// ciLimit is the result of applying the CI options.
type ciLimit struct {
	active bool     // some option narrowed the hosts
	hosts  []string // the hosts left, as a --limit
	notes  []string // what was found, for --list-hosts and -v
}

// apply works out the hosts left after --limit, --changed-since and
// --shard, over the hosts the playbooks' plays target.
func (c *ciOptions) apply(inv *inventory.Inventory, sources []string, loader *playbook.Loader, pbs []*playbook.Playbook, limit, cfgFile string) (*ciLimit, error) {
	out := &ciLimit{}
	if c.changedSince == "" && c.shard == "" {
		return out, nil
	}
	out.active = true
	var hosts []string
	seen := map[string]bool{}
	for _, pb := range pbs {
		for _, play := range pb.Plays {
			names, err := changed.PlayHosts(inv, play)
			if err != nil {
				return nil, err
			}
			for _, h := range names {
				if !seen[h] {
					seen[h] = true
					hosts = append(hosts, h)
				}
			}
		}
	}
	if limit != "" {
		lh, err := inv.Hosts(limit)
		if err != nil {
			return nil, err
		}
		keep := map[string]bool{}
		for _, h := range lh {
			keep[h.Name] = true
		}
		hosts = filter(hosts, keep)
	}
	if c.changedSince != "" {
		if cfgFile != "" {
			if abs, err := filepath.Abs(cfgFile); err == nil {
				cfgFile = abs
			}
		}
		files, err := changed.Files(loader.PlaybookDir, c.changedSince)
		if err != nil {
			return nil, err
		}
		a, err := changed.Compute(changed.Options{Loader: loader, Inventory: inv, Sources: sources, PlaybookDir: loader.PlaybookDir, GlobalFiles: []string{cfgFile}}, pbs, files)
		if err != nil {
			return nil, err
		}
		out.notes = append(out.notes,
			fmt.Sprintf("changed since %s: %d files", c.changedSince, len(files)),
			"  roles: "+strings.Join(a.Roles, ", "),
			"  plays: "+strings.Join(a.Plays, "; "),
			"  group_vars: "+strings.Join(a.Groups, ", "),
			"  host_vars: "+strings.Join(a.HostVars, ", "),
			"  global: "+strings.Join(a.Global, ", "),
			"  hosts: "+strings.Join(a.Hosts, ", "))
		keep := map[string]bool{}
		for _, h := range a.Hosts {
			keep[h] = true
		}
		hosts = filter(hosts, keep)
	}
	if c.shard != "" {
		i, n, err := parseShard(c.shard)
		if err != nil {
			return nil, err
		}
		hosts = shardOf(hosts, i, n)
		out.notes = append(out.notes, fmt.Sprintf("shard %d/%d: %s", i, n, strings.Join(hosts, ", ")))
	}
	out.hosts = hosts
	return out, nil
}

func filter(hosts []string, keep map[string]bool) []string {
	var out []string
	for _, h := range hosts {
		if keep[h] {
			out = append(out, h)
		}
	}
	return out
}

// parseShard reads I/N with 1 <= I <= N.
func parseShard(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N (as CI_NODE_INDEX/CI_NODE_TOTAL)", s)
	}
	return i, n, nil
}

// shardOf is shard i of n: the hosts sorted by name dealt round-robin, so
// every shard gets a near-equal share and the split depends only on the
// set of names, not on inventory order.
func shardOf(hosts []string, i, n int) []string {
	sorted := append([]string(nil), hosts...)
	sort.Strings(sorted)
	var out []string
	for k, h := range sorted {
		if k%n == i-1 {
			out = append(out, h)
		}
	}
	return out
}

// printNotes writes the CI notes (with --list-hosts).
func (l *ciLimit) printNotes(w io.Writer) {
	for _, n := range l.notes {
		fmt.Fprintln(w, n)
	}
}
