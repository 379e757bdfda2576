package system

import (
	"gorun/engine/pytext"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Reading `nmcli con show NAME` and comparing it with the wanted
// properties: show_connection and _compare_conn_params of nmcli.py.

// routeParamRE reads one "name = value" of a route as nmcli shows it
// ("{ ip = 192.0.2.0/24, nh = 192.0.2.1, mt = 10 }").
var routeParamRE = regexp.MustCompile(`([\w-]*)\s?=\s?([^\s,}]*)`)

// routeParams is get_route_params: shown routes as route strings.
func routeParams(raw []string) []string {
	out := make([]string, len(raw))
	for i, r := range raw {
		route := map[string]string{}
		for _, m := range routeParamRE.FindAllStringSubmatch(r, -1) {
			switch m[1] {
			case "nh":
				route["next_hop"] = m[2]
			case "mt":
				route["metric"] = m[2]
			default:
				route[m[1]] = m[2]
			}
		}
		out[i] = routeString(route)
	}
	return out
}

// enumValueRE matches an enum shown as "NUMBER (name)".
var enumValueRE = regexp.MustCompile(`^(-?\d+) \((\w+)\)$`)

// parseConnection is show_connection's parsing of `nmcli con show NAME`:
// property -> nil ("--"), string or []string; bond.options are split into
// their own keys (miimon, mode, ...), as the module's bond options are named.
func parseConnection(out string) map[string]any {
	info := map[string]any{}
	for _, line := range pytext.SplitLines(out) {
		k, raw, found := strings.Cut(line, ":")
		key := strings.TrimSpace(k)
		if key == "" || !found {
			continue
		}
		raw = strings.TrimLeft(raw, " \t\n\r\v\f")
		switch {
		case raw == "--":
			info[key] = nil
		case key == "bond.options":
			for _, opt := range strings.Split(raw, ",") {
				if ak, av, ok := strings.Cut(opt, "="); ok {
					info[ak] = av
				}
			}
		case key == "ipv4.routes" || key == "ipv6.routes":
			info[key] = splitStrip(raw, ";")
		case nmListSettings[key]:
			info[key] = splitStrip(raw, ",")
		default:
			if m := enumValueRE.FindStringSubmatch(raw); m != nil {
				info[key] = m[1]
			} else {
				info[key] = raw
			}
		}
	}
	return info
}

func splitStrip(s, sep string) []string {
	parts := strings.Split(s, sep)
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// wakeOnWLANRE matches a hexadecimal wake-on-wlan value.
var wakeOnWLANRE = regexp.MustCompile(`^0x([0-9A-Fa-f]+)`)

// vpnDataSepRE is the separator of one vpn.data entry as nmcli shows it.
var vpnDataSepRE = regexp.MustCompile(`\s*=\s*`)

// compare is _compare_conn_params: whether the connection differs from
// the wanted properties, and the diff of what is compared.
func (n *nmcli) compare(info map[string]any, opts nmSettings) (bool, map[string]any) {
	changed := false
	before, after := map[string]any{}, map[string]any{}
	for _, s := range opts {
		key, val := s.key, s.val
		if !pyTruthy(val) && !isZero(val) {
			continue
		}
		current, present := info[key]
		if present {
			switch {
			case key == "802-11-wireless.wake-on-wlan" && current != nil:
				if m := wakeOnWLANRE.FindStringSubmatch(current.(string)); m != nil {
					if x, err := strconv.ParseInt(m[1], 16, 64); err == nil {
						current = strconv.FormatInt(x, 10)
					}
				}
			case (key == "ipv4.routes" || key == "ipv6.routes") && current != nil:
				current = routeParams(current.([]string))
			case key == n.macSetting():
				val = strings.ToUpper(pytext.Str(val))
				if c, ok := current.(string); ok && c != "" {
					current = strings.ToUpper(c)
				}
			case key == "gsm.apn":
				if c, ok := current.(string); ok && c != "" {
					current = strings.Trim(c, `"`)
				}
			case key == "vpn.data":
				if c, ok := current.(string); ok && c != "" {
					var parts []string
					for _, p := range strings.Split(c, ",") {
						parts = append(parts, vpnDataSepRE.ReplaceAllString(strings.TrimSpace(p), "="))
					}
					sort.Strings(parts)
					current = parts
				}
				var parts []string
				for _, p := range strings.Split(pytext.Str(val), ",") {
					parts = append(parts, strings.TrimSpace(p))
				}
				sort.Strings(parts)
				val = parts
			}
			if key == nmMTUSetting && n.mtu == nil {
				n.mtu = 0
			}
		} else {
			current = nil
		}
		cl, curList := current.([]string)
		vl, valList := val.([]string)
		switch {
		case curList && valList:
			if key == "ipv4.addresses" || key == "ipv6.addresses" {
				// The first address is the default source address: order counts.
				changed = changed || !slices.Equal(cl, vl)
			} else {
				changed = changed || !slices.Equal(slices.Sorted(slices.Values(cl)), slices.Sorted(slices.Values(vl)))
			}
		case key == nmMTUSetting && n.typ == "dummy" && current == nil && val == "auto" && n.mtu == nil:
			val = nil
		default:
			val = pytext.Str(val)
			if c, ok := current.(string); !ok || c != val {
				changed = true
			}
		}
		before[key] = diffValue(current)
		after[key] = diffValue(val)
	}
	return changed, map[string]any{"before": before, "after": after}
}

// diffValue makes a compared value a result value.
func diffValue(v any) any {
	if l, ok := v.([]string); ok {
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out
	}
	return v
}
