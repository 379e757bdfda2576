package system

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// iptablesModule is ansible.builtin.iptables: one rule, a chain's policy, a
// flush or a chain, managed with the iptables command as Ansible's module
// does, with the rule built the same way (construct_rule), so that `-C`
// finds rules Ansible added and the reported "rule" string is the same.
type iptablesModule struct{}

func init() { module.Register(iptablesModule{}) }

func (iptablesModule) Doc() *module.Doc { return iptablesDoc }

// iptablesParams reads the options as the Python module's params dict.
type iptablesParams struct{ module.Args }

func (p iptablesParams) str(name string) (string, bool) {
	if !p.Has(name) {
		return "", false
	}
	return p.String(name), true
}

// constructRule is the module's construct_rule, in its order.
func constructRule(p iptablesParams) []string {
	var rule []string
	param := func(name, flag string) {
		v, ok := p.str(name)
		if !ok {
			return
		}
		if strings.HasPrefix(v, "!") {
			rule = append(rule, "!", flag, v[1:])
		} else {
			rule = append(rule, flag, v)
		}
	}
	list := func(name, flag string) {
		for _, v := range p.Strings(name) {
			if strings.HasPrefix(v, "!") {
				rule = append(rule, "!", flag, v[1:])
			} else {
				rule = append(rule, flag, v)
			}
		}
	}
	csv := func(name, flag string) {
		if v := p.Strings(name); len(v) > 0 {
			rule = append(rule, flag, strings.Join(v, ","))
		}
	}
	match := func(set bool, m string) {
		if set {
			rule = append(rule, "-m", m)
		}
	}
	has := func(name string) bool {
		v, ok := p.str(name)
		return ok && v != ""
	}
	matchFlag := func(v, flag string, negatable bool) {
		if v == "match" {
			rule = append(rule, flag)
		} else if negatable && v == "negate" {
			rule = append(rule, "!", flag)
		}
	}
	matches := map[string]bool{}
	for _, m := range p.Strings("match") {
		matches[m] = true
	}
	if w, ok := p.str("wait"); ok && w != "" {
		rule = append(rule, "-w", w)
	}
	param("protocol", "-p")
	param("source", "-s")
	param("destination", "-d")
	list("match", "-m")
	if f := p.Dict("tcp_flags"); f != nil {
		flags, fok := f["flags"].([]any)
		set, sok := f["flags_set"].([]any)
		if fok && sok {
			rule = append(rule, "--tcp-flags", joinAny(flags), joinAny(set))
		}
	}
	param("jump", "-j")
	if strings.EqualFold(p.String("jump"), "tee") {
		param("gateway", "--gateway")
	}
	param("log_prefix", "--log-prefix")
	param("log_level", "--log-level")
	param("to_destination", "--to-destination")
	match(len(p.Strings("destination_ports")) > 0, "multiport")
	csv("destination_ports", "--dports")
	param("to_source", "--to-source")
	param("goto", "-g")
	param("in_interface", "-i")
	param("out_interface", "-o")
	param("fragment", "-f")
	param("set_counters", "-c")
	param("source_port", "--source-port")
	param("destination_port", "--destination-port")
	param("to_ports", "--to-ports")
	param("set_dscp_mark", "--set-dscp")
	param("set_dscp_mark_class", "--set-dscp-class")
	matchFlag(p.String("syn"), "--syn", true)
	switch {
	case matches["conntrack"]:
		csv("ctstate", "--ctstate")
	case matches["state"]:
		csv("ctstate", "--state")
	case len(p.Strings("ctstate")) > 0:
		match(true, "conntrack")
		csv("ctstate", "--ctstate")
	}
	if matches["iprange"] || has("src_range") || has("dst_range") {
		match(!matches["iprange"], "iprange")
		param("src_range", "--src-range")
		param("dst_range", "--dst-range")
	}
	if matches["set"] || has("match_set") {
		match(!matches["set"], "set")
		param("match_set", "--match-set")
		// append_match_flag(rule, 'match', match_set_flags, False): the
		// flags are the "flag" argument, added as one word.
		if f, ok := p.str("match_set_flags"); ok {
			rule = append(rule, f)
		}
	}
	match(has("limit") || has("limit_burst"), "limit")
	param("limit", "--limit")
	param("limit_burst", "--limit-burst")
	for _, owner := range []string{"uid_owner", "gid_owner"} {
		flag := "--" + strings.ReplaceAll(owner, "_", "-")
		v, _ := p.str(owner)
		match(v != "", "owner")
		matchFlag(v, flag, true)
		param(owner, flag)
	}
	if !p.Has("jump") && has("reject_with") {
		rule = append(rule, "-j", "REJECT")
	}
	param("reject_with", "--reject-with")
	if p.String("ip_version") == "ipv6" {
		param("icmp_type", "--icmpv6-type")
	} else {
		param("icmp_type", "--icmp-type")
	}
	match(has("comment"), "comment")
	param("comment", "--comment")
	return rule
}

