package facts

import (
	"fmt"
	"sort"
	"strings"
)

// collector is one of Ansible's fact collectors, by its name.
type collector struct {
	name string
	run  func(*raw, map[string]any)
	// requires are collectors whose facts this one reads (required_facts).
	requires []string
}

// collectorOrder is default_collectors.collectors for Linux, in Ansible's order.
// python (no Python on targets), facter and ohai gather nothing.
var collectorOrder = []collector{
	{name: "platform", run: platformFacts},
	{name: "distribution", run: distributionFacts},
	{name: "lsb", run: lsbFacts},
	{name: "selinux", run: selinuxFacts},
	{name: "apparmor", run: apparmorFacts},
	{name: "chroot", run: chrootFacts},
	{name: "fips", run: fipsFacts},
	{name: "caps", run: capsFacts},
	{name: "pkg_mgr", run: pkgMgrFacts, requires: []string{"distribution"}},
	{name: "service_mgr", run: serviceMgrFacts, requires: []string{"platform", "distribution"}},
	{name: "cmdline", run: cmdlineFacts},
	{name: "date_time", run: dateTimeFacts},
	{name: "env", run: envFacts},
	{name: "loadavg", run: loadavgFacts},
	{name: "ssh_pub_keys", run: sshPubKeyFacts},
	{name: "user", run: userFacts},
	{name: "virtual", run: virtualFacts},
	{name: "hardware", run: hardwareFacts, requires: []string{"platform"}},
	{name: "dns", run: dnsFacts},
	{name: "fibre_channel_wwn", run: fcWWNFacts},
	{name: "iscsi", run: iscsiFacts},
	{name: "nvme", run: nvmeFacts},
	{name: "network", run: networkFacts, requires: []string{"platform", "distribution"}},
	{name: "local"},
	{name: "python", run: func(*raw, map[string]any) {}},
	{name: "facter", run: func(*raw, map[string]any) {}},
	{name: "ohai", run: func(*raw, map[string]any) {}},
}

// factIDs maps every name gather_subset accepts (collector names and the
// fact ids they declare) to its collector, as build_fact_id_to_collector_map.
var factIDs = func() map[string]string {
	m := map[string]string{}
	for _, c := range collectorOrder {
		m[c.name] = c.name
	}
	for coll, ids := range map[string][]string{
		"platform":     {"system", "kernel", "kernel_version", "machine", "python_version", "architecture", "machine_id"},
		"distribution": {"distribution_version", "distribution_release", "distribution_major_version", "os_family"},
		"chroot":       {"is_chroot"},
		"caps":         {"system_capabilities", "system_capabilities_enforced"},
		"user":         {"user_id", "user_uid", "user_gid", "user_gecos", "user_dir", "user_shell", "real_user_id", "effective_user_id", "effective_group_ids"},
		"ssh_pub_keys": {"ssh_host_pub_keys", "ssh_host_key_dsa_public", "ssh_host_key_rsa_public", "ssh_host_key_ecdsa_public", "ssh_host_key_ed25519_public"},
		"virtual":      {"virtualization_type", "virtualization_role", "virtualization_tech_guest", "virtualization_tech_host"},
		"hardware":     {"processor", "processor_cores", "processor_count", "mounts", "devices"},
		"network":      {"interfaces", "default_ipv4", "default_ipv6", "all_ipv4_addresses", "all_ipv6_addresses"},
	} {
		for _, id := range ids {
			m[id] = coll
		}
	}
	return m
}()

// minimalSubset is setup's minimal_gather_subset: gathered even with "!all".
var minimalSubset = []string{"apparmor", "caps", "cmdline", "date_time", "distribution", "dns", "env", "fips",
	"local", "lsb", "pkg_mgr", "platform", "python", "selinux", "service_mgr", "ssh_pub_keys", "user"}

// collectorNames resolves gather_subset as collector.get_collector_names and
// select_collector_classes do, then adds the collectors they require.
func collectorNames(subset []string) (map[string]bool, error) {
	valid := map[string]bool{}
	for id := range factIDs {
		valid[id] = true
	}
	minimal := map[string]bool{}
	for _, m := range minimalSubset {
		minimal[m] = true
	}
	add, exclude, explicit := map[string]bool{}, map[string]bool{}, map[string]bool{}
	union := func(dst, src map[string]bool) {
		for k := range src {
			dst[k] = true
		}
	}
	for _, s := range append([]string{"min"}, subset...) {
		s = strings.TrimSpace(s)
		switch {
		case s == "min":
			union(add, minimal)
		case s == "all":
			union(add, valid)
		case s == "!min":
			union(exclude, minimal)
		case s == "!all":
			for k := range valid {
				if !minimal[k] {
					exclude[k] = true
				}
			}
		case strings.HasPrefix(s, "!"):
			name := s[1:]
			exclude[name] = true
			// aliases: excluding a collector excludes its fact ids too
			for id, coll := range factIDs {
				if coll == name {
					exclude[id] = true
				}
			}
		default:
			if !valid[s] {
				var names []string
				for k := range valid {
					names = append(names, k)
				}
				sort.Strings(names)
				return nil, fmt.Errorf("Bad subset '%s' given to Ansible. gather_subset options allowed: all, %s", s, strings.Join(names, ", "))
			}
			explicit[s] = true
			add[s] = true
		}
	}
	if len(add) == 0 {
		union(add, valid)
	}
	for k := range exclude {
		if !explicit[k] {
			delete(add, k)
		}
	}
	collectors := map[string]bool{}
	for id := range add {
		collectors[factIDs[id]] = true
	}
	// required_facts pull in their collectors.
	for changed := true; changed; {
		changed = false
		for _, c := range collectorOrder {
			if !collectors[c.name] {
				continue
			}
			for _, req := range c.requires {
				if !collectors[req] {
					collectors[req] = true
					changed = true
				}
			}
		}
	}
	return collectors, nil
}
