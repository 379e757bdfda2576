package template

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// The ansible.utils ipaddr filter family (ipaddr, ipv4, ipv6, ipwrap, ipmath,
// ipsubnet, nthhost, network_in_usable, network_in_network, next_nth_usable,
// previous_nth_usable), following ansible.utils' ipaddr_utils with netaddr's
// semantics.

// ipNet is netaddr's IPNetwork: an address with a prefix length.
type ipNet struct {
	version int
	ip      *big.Int
	prefix  int
}

func (n ipNet) bits() int {
	if n.version == 4 {
		return 32
	}
	return 128
}

func (n ipNet) size() *big.Int {
	return new(big.Int).Lsh(big.NewInt(1), uint(n.bits()-n.prefix))
}

func (n ipNet) network() *big.Int {
	mask := new(big.Int).Sub(n.size(), big.NewInt(1))
	return new(big.Int).AndNot(n.ip, mask)
}

func (n ipNet) last() *big.Int {
	return new(big.Int).Sub(new(big.Int).Add(n.network(), n.size()), big.NewInt(1))
}

// broadcast is nil for /31, /32 (and /127, /128) as in netaddr.
func (n ipNet) broadcast() *big.Int {
	if n.bits()-n.prefix <= 1 {
		return nil
	}
	return n.last()
}

func (n ipNet) netmask() *big.Int {
	all := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(n.bits())), big.NewInt(1))
	host := new(big.Int).Sub(n.size(), big.NewInt(1))
	return new(big.Int).Xor(all, host)
}

func (n ipNet) hostmask() *big.Int { return new(big.Int).Sub(n.size(), big.NewInt(1)) }

func (n ipNet) addr(v *big.Int) string { return formatIP(n.version, v) }

func (n ipNet) String() string { return n.addr(n.ip) + "/" + strconv.Itoa(n.prefix) }

func formatIP(version int, v *big.Int) string {
	b := v.FillBytes(make([]byte, map[int]int{4: 4, 6: 16}[version]))
	if version == 4 {
		a, _ := netip.AddrFromSlice(b)
		return a.String()
	}
	var a16 [16]byte
	copy(a16[:], b)
	return netip.AddrFrom16(a16).String()
}

// parseIPNet parses what netaddr.IPNetwork accepts: address, address/prefix, address/netmask.
func parseIPNet(s string) (ipNet, bool) {
	s = strings.TrimSpace(s)
	addrPart, prefixPart, hasPrefix := strings.Cut(s, "/")
	a, err := netip.ParseAddr(addrPart)
	if err != nil || a.Zone() != "" {
		return ipNet{}, false
	}
	n := ipNet{version: 6, prefix: 128}
	if a.Is4() {
		n.version, n.prefix = 4, 32
	}
	n.ip = new(big.Int).SetBytes(a.AsSlice())
	if hasPrefix {
		if p, err := strconv.Atoi(prefixPart); err == nil {
			if p < 0 || p > n.bits() {
				return ipNet{}, false
			}
			n.prefix = p
		} else if m, err := netip.ParseAddr(prefixPart); err == nil && m.Is4() && n.version == 4 {
			// a netmask (255.255.255.0) or hostmask (0.0.0.255)
			ones, ok := maskOnes(m)
			if !ok {
				return ipNet{}, false
			}
			n.prefix = ones
		} else {
			return ipNet{}, false
		}
	}
	return n, true
}

func maskOnes(m netip.Addr) (int, bool) {
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	ones := 0
	for i := 31; i >= 0 && v&(1<<uint(i)) != 0; i-- {
		ones++
	}
	if uint64(v)<<uint(ones)&0xffffffff != 0 {
		// hostmask form
		inv := ^v
		ones = 0
		for i := 31; i >= 0 && inv&(1<<uint(i)) != 0; i-- {
			ones++
		}
		if uint64(inv)<<uint(ones)&0xffffffff != 0 {
			return 0, false
		}
	}
	return ones, true
}

