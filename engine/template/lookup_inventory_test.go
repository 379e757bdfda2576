package template

import (
	"testing"

	"gorun/engine/value"
)

// TestInventoryHostnamesPatterns resolves host patterns over the groups
// variable of the inventory "x / [web] w1 w2 / [db] d1 w2". The expected
// values are what ansible-playbook 2.14 printed for the same queries on that
// inventory.
func TestInventoryHostnamesPatterns(t *testing.T) {
	ctx := &Context{Vars: map[string]any{"groups": value.DictOf(
		"all", []any{"x", "w1", "w2", "d1"}, "ungrouped", []any{"x"},
		"web", []any{"w1", "w2"}, "db", []any{"d1", "w2"})}}
	e := New(Options{})
	got, err := e.Template(`{{ [query('inventory_hostnames', 'all'), query('inventory_hostnames', 'web:!db'), query('inventory_hostnames', 'web:&db'), query('inventory_hostnames', 'w*'), lookup('inventory_hostnames', 'web,db'), query('inventory_hostnames', 'ungrouped'), query('inventory_hostnames', '~^[wd]1$'), query('inventory_hostnames', 'web[1]')] }}`, ctx)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[["x", "w1", "w2", "d1"], ["w1"], ["w2"], ["w1", "w2"], "w1,w2,d1", ["x"], ["w1", "d1"], ["w2"]]`
	if s, _ := toJSON(got, -1, false, false); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}
