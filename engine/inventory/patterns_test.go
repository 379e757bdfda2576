package inventory

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Ansible's subscripts table (test/units/inventory/test_inventory.py): the
// subscript applied to hosts named after string.ascii_letters.
func TestApplySubscript(t *testing.T) {
	var hosts []*Host
	for _, r := range asciiLetters {
		hosts = append(hosts, &Host{Name: string(r)})
	}
	tests := map[string][]string{
		"a[0]":    {"a"},
		"a[1]":    {"b"},
		"a[2:3]":  {"c", "d"},
		"a[-1]":   {"Z"},
		"a[-2]":   {"Y"},
		"a[48:]":  {"W", "X", "Y", "Z"},
		"a[49:]":  {"X", "Y", "Z"},
		"a[1:]":   strings.Split(asciiLetters[1:], ""),
		"a[3:0]":  {"d"}, // an end of 0 is falsy in Ansible: one host
		"a[60:]":  {},
		"a[5:60]": strings.Split(asciiLetters[5:], ""),
	}
	inv := New(Options{})
	for pat, want := range tests {
		expr, sub := inv.splitSubscript(pat)
		if expr != "a" || sub == nil {
			t.Fatalf("splitSubscript(%q) = %q, %v", pat, expr, sub)
		}
		got, err := applySubscript(hosts, sub)
		if err != nil {
			t.Errorf("%s: %v", pat, err)
			continue
		}
		names := []string{}
		for _, h := range got {
			names = append(names, h.Name)
		}
		if !reflect.DeepEqual(names, want) {
			t.Errorf("%s = %q; want %q", pat, names, want)
		}
	}
	for _, pat := range []string{"a[52]", "a[-53]"} {
		_, sub := inv.splitSubscript(pat)
		if _, err := applySubscript(hosts, sub); err == nil {
			t.Errorf("%s: want an index error", pat)
		}
	}
	if expr, sub := inv.splitSubscript("~a[1]"); expr != "~a[1]" || sub != nil {
		t.Errorf("a regex pattern must keep its brackets, got %q %v", expr, sub)
	}
}

// patternCases are evaluated by gorun and by ansible-core's InventoryManager
// on testdata/patterns/hosts; the results must be equal.
var patternCases = []struct {
	pattern string
	limit   *string
}{
	{"all", nil}, {"*", nil}, {"web", nil}, {"db", nil}, {"dbreplica", nil},
	{"web*", nil}, {"*.example.com", nil}, {"web?.example.com", nil},
	{"web[1-3].example.com", nil}, {"web[!1-3].example.com", nil},
	{"web:db", nil}, {"web,db", nil}, {"web:&staging", nil}, {"web:!staging", nil},
	{"db:&staging:!web", nil}, {"!web", nil}, {"&db", nil}, {"!web:&db", nil},
	{"~web[0-9]", nil}, {"~(db|www)1", nil}, {"~.*\\.example\\.com$", nil},
	{"web[0]", nil}, {"web[1]", nil}, {"web[-1]", nil}, {"web[1:3]", nil}, {"web[2:]", nil},
	{"web[0:0]", nil}, {"web[1-2]", nil}, {"web[10]", nil}, {"empty[0]", nil},
	{"db*[0]", nil}, {"web1.example.com", nil}, {"db1:db1", nil},
	{"localhost", nil}, {"127.0.0.1", nil}, {"::1", nil}, {"all:localhost", nil},
	{"10.0.0.5", nil}, {"fe80::1", nil}, {"ungrouped", nil}, {"ungr*", nil}, {"al*", nil},
	{"all-star", nil}, {"app-servers", nil}, {"nomatch", nil}, {"nomatch:web", nil},
	{"web[1:2]:db[0]", nil}, {"~[", nil}, {"top1:10.0.0.5", nil}, {"staging:web:db", nil},
	{"", nil}, {"web", ptr("db1,web1.example.com,web3.example.com")}, {"all", ptr("staging:!db")},
	{"all", ptr("@LIMITFILE")}, {"db", ptr("@LIMITFILE")}, {"all", ptr("@/nonexistent/file")},
	{"all", ptr("web[0]")}, {"all", ptr("nomatch")},
}