func (n ipNet) contains(v *big.Int) bool {
	return v.Cmp(n.network()) >= 0 && v.Cmp(n.last()) <= 0
}

func (n ipNet) within(cidr string) bool {
	c, ok := parseIPNet(cidr)
	if !ok || c.version != n.version {
		return false
	}
	return c.contains(n.network()) && c.contains(n.last())
}

func (n ipNet) isPrivate() bool {
	ranges := []string{"fc00::/7", "fec0::/10"}
	if n.version == 4 {
		ranges = []string{"10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "239.0.0.0/8"}
	}
	for _, r := range ranges {
		if n.within(r) {
			return true
		}
	}
	return false
}

func (n ipNet) isMulticast() bool {
	if n.version == 4 {
		return n.within("224.0.0.0/4")
	}
	return n.within("ff00::/8")
}

func (n ipNet) isLoopback() bool {
	if n.version == 4 {
		return ipNet{4, n.ip, 32}.within("127.0.0.0/8")
	}
	return n.ip.Cmp(big.NewInt(1)) == 0
}

func isPow2(v *big.Int) bool {
	return v.Sign() > 0 && new(big.Int).And(v, new(big.Int).Sub(v, big.NewInt(1))).Sign() == 0
}

func (n ipNet) reverseDNS() string {
	if n.version == 4 {
		parts := strings.Split(n.addr(n.ip), ".")
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
		return strings.Join(parts, ".") + ".in-addr.arpa."
	}
	h := fmt.Sprintf("%032x", n.ip)
	var parts []string
	for i := len(h) - 1; i >= 0; i-- {
		parts = append(parts, string(h[i]))
	}
	return strings.Join(parts, ".") + ".ip6.arpa."
}

// ipaddrFilter is ansible.utils' ipaddr(value, query, version).
func ipaddrFilter(v any, query string, version int) (any, error) {
	if l, ok := asList(v); ok {
		out := []any{}
		for _, el := range l {
			r, err := ipaddrFilter(el, query, version)
			if err != nil {
				return nil, err
			}
			if t, _ := truthy(r); t {
				out = append(out, r)
			}
		}
		return out, nil
	}
	if t, _ := truthy(v); !t || v == true {
		return false, nil
	}
	var n ipNet
	var vtype string
	s := ToText(v)
	if i, ok := v.(int); ok || isDigits(s) {
		if !ok {
			i64, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return false, nil
			}
			i = int(i64)
		}
		n = ipNet{version: 4, ip: big.NewInt(int64(i)), prefix: 32}
		if version == 6 || i > 0xffffffff {
			n = ipNet{version: 6, ip: big.NewInt(int64(i)), prefix: 128}
		}
		vtype = "address"
	} else {
		var ok bool
		n, ok = parseIPNet(s)
		if !ok {
			return false, nil
		}
		vtype = "address"
		if strings.Contains(s, "/") {
			vtype = "network"
		}
	}
	var lookupNet *ipNet
	if query != "" && (ipQueries[query] == nil || query == "cidr_lookup") && !isDigits(query) {
		if q, ok := parseIPNet(query); ok && strings.Contains(query, "/") {
			lookupNet = &q
			query = "cidr_lookup"
		}
	}
	if version != 0 && n.version != version {
		return false, nil
	}
	if query == "cidr_lookup" && lookupNet != nil {
		if lookupNet.version == n.version && lookupNet.contains(n.network()) && lookupNet.contains(n.last()) {
			return s, nil
		}
		return nil, nil
	}
	if fn, ok := ipQueries[query]; ok {
		// a query that does not apply returns None, as in ansible.utils
		return fn(n, vtype, s)
	}
	if idx, err := strconv.Atoi(query); err == nil {
		if n.size().Cmp(big.NewInt(1)) == 0 {
			if vtype == "address" {
				return n.addr(n.ip), nil
			}
			return n.String(), nil
		}
		size := n.size()
		i := big.NewInt(int64(idx))
		if idx < 0 {
			i.Add(i, size)
		}
		if i.Sign() < 0 || i.Cmp(size) >= 0 {
			return false, nil
		}
		return n.addr(new(big.Int).Add(n.network(), i)) + "/" + strconv.Itoa(n.prefix), nil
	}
	return nil, fmt.Errorf("ipaddr: unknown filter type: %s", query)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

type ipQuery func(n ipNet, vtype, value string) (any, error)

var ipQueries map[string]ipQuery

func init() {
	one := big.NewInt(1)
	two := big.NewInt(2)
	sizeIs := func(n ipNet, x int64) bool { return n.size().Cmp(big.NewInt(x)) == 0 }
	bigger := func(n ipNet, x int64) bool { return n.size().Cmp(big.NewInt(x)) > 0 }
	isNetAddr := func(n ipNet) bool { return n.ip.Cmp(n.network()) == 0 }
	firstLast := func(n ipNet) (*big.Int, *big.Int) {
		if sizeIs(n, 2) {
			return n.network(), n.last()
		}
		return new(big.Int).Add(n.network(), one), new(big.Int).Sub(n.last(), one)
	}
	needNet := func(vtype string) error {
		if vtype == "address" {
			return fmt.Errorf("Not a network address")
		}
		return nil
	}
	addrPrefix := func(n ipNet, vtype, value string) (any, error) {
		b := n.broadcast()
		if bigger(n, 2) && (isNetAddr(n) || (b != nil && n.ip.Cmp(b) == 0)) {
			return false, nil
		}
		return n.addr(n.ip) + "/" + strconv.Itoa(n.prefix), nil
	}
	ipq := func(n ipNet, vtype, value string) (any, error) {
		if sizeIs(n, 1) || !isNetAddr(n) || n.broadcast() == nil || n.version == 6 {
			return n.addr(n.ip), nil
		}
		return nil, nil
	}
	ipQueries = map[string]ipQuery{
		"": func(n ipNet, vtype, value string) (any, error) {
			if vtype == "address" {
				return n.addr(n.ip), nil
			}
			return n.String(), nil
		},
		"address": ipq,
		"ip":      ipq,
		"bool":    func(n ipNet, vtype, value string) (any, error) { return true, nil },
		"broadcast": func(n ipNet, vtype, value string) (any, error) {
			if bigger(n, 2) {
				return n.addr(n.broadcast()), nil
			}
			return nil, nil
		},
		"cidr": func(n ipNet, vtype, value string) (any, error) { return n.String(), nil },
		"first_usable": func(n ipNet, vtype, value string) (any, error) {
			if err := needNet(vtype); err != nil {
				return nil, err
			}
			if sizeIs(n, 2) {
				return n.addr(n.network()), nil
			}
			if bigger(n, 1) {
				return n.addr(new(big.Int).Add(n.network(), one)), nil
			}
			return nil, nil
		},
		"gateway": addrPrefix, "gw": addrPrefix, "hostnet": addrPrefix, "router": addrPrefix,
		"host/prefix": addrPrefix, "address/prefix": addrPrefix,
		"host": func(n ipNet, vtype, value string) (any, error) {
			if sizeIs(n, 1) {
				return n.String(), nil
			}
			if !isNetAddr(n) || n.broadcast() == nil {
				return n.addr(n.ip) + "/" + strconv.Itoa(n.prefix), nil
			}
			return nil, nil
		},
		"hostmask": func(n ipNet, vtype, value string) (any, error) { return n.addr(n.hostmask()), nil },
		"wildcard": func(n ipNet, vtype, value string) (any, error) { return n.addr(n.hostmask()), nil },
		"int": func(n ipNet, vtype, value string) (any, error) {
			if vtype == "address" {
				if n.ip.IsInt64() {
					return int(n.ip.Int64()), nil
				}
				return n.ip.String(), nil
			}
			return n.ip.String() + "/" + strconv.Itoa(n.prefix), nil
		},
		"ip/prefix": func(n ipNet, vtype, value string) (any, error) {
			if sizeIs(n, 2) || (bigger(n, 1) && !isNetAddr(n)) {
				return n.addr(n.ip) + "/" + strconv.Itoa(n.prefix), nil
			}
			return nil, nil
		},
		"ip_netmask": func(n ipNet, vtype, value string) (any, error) {
			if sizeIs(n, 2) || (bigger(n, 1) && !isNetAddr(n)) {
				return n.addr(n.ip) + " " + n.addr(n.netmask()), nil
			}
			return nil, nil
		},
		"ipv4": func(n ipNet, vtype, value string) (any, error) {
			if n.version == 6 {
				if n.ip.Cmp(big.NewInt(0xffffffff)) <= 0 || (new(big.Int).Rsh(n.ip, 32).Cmp(big.NewInt(0xffff)) == 0) {
					low := new(big.Int).And(n.ip, big.NewInt(0xffffffff))
					return ipNet{4, low, n.prefix - 96}.String(), nil
				}
				return false, nil
			}
			return value, nil
		},
		"ipv6": func(n ipNet, vtype, value string) (any, error) {
			if n.version == 4 {
				mapped := new(big.Int).Or(new(big.Int).Lsh(big.NewInt(0xffff), 32), n.ip)
				return ipNet{6, mapped, n.prefix + 96}.String(), nil
			}
			return value, nil
		},
		"last_usable": func(n ipNet, vtype, value string) (any, error) {
			if err := needNet(vtype); err != nil {
				return nil, err
			}
			if bigger(n, 1) {
				_, l := firstLast(n)
				return n.addr(l), nil
			}
			return nil, nil
		},
		"link-local": func(n ipNet, vtype, value string) (any, error) {
			a := ipNet{n.version, n.ip, n.bits()}
			if (n.version == 4 && a.within("169.254.0.0/16")) || (n.version == 6 && a.within("fe80::/10")) {
				return value, nil
			}
			return nil, nil
		},
		"lo":        func(n ipNet, vtype, value string) (any, error) { return boolValue(n.isLoopback(), value), nil },
		"loopback":  func(n ipNet, vtype, value string) (any, error) { return boolValue(n.isLoopback(), value), nil },
		"multicast": func(n ipNet, vtype, value string) (any, error) { return boolValue(n.isMulticast(), value), nil },
		"net": func(n ipNet, vtype, value string) (any, error) {
			if bigger(n, 1) && isNetAddr(n) {
				return n.addr(n.network()) + "/" + strconv.Itoa(n.prefix), nil
			}
			return nil, nil
		},
		"next_usable": func(n ipNet, vtype, value string) (any, error) {
			if err := needNet(vtype); err != nil {
				return nil, err
			}
			if bigger(n, 1) {
				f, l := firstLast(n)
				next := new(big.Int).Add(n.ip, one)
				if next.Cmp(f) >= 0 && next.Cmp(l) <= 0 {
					return n.addr(next), nil
				}
			}
			return nil, nil
		},
		"previous_usable": func(n ipNet, vtype, value string) (any, error) {
			if err := needNet(vtype); err != nil {
				return nil, err
			}
			if bigger(n, 1) {
				f, l := firstLast(n)
				prev := new(big.Int).Sub(n.ip, one)
				if prev.Cmp(f) >= 0 && prev.Cmp(l) <= 0 {
					return n.addr(prev), nil
				}
			}
			return nil, nil
		},
		"netmask":    func(n ipNet, vtype, value string) (any, error) { return n.addr(n.netmask()), nil },
		"network":    func(n ipNet, vtype, value string) (any, error) { return n.addr(n.network()), nil },
		"network_id": func(n ipNet, vtype, value string) (any, error) { return n.addr(n.network()), nil },
		"network/prefix": func(n ipNet, vtype, value string) (any, error) {
			return n.addr(n.network()) + "/" + strconv.Itoa(n.prefix), nil
		},
		"network_netmask": func(n ipNet, vtype, value string) (any, error) {
			return n.addr(n.network()) + " " + n.addr(n.netmask()), nil
		},
		"network_wildcard": func(n ipNet, vtype, value string) (any, error) {
			return n.addr(n.network()) + " " + n.addr(n.hostmask()), nil
		},
		"subnet": func(n ipNet, vtype, value string) (any, error) {
			return n.addr(n.network()) + "/" + strconv.Itoa(n.prefix), nil
		},
		"peer": func(n ipNet, vtype, value string) (any, error) {
			if err := needNet(vtype); err != nil {
				return nil, err
			}
			if sizeIs(n, 2) {
				return n.addr(new(big.Int).Xor(n.ip, one)), nil
			}
			if sizeIs(n, 4) {
				m := new(big.Int).Mod(n.ip, big.NewInt(4)).Int64()
				if m == 0 {
					return nil, fmt.Errorf("Network address of /30 has no peer")
				}
				if m == 3 {
					return nil, fmt.Errorf("Broadcast address of /30 has no peer")
				}
				return n.addr(new(big.Int).Xor(n.ip, big.NewInt(3))), nil
			}
			return nil, fmt.Errorf("Not a point-to-point network")
		},
		"prefix":  func(n ipNet, vtype, value string) (any, error) { return n.prefix, nil },
		"private": func(n ipNet, vtype, value string) (any, error) { return boolValue(n.isPrivate(), value), nil },
		"public": func(n ipNet, vtype, value string) (any, error) {
			a := ipNet{n.version, n.ip, n.bits()}
			all := new(big.Int).Sub(new(big.Int).Lsh(one, uint(n.bits())), one)
			isNetmask := isPow2(new(big.Int).Add(new(big.Int).Xor(n.ip, all), one))
			isHostmask := isPow2(new(big.Int).Add(n.ip, one))
			if !a.isMulticast() && !a.isPrivate() && !a.isLoopback() && !isNetmask && !isHostmask {
				return value, nil
			}
			return nil, nil
		},
		"range_usable": func(n ipNet, vtype, value string) (any, error) {
			if err := needNet(vtype); err != nil {
				return nil, err
			}
			if bigger(n, 1) {
				f, l := firstLast(n)
				return n.addr(f) + "-" + n.addr(l), nil
			}
			return nil, nil
		},
		"revdns": func(n ipNet, vtype, value string) (any, error) { return n.reverseDNS(), nil },
		"size": func(n ipNet, vtype, value string) (any, error) {
			if n.size().IsInt64() {
				return int(n.size().Int64()), nil
			}
			return n.size().String(), nil
		},
		"size_usable": func(n ipNet, vtype, value string) (any, error) {
			if sizeIs(n, 1) {
				return 0, nil
			}
			if sizeIs(n, 2) {
				return 2, nil
			}
			u := new(big.Int).Sub(n.size(), two)
			if u.IsInt64() {
				return int(u.Int64()), nil
			}
			return u.String(), nil
		},
		"type": func(n ipNet, vtype, value string) (any, error) {
			if sizeIs(n, 1) || !isNetAddr(n) {
				return "address", nil
			}
			return "network", nil
		},
		"unicast": func(n ipNet, vtype, value string) (any, error) { return boolValue(!n.isMulticast(), value), nil },
		"v4":      func(n ipNet, vtype, value string) (any, error) { return n.version, nil },
		"v6":      func(n ipNet, vtype, value string) (any, error) { return n.version, nil },
		"version": func(n ipNet, vtype, value string) (any, error) { return n.version, nil },
		"wrap": func(n ipNet, vtype, value string) (any, error) {
			if n.version == 6 {
				if vtype == "address" {
					return "[" + n.addr(n.ip) + "]", nil
				}
				return "[" + n.addr(n.ip) + "]/" + strconv.Itoa(n.prefix), nil
			}
			return value, nil
		},
	}

	ipFilter := func(version int) filterFunc {
		return func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
			p, err := bind("ipaddr", a, kw, "query", "version", "alias")
			if err != nil {
				return nil, err
			}
			ver := version
			if given(p[1]) && version == 0 {
				ver, _ = toInt(p[1])
			}
			return ipaddrFilter(v, argStr(p[0], ""), ver)
		}
	}
	register("ipaddr", ipFilter(0))
	register("ipv4", ipFilter(4))
	register("ipv6", ipFilter(6))
	register("ipwrap", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		query := argStr(first(a), "")
		wrap := func(x any) (any, error) {
			r, err := ipaddrFilter(x, query, 0)
			if err != nil {
				return nil, err
			}
			if t, _ := truthy(r); !t {
				return x, nil
			}
			return ipaddrFilter(r, "wrap", 0)
		}
		if l, ok := asList(v); ok {
			out := []any{}
			for _, x := range l {
				r, err := wrap(x)
				if err != nil {
					return nil, err
				}
				out = append(out, r)
			}
			return out, nil
		}
		return wrap(v)
	})
	register("ipmath", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("ipmath", a, kw, "amount")
		if err != nil {
			return nil, err
		}
		s := ToText(v)
		n, ok := parseIPNet(s)
		if !ok {
			return nil, fmt.Errorf("You must pass a valid IP address; %s is invalid", s)
		}
		amount, ok := p[0].(int)
		if !ok {
			return nil, fmt.Errorf("You must pass an integer for arithmetic; %s is not a valid integer", ToText(p[0]))
		}
		r := new(big.Int).Add(n.ip, big.NewInt(int64(amount)))
		max := new(big.Int).Lsh(big.NewInt(1), uint(n.bits()))
		if r.Sign() < 0 || r.Cmp(max) >= 0 {
			return nil, fmt.Errorf("result outside valid IP address boundary")
		}
		return n.addr(r), nil
	})
	register("nthhost", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("nthhost", a, kw, "query")
		if err != nil {
			return nil, err
		}
		n, ok := parseIPNet(ToText(v))
		if !ok {
			return false, nil
		}
		q := argStr(p[0], "")
		nth, err := strconv.Atoi(q)
		if err != nil {
			return false, nil
		}
		size := n.size()
		i := big.NewInt(int64(nth))
		if nth < 0 {
			i.Add(i, size)
		}
		if i.Sign() < 0 || size.Cmp(big.NewInt(int64(nth))) <= 0 {
			return false, nil
		}
		return n.addr(new(big.Int).Add(n.network(), i)), nil
	})
	register("ipsubnet", filterIPSubnet)
	register("network_in_usable", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return networkIn(v, first(a), true)
	})
	register("network_in_network", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		return networkIn(v, first(a), false)
	})
	register("next_nth_usable", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return nthUsable(v, first(a), 1) })
	register("previous_nth_usable", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) { return nthUsable(v, first(a), -1) })
}

