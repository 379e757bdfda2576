package labenv

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
)

// ipForward is the sysctl that lets the machine route the labs' traffic.
const ipForward = "/proc/sys/net/ipv4/ip_forward"

// forwardSaved keeps ip_forward's value from before the first lab, so the
// last Down can put it back.
func forwardSaved() string { return filepath.Join(StateRoot, "ip_forward.orig") }

// upBridge creates the lab's bridge with the gateway address and lets its
// subnet out through NAT. The caller holds the state lock.
func upBridge(l *Lab) error {
	gw := l.Gateway + "/" + strings.Split(l.Subnet, "/")[1]
	if _, err := run("ip", "link", "add", l.Bridge, "type", "bridge"); err != nil {
		return err
	}
	if _, err := run("ip", "addr", "add", gw, "dev", l.Bridge); err != nil {
		return err
	}
	if _, err := run("ip", "link", "set", l.Bridge, "up"); err != nil {
		return err
	}
	if err := enableForwarding(); err != nil {
		return err
	}
	tag := []string{"-m", "comment", "--comment", natComment(l.Name)}
	rules := [][]string{
		append([]string{"-t", "nat", "-A", "POSTROUTING", "-s", l.Subnet, "!", "-o", l.Bridge}, append(tag, "-j", "MASQUERADE")...),
		// Inserted first so that a FORWARD policy of DROP (Docker sets one)
		// does not cut the lab off.
		append([]string{"-I", "FORWARD", "-i", l.Bridge}, append(tag, "-j", "ACCEPT")...),
		append([]string{"-I", "FORWARD", "-o", l.Bridge}, append(tag, "-j", "ACCEPT")...),
	}
	for _, r := range rules {
		if _, err := run("iptables", r...); err != nil {
			return err
		}
	}
	return nil
}

// enableForwarding turns ip_forward on, first saving its value unless an
// earlier lab already did.
func enableForwarding() error {
	cur, err := os.ReadFile(ipForward)
	if err != nil {
		return fmt.Errorf("labenv: %w", err)
	}
	if _, err := os.Stat(forwardSaved()); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(forwardSaved(), cur, 0o644); err != nil {
			return fmt.Errorf("labenv: %w", err)
		}
	}
	if strings.TrimSpace(string(cur)) != "1" {
		if err := os.WriteFile(ipForward, []byte("1\n"), 0o644); err != nil {
			return fmt.Errorf("labenv: enabling ip_forward: %w", err)
		}
	}
	return nil
}

// restoreForwarding puts ip_forward back as it was before the first lab.
// The caller holds the state lock and has checked that no lab is left.
func restoreForwarding() error {
	saved, err := os.ReadFile(forwardSaved())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("labenv: %w", err)
	}
	if err := os.WriteFile(ipForward, saved, 0o644); err != nil {
		return fmt.Errorf("labenv: restoring ip_forward: %w", err)
	}
	return os.Remove(forwardSaved())
}

// downBridge removes the lab's bridge and its iptables rules; it is
// idempotent, for stale labs.
func downBridge(name string) error {
	var errs []error
	if linkExists(bridgeName(name)) {
		if _, err := run("ip", "link", "del", bridgeName(name)); err != nil {
			errs = append(errs, err)
		}
	}
	for _, chain := range [][2]string{{"nat", "POSTROUTING"}, {"filter", "FORWARD"}} {
		if err := deleteTaggedRules(chain[0], chain[1], natComment(name)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// deleteTaggedRules deletes the rules of a chain whose comment is tag.
func deleteTaggedRules(table, chain, tag string) error {
	out, err := run("iptables", "-t", table, "-S", chain)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(out, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "-A" || !hasComment(fields, tag) {
			continue
		}
		fields[0] = "-D"
		for i, f := range fields {
			// -S quotes some values (comments) for a shell; no shell here.
			fields[i] = strings.Trim(f, `"`)
		}
		if _, err := run("iptables", append([]string{"-t", table}, fields...)...); err != nil {
			return err
		}
	}
	return nil
}

// hasComment reports whether an iptables -S rule carries --comment tag.
func hasComment(fields []string, tag string) bool {
	for i := 0; i+1 < len(fields); i++ {
		if fields[i] == "--comment" && strings.Trim(fields[i+1], `"`) == tag {
			return true
		}
	}
	return false
}

// linkExists reports whether the machine has a network interface name.
func linkExists(name string) bool {
	_, err := net.InterfaceByName(name)
	return err == nil
}

// upHostNetwork creates the host's network namespace and veth pair and
// configures its address and route.
func upHostNetwork(l *Lab, h *Host) error {
	if _, err := run("ip", "netns", "add", h.Netns); err != nil {
		return err
	}
	if _, err := run("ip", "link", "add", h.Veth, "type", "veth", "peer", "name", "eth0", "netns", h.Netns); err != nil {
		return err
	}
	if _, err := run("ip", "link", "set", h.Veth, "master", l.Bridge, "up"); err != nil {
		return err
	}
	prefix := netip.MustParsePrefix(l.Subnet)
	batch := fmt.Sprintf("addr add %s/%d dev eth0\nlink set lo up\nlink set eth0 up\nroute add default via %s\n",
		h.Addr, prefix.Bits(), l.Gateway)
	_, err := runInput(batch, "ip", "-n", h.Netns, "-batch", "-")
	return err
}

// downHostNetwork removes a host's network namespace (which takes the veth
// pair with it) and the machine's end if it is still there.
func downHostNetwork(netns, veth string) error {
	var errs []error
	if _, err := os.Stat(filepath.Join("/run/netns", netns)); err == nil {
		if _, err := run("ip", "netns", "del", netns); err != nil {
			errs = append(errs, err)
		}
	}
	if linkExists(veth) {
		// The kernel may remove the pair on its own meanwhile.
		if _, err := run("ip", "link", "del", veth); err != nil && linkExists(veth) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