func joinAny(l []any) string {
	s := make([]string, len(l))
	for i, v := range l {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ",")
}

var policyHeader = regexp.MustCompile(`\(policy ([A-Z]+)\)`)

func (iptablesModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	p := iptablesParams{call.Args}
	bin := "iptables"
	if p.String("ip_version") == "ipv6" {
		bin = "ip6tables"
	}
	chain, hasChain := p.str("chain")
	result := module.Result{
		"changed": false, "failed": false, "ip_version": p.String("ip_version"), "table": p.String("table"),
		"chain": nilIfUnset(chain, hasChain), "flush": p.Bool("flush"), "state": p.String("state"),
		"chain_management": p.Bool("chain_management"),
		// The reported rule is built before the LOG default and the wait
		// option are settled, as Ansible's is.
		"rule": strings.Join(constructRule(p), " "),
	}
	// Work on a copy: the defaults below must not leak into the task's args.
	p = iptablesParams{module.Args{}}
	for k, v := range call.Args {
		p.Args[k] = v
	}
	if !p.Bool("flush") && !hasChain {
		return module.Failed("Either chain or flush parameter must be specified."), nil
	}
	if p.Has("log_prefix") || p.Has("log_level") {
		switch {
		case !p.Has("jump"):
			p.Args["jump"] = "LOG"
		case p.String("jump") != "LOG":
			return module.Failed("Logging options can only be used with the LOG jump target."), nil
		}
	}
	path, err := t.Which(bin)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return module.Failed(fmt.Sprintf("Failed to find required executable %q in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", bin)), nil
	}
	if p.Has("wait") {
		// -w takes seconds from iptables 1.6.0, no value from 1.4.20, and
		// does not exist before (CentOS 7 has 1.4.21).
		o, err := t.Run(nil, path, "--version")
		if err != nil {
			return nil, err
		}
		switch v := strings.TrimSpace(o.Stdout[strings.Index(o.Stdout, "v")+1:]); {
		case versionLess(v, "1.4.20"):
			delete(p.Args, "wait")
		case versionLess(v, "1.6.0"):
			p.Args["wait"] = ""
		}
	}
	base := func(action string) []string {
		argv := []string{path, "-t", p.String("table"), action}
		if hasChain {
			argv = append(argv, chain)
		}
		return argv
	}
	withRule := func(action string) []string {
		argv := base(action)
		if action == "-I" {
			if n, ok := p.str("rule_num"); ok && n != "" {
				argv = append(argv, n)
			}
		}
		return append(argv, constructRule(p)...)
	}
	mustRun := func(argv []string) (module.Result, bool, error) {
		o, err := t.Run(nil, argv...)
		if err != nil {
			return nil, false, err
		}
		if o.RC != 0 {
			r := remotecmd.FailRun(o.Stderr, o)
			r["cmd"] = shell.Join(argv)
			return r, false, nil
		}
		return nil, true, nil
	}

	switch {
	case p.Bool("flush"):
		result["changed"] = true
		if !call.Check {
			if r, ok, err := mustRun(base("-F")); !ok {
				return r, err
			}
		}
	case p.Has("policy"):
		o, err := t.Run(nil, base("-L")...)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return remotecmd.FailRun(o.Stderr, o), nil
		}
		header, _, _ := strings.Cut(o.Stdout, "\n")
		m := policyHeader.FindStringSubmatch(header)
		if m == nil {
			return module.Failed("Can't detect current policy"), nil
		}
		changed := m[1] != p.String("policy")
		result["changed"] = changed
		if changed && !call.Check {
			if r, ok, err := mustRun(append(base("-P"), p.String("policy"))); !ok {
				return r, err
			}
		}
	case p.String("state") == "absent" && result["rule"] == "":
		o, err := t.Run(nil, base("-L")...)
		if err != nil {
			return nil, err
		}
		present := o.RC == 0
		result["changed"] = present
		if present && p.Bool("chain_management") && !call.Check {
			if r, ok, err := mustRun(base("-X")); !ok {
				return r, err
			}
		}
	default:
		// One round trip answers both questions: is the rule there, and
		// the chain.
		check := shell.Join(withRule("-C")) + " >/dev/null 2>&1 && echo rule; " +
			shell.Join(base("-L")) + " >/dev/null 2>&1 && echo chain; true"
		o, err := t.Sh(nil, check)
		if err != nil {
			return nil, err
		}
		rulePresent := strings.Contains(o.Stdout, "rule")
		chainPresent := rulePresent || strings.Contains(o.Stdout, "chain")
		want := p.String("state") == "present"
		result["changed"] = rulePresent != want
		if rulePresent == want || call.Check {
			return result, nil
		}
		if want {
			if !chainPresent && p.Bool("chain_management") {
				if r, ok, err := mustRun(base("-N")); !ok {
					return r, err
				}
			}
			action := "-A"
			if p.String("action") == "insert" {
				action = "-I"
			}
			if r, ok, err := mustRun(withRule(action)); !ok {
				return r, err
			}
		} else if r, ok, err := mustRun(withRule("-D")); !ok {
			return r, err
		}
	}
	return result, nil
}

