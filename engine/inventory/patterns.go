package inventory

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// patternWithSubscript is PATTERN_WITH_SUBSCRIPT: "expr[3]", "expr[-1]",
// "expr[1:3]", "expr[2:]" (and the removed "expr[1-3]").
var patternWithSubscript = regexp.MustCompile(`^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$`)

// patternWords is the fallback of split_host_pattern: ':'-separated words,
// where a bracketed expression may contain ':'.
var patternWords = regexp.MustCompile(`(?:[^\s:\[\]]|\[[^\]]*\])+`)

// SplitPattern is split_host_pattern: a pattern is split on commas if it has
// any; otherwise it stays whole if it parses as a host address (IPv6, host
// ranges, host:port), else it is split on colons outside brackets.
func SplitPattern(pattern string) []string {
	var parts []string
	if strings.Contains(pattern, ",") {
		parts = strings.Split(pattern, ",")
	} else if _, _, err := parseAddress(pattern, true); err == nil {
		parts = []string{pattern}
	} else {
		parts = patternWords.FindAllString(pattern, -1)
	}
	out := []string{}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// orderPatterns is order_patterns: plain patterns first, then &intersections,
// then !exclusions; with no plain pattern, "all" is assumed.
func orderPatterns(patterns []string) []string {
	var regular, and, not []string
	for _, p := range patterns {
		switch {
		case p == "":
		case p[0] == '!':
			not = append(not, p)
		case p[0] == '&':
			and = append(and, p)
		default:
			regular = append(regular, p)
		}
	}
	if len(regular) == 0 {
		regular = []string{"all"}
	}
	return append(append(regular, and...), not...)
}

// SetLimit restricts every later Hosts call to hosts matching pattern, as
// --limit does (InventoryManager.subset). "@file" reads one pattern per line.
// An empty pattern removes the limit.
func (inv *Inventory) SetLimit(pattern string) error {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.clearCaches()
	if pattern == "" {
		inv.limit = nil
		return nil
	}
	var limit []string
	for _, p := range SplitPattern(pattern) {
		if strings.HasPrefix(p, "@") {
			file := p[1:]
			st, err := os.Stat(file)
			if err != nil {
				return fmt.Errorf("Unable to find limit file %s", pyBytesRepr(file))
			}
			if st.IsDir() {
				return fmt.Errorf("Limit starting with \"@\" must be a file, not a directory: %s", pyBytesRepr(file))
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			for _, l := range strings.Split(string(data), "\n") {
				limit = append(limit, strings.TrimSpace(l))
			}
			continue
		}
		limit = append(limit, p)
	}
	inv.limit = limit
	return nil
}

// Hosts returns the hosts matching pattern in inventory order, with the
// limit applied (InventoryManager.get_hosts). Patterns that match nothing
// produce Ansible's warning; a bad regex or an out-of-range subscript is an error.
func (inv *Inventory) Hosts(pattern string) ([]*Host, error) {
	return inv.HostsFor([]string{pattern})
}

// HostsFor is Hosts for a list of patterns (a play's "hosts:" list).
func (inv *Inventory) HostsFor(patterns []string) ([]*Host, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	var split []string
	for _, p := range patterns {
		split = append(split, SplitPattern(p)...)
	}
	hosts, err := inv.evaluate(split)
	if err != nil {
		return nil, err
	}
	if inv.limit != nil {
		allowed, err := inv.evaluate(inv.limit)
		if err != nil {
			return nil, err
		}
		in := map[*Host]bool{}
		for _, h := range allowed {
			in[h] = true
		}
		kept := hosts[:0]
		for _, h := range hosts {
			if in[h] {
				kept = append(kept, h)
			}
		}
		hosts = kept
	}
	return dedupHosts(hosts), nil
}

// OrderHosts applies a play's "order" keyword to hosts in inventory order:
// inventory, reverse_inventory, sorted, reverse_sorted or shuffle.
func OrderHosts(hosts []*Host, order string) ([]*Host, error) {
	out := append([]*Host(nil), hosts...)
	switch order {
	case "", "inventory":
	case "reverse_inventory":
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	case "sorted", "reverse_sorted":
		sort.SliceStable(out, func(i, j int) bool {
			if order == "sorted" {
				return out[i].Name < out[j].Name
			}
			return out[i].Name > out[j].Name
		})
	case "shuffle":
		rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	default:
		return nil, fmt.Errorf("Invalid 'order' specified for inventory hosts: %s", order)
	}
	return out, nil
}

func dedupHosts(hosts []*Host) []*Host {
	seen := map[*Host]bool{}
	out := []*Host{}
	for _, h := range hosts {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// evaluate is _evaluate_patterns.
func (inv *Inventory) evaluate(patterns []string) ([]*Host, error) {
	var hosts []*Host
	for _, p := range orderPatterns(patterns) {
		if h := inv.hosts[p]; h != nil {
			hosts = append(hosts, h) // a plain host name is never treated as a pattern
			continue
		}
		that, err := inv.matchOne(p)
		if err != nil {
			return nil, err
		}
		switch p[0] {
		case '!':
			drop := hostSet(that)
			kept := []*Host{}
			for _, h := range hosts {
				if !drop[h] {
					kept = append(kept, h)
				}
			}
			hosts = kept
		case '&':
			keep := hostSet(that)
			kept := []*Host{}
			for _, h := range hosts {
				if keep[h] {
					kept = append(kept, h)
				}
			}
			hosts = kept
		default:
			existing := map[string]bool{}
			for _, h := range hosts {
				existing[h.Name] = true
			}
			for _, h := range that {
				if !existing[h.Name] {
					hosts = append(hosts, h)
				}
			}
		}
	}
	return hosts, nil
}

func hostSet(hs []*Host) map[*Host]bool {
	m := make(map[*Host]bool, len(hs))
	for _, h := range hs {
		m[h] = true
	}
	return m
}

// matchOne is _match_one_pattern: one pattern without its &/! prefix,
// with an optional [subscript].
func (inv *Inventory) matchOne(pattern string) ([]*Host, error) {
	if pattern[0] == '&' || pattern[0] == '!' {
		pattern = pattern[1:]
	}
	if pattern == "" {
		// A lone "!" or "&": Ansible fails with an IndexError here.
		return nil, fmt.Errorf("Invalid host list pattern: an empty pattern after '&' or '!'")
	}
	if hosts, ok := inv.patternCache[pattern]; ok {
		return hosts, nil
	}
	expr, sub := inv.splitSubscript(pattern)
	hosts, err := inv.enumerate(expr)
	if err != nil {
		return nil, err
	}
	if sub != nil && len(hosts) > 0 {
		if hosts, err = applySubscript(hosts, sub); err != nil {
			return nil, fmt.Errorf("No hosts matched the subscripted pattern '%s'", pattern)
		}
	}
	inv.patternCache[pattern] = hosts
	return hosts, nil
}

type subscript struct {
	start int
	end   *int // nil for a single index
}

func (inv *Inventory) splitSubscript(pattern string) (string, *subscript) {
	if pattern == "" || pattern[0] == '~' {
		return pattern, nil
	}
	m := patternWithSubscript.FindStringSubmatch(pattern)
	if m == nil {
		return pattern, nil
	}
	if m[2] != "" {
		n, _ := strconv.Atoi(m[2])
		return m[1], &subscript{start: n}
	}
	start, _ := strconv.Atoi(m[3])
	end := -1
	if m[5] != "" {
		end, _ = strconv.Atoi(m[5])
	}
	if m[4] == "-" {
		inv.warn("Use [x:y] inclusive subscripts instead of [x-y] which has been removed")
	}
	return m[1], &subscript{start: start, end: &end}
}

// applySubscript is _apply_subscript, with Python's slicing and indexing.
// Note Ansible's quirk: an end of 0 ("[2:0]") selects the single host at start.
func applySubscript(hosts []*Host, s *subscript) ([]*Host, error) {
	n := len(hosts)
	if s.end != nil && *s.end != 0 {
		end := *s.end
		if end == -1 {
			end = n - 1
		}
		lo, hi := s.start, end+1
		if lo > n {
			lo = n
		}
		if hi > n {
			hi = n
		}
		if hi < lo {
			return []*Host{}, nil
		}
		return hosts[lo:hi], nil
	}
	i := s.start
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil, fmt.Errorf("list index out of range")
	}
	return []*Host{hosts[i]}, nil
}

// enumerate is _enumerate_matches: groups whose name matches contribute all
// their hosts; hosts are matched by name when no group matched or the
// pattern is a regex or glob; localhost names fall back to the implicit localhost.
func (inv *Inventory) enumerate(pattern string) ([]*Host, error) {
	re, err := compilePattern(pattern)
	if err != nil {
		return nil, err
	}
	var results []*Host
	matchedGroups := false
	for _, g := range inv.groupOrder {
		if re.MatchString(g.Name) {
			matchedGroups = true
			results = append(results, g.Hosts()...)
		}
	}
	if !matchedGroups || pattern[0] == '~' || strings.ContainsAny(pattern, ".?*[") {
		for _, h := range inv.hostOrder {
			if re.MatchString(h.Name) {
				results = append(results, h)
			}
		}
	}
	if len(results) == 0 && localhostNames[pattern] {
		results = append(results, inv.lookupHost(pattern))
	}
	if len(results) == 0 && !matchedGroups && pattern != "all" {
		msg := "Could not match supplied host pattern, ignoring: " + pattern
		switch inv.opts.PatternMismatch {
		case "error":
			return nil, errors.New(msg)
		case "ignore":
		default:
			inv.warn(msg)
		}
	}
	return results, nil
}
