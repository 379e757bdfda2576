package virt

import (
	"context"
	"fmt"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/connection"
	"gorun/engine/module"
)

// kvmGuestAddress is gorun.kvm.guest_address: it waits until a guest has an
// IP address (from the libvirt network's DHCP leases, the QEMU guest agent,
// or the host's ARP table) and returns it, so that the next task can
// add_host the new guest and configure it over SSH in the same play.
type kvmGuestAddress struct{}

func init() { module.Register(kvmGuestAddress{}) }

func (kvmGuestAddress) Doc() *module.Doc { return kvmGuestAddressDoc }

// addressSources maps the source option to libvirt's sources, in the order tried.
var addressSources = map[string][]golibvirt.DomainInterfaceAddressesSource{
	"lease": {golibvirt.DomainInterfaceAddressesSrcLease},
	"agent": {golibvirt.DomainInterfaceAddressesSrcAgent},
	"arp":   {golibvirt.DomainInterfaceAddressesSrcArp},
	"any":   {golibvirt.DomainInterfaceAddressesSrcLease, golibvirt.DomainInterfaceAddressesSrcAgent, golibvirt.DomainInterfaceAddressesSrcArp},
}

var sourceNames = map[golibvirt.DomainInterfaceAddressesSource]string{
	golibvirt.DomainInterfaceAddressesSrcLease: "lease", golibvirt.DomainInterfaceAddressesSrcAgent: "agent", golibvirt.DomainInterfaceAddressesSrcArp: "arp",
}

func (kvmGuestAddress) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	lv, err := openClient(ctx, call, true)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	name := a.String("name")
	dom, err := lv.DomainLookupByName(name)
	if err != nil {
		return failf("guest %s: %s", name, libvirtMsg(err)), nil
	}
	deadline := time.Now().Add(time.Duration(a.Int("timeout")) * time.Second)
	var lastErrs []string
	for {
		lastErrs = lastErrs[:0]
		for _, src := range addressSources[a.String("source")] {
			ifaces, err := lv.DomainInterfaceAddresses(dom, uint32(src), 0)
			if err != nil && src == golibvirt.DomainInterfaceAddressesSrcArp && a.String("mac") != "" {
				// libvirtd's netlink dump of the neighbour table fails on
				// hosts with many interfaces ("wrong nlmsg len"); the
				// kernel's ARP table says the same through /proc.
				if fromProc, perr := procARP(ctx, call, a.String("mac")); perr == nil {
					ifaces, err = fromProc, nil
				}
			}
			if err != nil {
				// An agent not (yet) answering is the normal state of a booting guest.
				lastErrs = append(lastErrs, sourceNames[src]+": "+libvirtMsg(err))
				continue
			}
			if addrs := filterAddresses(ifaces, a.String("family"), a.String("mac")); len(addrs) > 0 {
				first := addrs[0].(map[string]any)
				return module.Result{"changed": false, "address": first["address"], "addresses": addrs, "source": sourceNames[src]}, nil
			}
		}
		if !time.Now().Before(deadline) {
			msg := fmt.Sprintf("guest %s has no %s address after %d seconds (sources: %s)", name, a.String("family"), a.Int("timeout"), a.String("source"))
			if len(lastErrs) > 0 {
				msg += "; " + strings.Join(lastErrs, "; ")
			}
			return module.Failed(msg), nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(a.Int("interval")) * time.Second):
		}
	}
}

// filterAddresses lists the addresses of family (ipv4, ipv6, any), of the
// NIC with mac when set, skipping loopback.
func filterAddresses(ifaces []golibvirt.DomainInterface, family, mac string) []any {
	var out []any
	for _, ifc := range ifaces {
		hw := ""
		if len(ifc.Hwaddr) > 0 {
			hw = ifc.Hwaddr[0]
		}
		if ifc.Name == "lo" || mac != "" && !strings.EqualFold(hw, mac) {
			continue
		}
		for _, ad := range ifc.Addrs {
			fam := "ipv4"
			if ad.Type == int32(golibvirt.IPAddrTypeIpv6) {
				fam = "ipv6"
			}
			if family != "any" && fam != family || strings.HasPrefix(ad.Addr, "127.") || ad.Addr == "::1" {
				continue
			}
			out = append(out, map[string]any{"interface": ifc.Name, "mac": hw, "address": ad.Addr, "prefix": int(ad.Prefix), "family": fam})
		}
	}
	return out
}

// procARP reads the KVM host's /proc/net/arp over the task's connection and
// returns the complete entries for mac as libvirt's ARP source would.
func procARP(ctx context.Context, call *module.Call, mac string) ([]golibvirt.DomainInterface, error) {
	res, err := call.Conn.Exec(ctx, "cat /proc/net/arp", connection.ExecOptions{})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return nil, fmt.Errorf("cat /proc/net/arp: exit %d", res.ExitCode)
	}
	var out []golibvirt.DomainInterface
	// IP address  HW type  Flags  HW address  Mask  Device
	for _, line := range strings.Split(string(res.Stdout), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 6 || !strings.EqualFold(f[3], mac) || f[2] == "0x0" {
			continue
		}
		out = append(out, golibvirt.DomainInterface{Name: f[5], Hwaddr: []string{f[3]},
			Addrs: []golibvirt.DomainIPAddr{{Type: int32(golibvirt.IPAddrTypeIpv4), Addr: f[0]}}})
	}
	return out, nil
}