func boolValue(ok bool, value string) any {
	if ok {
		return value
	}
	return nil
}

func networkIn(v, test any, usable bool) (any, error) {
	n, ok1 := parseIPNet(ToText(v))
	w, ok2 := parseIPNet(ToText(test))
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("You must pass a valid IP address or network")
	}
	if n.version != w.version {
		return false, nil
	}
	first, last := n.network(), n.last()
	if usable && n.size().Cmp(big.NewInt(2)) > 0 {
		first = new(big.Int).Add(first, big.NewInt(1))
		last = new(big.Int).Sub(last, big.NewInt(1))
	}
	if n.size().Cmp(big.NewInt(1)) == 0 {
		first, last = n.ip, n.ip
	}
	wf, wl := w.network(), w.last()
	if w.size().Cmp(big.NewInt(1)) == 0 || !strings.Contains(ToText(test), "/") {
		wf, wl = w.ip, w.ip
	}
	in := func(x *big.Int) bool { return x.Cmp(first) >= 0 && x.Cmp(last) <= 0 }
	return in(wf) && in(wl), nil
}

func nthUsable(v, offset any, dir int) (any, error) {
	n, ok := parseIPNet(ToText(v))
	if !ok || !strings.Contains(ToText(v), "/") {
		return nil, fmt.Errorf("Not a network address")
	}
	off, ok := offset.(int)
	if !ok {
		return nil, fmt.Errorf("Must pass in an integer")
	}
	if n.size().Cmp(big.NewInt(1)) <= 0 {
		return false, nil
	}
	first, last := new(big.Int).Add(n.network(), big.NewInt(1)), new(big.Int).Sub(n.last(), big.NewInt(1))
	if n.size().Cmp(big.NewInt(2)) == 0 {
		first, last = n.network(), n.last()
	}
	r := new(big.Int).Add(n.ip, big.NewInt(int64(off*dir)))
	if r.Cmp(first) >= 0 && r.Cmp(last) <= 0 {
		return n.addr(r), nil
	}
	return nil, nil
}

