package template

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestKrb5ConfigFollowsIncludesAndLists reads a configuration list with a
// missing file, include and includedir (whose dotfiles and other names
// MIT skips), as MIT's library reads it.
func TestKrb5ConfigFollowsIncludesAndLists(t *testing.T) {
	dir := t.TempDir()
	d := filepath.Join(dir, "krb5.conf.d")
	os.Mkdir(d, 0o755)
	for name, text := range map[string]string{
		"main.conf":           "includedir " + d + "\ninclude " + filepath.Join(dir, "extra") + "\n[libdefaults]\n default_realm = MAIN.TEST\n",
		"extra":               "[domain_realm]\n web.example = EXTRA.TEST\n",
		"krb5.conf.d/ccache":  "[libdefaults]\n default_ccache_name = FILE:%{TEMP}/cc_%{uid}\n",
		"krb5.conf.d/.hidden": "[libdefaults]\n default_ccache_name = FILE:/hidden\n",
		"krb5.conf.d/x.bak":   "[libdefaults]\n default_ccache_name = FILE:/bak\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("KRB5_CONFIG", filepath.Join(dir, "missing")+":"+filepath.Join(dir, "main.conf"))
	t.Setenv("KRB5CCNAME", "")
	t.Setenv("TMPDIR", "/var/tmp")
	cfg, text, err := krb5Config()
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.LibDefaults.DefaultRealm; got != "MAIN.TEST" {
		t.Errorf("default_realm %q", got)
	}
	if got := cfg.ResolveRealm("web.example"); got != "EXTRA.TEST" {
		t.Errorf("realm of web.example (from the include) %q", got)
	}
	if got, want := defaultCCache(text), "FILE:/var/tmp/cc_"+strconv.Itoa(os.Getuid()); got != want {
		t.Errorf("default ccache %q, want %q (from the includedir)", got, want)
	}
	t.Setenv("KRB5CCNAME", "FILE:/env")
	if got := defaultCCache(text); got != "FILE:/env" {
		t.Errorf("KRB5CCNAME gives %q", got)
	}
	t.Setenv("KRB5_CONFIG", filepath.Join(dir, "missing"))
	if _, _, err := krb5Config(); err == nil {
		t.Error("no configuration file: no error")
	}
}
