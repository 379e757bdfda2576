package facts

import (
	"context"
	"encoding/json"
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// volatile facts change between two gatherings; only their shape is compared.
var volatile = map[string]bool{
	"ansible_date_time": true, "ansible_uptime_seconds": true, "ansible_memfree_mb": true,
	"ansible_memory_mb": true, "ansible_loadavg": true, "ansible_env": true, "ansible_mounts": true,
	// Other tests create and remove lab interfaces on this machine at any time.
	"ansible_interfaces": true, "ansible_all_ipv4_addresses": true, "ansible_all_ipv6_addresses": true,
}

// notGathered are facts gorun does not produce (documented in setup's notes).
var notGathered = map[string]bool{
	"ansible_python": true, "ansible_python_version": true,
}

// ansibleSetup runs Ansible's setup module on this machine (local connection).
func ansibleSetup(t *testing.T, args string) map[string]any {
	t.Helper()
	if _, err := exec.LookPath("ansible"); err != nil {
		t.Skip("ansible is not installed")
	}
	cmd := exec.Command("ansible", "localhost", "-c", "local", "-m", "setup", "-a", args)
	cmd.Env = append(cmd.Environ(), "ANSIBLE_LOAD_CALLBACK_PLUGINS=1", "ANSIBLE_STDOUT_CALLBACK=json", "ANSIBLE_LOCALHOST_WARNING=false")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ansible setup %s: %v\n%s", args, err, out)
	}
	var doc struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]map[string]any
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	res := doc.Plays[0].Tasks[0].Hosts["localhost"]
	facts, _ := res["ansible_facts"].(map[string]any)
	if facts == nil {
		t.Fatalf("ansible setup %s gave no facts: %v", args, res)
	}
	return facts
}

func gorunSetup(t *testing.T, o Options) map[string]any {
	t.Helper()
	f, err := Collect(context.Background(), shConn{}, o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(f)
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

// TestSetupMatchesAnsible gathers all facts of this machine with Ansible and
// with gorun and compares them key by key.
func TestSetupMatchesAnsible(t *testing.T) {
	want := ansibleSetup(t, "")
	f, err := Gather(context.Background(), shConn{}, nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(f)
	var got map[string]any
	json.Unmarshal(b, &got)
	for k, w := range want {
		g, ok := got[k]
		switch {
		case notGathered[k]:
		case !ok && isInterfaceFact(w):
			// an interface of a lab that came or went between the two gatherings
		case !ok:
			t.Errorf("%s missing; ansible has %v", k, trunc(w))
		case volatile[k]:
			if reflect.TypeOf(g) != reflect.TypeOf(w) {
				t.Errorf("%s is %T, ansible has %T", k, g, w)
			}
		case isInterfaceFact(w) && !strings.HasPrefix(k, "ansible_eth") && k != "ansible_lo":
			// lab interfaces churn; eth* and lo are compared exactly
		case strings.HasPrefix(k, "ansible_virtualization_tech_"):
			// Python sets: Ansible's order depends on string hashing
			if !reflect.DeepEqual(sortedAny(g), sortedAny(w)) {
				t.Errorf("%s = %v, ansible has %v", k, g, w)
			}
		case !reflect.DeepEqual(g, w):
			t.Errorf("%s = %v\nansible has %v", k, trunc(g), trunc(w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok && !isInterfaceFact(g) {
			t.Errorf("extra fact %s = %v", k, trunc(g))
		}
	}
	compareShapes(t, "ansible_date_time", got, want)
	compareShapes(t, "ansible_memory_mb", got, want)
	compareMounts(t, got["ansible_mounts"], want["ansible_mounts"])
}

func isInterfaceFact(v any) bool {
	m, ok := v.(map[string]any)
	_, dev := m["device"]
	return ok && dev
}

// compareShapes checks that two nested dicts have the same keys.
func compareShapes(t *testing.T, key string, got, want map[string]any) {
	t.Helper()
	g, _ := got[key].(map[string]any)
	w, _ := want[key].(map[string]any)
	if !reflect.DeepEqual(keysOf(g), keysOf(w)) {
		t.Errorf("%s keys %v, ansible has %v", key, keysOf(g), keysOf(w))
	}
}

// compareMounts compares mounts on everything but the free space.
func compareMounts(t *testing.T, got, want any) {
	t.Helper()
	strip := func(v any) []any {
		l, _ := v.([]any)
		var out []any
		for _, m := range l {
			c := map[string]any{}
			for k, x := range m.(map[string]any) {
				switch k {
				case "block_available", "block_used", "size_available", "inode_available", "inode_used":
					c[k] = "varies"
				default:
					c[k] = x
				}
			}
			out = append(out, c)
		}
		return out
	}
	if g, w := strip(got), strip(want); !reflect.DeepEqual(g, w) {
		t.Errorf("mounts = %v\nansible has %v", g, w)
	}
}

// TestGatherSubsetMatchesAnsible compares which facts each gather_subset
// and filter yields.
func TestGatherSubsetMatchesAnsible(t *testing.T) {
	cases := []struct {
		args           string
		subset, filter []string
	}{
		{"gather_subset=!all", []string{"!all"}, nil},
		{"gather_subset=!all,!min", []string{"!all", "!min"}, nil},
		{"gather_subset=!all,!min,pkg_mgr", []string{"!all", "!min", "pkg_mgr"}, nil},
		{"gather_subset=min,!user", []string{"min", "!user"}, nil},
		{"gather_subset=!all,!min,processor", []string{"!all", "!min", "processor"}, nil},
		{"gather_subset=!all,virtual,!lsb", []string{"!all", "virtual", "!lsb"}, nil},
		{"gather_subset=all,!hardware,!network", []string{"all", "!hardware", "!network"}, nil},
		{"filter=ansible_distribution*,*_mb", nil, []string{"ansible_distribution*", "*_mb"}},
		{"filter=distribution,user_[!u]*", nil, []string{"distribution", "user_[!u]*"}},
	}
	for _, c := range cases {
		want := keysOf(ansibleSetup(t, c.args))
		got := keysOf(gorunSetup(t, Options{Subset: c.subset, Filter: c.filter}))
		var w []string
		for _, k := range want {
			if !notGathered[k] {
				w = append(w, k)
			}
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: gorun gives %v\nansible gives %v", c.args, got, w)
		}
	}
}

func TestBadSubsetIsAnError(t *testing.T) {
	_, err := Collect(context.Background(), shConn{}, Options{Subset: []string{"bogus"}})
	if err == nil || !strings.HasPrefix(err.Error(), "Bad subset 'bogus' given to Ansible. gather_subset options allowed: all, all_ipv4_addresses,") {
		t.Fatalf("got %v", err)
	}
}

func keysOf(m map[string]any) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func trunc(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

func sortedAny(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		out = append(out, x.(string))
	}
	sort.Strings(out)
	return out
}
