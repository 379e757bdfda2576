package inventory

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The regular expressions of ansible/parsing/utils/addresses.py. Python's
// re.match anchors only at the start, and the IPv6 expression's final "$"
// binds only to its last alternative; the Go versions keep both quirks.
// Python's lookbehind (?<![_-]) in a hostname label is spelled out as
// "ends with a letter, digit or range". {0} in the IPv6 alternatives stands
// for one component, as in Python's str.format.
const (
	numericRange      = `\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`
	hexadecimalRange  = `\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`
	alphanumericRange = `\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`
	ipv6Component     = `(?:[0-9a-f]{1,4}|` + hexadecimalRange + `)`
	ipv4Component     = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|` + numericRange + `)`
	wordChar          = `[\p{L}\p{N}_]`
	alnumChar         = `[\p{L}\p{N}]`
	labelStart        = `(?:` + wordChar + `|` + alphanumericRange + `)`
	labelMid          = `(?:[\p{L}\p{N}_-]|` + alphanumericRange + `)`
	labelEnd          = `(?:` + alnumChar + `|` + alphanumericRange + `)`
	label             = `(?:` + labelEnd + `|` + labelStart + labelMid + `*` + labelEnd + `)`
)

var (
	reBracketedHostPort = regexp.MustCompile(`^\[(.+)\]:([0-9]+)$`)
	reHostPort          = regexp.MustCompile(`^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$`)
	reIPv4              = regexp.MustCompile(`(?i)^(?:` + ipv4Component + `\.){3}` + ipv4Component + `$`)
	reIPv6              = regexp.MustCompile(strings.ReplaceAll(`(?i)^(?:`+strings.Join([]string{
		`(?:{0}:){7}{0}`,
		`(?:{0}:){1,6}:`,
		`(?:{0}:)(?::{0}){1,6}`,
		`(?:{0}:){2}(?::{0}){1,5}`,
		`(?:{0}:){3}(?::{0}){1,4}`,
		`(?:{0}:){4}(?::{0}){1,3}`,
		`(?:{0}:){5}(?::{0}){1,2}`,
		`(?:{0}:){6}(?::{0})`,
		`:(?::{0}){1,6}`,
		`{0}?::`,
		`(?:0:){6}(?:{0}\.){3}{0}`,
		`::(?:ffff:)?(?:{0}\.){3}{0}`,
		`(?:0:){5}ffff:(?:{0}\.){3}{0}$`,
	}, "|")+`)`, "{0}", ipv6Component))
	reHostname = regexp.MustCompile(`(?i)^` + label + `(?:\.` + label + `)*$`)
)

// errNotAddress is returned by parseAddress for strings that are not a host
// identifier.
var errNotAddress = errors.New("not a valid network hostname")

// parseAddress is Ansible's parse_address: it splits an optional port off a
// host name, IPv4 or IPv6 address ("[v6]:port" for IPv6) and checks the rest.
// Ranges such as web[1:3] are accepted only when allowRanges is true.
// port is -1 when none was given.
func parseAddress(address string, allowRanges bool) (host string, port int, err error) {
	port = -1
	for _, re := range []*regexp.Regexp{reBracketedHostPort, reHostPort} {
		if m := re.FindStringSubmatch(address); m != nil {
			address = m[1]
			p, perr := strconv.Atoi(m[2])
			if perr != nil {
				return "", -1, fmt.Errorf("invalid port in %s", address)
			}
			port = p
		}
	}
	if !reIPv4.MatchString(address) && !reIPv6.MatchString(address) && !reHostname.MatchString(address) {
		return "", -1, fmt.Errorf("%w: %s", errNotAddress, address)
	}
	if !allowRanges && strings.Contains(address, "[") {
		return "", -1, fmt.Errorf("Detected range in host but was asked to ignore ranges")
	}
	return address, port, nil
}

const asciiLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// expandHostPattern is BaseInventoryPlugin._expand_hostpattern: it separates a
// port if the pattern parses as an address, then expands any [x:y] ranges.
func expandHostPattern(pattern string) ([]string, int, error) {
	host, port, err := parseAddress(pattern, true)
	if err != nil {
		host, port = pattern, -1
	}
	if !strings.Contains(host, "[") {
		return []string{host}, port, nil
	}
	names, err := expandRange(host)
	return names, port, err
}

// expandRange is expand_hostname_range: the first [begin:end(:step)] is
// expanded (numbers, zero-padded when begin has a leading zero, or letters),
// then the results are expanded again until no '[' is left.
func expandRange(line string) ([]string, error) {
	// Python: line.replace('[', '|', 1).replace(']', '|', 1).split('|')
	marked := strings.Replace(strings.Replace(line, "[", "|", 1), "]", "|", 1)
	parts := strings.Split(marked, "|")
	if len(parts) < 3 {
		return nil, fmt.Errorf("not enough values to unpack (expected 3, got %d)", len(parts))
	}
	if len(parts) > 3 {
		return nil, fmt.Errorf("too many values to unpack (expected 3)")
	}
	head, nrange, tail := parts[0], parts[1], parts[2]
	bounds := strings.Split(nrange, ":")
	if len(bounds) != 2 && len(bounds) != 3 {
		return nil, fmt.Errorf("host range must be begin:end or begin:end:step")
	}
	beg, end, step := bounds[0], bounds[1], "1"
	if len(bounds) == 3 {
		step = bounds[2]
	}
	if beg == "" {
		beg = "0"
	}
	if end == "" {
		return nil, fmt.Errorf("host range must specify end value")
	}
	width := 0
	if beg[0] == '0' && len(beg) > 1 {
		width = len(beg)
		if width != len(end) {
			return nil, fmt.Errorf("host range must specify equal-length begin and end formats")
		}
	}
	fill := func(s string) string {
		for len(s) < width {
			s = "0" + s
		}
		return s
	}
	stepN, err := pyIntString(step)
	if err != nil {
		return nil, err
	}
	var seq []string
	iBeg, iEnd := strings.Index(asciiLetters, beg), strings.Index(asciiLetters, end)
	if iBeg >= 0 && iEnd >= 0 {
		if iBeg > iEnd {
			return nil, fmt.Errorf("host range must have begin <= end")
		}
		if stepN <= 0 {
			return nil, fmt.Errorf("slice step cannot be zero")
		}
		for i := iBeg; i <= iEnd; i += stepN {
			seq = append(seq, asciiLetters[i:i+1])
		}
	} else {
		b, err := pyIntString(beg)
		if err != nil {
			return nil, err
		}
		e, err := pyIntString(end)
		if err != nil {
			return nil, err
		}
		if stepN == 0 {
			return nil, fmt.Errorf("range() arg 3 must not be zero")
		}
		for i := b; (stepN > 0 && i <= e) || (stepN < 0 && i >= e+2); i += stepN {
			seq = append(seq, strconv.Itoa(i))
		}
	}
	var out []string
	for _, r := range seq {
		name := head + fill(r) + tail
		if strings.Contains(name, "[") {
			more, err := expandRange(name)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		} else {
			out = append(out, name)
		}
	}
	return out, nil
}

// pyIntString is Python's int(s) for the strings a range can hold.
func pyIntString(s string) (int, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, fmt.Errorf("invalid literal for int() with base 10: '%s'", s)
	}
	return n, nil
}
