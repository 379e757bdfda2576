package inventory

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestInventoryFileAndDir checks the inventory_file and inventory_dir host
// variables; Ansible stores the string "None" as inventory_dir for hosts from
// a host list (checked with ansible -m debug).
func TestInventoryFileAndDir(t *testing.T) {
	src, _ := filepath.Abs("testdata/dir_mixed")
	inv, err := Load(Options{Sources: []string{src, "h1,h2"}})
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string][2]string{
		"app2":    {filepath.Join(src, "01-hosts"), src},
		"subhost": {filepath.Join(src, "sub", "hosts"), filepath.Join(src, "sub")},
		"h1":      {"h1,h2", "None"},
	} {
		vars := inv.Host(host).InventoryVars()
		file, _ := vars.Get("inventory_file")
		dir, _ := vars.Get("inventory_dir")
		if file != want[0] || dir != want[1] {
			t.Errorf("%s: inventory_file=%v inventory_dir=%v; want %q", host, file, dir, want)
		}
	}
	if got := inv.Sources(); !reflect.DeepEqual(got, []string{src, "h1,h2"}) {
		t.Errorf("Sources() = %q", got)
	}
	if got := inv.Host("app2").GroupNames(); !reflect.DeepEqual(got, []string{"app"}) {
		t.Errorf("group_names of app2 = %q", got)
	}
	if got := inv.Host("h1").GroupNames(); !reflect.DeepEqual(got, []string{"ungrouped"}) {
		t.Errorf("group_names of h1 = %q (Ansible includes ungrouped)", got)
	}
	lh := inv.Host("localhost")
	if lh == nil || !lh.Implicit {
		t.Fatalf("implicit localhost: %v", lh)
	}
	if c, _ := lh.InventoryVars().Get("ansible_connection"); c != "local" {
		t.Errorf("implicit localhost ansible_connection = %v", c)
	}
	if hs, _ := inv.Hosts("all"); len(hs) != len(inv.AllHosts()) {
		t.Errorf("the implicit localhost must not be in all")
	}
}

func TestShortName(t *testing.T) {
	for name, want := range map[string]string{
		"web1.example.com": "web1", "web1": "web1", "10.0.0.1": "10.0.0.1", "fe80::1": "fe80::1", "1.2.3.256": "1",
	} {
		if got := (&Host{Name: name}).ShortName(); got != want {
			t.Errorf("ShortName(%q) = %q; want %q", name, got, want)
		}
	}
}

func TestExpandVars(t *testing.T) {
	t.Setenv("GORUN_INV_TEST", "/x")
	for in, want := range map[string]string{
		"$GORUN_INV_TEST/h": "/x/h", "${GORUN_INV_TEST}/h": "/x/h", "$NOPE_GORUN/h": "$NOPE_GORUN/h", "${NOPE_GORUN}": "${NOPE_GORUN}", "a$": "a$",
	} {
		if got := expandVars(in); got != want {
			t.Errorf("expandVars(%q) = %q; want %q", in, got, want)
		}
	}
}