// versionLess compares dotted versions numerically, as LooseVersion does
// for iptables' plain ones ("1.8.9 (nf_tables)" reads as 1.8.9).
func versionLess(a, b string) bool {
	a, _, _ = strings.Cut(a, " ")
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			fmt.Sscan(as[i], &x)
		}
		if i < len(bs) {
			fmt.Sscan(bs[i], &y)
		}
		if x != y {
			return x < y
		}
	}
	return false
}

func nilIfUnset(s string, set bool) any {
	if !set {
		return nil
	}
	return s
}

var iptablesDoc = &module.Doc{
	Name:  "iptables",
	Names: []string{"ansible.builtin.iptables"},
	Short: "Modify iptables rules",
	Description: []string{
		"iptables is used to set up, maintain, and inspect the tables of IP packet filter rules in the Linux kernel.",
		"This module does not handle the saving and/or loading of rules, but rather only manipulates the current rules that are present in memory. This is the same as the behaviour of the iptables and ip6tables command which this module uses internally.",
	},
	Options: []module.Option{
		{Name: "action", Type: "str", Default: "append", Choices: []any{"append", "insert"}, Description: "Whether the rule should be appended at the bottom or inserted at the top. If the rule already exists the chain will not be modified."},
		{Name: "chain", Type: "str", Description: "Specify the iptables chain to modify. This could be a user-defined chain or one of the standard iptables chains, like INPUT, FORWARD, OUTPUT, PREROUTING, POSTROUTING, SECMARK or CONNSECMARK."},
		{Name: "chain_management", Type: "bool", Default: false, Description: "If true and state is present, the chain will be created if needed. If true and state is absent, the chain will be deleted if the only other parameter passed are chain and optionally table."},
		{Name: "comment", Type: "str", Description: "This specifies a comment that will be added to the rule."},
		{Name: "ctstate", Type: "list", Elements: "str", Default: []any{}, Description: "A list of the connection states to match in the conntrack module. Possible values are INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED, SNAT, DNAT."},
		{Name: "destination", Type: "str", Description: "Destination specification. Address can be either a network name, a hostname, a network IP address (with /mask), or a plain IP address. Hostnames will be resolved once only, before the rule is submitted to the kernel. Please note that specifying any name to be resolved with a remote query such as DNS is a really bad idea. The mask can be either a network mask or a plain number, specifying the number of 1's at the left side of the network mask. Thus, a mask of 24 is equivalent to 255.255.255.0. A ! argument before the address specification inverts the sense of the address."},
		{Name: "destination_port", Type: "str", Description: "Destination port or port range specification. This can either be a service name or a port number. An inclusive range can also be specified, using the format first:last. If the first port is omitted, '0' is assumed; if the last is omitted, '65535' is assumed. If the first port is greater than the second one they will be swapped. This is only valid if the rule also specifies one of the following protocols: tcp, udp, dccp or sctp."},
		{Name: "destination_ports", Type: "list", Elements: "str", Description: "This specifies multiple destination port numbers or port ranges to match in the multiport module. It can only be used in conjunction with the protocols tcp, udp, udplite, dccp and sctp."},
		{Name: "dst_range", Type: "str", Description: "Specifies the destination IP range to match in the iprange module."},
		{Name: "flush", Type: "bool", Default: false, Description: "Flushes the specified table and chain of all rules. If no chain is specified then the entire table is purged. Ignores all other parameters."},
		{Name: "fragment", Type: "str", Description: "This means that the rule only refers to second and further fragments of fragmented packets. Since there is no way to tell the source or destination ports of such a packet (or ICMP type), such a packet will not match any rules which specify them. When the \"!\" argument precedes fragment argument, the rule will only match head fragments, or unfragmented packets."},
		{Name: "gateway", Type: "str", Description: "This specifies the IP address of host to send the cloned packets. This option is only valid when jump is set to TEE."},
		{Name: "gid_owner", Type: "str", Description: "Specifies the GID or group to use in match by owner rule."},
		{Name: "goto", Type: "str", Description: "This specifies that the processing should continue in a user specified chain. Unlike the jump argument return will not continue processing in this chain but instead in the chain that called us via jump."},
		{Name: "icmp_type", Type: "str", Description: "This allows specification of the ICMP type, which can be a numeric ICMP type, type/code pair, or one of the ICMP type names shown by the command 'iptables -p icmp -h'"},
		{Name: "in_interface", Type: "str", Description: "Name of an interface via which a packet was received (only for packets entering the INPUT, FORWARD and PREROUTING chains). When the ! argument is used before the interface name, the sense is inverted. If the interface name ends in a +, then any interface which begins with this name will match. If this option is omitted, any interface name will match."},
		{Name: "ip_version", Type: "str", Default: "ipv4", Choices: []any{"ipv4", "ipv6"}, Description: "Which version of the IP protocol this rule should apply to."},
		{Name: "jump", Type: "str", Description: "This specifies the target of the rule; i.e., what to do if the packet matches it. The target can be a user-defined chain (other than the one this rule is in), one of the special builtin targets which decide the fate of the packet immediately, or an extension (see EXTENSIONS below). If this option is omitted in a rule (and the goto parameter is not used), then matching the rule will have no effect on the packet's fate, but the counters on the rule will be incremented."},
		{Name: "limit", Type: "str", Description: "Specifies the maximum average number of matches to allow per second. The number can specify units explicitly, using /second, /minute, /hour or /day, or parts of them (so 5/second is the same as 5/s)."},
		{Name: "limit_burst", Type: "str", Description: "Specifies the maximum burst before the above limit kicks in."},
		{Name: "log_level", Type: "str", Choices: []any{"0", "1", "2", "3", "4", "5", "6", "7", "emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"}, Description: "Logging level according to the syslogd-defined priorities. The value can be strings or numbers from 1-8. This parameter is only applicable if jump is set to LOG."},
		{Name: "log_prefix", Type: "str", Description: "Specifies a log text for the rule. Only make sense with a LOG jump."},
		{Name: "match", Type: "list", Elements: "str", Default: []any{}, Description: "Specifies a match to use, that is, an extension module that tests for a specific property. The set of matches make up the condition under which a target is invoked. Matches are evaluated first to last if specified as an array and work in short-circuit fashion, i.e. if one extension yields false, evaluation will stop."},
		{Name: "match_set", Type: "str", Description: "Specifies a set name which can be defined by ipset. Must be used together with the match_set_flags parameter. When the ! argument is prepended then it inverts the rule. Uses the iptables set extension."},
		{Name: "match_set_flags", Type: "str", Choices: []any{"src", "dst", "src,dst", "dst,src"}, Description: "Specifies the necessary flags for the match_set parameter. Must be used together with the match_set parameter. Uses the iptables set extension."},
		{Name: "out_interface", Type: "str", Description: "Name of an interface via which a packet is going to be sent (for packets entering the FORWARD, OUTPUT and POSTROUTING chains). When the ! argument is used before the interface name, the sense is inverted. If the interface name ends in a +, then any interface which begins with this name will match. If this option is omitted, any interface name will match."},
		{Name: "policy", Type: "str", Choices: []any{"ACCEPT", "DROP", "QUEUE", "RETURN"}, Description: "Set the policy for the chain to the given target. Only built-in chains can have policies. This parameter requires the chain parameter. If you specify this parameter, all other parameters will be ignored. This parameter is used to set default policy for the given chain. Do not confuse this with jump parameter."},
		{Name: "protocol", Type: "str", Description: "The protocol of the rule or of the packet to check. The specified protocol can be one of tcp, udp, udplite, icmp, ipv6-icmp or icmpv6, esp, ah, sctp or the special keyword all, or it can be a numeric value, representing one of these protocols or a different one. A protocol name from /etc/protocols is also allowed. A ! argument before the protocol inverts the test. The number zero is equivalent to all. all will match with all protocols and is taken as default when this option is omitted."},
		{Name: "reject_with", Type: "str", Description: "Specifies the error packet type to return while rejecting. It implies \"jump: REJECT\"."},
		{Name: "rule_num", Type: "str", Description: "Insert the rule as the given rule number. This works only with action=insert."},
		{Name: "set_counters", Type: "str", Description: "This enables the administrator to initialize the packet and byte counters of a rule (during INSERT, APPEND, REPLACE operations)."},
		{Name: "set_dscp_mark", Type: "str", Description: "This allows specifying a DSCP mark to be added to packets. It takes either an integer or hex value. Mutually exclusive with set_dscp_mark_class."},
		{Name: "set_dscp_mark_class", Type: "str", Description: "This allows specifying a predefined DiffServ class which will be translated to the corresponding DSCP mark. Mutually exclusive with set_dscp_mark."},
		{Name: "source", Type: "str", Description: "Source specification. Address can be either a network name, a hostname, a network IP address (with /mask), or a plain IP address. Hostnames will be resolved once only, before the rule is submitted to the kernel. Please note that specifying any name to be resolved with a remote query such as DNS is a really bad idea. The mask can be either a network mask or a plain number, specifying the number of 1's at the left side of the network mask. Thus, a mask of 24 is equivalent to 255.255.255.0. A ! argument before the address specification inverts the sense of the address."},
		{Name: "source_port", Type: "str", Description: "Source port or port range specification. This can either be a service name or a port number. An inclusive range can also be specified, using the format first:last. If the first port is omitted, 0 is assumed; if the last is omitted, 65535 is assumed. If the first port is greater than the second one they will be swapped."},
		{Name: "src_range", Type: "str", Description: "Specifies the source IP range to match in the iprange module."},
		{Name: "state", Type: "str", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the rule should be absent or present."},
		{Name: "syn", Type: "str", Default: "ignore", Choices: []any{"ignore", "match", "negate"}, Description: "This allows matching packets that have the SYN bit set and the ACK and RST bits unset. When negated, this matches all packets with the RST or the ACK bits set."},
		{Name: "table", Type: "str", Default: "filter", Choices: []any{"filter", "nat", "mangle", "raw", "security"}, Description: "This option specifies the packet matching table which the command should operate on. If the kernel is configured with automatic module loading, an attempt will be made to load the appropriate module for that table if it is not already there."},
		{Name: "tcp_flags", Type: "dict", Default: map[string]any{}, Suboptions: []module.Option{{Name: "flags", Type: "list", Elements: "str", Description: "List of flags you want to examine."}, {Name: "flags_set", Type: "list", Elements: "str", Description: "Flags to be set."}}, Description: "TCP flags specification. tcp_flags expects a dict with the two keys flags and flags_set."},
		{Name: "to_destination", Type: "str", Description: "This specifies a destination address to use with DNAT. Without this, the destination address is never altered."},
		{Name: "to_ports", Type: "str", Description: "This specifies a destination port or range of ports to use, without this, the destination port is never altered. This is only valid if the rule also specifies one of the protocol tcp, udp, dccp or sctp."},
		{Name: "to_source", Type: "str", Description: "This specifies a source address to use with SNAT. Without this, the source address is never altered."},
		{Name: "uid_owner", Type: "str", Description: "Specifies the UID or username to use in match by owner rule. From Ansible 2.6 when the ! argument is prepended then the it inverts the rule to apply instead to all users except that one specified."},
		{Name: "wait", Type: "str", Description: "Wait N seconds for the xtables lock to prevent multiple instances of the program from running concurrently."},
	},
	MutuallyExclusive: [][]string{{"set_dscp_mark", "set_dscp_mark_class"}, {"flush", "policy"}},
	RequiredIf:        []module.RequiredIf{{Key: "jump", Value: "TEE", Requires: []string{"gateway"}}, {Key: "jump", Value: "tee", Requires: []string{"gateway"}}},
	Check:             module.Full,
	Diff:              module.None,
	Returns:           []module.Return{{Name: "rule", Description: "The rule, as iptables arguments.", Returned: "always", Type: "str"}},
	Notes:             []string{"This module just deals with individual rules. If you need advanced chaining of rules the recommended way is to template the iptables restore file."},
	Examples: `- name: Block specific IP
  ansible.builtin.iptables:
    chain: INPUT
    source: 8.8.8.8
    jump: DROP
  become: yes

- name: Forward port 80 to 8600
  ansible.builtin.iptables:
    table: nat
    chain: PREROUTING
    in_interface: eth0
    protocol: tcp
    match: tcp
    destination_port: 80
    jump: REDIRECT
    to_ports: 8600
    comment: Redirect web traffic to port 8600
  become: yes

- name: Allow related and established connections
  ansible.builtin.iptables:
    chain: INPUT
    ctstate: ESTABLISHED,RELATED
    jump: ACCEPT
  become: yes`,
}
