package inventory

import (
	"reflect"
	"testing"
)

// Ansible's test/units/parsing/utils/test_addresses.py tables, plus a few
// cases checked against ansible-core 2.14. port -1 means no port; host ""
// means parse_address raises.
var addressTests = []struct {
	in   string
	host string
	port int
}{
	{"192.0.2.3", "192.0.2.3", -1},
	{"192.0.2.3:23", "192.0.2.3", 23},
	{"::", "::", -1},
	{"::1", "::1", -1},
	{"[::1]:442", "::1", 442},
	{"abcd:ef98:7654:3210:abcd:ef98:7654:3210", "abcd:ef98:7654:3210:abcd:ef98:7654:3210", -1},
	{"[abcd:ef98:7654:3210:abcd:ef98:7654:3210]:42", "abcd:ef98:7654:3210:abcd:ef98:7654:3210", 42},
	{"1234:5678:9abc:def0:1234:5678:9abc:def0", "1234:5678:9abc:def0:1234:5678:9abc:def0", -1},
	{"1234::9abc:def0:1234:5678:9abc:def0", "1234::9abc:def0:1234:5678:9abc:def0", -1},
	{"1234:5678::def0:1234:5678:9abc:def0", "1234:5678::def0:1234:5678:9abc:def0", -1},
	{"1234:5678:9abc::1234:5678:9abc:def0", "1234:5678:9abc::1234:5678:9abc:def0", -1},
	{"1234:5678:9abc:def0::5678:9abc:def0", "1234:5678:9abc:def0::5678:9abc:def0", -1},
	{"1234:5678:9abc:def0:1234::9abc:def0", "1234:5678:9abc:def0:1234::9abc:def0", -1},
	{"1234:5678:9abc:def0:1234:5678::def0", "1234:5678:9abc:def0:1234:5678::def0", -1},
	{"1234:5678:9abc:def0:1234:5678::", "1234:5678:9abc:def0:1234:5678::", -1},
	{"::9abc:def0:1234:5678:9abc:def0", "::9abc:def0:1234:5678:9abc:def0", -1},
	{"0:0:0:0:0:ffff:1.2.3.4", "0:0:0:0:0:ffff:1.2.3.4", -1},
	{"0:0:0:0:0:0:1.2.3.4", "0:0:0:0:0:0:1.2.3.4", -1},
	{"::ffff:1.2.3.4", "::ffff:1.2.3.4", -1},
	{"::1.2.3.4", "::1.2.3.4", -1},
	{"1234::", "1234::", -1},
	{"fe80::1%eth0", "fe80::1%eth0", -1},
	{"some-host", "some-host", -1},
	{"some-host:80", "some-host", 80},
	{"some.host.com:492", "some.host.com", 492},
	{"[some.host.com]:493", "some.host.com", 493},
	{"a-b.3foo_bar.com:23", "a-b.3foo_bar.com", 23},
	{"fóöbär", "fóöbär", -1},
	{"fóöbär:32", "fóöbär", 32},
	{"fóöbär.éxàmplê.com:632", "fóöbär.éxàmplê.com", 632},
	{"_x", "_x", -1},
	{"a_b", "a_b", -1},
	{"1.2.3.256", "1.2.3.256", -1},
	{"", "", -1},
	{"some..host", "", -1},
	{"some.", "", -1},
	{"[example.com]", "", -1},
	{"some-", "", -1},
	{"x_", "", -1},
	{"some-.foo.com", "", -1},
	{"some.-foo.com", "", -1},
}

var addressRangeTests = []struct {
	in   string
	host string
	port int
}{
	{"192.0.2.[3:10]", "192.0.2.[3:10]", -1},
	{"192.0.2.[3:10]:23", "192.0.2.[3:10]", 23},
	{"abcd:ef98::7654:[1:9]", "abcd:ef98::7654:[1:9]", -1},
	{"[abcd:ef98::7654:[6:32]]:2222", "abcd:ef98::7654:[6:32]", 2222},
	{"[abcd:ef98::7654:[9ab3:fcb7]]:2222", "abcd:ef98::7654:[9ab3:fcb7]", 2222},
	{"fóöb[a:c]r.éxàmplê.com:632", "fóöb[a:c]r.éxàmplê.com", 632},
	{"[a:b]foo.com", "[a:b]foo.com", -1},
	{"foo[a:b].com", "foo[a:b].com", -1},
	{"foo[a:b]:42", "foo[a:b]", 42},
	{"web[1:10:2]", "web[1:10:2]", -1},
	{"[A:Z]x", "[A:Z]x", -1},
	{"foo[a-b]-.com", "", -1},
	{"foo[a-b]:32", "", -1},
	{"foo[x-y]", "", -1},
}

