package fleet

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"gorun/test/e2e"
)

// listing is the part of `ansible-inventory --list` the test reads.
type listing struct {
	Meta struct {
		Hostvars map[string]map[string]any `json:"hostvars"`
	} `json:"_meta"`
}

// TestProductionInventory reads inventories/production, vault included,
// with ansible-inventory and with gorun: both must print the same, and
// the fleet must have the shape the issue describes.
func TestProductionInventory(t *testing.T) {
	abs, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-i", "inventories/production",
		"--vault-password-file", "inventories/production/vault-password.example.txt", "--list"}
	opts := e2e.Options{Dir: abs}
	want := e2e.AnsibleWith(t, opts, "ansible-inventory", args...)
	if want.ExitCode != 0 {
		t.Fatalf("ansible-inventory: exit %d\n%s", want.ExitCode, want.Stderr)
	}
	got := e2e.Run(t, e2e.Gorun(t), append([]string{"inventory"}, args...), opts)
	if got.ExitCode != 0 || got.Stdout != want.Stdout {
		t.Errorf("gorun inventory (exit %d) differs from ansible-inventory:\n%s\n--- want\n%s", got.ExitCode, got.Stdout+got.Stderr, want.Stdout)
	}

	var inv map[string]json.RawMessage
	if err := json.Unmarshal([]byte(want.Stdout), &inv); err != nil {
		t.Fatal(err)
	}
	hosts := func(group string) []string {
		var g struct{ Hosts []string }
		if inv[group] == nil {
			return nil
		}
		if err := json.Unmarshal(inv[group], &g); err != nil {
			t.Fatalf("group %s: %v", group, err)
		}
		return g.Hosts
	}
	for group, n := range map[string]int{"core_services": 2, "management": 1, "kvm_hosts": 6, "office_servers": 3, "vms": 17} {
		if got := len(hosts(group)); got != n {
			t.Errorf("group %s has %d hosts, want %d", group, got, n)
		}
	}
	if u := hosts("ungrouped"); len(u) > 0 {
		t.Errorf("hosts outside the fleet's groups: %q", u)
	}
	if n := len(hosts("core_services")) + len(hosts("management")) + len(hosts("kvm_hosts")) + len(hosts("office_servers")) + len(hosts("vms")); n != 29 {
		t.Errorf("%d hosts in the fleet's groups, want 29", n)
	}
	var l listing
	if err := json.Unmarshal([]byte(want.Stdout), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Meta.Hostvars) != 29 {
		t.Errorf("the inventory has %d hosts, want the fleet's 29", len(l.Meta.Hostvars))
	}
	kvm := hosts("kvm_hosts")
	for _, vm := range hosts("vms") {
		hv := l.Meta.Hostvars[vm]
		for _, v := range []string{"kvm_host", "memory", "vcpus", "disks", "base_image", "network", "address"} {
			if _, ok := hv[v]; !ok {
				t.Errorf("VM %s has no %s", vm, v)
			}
		}
		if k, _ := hv["kvm_host"].(string); !slices.Contains(kvm, k) {
			t.Errorf("VM %s runs on %q, not a member of kvm_hosts", vm, k)
		}
		if psk, _ := hv["vault_zabbix_agent_tls_psk"].(string); len(psk) < 32 {
			t.Errorf("VM %s: the vaulted PSK did not decrypt to a key: %q", vm, psk)
		}
	}
}
