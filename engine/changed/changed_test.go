package changed

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"gorun/engine/inventory"
	"gorun/engine/playbook"
)

// fleet is a playbook repository: web depends on common (meta), cachecfg
// includes common at run time, db and mon stand alone.
var fleet = map[string]string{
	"site.yml": `- name: web play
  hosts: web
  roles: [web]
- name: db play
  hosts: db
  roles: [db]
- name: cache play
  hosts: cache
  tasks:
    - include_role:
        name: cachecfg
- name: mon play
  hosts: mon
  roles: [mon]
`,
	"inventory/hosts":                   "[web]\nweb1\nweb2\n[db]\ndb1\n[cache]\ncache1\n[mon]\nmon1\nmon2\n[other]\nother1\n",
	"inventory/group_vars/mon.yml":      "port: 1\n",
	"inventory/group_vars/db.yml":       "port: 2\n",
	"roles/common/tasks/main.yml":       "- template:\n    src: motd.j2\n    dest: /etc/motd\n",
	"roles/common/templates/motd.j2":    "hello\n",
	"roles/web/meta/main.yml":           "dependencies:\n  - common\n",
	"roles/web/tasks/main.yml":          "- debug: msg=web\n",
	"roles/db/tasks/main.yml":           "- debug: msg=db\n",
	"roles/cachecfg/tasks/main.yml":     "- include_role:\n    name: common\n",
	"roles/mon/tasks/main.yml":          "- debug: msg=mon\n",
	"roles/unused/tasks/main.yml":       "- debug: msg=unused\n",
	"roles/unused/templates/other.j2":   "x\n",
	"inventory/host_vars/other1.yml":    "x: 1\n",
	"files/not-used-by-any-play.txt":    "x\n",
	"roles/db/templates/not-changed.j2": "x\n",
}

// commitAll writes files into the work tree and commits everything.
func commitAll(t *testing.T, repo *git.Repository, dir string, files map[string]string, msg string) string {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddGlob("."); err != nil {
		t.Fatal(err)
	}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: &object.Signature{Name: "t", Email: "t@example.com", When: time.Unix(1700000000, 0)}})
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func TestChangedSinceSelectsAffectedRolesAndHosts(t *testing.T) {
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	base := commitAll(t, repo, dir, fleet, "fleet")
	// The merge request: a template of common (a dependency of web, included
	// by cachecfg) and mon's group_vars.
	commitAll(t, repo, dir, map[string]string{
		"roles/common/templates/motd.j2": "hello again\n",
		"inventory/group_vars/mon.yml":   "port: 3\n",
	}, "change")

	files, err := Files(filepath.Join(dir, "roles"), base[:10])
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{filepath.Join(dir, "inventory/group_vars/mon.yml"), filepath.Join(dir, "roles/common/templates/motd.j2")}
	if !reflect.DeepEqual(files, wantFiles) {
		t.Fatalf("changed files = %v, want %v", files, wantFiles)
	}

	loader := &playbook.Loader{PlaybookDir: dir}
	pb, err := loader.LoadPlaybook(filepath.Join(dir, "site.yml"))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "inventory/hosts")
	inv, err := inventory.Load(inventory.Options{Sources: []string{src}, PlaybookDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Compute(Options{Loader: loader, Inventory: inv, Sources: []string{src}, PlaybookDir: dir}, []*playbook.Playbook{pb}, files)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("roles", a.Roles, []string{"cachecfg", "common", "web"})
	check("plays", a.Plays, []string{filepath.Join(dir, "site.yml") + ":1 web play", filepath.Join(dir, "site.yml") + ":7 cache play"})
	check("groups", a.Groups, []string{"mon"})
	check("hosts", a.Hosts, []string{"cache1", "mon1", "mon2", "web1", "web2"})
	if a.Inventory {
		t.Errorf("the inventory file did not change")
	}

	// A changed ansible.cfg affects every play.
	a, err = Compute(Options{Loader: loader, Inventory: inv, Sources: []string{src}, PlaybookDir: dir}, []*playbook.Playbook{pb}, []string{filepath.Join(dir, "ansible.cfg")})
	if err != nil {
		t.Fatal(err)
	}
	check("hosts after an ansible.cfg change", a.Hosts, []string{"cache1", "db1", "mon1", "mon2", "web1", "web2"})

	// Nothing changed since HEAD: nothing affected.
	files, err = Files(dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	a, err = Compute(Options{Loader: loader, Inventory: inv, Sources: []string{src}, PlaybookDir: dir}, []*playbook.Playbook{pb}, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 0 || len(a.Hosts) != 0 || len(a.Roles) != 0 {
		t.Errorf("HEAD..HEAD: files %v, affected %+v", files, a)
	}
}

func TestChangedSinceBadRef(t *testing.T) {
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	commitAll(t, repo, dir, map[string]string{"a": "1"}, "one")
	if _, err := Files(dir, "no-such-ref"); err == nil {
		t.Fatal("an unknown revision must be an error")
	}
	if _, err := Files(t.TempDir(), "HEAD"); err == nil {
		t.Fatal("a directory outside any repository must be an error")
	}
}
