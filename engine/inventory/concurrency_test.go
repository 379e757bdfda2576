package inventory

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentUse exercises the inventory from many goroutines, as the
// runner does; run with -race to check the locking.
func TestConcurrentUse(t *testing.T) {
	src, _ := filepath.Abs("testdata/ini_basic/hosts")
	inv, err := Load(Options{Sources: []string{src}})
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := inv.Hosts("all")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func(i int, h *Host) {
			defer wg.Done()
			if _, err := h.Vars(); err != nil {
				t.Error(err)
			}
			if _, err := inv.Hosts("web:&prod"); err != nil {
				t.Error(err)
			}
			_ = h.GroupNames()
			if _, err := inv.AddHostToGroup(h, fmt.Sprintf("dyn%d", i%3)); err != nil {
				t.Error(err)
			}
			_ = inv.GroupsDict()
		}(i, h)
	}
	wg.Wait()
	for i := 0; i < 3; i++ {
		g := inv.Group(fmt.Sprintf("dyn%d", i))
		if g == nil || len(g.Hosts()) == 0 {
			t.Errorf("group dyn%d missing or empty", i)
		}
	}
}
