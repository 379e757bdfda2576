package fleet

import (
	"os"
	"path/filepath"
	"testing"

	"gorun/test/labenv"
)

// LabInventory writes an inventory directory for lab: the lab's own hosts
// file and, beside it, the lab inventory's fleet groups and group_vars
// from root/inventories/lab, as `-i inventories/lab` reads them for the
// default lab. root is the repository's root.
func LabInventory(t testing.TB, lab *labenv.Lab, root string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "inventory")
	src := filepath.Join(root, "inventories", "lab")
	if err := os.CopyFS(filepath.Join(dir, "group_vars"), os.DirFS(filepath.Join(src, "group_vars"))); err != nil {
		t.Fatal(err)
	}
	groups, err := os.ReadFile(filepath.Join(src, "fleet.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fleet.yml"), groups, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := lab.WriteInventory(filepath.Join(dir, "hosts"), "ini"); err != nil {
		t.Fatal(err)
	}
	return dir
}
