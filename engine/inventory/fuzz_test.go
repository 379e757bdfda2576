package inventory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadINI loads arbitrary INI inventory text and matches patterns
// against the result: neither may panic, and every host of a source that
// parsed must be in "all".
func FuzzLoadINI(f *testing.F) {
	f.Add("h1 ansible_host=10.0.0.1\n[web]\nw[1:3]\n[web:vars]\nx=1\n[all:children]\nweb\n", "web:&all:!h1")
	f.Add("[a:children]\nb\n[b]\nh[a:c] k='v w'\n", "~h[ab]")
	f.Add("[g]\nh[01:10:2]:2222\n[g:vars]\nk=\"unterminated\n", "g[1:]")
	f.Add("h ansible_port=abc\n[x:y]\n", "all[-1]")
	f.Add(";c\n#c\n[ g ]\n  h  \n", "*")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text, pattern string) {
		path := filepath.Join(dir, "hosts")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		failed := false
		warn := func(msg string) { failed = failed || strings.Contains(msg, "Failed to parse") }
		inv, err := Load(Options{Sources: []string{path}, PatternMismatch: "ignore", Warn: warn})
		if err != nil {
			return
		}
		defer inv.Hosts(pattern)
		if failed {
			// As in Ansible, a source that fails half way keeps the hosts
			// and groups read so far, outside "all".
			return
		}
		all := map[string]bool{}
		for _, h := range inv.Group("all").Hosts() {
			all[h.Name] = true
		}
		for _, h := range inv.AllHosts() {
			if !all[h.Name] {
				t.Fatalf("host %s is not in all", h.Name)
			}
		}
	})
}
