package facts

import (
	"context"
	"strings"
	"testing"

	"gorun/engine/module"
)

// TestSetupModuleThroughRegistry runs setup as the runner does: found by
// its FQCN, its arguments validated (strings converted to lists), then Run.
func TestSetupModuleThroughRegistry(t *testing.T) {
	m, ok := module.Lookup("ansible.builtin.setup")
	if !ok {
		t.Fatal("ansible.builtin.setup is not registered")
	}
	args, err := m.Doc().Validate(map[string]any{"gather_subset": "!all,!min,distribution", "filter": "ansible_distribution*,ansible_os_family"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), &module.Call{Module: "setup", Args: args, Conn: shConn{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsFailed() || res.Changed() {
		t.Fatalf("result %v", res)
	}
	facts, _ := res["ansible_facts"].(map[string]any)
	if facts["ansible_os_family"] == nil || facts["ansible_distribution"] == nil {
		t.Errorf("facts %v lack the distribution", facts)
	}
	for k := range facts {
		if !strings.HasPrefix(k, "ansible_distribution") && k != "ansible_os_family" {
			t.Errorf("fact %s passed the filter", k)
		}
	}

	args, _ = m.Doc().Validate(map[string]any{"gather_subset": "bogus"})
	res, err = m.Run(context.Background(), &module.Call{Module: "setup", Args: args, Conn: shConn{}})
	if err != nil || !res.IsFailed() || !strings.HasPrefix(res["msg"].(string), "Bad subset 'bogus'") {
		t.Errorf("bad subset gave %v, %v", res, err)
	}
}
