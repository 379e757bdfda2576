package inventory

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPrecedenceAgainstAnsiblePlaybook runs ansible-playbook on
// testdata/precedence (inventory group/host vars, group_vars/ and host_vars/
// beside the inventory and beside the playbook, group depth and priority)
// and checks that gorun merges the same w_* variables for every host.
// playbookMsgs runs a playbook whose only task is a debug msg of a dict, and
// returns each host's msg.
func playbookMsgs(t *testing.T, inventory, playbook string, env ...string) map[string]map[string]any {
	t.Helper()
	skipShort(t)
	bin, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("ansible-playbook not installed")
	}
	cmd := exec.Command(bin, "-i", inventory, playbook)
	cmd.Env = append(append(os.Environ(), "ANSIBLE_STDOUT_CALLBACK=json"), env...)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ansible-playbook: %v\n%s", err, out)
	}
	var result struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]struct {
					Msg map[string]any `json:"msg"`
				} `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	if err := json.Unmarshal(out, &result); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	msgs := map[string]map[string]any{}
	for h, r := range result.Plays[0].Tasks[0].Hosts {
		msgs[h] = r.Msg
	}
	return msgs
}

// compareVars checks that gorun's merged variables of every host, limited to
// the keys matching keep, equal what Ansible printed.
func compareVars(t *testing.T, inv *Inventory, want map[string]map[string]any, keep func(string) bool) {
	t.Helper()
	if len(want) != len(inv.AllHosts()) {
		t.Fatalf("ansible ran on %d hosts, gorun has %d", len(want), len(inv.AllHosts()))
	}
	for _, h := range inv.AllHosts() {
		vars, err := h.Vars()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for _, k := range vars.Keys() {
			if keep(k) {
				v, _ := vars.Get(k)
				b, _ := json.Marshal(v)
				var plain any
				_ = json.Unmarshal(b, &plain)
				got[k] = plain
			}
		}
		if !reflect.DeepEqual(got, want[h.Name]) {
			t.Errorf("%s:\n got %v\nwant %v", h.Name, got, want[h.Name])
		}
	}
}

// TestPrecedenceAgainstAnsiblePlaybook runs ansible-playbook on
// testdata/precedence (inventory group/host vars, group_vars/ and host_vars/
// beside the inventory and beside the playbook, group depth and priority)
// and checks that gorun merges the same w_* variables for every host.
func TestPrecedenceAgainstAnsiblePlaybook(t *testing.T) {
	dir, _ := filepath.Abs("testdata/precedence")
	src := filepath.Join(dir, "inv/hosts")
	want := playbookMsgs(t, src, filepath.Join(dir, "play/site.yml"))
	inv, err := Load(Options{Sources: []string{src}, PlaybookDirs: []string{filepath.Join(dir, "play")}})
	if err != nil {
		t.Fatal(err)
	}
	compareVars(t, inv, want, func(k string) bool { return strings.HasPrefix(k, "w_") })
}

// TestHashBehaviourAgainstAnsiblePlaybook compares nested mappings defined
// at several levels with hash_behaviour replace (default) and merge.
func TestHashBehaviourAgainstAnsiblePlaybook(t *testing.T) {
	dir, _ := filepath.Abs("testdata/hashmerge")
	src := filepath.Join(dir, "inventory.yml")
	for _, merge := range []bool{false, true} {
		env := "ANSIBLE_HASH_BEHAVIOUR=replace"
		if merge {
			env = "ANSIBLE_HASH_BEHAVIOUR=merge"
		}
		want := playbookMsgs(t, src, filepath.Join(dir, "site.yml"), env)
		inv, err := Load(Options{Sources: []string{src}, MergeHashes: merge})
		if err != nil {
			t.Fatal(err)
		}
		compareVars(t, inv, want, func(k string) bool { return k == "cfg" })
	}
}