func TestParseAddress(t *testing.T) {
	check := func(in, wantHost string, wantPort int, ranges bool) {
		t.Helper()
		host, port, err := parseAddress(in, ranges)
		if wantHost == "" {
			if err == nil {
				t.Errorf("parseAddress(%q) = %q, %d; want an error", in, host, port)
			}
			return
		}
		if err != nil || host != wantHost || port != wantPort {
			t.Errorf("parseAddress(%q, %v) = %q, %d, %v; want %q, %d", in, ranges, host, port, err, wantHost, wantPort)
		}
	}
	for _, tc := range addressTests {
		check(tc.in, tc.host, tc.port, false)
	}
	for _, tc := range addressRangeTests {
		check(tc.in, tc.host, tc.port, true)
		if tc.host != "" {
			if _, _, err := parseAddress(tc.in, false); err == nil {
				t.Errorf("parseAddress(%q) without ranges: want an error", tc.in)
			}
		}
	}
}

// Ansible's ranges_to_expand table (test/units/inventory/test_inventory.py)
// plus cases checked against expand_hostname_range in ansible-core 2.14.
func TestExpandRange(t *testing.T) {
	tests := map[string][]string{
		"a[1:2]":      {"a1", "a2"},
		"a[1:10:2]":   {"a1", "a3", "a5", "a7", "a9"},
		"a[a:b]":      {"aa", "ab"},
		"a[a:i:3]":    {"aa", "ad", "ag"},
		"a[a:b][c:d]": {"aac", "aad", "abc", "abd"},
		"a[0:1][2:3]": {"a02", "a03", "a12", "a13"},
		"a[a:b][2:3]": {"aa2", "aa3", "ab2", "ab3"},
		"w[01:03]":    {"w01", "w02", "w03"},
		"w[08:11]":    {"w08", "w09", "w10", "w11"},
		"x[:3]":       {"x0", "x1", "x2", "x3"},
		"x[A:C]":      {"xA", "xB", "xC"},
		"x[ab:d]":     {"xa", "xb", "xc", "xd"},
		"x[y:B]":      {"xy", "xz", "xA", "xB"},
		"x[3:1]":      nil,
	}
	for in, want := range tests {
		got, err := expandRange(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("expandRange(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"x[1:2:3:4]", "x[1:]", "x[01:100]", "x[b:a]", "x[1:c]"} {
		if got, err := expandRange(bad); err == nil {
			t.Errorf("expandRange(%q) = %q; want an error", bad, got)
		}
	}
}

// Ansible's split_host_pattern table (test/units/inventory/test_inventory.py)
// plus cases checked against ansible-core 2.14.
func TestSplitPattern(t *testing.T) {
	tests := map[string][]string{
		"a":                    {"a"},
		"a, b":                 {"a", "b"},
		"a , b":                {"a", "b"},
		" a,b ,c[1:2] ":        {"a", "b", "c[1:2]"},
		"9a01:7f8:191:7701::9": {"9a01:7f8:191:7701::9"},
		"9a01:7f8:191:7701::9,9a01:7f8:191:7701::9,foo": {"9a01:7f8:191:7701::9", "9a01:7f8:191:7701::9", "foo"},
		"foo[1:2]":         {"foo[1:2]"},
		"a::b":             {"a::b"},
		"a:b":              {"a", "b"},
		" a : b ":          {"a", "b"},
		"foo:bar:baz[1:2]": {"foo", "bar", "baz[1:2]"},
		"a,,b":             {"a", "b"},
		"a,  ,b,,c, ,":     {"a", "b", "c"},
		",":                {},
		"":                 {},
		"web:22":           {"web:22"},
		"web*:&db:!x":      {"web*", "&db", "!x"},
		"~web.*:db":        {"~web.*", "db"},
		"web[0]:db[1:2]":   {"web[0]", "db[1:2]"},
		"g[-1]":            {"g[-1]"},
		"[::1]:22":         {"[::1]:22"},
	}
	for in, want := range tests {
		if got := SplitPattern(in); !reflect.DeepEqual(got, want) {
			t.Errorf("SplitPattern(%q) = %q; want %q", in, got, want)
		}
	}
}
