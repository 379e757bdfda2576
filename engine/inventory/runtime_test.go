package inventory

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"gorun/engine/value"
)

// TestRuntimeChangesAgainstAnsible runs testdata/runtime/site.yml (add_host
// and group_by) with ansible-playbook, makes the same calls on a gorun
// inventory, and compares the "groups" magic variable, host order included.
func TestRuntimeChangesAgainstAnsible(t *testing.T) {
	skipShort(t)
	bin, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("ansible-playbook not installed")
	}
	dir, _ := filepath.Abs("testdata/runtime")
	src := filepath.Join(dir, "hosts")
	// One fork: group_by results then arrive in host order, as gorun applies them.
	cmd := exec.Command(bin, "-f", "1", "-i", src, filepath.Join(dir, "site.yml"))
	cmd.Env = append(os.Environ(), "ANSIBLE_STDOUT_CALLBACK=json")
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ansible-playbook: %v\n%s", err, out)
	}
	var result struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]struct {
					Groups map[string][]string `json:"groups"`
				} `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	if err := json.Unmarshal(out, &result); err != nil {
		t.Fatal(err)
	}
	var want map[string][]string
	for _, h := range result.Plays[1].Tasks[0].Hosts {
		want = h.Groups
	}

	inv, err := Load(Options{Sources: []string{src}})
	if err != nil {
		t.Fatal(err)
	}
	playHosts, err := inv.Hosts("all")
	if err != nil {
		t.Fatal(err)
	}
	if _, changed, err := inv.AddHost("new1", []string{"fresh", "web"}, value.DictOf("extra", 1)); err != nil || !changed {
		t.Fatal(changed, err)
	}
	if _, changed, err := inv.AddHost("new2", nil, value.NewDict()); err != nil || !changed {
		t.Fatal(changed, err)
	}
	if _, changed, err := inv.AddHost("new2", nil, value.NewDict()); err != nil || changed {
		t.Fatalf("adding new2 again: changed=%v, %v", changed, err)
	}
	for _, h := range playHosts {
		if _, err := inv.AddHostToGroup(h, "by_"+h.Name[:1], "bygroups"); err != nil {
			t.Fatal(err)
		}
	}
	if changed, err := inv.AddHostToGroup(inv.Host("w1"), "by_w", "bygroups"); err != nil || changed {
		t.Fatalf("group_by again: changed=%v, %v", changed, err)
	}
	got := map[string][]string{}
	gd := inv.GroupsDict()
	for _, k := range gd.Keys() {
		v, _ := gd.Get(k)
		names := []string{}
		for _, n := range v.([]any) {
			names = append(names, n.(string))
		}
		got[k] = names
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups:\n got %v\nwant %v", got, want)
	}
	if v, _ := inv.Host("new1").InventoryVars().Get("extra"); v != 1 {
		t.Errorf("add_host vars not set: extra = %v", v)
	}
	before := inv.GroupsDict()
	if err := inv.Refresh(); err != nil {
		t.Fatal(err)
	}
	if after := inv.GroupsDict(); !reflect.DeepEqual(before, after) {
		t.Errorf("Refresh lost dynamic changes:\n%v\n%v", before, after)
	}
}
