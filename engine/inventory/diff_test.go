package inventory

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// skipShort skips tests that run Ansible (slow: a Python start per call)
// under "go test -short".
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Ansible; skipped with -short")
	}
}

// diffCases are inventories under testdata compared with ansible-inventory.
var diffCases = []struct {
	name    string
	sources []string
	hosts   []string // hosts to compare with --host
	playDir string   // --playbook-dir, relative to testdata
}{
	{"ini", []string{"ini_basic/hosts"}, []string{"web01", "alpha", "localhost"}, ""},
	{"yaml", []string{"yaml_basic/inventory.yml"}, []string{"pg2", "web10.example.com"}, ""},
	{"json", []string{"json_inv/inv.json"}, []string{"j1"}, ""},
	{"toml", []string{"toml_inv/inventory.toml"}, []string{"tomcat3"}, ""},
	{"ini-pending", []string{"ini_pending/hosts"}, []string{"h1"}, ""},
	{"missing", []string{"does/not/exist"}, nil, ""},
	{"empty-dir", []string{"empty_dir"}, nil, ""},
	{"empty", []string{"bad/../empty_inv/empty"}, nil, ""},
	{"scalars", []string{"scalars/inventory.yml"}, []string{"s1"}, ""},
	{"script", []string{"script_inv/inv.py"}, []string{"s1", "simple"}, ""},
	{"script-host", []string{"script_host/inv.sh"}, []string{"h2"}, ""},
	{"dir", []string{"dir_mixed"}, []string{"app1"}, ""},
	{"multi", []string{"ini_basic/hosts", "yaml_basic/inventory.yml", "a1,b2:2022,"}, []string{"b2"}, ""},
	{"hostlist", []string{"h1, h2 ,localhost,[::1]:22,10.0.0.[1:2],"}, []string{"h1"}, ""},
	{"playbook-dir", []string{"precedence/inv/hosts"}, []string{"h1", "localhost"}, "precedence/play"},
}

func absSrcs(t *testing.T, srcs []string) []string {
	out := make([]string, len(srcs))
	for i, s := range srcs {
		if strings.Contains(s, ",") {
			out[i] = s
			continue
		}
		abs, err := filepath.Abs(filepath.Join("testdata", s))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = abs
	}
	return out
}

func iArgs(srcs []string) []string {
	var args []string
	for _, s := range srcs {
		args = append(args, "-i", s)
	}
	return args
}

// ansibleWarnings extracts the [WARNING] messages from Ansible's stderr,
// unwrapped.
func ansibleWarnings(stderr string) []string {
	var out []string
	for i, part := range strings.Split(stderr, "[WARNING]:") {
		if i > 0 {
			out = append(out, collapse(part))
		}
	}
	return out
}

func collapseAll(msgs []string) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, collapse(m))
	}
	return out
}

// sameJSON compares byte for byte and, on a difference, also reports
// whether the documents are at least semantically equal.
func sameJSON(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if string(got)+"\n" == want {
		return
	}
	var a, b any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal([]byte(want), &b)
	kind := "semantically different"
	if reflect.DeepEqual(a, b) {
		kind = "formatted differently"
	}
	t.Errorf("%s: %s\n%s", what, kind, unifiedDiff(t, string(got)+"\n", want))
}

// unifiedDiff shows how got differs from want (with diff(1) when available).
func unifiedDiff(t *testing.T, got, want string) string {
	dir := t.TempDir()
	g, w := filepath.Join(dir, "gorun"), filepath.Join(dir, "ansible")
	_ = os.WriteFile(g, []byte(got), 0o644)
	_ = os.WriteFile(w, []byte(want), 0o644)
	out, _ := exec.Command("diff", "-u", w, g).CombinedOutput()
	if len(out) == 0 {
		return "--- gorun\n" + got + "\n--- ansible\n" + want
	}
	return string(out)
}

func TestDifferentialAnsibleInventory(t *testing.T) {
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			srcs := absSrcs(t, tc.sources)
			opts := Options{Sources: srcs}
			args := iArgs(srcs)
			if tc.playDir != "" {
				pd := absSrcs(t, []string{tc.playDir})[0]
				opts.PlaybookDirs = []string{pd}
				args = append(args, "--playbook-dir", pd)
			}
			inv, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}

			want, stderr, err := ansibleInventory(t, append(args, "--list")...)
			if err != nil {
				t.Fatal(err)
			}
			if a, g := ansibleWarnings(stderr), collapseAll(inv.Warnings); !reflect.DeepEqual(a, g) {
				t.Errorf("warnings differ:\n gorun %q\nansible %q", g, a)
			}
			got, err := ListJSON(inv)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "--list", got, want)

			want, _, err = ansibleInventory(t, append(args, "--list", "--export")...)
			if err != nil {
				t.Fatal(err)
			}
			if got, err = ListExportJSON(inv); err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "--list --export", got, want)

			want, _, err = ansibleInventory(t, append(args, "--list", "--yaml")...)
			if err != nil {
				t.Fatal(err)
			}
			if y, err := ListYAML(inv); err != nil || y != want {
				t.Errorf("--list --yaml differs (%v)\n%s", err, unifiedDiff(t, y, want))
			}

			want, _, err = ansibleInventory(t, append(args, "--list", "--yaml", "--export")...)
			if err != nil {
				t.Fatal(err)
			}
			if y, err := ListExportYAML(inv); err != nil || y != want {
				t.Errorf("--list --yaml --export differs (%v)\n%s", err, unifiedDiff(t, y, want))
			}

			for _, export := range []bool{false, true} {
				targs := append(append([]string{}, args...), "--list", "--toml")
				list := ListTOML
				if export {
					targs, list = append(targs, "--export"), ListExportTOML
				}
				want, stderr, err := ansibleInventory(t, targs...)
				got, gerr := list(inv)
				switch {
				case err != nil && gerr == nil && want == "" && got == "":
					// Nothing to print: ansible-inventory exits 1 silently.
				case err != nil && gerr == nil:
					t.Errorf("%v: Ansible failed (%s) but gorun did not", targs, stderr)
				case err == nil && gerr != nil:
					t.Errorf("%v: gorun failed: %v", targs, gerr)
				case err == nil && got != want:
					t.Errorf("%v differs\n%s", targs, unifiedDiff(t, got, want))
				}
			}

			want, _, err = ansibleInventory(t, append(args, "--graph", "--vars")...)
			if err != nil {
				t.Fatal(err)
			}
			graph, err := GraphText(inv, "all", true)
			if err != nil {
				t.Fatal(err)
			}
			if graph+"\n" != want {
				t.Errorf("--graph --vars differs\n%s", unifiedDiff(t, graph+"\n", want))
			}

			for _, h := range tc.hosts {
				want, _, err = ansibleInventory(t, append(args, "--host", h)...)
				if err != nil {
					t.Fatal(err)
				}
				got, err := HostJSON(inv, h)
				if err != nil {
					t.Fatal(err)
				}
				sameJSON(t, "--host "+h, got, want)
			}
		})
	}
}