func ptr(s string) *string { return &s }

// ansiblePython returns the interpreter of the installed ansible command
// (from its "#!" line), which can import the ansible package.
func ansiblePython(t *testing.T) string {
	bin, err := exec.LookPath("ansible")
	if err != nil {
		t.Skip("ansible not installed")
	}
	python, err := interpreter(bin)
	if err != nil {
		t.Skipf("cannot find the Python that runs ansible: %v", err)
	}
	return python
}

func TestPatternsAgainstAnsible(t *testing.T) {
	skipShort(t)
	if _, err := exec.LookPath("ansible"); err != nil {
		t.Skip("ansible not installed")
	}
	src, _ := filepath.Abs("testdata/patterns/hosts")
	limitFile, _ := filepath.Abs("testdata/patterns/limitfile")
	var cases [][]any
	for _, c := range patternCases {
		var limit any
		if c.limit != nil {
			limit = strings.ReplaceAll(*c.limit, "LIMITFILE", limitFile)
		}
		cases = append(cases, []any{c.pattern, limit})
	}
	in, _ := json.Marshal(cases)
	script, _ := filepath.Abs("testdata/ansible_patterns.py")
	cmd := exec.Command(ansiblePython(t), script, src)
	cmd.Dir = t.TempDir() // not inside a directory that shadows Python modules
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ansible_patterns.py: %v\n%s", err, stderr.String())
	}
	var want []struct {
		Hosts []string `json:"hosts"`
		Error string   `json:"error"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		pattern, limit := c[0].(string), c[1]
		inv, err := Load(Options{Sources: []string{src}})
		if err != nil {
			t.Fatal(err)
		}
		var hosts []*Host
		if limit != nil {
			err = inv.SetLimit(limit.(string))
		}
		if err == nil {
			hosts, err = inv.Hosts(pattern)
		}
		if want[i].Error != "" {
			if err == nil || err.Error() != want[i].Error {
				t.Errorf("pattern %q limit %v: got error %v; want %q", pattern, limit, err, want[i].Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("pattern %q limit %v: %v", pattern, limit, err)
			continue
		}
		names := []string{}
		for _, h := range hosts {
			names = append(names, h.Name)
		}
		if wantHosts := append([]string{}, want[i].Hosts...); !reflect.DeepEqual(names, wantHosts) {
			t.Errorf("pattern %q limit %v:\n got %q\nwant %q", pattern, limit, names, wantHosts)
		}
	}
}

func TestOrderHosts(t *testing.T) {
	var hosts []*Host
	for _, n := range []string{"b", "c", "a"} {
		hosts = append(hosts, &Host{Name: n})
	}
	names := func(hs []*Host) string {
		var s []string
		for _, h := range hs {
			s = append(s, h.Name)
		}
		return strings.Join(s, ",")
	}
	for order, want := range map[string]string{
		"": "b,c,a", "inventory": "b,c,a", "reverse_inventory": "a,c,b", "sorted": "a,b,c", "reverse_sorted": "c,b,a",
	} {
		got, err := OrderHosts(hosts, order)
		if err != nil || names(got) != want {
			t.Errorf("OrderHosts(%q) = %s, %v; want %s", order, names(got), err, want)
		}
	}
	if got, err := OrderHosts(hosts, "shuffle"); err != nil || len(got) != 3 {
		t.Errorf("shuffle: %v %v", got, err)
	}
	if _, err := OrderHosts(hosts, "random"); err == nil || err.Error() != "Invalid 'order' specified for inventory hosts: random" {
		t.Errorf("bad order: %v", err)
	}
}
