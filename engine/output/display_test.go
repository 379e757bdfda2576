package output

import (
	"bytes"
	"encoding/json"
	"os"
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

// pythonDisplay runs Ansible's own Display on every message (warning,
// deprecation, banner) and returns what it wrote to stdout and stderr.
func pythonDisplay(t *testing.T, columns int, color bool) (string, string) {
	t.Helper()
	msgs, _ := json.Marshal(displayMessages)
	prog := `
import json, sys
from ansible.utils.display import Display
d = Display()
d.columns = ` + itoa(columns) + `
for m in json.loads(sys.argv[1]):
    d.warning(m)
    d.deprecated(m, version="2.99", collection_name="ansible.builtin")
    d.deprecated(m, date="2025-01-01")
    d.banner("TASK [" + m + "]")
`
	cmd := exec.Command("/usr/bin/python3", "-c", prog, string(msgs))
	cmd.Env = append(os.Environ(), "ANSIBLE_NOCOLOR=1", "ANSIBLE_FORCE_COLOR=0")
	if color {
		cmd.Env = append(os.Environ(), "ANSIBLE_FORCE_COLOR=1")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestDisplayMatchesPython(t *testing.T) {
	for _, columns := range []int{79, 40, 132} {
		for _, color := range []bool{false, true} {
			wantOut, wantErr := pythonDisplay(t, columns, color)
			if color != strings.Contains(wantErr, "\033[") {
				t.Fatalf("python colour setting not applied (color=%v)", color)
			}
			var stdout, stderr bytes.Buffer
			d := newDisplay(&stdout, &stderr, DisplayOptions{Columns: columns, ForceColor: color, NoColor: !color})
			for _, m := range displayMessages {
				d.warning(m)
				d.deprecated(Deprecation{Msg: m, Version: "2.99", CollectionName: "ansible.builtin"})
				d.deprecated(Deprecation{Msg: m, Date: "2025-01-01"})
				d.banner("TASK ["+m+"]", "")
			}
			compareText(t, "stdout", stdout.String(), wantOut)
			compareText(t, "stderr", stderr.String(), wantErr)
		}
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
