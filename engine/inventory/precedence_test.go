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
func TestPrecedenceAgainstAnsiblePlaybook(t *testing.T) {
	skipShort(t)
	bin, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("ansible-playbook not installed")
	}
	dir, _ := filepath.Abs("testdata/precedence")
	src := filepath.Join(dir, "inv/hosts")
	cmd := exec.Command(bin, "-i", src, filepath.Join(dir, "play/site.yml"))
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
					Msg map[string]any `json:"msg"`
				} `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	if err := json.Unmarshal(out, &result); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := result.Plays[0].Tasks[0].Hosts
	inv, err := Load(Options{Sources: []string{src}, PlaybookDirs: []string{filepath.Join(dir, "play")}})
	if err != nil {
		t.Fatal(err)
	}
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
			if strings.HasPrefix(k, "w_") {
				got[k], _ = vars.Get(k)
			}
		}
		if !reflect.DeepEqual(got, want[h.Name].Msg) {
			t.Errorf("%s:\n got %v\nwant %v", h.Name, got, want[h.Name].Msg)
		}
	}
}
