package virt

import (
	"context"
	"strings"
	"testing"

	"gorun/engine/connection"
	"gorun/engine/libvirt/libvirttest"
	"gorun/engine/module"
)

// run validates args against m's spec and runs m on this machine.
func run(t *testing.T, m module.Module, check, diff bool, args map[string]any) module.Result {
	t.Helper()
	a, err := m.Doc().Validate(args)
	if err != nil {
		t.Fatal(err)
	}
	c, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), &module.Call{Host: "localhost", Args: a, Conn: c, Check: check, Diff: diff})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func domXML(name string, mem int) string {
	return "<domain type='test'><name>" + name + "</name><memory unit='KiB'>" + itoaInt(mem) +
		"</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>"
}

func itoaInt(n int) string { return itoa(int32(n)) }

// TestVirtCheckModeAndDiff checks that check mode predicts define and state
// changes without making them, and that diff shows the XML change.
func TestVirtCheckModeAndDiff(t *testing.T) {
	libvirttest.Ensure(t)
	holdTestDriver(t)
	name := libvirttest.Name("gc")
	uri := "test:///default"
	define := func(check bool, mem int) module.Result {
		return run(t, virt{}, check, true, map[string]any{"command": "define", "xml": domXML(name, mem), "uri": uri})
	}
	status := func() string {
		return run(t, virt{}, false, false, map[string]any{"command": "status", "name": name, "uri": uri})["status"].(string)
	}

	if res := define(true, 65536); !res.Changed() || res["created"] != name {
		t.Fatalf("check-mode define of a new guest: %v", res)
	}
	if res := run(t, virt{}, false, false, map[string]any{"command": "status", "name": name, "uri": uri}); !res.IsFailed() {
		t.Fatalf("check mode defined the guest: %v", res)
	}
	if res := define(false, 65536); !res.Changed() || res["created"] != name {
		t.Fatalf("define: %v", res)
	}
	defer run(t, virt{}, false, false, map[string]any{"command": "undefine", "name": name, "uri": uri, "force": true})
	if res := define(true, 65536); res.Changed() {
		t.Errorf("check-mode define of the same XML: %v", res)
	}
	res := define(true, 131072)
	if !res.Changed() || res["change_reason"] != "config changed" {
		t.Fatalf("check-mode define of changed XML: %v", res)
	}
	d, _ := res["diff"].(map[string]any)
	if d == nil || !strings.Contains(d["before"].(string), "65536") || !strings.Contains(d["after"].(string), "131072") {
		t.Errorf("diff: %v", res["diff"])
	}
	if res := define(false, 131072); !res.Changed() || res["change_reason"] != "config changed" {
		t.Fatalf("redefine: %v", res)
	}
	if res := define(false, 131072); res.Changed() {
		t.Errorf("define is not idempotent: %v", res)
	}

	if res := run(t, virt{}, true, false, map[string]any{"name": name, "state": "running", "uri": uri}); !res.Changed() {
		t.Fatalf("check-mode start: %v", res)
	}
	if st := status(); st != "shutdown" {
		t.Fatalf("check mode started the guest: %s", st)
	}
	run(t, virt{}, false, false, map[string]any{"name": name, "state": "running", "uri": uri})
	if st := status(); st != "running" {
		t.Fatalf("state=running left the guest %s", st)
	}
}

// TestVirtNetCheckMode checks that check mode leaves networks alone.
func TestVirtNetCheckMode(t *testing.T) {
	libvirttest.Ensure(t)
	holdTestDriver(t)
	name := libvirttest.Name("gn")
	xml := "<network><name>" + name + "</name><bridge name='" + name + "'/></network>"
	args := map[string]any{"command": "define", "name": name, "xml": xml, "uri": "test:///default"}
	if res := run(t, virtNet{}, true, false, args); !res.Changed() {
		t.Fatalf("check-mode define: %v", res)
	}
	st := map[string]any{"command": "status", "name": name, "uri": "test:///default"}
	if res := run(t, virtNet{}, false, false, st); !res.IsFailed() || res["msg"] != "network "+name+" not found" {
		t.Fatalf("check mode defined the network: %v", res)
	}
	if res := run(t, virtNet{}, false, false, args); !res.Changed() {
		t.Fatalf("define: %v", res)
	}
	absent := map[string]any{"state": "absent", "name": name, "uri": "test:///default"}
	if res := run(t, virtNet{}, true, false, absent); !res.Changed() {
		t.Fatalf("check-mode absent: %v", res)
	}
	if res := run(t, virtNet{}, false, false, st); res["status"] != "inactive" {
		t.Fatalf("check-mode absent removed the network: %v", res)
	}
	if res := run(t, virtNet{}, false, false, absent); !res.Changed() {
		t.Fatalf("absent: %v", res)
	}
}
