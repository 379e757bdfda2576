package labenv

import (
	"fmt"
	"hash/fnv"
	"net"
	"net/netip"
)

// defaultSubnet is the subnet of the lab named DefaultName.
var defaultSubnet = netip.MustParsePrefix("10.77.0.0/24")

// Other labs take a /24 in 10.78.0.0 to 10.99.255.0.
const (
	firstOctet2 = 78
	numOctet2   = 22
	numSubnets  = numOctet2 * 256
)

// pickSubnet chooses the /24 of a new lab: the default one for DefaultName,
// otherwise one derived from a hash of the name, moving on to the next
// while it is taken by another lab or overlaps an address or route of the
// machine. The caller holds the state lock, so two labs starting at once
// cannot pick the same one.
func pickSubnet(name string) (netip.Prefix, error) {
	used, err := usedPrefixes()
	if err != nil {
		return netip.Prefix{}, err
	}
	if name == DefaultName {
		if p, clash := overlaps(defaultSubnet, used); clash {
			return netip.Prefix{}, fmt.Errorf("labenv: subnet %s of lab %q overlaps %s already in use on this machine", defaultSubnet, name, p)
		}
		return defaultSubnet, nil
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	start := int(h.Sum32() % numSubnets)
	for i := 0; i < numSubnets; i++ {
		n := (start + i) % numSubnets
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(firstOctet2 + n/256), byte(n % 256), 0}), 24)
		if _, clash := overlaps(p, used); !clash {
			return p, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("labenv: no free /24 left in 10.%d-%d.x.0 for lab %q", firstOctet2, firstOctet2+numOctet2-1, name)
}

// overlaps returns the first prefix of used that overlaps p.
func overlaps(p netip.Prefix, used []netip.Prefix) (netip.Prefix, bool) {
	for _, u := range used {
		if u.Overlaps(p) {
			return u, true
		}
	}
	return netip.Prefix{}, false
}

// usedPrefixes lists the subnets of the labs that are up and the networks
// of the machine's own IPv4 addresses.
func usedPrefixes() ([]netip.Prefix, error) {
	labs, err := stateNames()
	if err != nil {
		return nil, err
	}
	var used []netip.Prefix
	for _, name := range labs {
		if st, err := readState(name); err == nil {
			if p, err := netip.ParsePrefix(st.Subnet); err == nil {
				used = append(used, p)
			}
		}
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("labenv: listing the machine's addresses: %w", err)
	}
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.To4() == nil || ipn.IP.IsLoopback() {
			continue
		}
		if p, err := netip.ParsePrefix(ipn.String()); err == nil {
			used = append(used, p.Masked())
		}
	}
	return used, nil
}

// hostAddr is the address of the i-th host of a lab (counting from 0).
func hostAddr(subnet netip.Prefix, i int) netip.Addr {
	b := subnet.Addr().As4()
	b[3] = byte(11 + i)
	return netip.AddrFrom4(b)
}

// gatewayAddr is the bridge's address, the hosts' default route.
func gatewayAddr(subnet netip.Prefix) netip.Addr {
	b := subnet.Addr().As4()
	b[3] = 1
	return netip.AddrFrom4(b)
}
