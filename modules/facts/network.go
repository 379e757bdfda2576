package facts

import (
	"encoding/binary"
	"net"
	"path"
	"regexp"
	"strconv"
	"strings"
)

var interfaceType = map[string]string{"1": "ether", "32": "infiniband", "512": "ppp", "772": "loopback", "65534": "tunnel"}

// networkFacts follows network/linux.py (LinuxNetwork.populate) without the
// ethtool data (features, timestamping), which needs ethtool on the target.
func networkFacts(r *raw, f map[string]any) {
	if !r.bins["ip"] {
		return
	}
	splitIPBatch(r)
	v4 := defaultRoute(r, "route4", routeDest4)
	v6 := defaultRoute(r, "route6", routeDest6)

	ifaces := map[string]map[string]any{}
	var order []string
	add := func(name string, m map[string]any) {
		if _, ok := ifaces[name]; !ok {
			order = append(order, name)
		}
		ifaces[name] = m
	}
	all4, all6 := []any{}, []any{}
	primary, secondary := ipAddrByDevice(r, "primary"), ipAddrByDevice(r, "secondary")
	if _, ok := r.cmd("primary"); !ok {
		primary = ipAddrByDevice(r, "addrs")
	}
	macaddress := ""
	for _, dev := range r.ifaces {
		p := "/sys/class/net/" + dev + "/"
		iface := map[string]any{"device": dev}
		add(dev, iface)
		if mac, ok := r.file(p + "address"); ok {
			macaddress = mac
			if mac != "" && mac != "00:00:00:00:00:00" {
				iface["macaddress"] = mac
			}
		}
		if mtu, ok := r.file(p + "mtu"); ok {
			iface["mtu"] = atoi(mtu)
		}
		if state, ok := r.file(p + "operstate"); ok {
			iface["active"] = state != "down"
		}
		if mod, ok := r.reals[p+"device/driver/module"]; ok {
			iface["module"] = path.Base(mod)
		}
		if t, ok := r.file(p + "type"); ok {
			if name, ok := interfaceType[t]; ok {
				iface["type"] = name
			} else {
				iface["type"] = "unknown"
			}
		}
		if brif, ok := r.other["brif "+dev]; ok {
			iface["type"] = "bridge"
			members := []any{}
			for _, m := range lines(brif) {
				members = append(members, m)
			}
			iface["interfaces"] = members
			if id, ok := r.file(p + "bridge/bridge_id"); ok {
				iface["id"] = id
			}
			if stp, ok := r.file(p + "bridge/stp_state"); ok {
				iface["stp"] = stp == "1"
			}
		}
		if _, ok := r.other["bonding "+dev]; ok {
			iface["type"] = "bonding"
			first := func(file string) string {
				s, _ := r.file(p + "bonding/" + file)
				if w := strings.Fields(s); len(w) > 0 {
					return w[0]
				}
				return ""
			}
			slaves, _ := r.file(p + "bonding/slaves")
			sl := []any{}
			for _, s := range strings.Fields(slaves) {
				sl = append(sl, s)
			}
			iface["slaves"], iface["mode"], iface["miimon"], iface["lacp_rate"] = sl, first("mode"), first("miimon"), first("lacp_rate")
			if primary, ok := r.file(p + "bonding/primary"); ok && primary != "" {
				iface["primary"] = primary
				if active, ok := r.file(p + "bonding/all_slaves_active"); ok {
					iface["all_slaves_active"] = active == "1"
				}
			}
		}
		if perm, ok := r.file(p + "bonding_slave/perm_hwaddr"); ok {
			iface["perm_macaddress"] = perm
		}
		if dlink, ok := r.links[p+"device"]; ok {
			iface["pciid"] = path.Base(dlink)
		}
		if speed, ok := r.file(p + "speed"); ok {
			if n, err := strconv.Atoi(speed); err == nil {
				iface["speed"] = n
			}
		}
		if flags, ok := r.file(p + "flags"); ok {
			n, _ := strconv.ParseInt(strings.TrimPrefix(flags, "0x"), 16, 64)
			iface["promisc"] = n&0x100 > 0
		}

		parse := func(out string, secondary bool) {
			for _, line := range strings.Split(out, "\n") {
				words := strings.Fields(line)
				if len(words) == 0 {
					continue
				}
				switch words[0] {
				case "inet":
					address, prefix, hasPrefix := strings.Cut(words[1], "/")
					broadcast := ""
					if !hasPrefix {
						prefix = "32"
					} else if len(words) > 3 && words[2] == "brd" {
						broadcast = words[3]
					}
					netmask, network := ipv4Net(address, prefix)
					entry := func() map[string]any {
						return map[string]any{"address": address, "broadcast": broadcast, "netmask": netmask, "network": network, "prefix": prefix}
					}
					label := words[len(words)-1]
					if label != dev {
						add(label, map[string]any{})
					}
					target := ifaces[label]
					if _, has := target["ipv4"]; !secondary && !has {
						target["ipv4"] = entry()
					} else {
						sec, _ := target["ipv4_secondaries"].([]any)
						target["ipv4_secondaries"] = append(sec, entry())
					}
					if secondary {
						sec, _ := iface["ipv4_secondaries"].([]any)
						if label != dev {
							sec = append(sec, entry())
						}
						iface["ipv4_secondaries"] = sec
					}
					if a, ok := v4["address"]; ok && a == address {
						v4["broadcast"], v4["netmask"], v4["network"], v4["prefix"] = broadcast, netmask, network, prefix
						v4["macaddress"], v4["mtu"], v4["alias"] = macaddress, iface["mtu"], label
						v4["type"] = typeOr(iface)
					}
					if !strings.HasPrefix(address, "127.") {
						all4 = append(all4, address)
					}
				case "inet6":
					var address, prefix, scope string
					if len(words) > 5 && words[2] == "peer" {
						address = words[1]
						_, prefix, _ = strings.Cut(words[3], "/")
						scope = words[5]
					} else if len(words) > 3 {
						address, prefix, _ = strings.Cut(words[1], "/")
						scope = words[3]
					} else {
						continue
					}
					l, _ := iface["ipv6"].([]any)
					iface["ipv6"] = append(l, map[string]any{"address": address, "prefix": prefix, "scope": scope})
					if a, ok := v6["address"]; ok && a == address {
						v6["prefix"], v6["scope"], v6["macaddress"], v6["mtu"] = prefix, scope, macaddress, iface["mtu"]
						v6["type"] = typeOr(iface)
					}
					if address != "::1" {
						all6 = append(all6, address)
					}
				}
			}
		}
		parse(primary[dev], false)
		parse(secondary[dev], true)
	}

	names := []any{}
	for _, name := range order {
		key := strings.ReplaceAll(name, ":", "_")
		names = append(names, key)
		f[key] = ifaces[name]
	}
	f["interfaces"] = names
	f["default_ipv4"], f["default_ipv6"] = v4, v6
	f["all_ipv4_addresses"], f["all_ipv6_addresses"] = all4, all6
}