func filterIPSubnet(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("ipsubnet", a, kw, "query", "index")
	if err != nil {
		return nil, err
	}
	s := ToText(v)
	n, ok := parseIPNet(s)
	if !ok {
		return false, nil
	}
	// ipsubnet works on the CIDR of the value: an address without prefix is a /32 (/128).
	cidr := ipNet{n.version, n.network(), n.prefix}
	vtype := "network"
	if n.prefix == n.bits() {
		vtype = "address"
	}
	query := argStr(p[0], "")
	if query == "" {
		return cidr.String(), nil
	}
	total := n.bits()
	if isDigits(query) {
		q, _ := strconv.Atoi(query)
		if q < 0 || q > total {
			return false, nil
		}
		if !given(p[1]) || p[1] == nil {
			if vtype == "address" {
				sup := ipNet{n.version, cidr.ip, q}
				return ipNet{n.version, sup.network(), q}.String(), nil
			}
			if q-cidr.prefix < 0 {
				return nil, fmt.Errorf("Requested subnet size of %d is invalid", q)
			}
			return new(big.Int).Lsh(big.NewInt(1), uint(q-cidr.prefix)).String(), nil
		}
		idx, err := argInt(p[1], 0)
		if err != nil {
			return nil, err
		}
		if vtype == "address" {
			// value.supernet(q) lists the supernets of prefix q .. bits-1; pick one Python-style.
			if idx > total+1-idx || idx < q-total {
				return false, nil
			}
			nsup := total - q
			if idx < 0 {
				idx += nsup
			}
			if idx < 0 || idx >= nsup {
				return nil, fmt.Errorf("list index out of range")
			}
			sup := ipNet{n.version, cidr.ip, q + idx}
			return ipNet{n.version, sup.network(), q + idx}.String(), nil
		}
		count := new(big.Int).Lsh(big.NewInt(1), uint(max(q-cidr.prefix, 0)))
		if q < cidr.prefix {
			return false, nil
		}
		i := big.NewInt(int64(idx))
		if idx < 0 {
			i.Add(i, count)
		}
		if i.Sign() < 0 || i.Cmp(count) >= 0 {
			return false, nil
		}
		start := new(big.Int).Add(cidr.network(), new(big.Int).Lsh(i, uint(total-q)))
		return ipNet{n.version, start, q}.String(), nil
	}
	qn, ok := parseIPNet(query)
	if !ok {
		return nil, fmt.Errorf("You must pass a valid subnet or IP address; %s is invalid", query)
	}
	qc := ipNet{qn.version, qn.network(), qn.prefix}
	if !strings.Contains(query, "/") {
		qc = ipNet{qn.version, qn.ip, qn.bits()}
	}
	shift := uint(total - qc.prefix)
	if new(big.Int).Rsh(cidr.ip, shift).Cmp(new(big.Int).Rsh(qc.ip, shift)) == 0 {
		mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(cidr.prefix-qc.prefix)), big.NewInt(1))
		sh := uint(total - cidr.prefix)
		x := new(big.Int).And(cidr.ip, new(big.Int).Lsh(mask, sh))
		x.Rsh(x, sh)
		return new(big.Int).Add(x, big.NewInt(1)).String(), nil
	}
	return nil, fmt.Errorf("%s is not in the subnet %s", cidr.String(), qc.String())
}
