package virt

import (
	"strings"
	"testing"

	"gorun/engine/libvirt/libvirttest"
)

// TestKVMGuestAddress asks the daemon's test driver, whose default guest
// "test" reports a lease for its NIC.
func TestKVMGuestAddress(t *testing.T) {
	libvirttest.Ensure(t)
	holdTestDriver(t)
	res := run(t, kvmGuestAddress{}, true, false, map[string]any{"name": "test", "uri": "test:///default", "timeout": 0})
	addrs, _ := res["addresses"].([]any)
	if res.IsFailed() || res["address"] == nil || len(addrs) == 0 || res["source"] != "lease" {
		t.Fatalf("address: %v", res)
	}
	first := addrs[0].(map[string]any)
	if first["address"] != res["address"] || first["family"] != "ipv4" || first["mac"] == "" {
		t.Errorf("addresses: %v", addrs)
	}
	res = run(t, kvmGuestAddress{}, false, false, map[string]any{"name": "test", "uri": "test:///default", "timeout": 0, "mac": "52:54:00:00:00:99"})
	if !res.IsFailed() || !strings.Contains(res["msg"].(string), "has no ipv4 address after 0 seconds") {
		t.Errorf("unknown MAC: %v", res)
	}
	res = run(t, kvmGuestAddress{}, false, false, map[string]any{"name": "nonexistent-guest", "uri": "test:///default", "timeout": 0})
	if !res.IsFailed() || !strings.Contains(res["msg"].(string), "nonexistent-guest") {
		t.Errorf("missing guest: %v", res)
	}
}