func typeOr(iface map[string]any) any {
	if t, ok := iface["type"]; ok {
		return t
	}
	return "unknown"
}

var reIPLinkHeader = regexp.MustCompile(`^\d+: ([^:@\s]+)(@\S*)?: `)

// ipAddrByDevice splits `ip addr show primary|secondary` into the part of
// each device, which is what `ip addr show ... dev DEVICE` prints.
func ipAddrByDevice(r *raw, cmd string) map[string]string {
	out := map[string]string{}
	text, ok := r.cmd(cmd)
	if !ok {
		return out
	}
	dev := ""
	for _, line := range strings.Split(text, "\n") {
		if m := reIPLinkHeader.FindStringSubmatch(line); m != nil {
			dev = m[1]
		}
		if dev != "" {
			out[dev] += line + "\n"
		}
	}
	return out
}

// The destinations whose routes tell get_default_interfaces the default
// interfaces.
const (
	routeDest4 = "8.8.8.8"
	routeDest6 = "2404:6800:400a:800::1012"
)

// splitIPBatch turns the answer of facts.sh's one ip -batch (route to
// routeDest4, route to routeDest6, addr show primary, addr show secondary)
// into the outputs of the four commands run alone. A route's answer starts
// with its destination; each addr listing goes through the interfaces in
// index order, so the second starts where the index does not grow.
func splitIPBatch(r *raw) {
	out, ok := r.cmds["ipbatch"]
	if !ok {
		return
	}
	parts := map[string]*strings.Builder{}
	for _, name := range []string{"route4", "route6", "primary", "secondary"} {
		parts[name] = &strings.Builder{}
	}
	cur, lastIndex := "", -1
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, routeDest4+" "):
			cur = "route4"
		case strings.HasPrefix(line, routeDest6+" "):
			cur = "route6"
		case reIPLinkHeader.MatchString(line):
			index, _ := strconv.Atoi(line[:strings.IndexByte(line, ':')])
			if cur != "primary" && cur != "secondary" {
				cur = "primary"
			} else if cur == "primary" && index <= lastIndex {
				cur = "secondary"
			}
			lastIndex = index
		}
		if cur != "" {
			parts[cur].WriteString(line + "\n")
		}
	}
	for name, b := range parts {
		r.cmds[name] = b.String()
		r.rcs[name] = 0
	}
}

// defaultRoute is get_default_interfaces for one family.
func defaultRoute(r *raw, cmd, dest string) map[string]any {
	out := map[string]any{}
	res := r.cmds[cmd]
	if res == "" {
		return out
	}
	words := strings.Fields(strings.Split(res, "\n")[0])
	if len(words) == 0 || words[0] != dest {
		return out
	}
	for i := 0; i < len(words)-1; i++ {
		switch words[i] {
		case "dev":
			out["interface"] = words[i+1]
		case "src":
			out["address"] = words[i+1]
		case "via":
			if words[i+1] != dest {
				out["gateway"] = words[i+1]
			}
		}
	}
	return out
}

// ipv4Net returns the dotted netmask and network address of address/prefix.
func ipv4Net(address, prefix string) (string, string) {
	ip := net.ParseIP(address).To4()
	bits, err := strconv.Atoi(prefix)
	if ip == nil || err != nil || bits < 0 || bits > 32 {
		return "", ""
	}
	mask := uint32(0)
	if bits > 0 {
		mask = ^uint32(0) << (32 - bits)
	}
	var m, n [4]byte
	binary.BigEndian.PutUint32(m[:], mask)
	binary.BigEndian.PutUint32(n[:], binary.BigEndian.Uint32(ip)&mask)
	return net.IP(m[:]).String(), net.IP(n[:]).String()
}
