package output

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// displayMessages exercise wrapping: long words, hyphens, tabs, newlines,
// unicode and paths.
var displayMessages = []string{
	"short",
	"Could not match supplied host pattern, ignoring: no-such-host-with-a-rather-long-hyphenated-name",
	"The value 1 (type int) in a string field was converted to '1' (type string). If this does not look like what you expect, quote the entire value to ensure it does not change.",
	"a " + strings.Repeat("x", 120) + " tail",
	strings.Repeat("long-hyphenated-word-", 8),
	"tabs\tand\nnewlines\r\nin the    message   with  spaces " + strings.Repeat("wörd ", 20),
	"path /usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/very_long_module_name.py is weird",
	"a--b em--dash x-y 1-2 ab-cd abc-d-e-f well-known -leading trailing- " + strings.Repeat("é", 30),
}

// displayConfigs are the screen widths and colour settings tested.
var displayConfigs = []struct {
	columns int
	color   bool
}{{79, false}, {79, true}, {40, false}, {40, true}, {132, false}, {132, true}}

// pythonDisplay runs Ansible's own Display on every message (warning,
// deprecation, banner) in every configuration, and returns what it wrote
// to stdout and stderr in each.
func pythonDisplay(t *testing.T) []struct{ Stdout, Stderr string } {
	t.Helper()
	msgs, _ := json.Marshal(displayMessages)
	prog := `
import io, json, sys
import ansible.utils.color as color
from ansible.utils.display import Display
out = []
real = sys.stdout, sys.stderr
for columns, colored in json.loads(sys.argv[2]):
    color.ANSIBLE_COLOR = colored
    d = Display()
    d.columns = columns
    d._warns, d._deprecations = {}, {}
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    for m in json.loads(sys.argv[1]):
        d.warning(m)
        d.deprecated(m, version="2.99", collection_name="ansible.builtin")
        d.deprecated(m, date="2025-01-01")
        d.banner("TASK [" + m + "]")
    out.append({"stdout": sys.stdout.getvalue(), "stderr": sys.stderr.getvalue()})
    sys.stdout, sys.stderr = real
json.dump(out, sys.stdout)
`
	var pairs [][2]any
	for _, c := range displayConfigs {
		pairs = append(pairs, [2]any{c.columns, c.color})
	}
	configs, _ := json.Marshal(pairs)
	cmd := exec.Command("/usr/bin/python3", "-c", prog, string(msgs), string(configs))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var out []struct{ Stdout, Stderr string }
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDisplayMatchesPython(t *testing.T) {
	want := pythonDisplay(t)
	for i, c := range displayConfigs {
		if c.color != strings.Contains(want[i].Stderr, "\033[") {
			t.Fatalf("python colour setting not applied (color=%v)", c.color)
		}
		var stdout, stderr bytes.Buffer
		d := newDisplay(&stdout, &stderr, DisplayOptions{Columns: c.columns, ForceColor: c.color, NoColor: !c.color})
		for _, m := range displayMessages {
			d.warning(m)
			d.deprecated(Deprecation{Msg: m, Version: "2.99", CollectionName: "ansible.builtin"})
			d.deprecated(Deprecation{Msg: m, Date: "2025-01-01"})
			d.banner("TASK ["+m+"]", "")
		}
		compareText(t, "stdout", stdout.String(), want[i].Stdout)
		compareText(t, "stderr", stderr.String(), want[i].Stderr)
	}
}

// compareText fails at the first line where got and want differ.
func compareText(t *testing.T, what, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n got %q\nwant %q", what, i+1, g, w)
		}
	}
}
