package virt

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gorun/engine/connection"
	"gorun/engine/libvirt"
	"gorun/engine/libvirt/libvirttest"
	"gorun/test/e2e"
)

// holdTestDriver keeps a connection to the daemon's test driver open for the
// test: libvirtd frees the test driver's state when its last client leaves,
// and community.libvirt opens a new connection for every task.
func holdTestDriver(t *testing.T) *libvirt.Client {
	t.Helper()
	c, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := libvirt.Open(context.Background(), c, "localhost", "test:///default", false)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// needCommunityLibvirt skips the test without the reference implementation.
func needCommunityLibvirt(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/usr/lib/python3/dist-packages/ansible_collections/community/libvirt"); err != nil {
		t.Skip("community.libvirt is not installed")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import libvirt, lxml").Run(); err != nil {
		t.Skip("python3-libvirt or python3-lxml is not installed (apt-get install python3-libvirt python3-lxml)")
	}
}

// TestDifferentialCommunityLibvirt runs one playbook written for
// community.libvirt under ansible-playbook and gorun against the same
// libvirtd, and compares every registered result. It runs beside
// TestKVMEndToEnd, after the package's other tests (which use the test
// driver too). Ansible runs pipelined (each task's module fed to one
// python3 instead of a temporary directory, a copy, a chmod and a run):
// every result was checked to be the same with it.
func TestDifferentialCommunityLibvirt(t *testing.T) {
	libvirttest.Ensure(t)
	needCommunityLibvirt(t)
	t.Parallel()
	holdTestDriver(t)
	name := libvirttest.Name("gd")
	dir := t.TempDir()
	pb := filepath.Join(dir, "site.yml")
	if err := os.WriteFile(pb, []byte(strings.ReplaceAll(differentialPlaybook, "NAME", name)), 0o644); err != nil {
		t.Fatal(err)
	}
	want := e2e.AnsibleWith(t, e2e.Options{Dir: dir, Env: []string{"ANSIBLE_PIPELINING=True"}}, "ansible-playbook", pb)
	if want.ExitCode != 0 {
		t.Fatalf("ansible-playbook failed:\n%s%s", want.Stdout, want.Stderr)
	}
	got := e2e.Run(t, e2e.Gorun(t), []string{pb}, e2e.Options{Dir: dir})
	if got.ExitCode != 0 {
		t.Fatalf("gorun failed:\n%s%s", got.Stdout, got.Stderr)
	}
	t.Logf("ansible-playbook %s, gorun %s", want.Duration, got.Duration)
	w, g := debugVar(t, want.Stdout), debugVar(t, got.Stdout)
	for _, section := range []string{"vm", "net", "pool"} {
		wl, _ := w[section].([]any)
		gl, _ := g[section].([]any)
		if len(wl) != len(gl) || len(wl) == 0 {
			t.Fatalf("%s: %d results from Ansible, %d from gorun", section, len(wl), len(gl))
		}
		for i := range wl {
			if !reflect.DeepEqual(wl[i], gl[i]) {
				wj, _ := json.Marshal(wl[i])
				gj, _ := json.Marshal(gl[i])
				t.Errorf("%s task %d:\nansible: %s\ngorun:   %s", section, i+1, wj, gj)
			}
		}
	}
}

// volatileKeys differ between two runs by nature.
var volatileKeys = map[string]bool{"cpuTime": true, "uuid": true, "exception": true}

// debugVar reads the "results" variable the playbook's last task prints.
func debugVar(t *testing.T, out string) map[string]any {
	t.Helper()
	i := strings.LastIndex(out, "=> {")
	if i < 0 {
		t.Fatalf("no debug output in:\n%s", out)
	}
	body := out[i+3:]
	end := strings.Index(body, "\n}\n")
	if end < 0 {
		t.Fatalf("unterminated debug output in:\n%s", out)
	}
	var v struct {
		Results map[string]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(body[:end+2]), &v); err != nil {
		t.Fatalf("%v in:\n%s", err, body[:end+2])
	}
	scrub(v.Results)
	return v.Results
}

// scrub drops volatile keys and sorts the list_* results: libvirt lists
// objects in its hash table's order, which changes as objects come and go,
// for Ansible as for gorun (both make the same RPC call).
func scrub(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if volatileKeys[k] {
				delete(x, k)
				continue
			}
			if l, ok := val.([]any); ok && strings.HasPrefix(k, "list_") {
				sort.Slice(l, func(i, j int) bool { return fmt.Sprint(l[i]) < fmt.Sprint(l[j]) })
			}
			scrub(val)
		}
	case []any:
		for _, e := range x {
			scrub(e)
		}
	}
}
