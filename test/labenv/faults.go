package labenv

import (
	"fmt"
	"strings"
	"time"
)

// LinkDown takes the host off the network: the machine's end of its veth
// pair goes down, as if its cable were pulled. Open connections stall.
func (l *Lab) LinkDown(host string) error {
	h, err := l.Host(host)
	if err != nil {
		return err
	}
	_, err = run("ip", "link", "set", h.Veth, "down")
	return err
}

// LinkUp undoes LinkDown.
func (l *Lab) LinkUp(host string) error {
	h, err := l.Host(host)
	if err != nil {
		return err
	}
	_, err = run("ip", "link", "set", h.Veth, "up")
	return err
}

// Delay delays every packet the machine sends to the host by d (tc netem
// on the machine's end of its veth pair), so a round trip takes d longer.
// A d of 0 removes the delay.
func (l *Lab) Delay(host string, d time.Duration) error {
	h, err := l.Host(host)
	if err != nil {
		return err
	}
	if d == 0 {
		out, err := run("tc", "qdisc", "show", "dev", h.Veth)
		if err != nil || !strings.Contains(out, "netem") {
			return err
		}
		_, err = run("tc", "qdisc", "del", "dev", h.Veth, "root")
		return err
	}
	_, err = run("tc", "qdisc", "replace", "dev", h.Veth, "root", "netem", "delay", d.String())
	if err != nil && strings.Contains(err.Error(), "qdisc kind is unknown") {
		return fmt.Errorf("labenv: Delay needs the kernel's netem queueing discipline (CONFIG_NET_SCH_NETEM), which this kernel lacks: %w", err)
	}
	return err
}

// Throttle limits what the machine sends to the host to rate bits per
// second (tbf on the machine's end of its veth pair), so that a transfer
// to the host takes long enough to be interrupted in the middle; it also
// stands in for a slow host where netem, and so Delay, is missing. A rate
// of 0 removes the limit.
func (l *Lab) Throttle(host string, rate int) error {
	h, err := l.Host(host)
	if err != nil {
		return err
	}
	if rate == 0 {
		out, err := run("tc", "qdisc", "show", "dev", h.Veth)
		if err != nil || !strings.Contains(out, "tbf") {
			return err
		}
		_, err = run("tc", "qdisc", "del", "dev", h.Veth, "root")
		return err
	}
	_, err = run("tc", "qdisc", "replace", "dev", h.Veth, "root", "tbf",
		"rate", fmt.Sprintf("%dbit", rate), "burst", "32kbit", "latency", "1s")
	return err
}
