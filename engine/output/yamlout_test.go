package output

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"gorun/engine/value"
)

// yamlCases are results written as JSON, so that Ansible's own
// CallbackBase._dump_results can print the same data.
var yamlCases = []string{
	`{"msg": "hello", "changed": false}`,
	`{"a": 1, "b": 1.5, "c": 1e-05, "d": 1e16, "e": null, "f": true, "g": false, "h": -0.0}`,
	`{"quoted": ["yes", "No", "on", "1", "1.0", "0:00:00.004629", "2026-11-28 08:51:26.239785", "2001-12-14", "", "~", "null", "=", "<<", "0x1F", "0o7", "1_000", ".inf", ".5"]}`,
	`{"indicators": ["- x", "-x", "a: b", "a:b", ":x", "? x", "?x", "#x", "x #y", "x# y", "[x]", "x, y", "{x}", "&a", "*a", "!t", "|", ">", "'q'", "\"dq\"", "%x", "@x", "` + "`x`" + `", "---", "...x", "x:", "x -y"]}`,
	`{"spaces": [" lead", "trail ", "in  side", "tab\there", " "]}`,
	`{"multi": "line one\nline two", "multi_nl": "a\nb\n", "multi_nlnl": "a\nb\n\n", "lead_nl": "\nx", "space_break": "a \nb", "break_space": "a\n b", "trailing_ws": "a\nb  \n  "}`,
	`{"unicode": "héllo ☃ 日本 😀", "control": "bell\u0007 esc\u001b nul\u0000", "nbsp": "a\u00a0b", "bom": "\ufeffx", "nel": "a\u0085b", "ls": "a\u2028b"}`,
	`{"long_plain": "` + strings.Repeat("word ", 40) + `", "long_word": "` + strings.Repeat("x", 150) + `", "long_quoted": "yes ` + strings.Repeat("quoted text ", 15) + `: end", "long_double": "` + strings.Repeat(`ctl\u0007 `, 30) + `"}`,
	`{"nested": {"list": [1, [2, 3], {"k": "v", "l": []}, {}], "map": {"z": {"y": {"x": "deep value"}}}}, "empty_list": [], "empty_map": {}}`,
	`{"stdout": "a\nb", "stdout_lines": ["a", "b"], "stderr": "", "stderr_lines": [], "rc": 0, "cmd": ["echo", "a b"]}`,
	`{"keys": {"yes": 1, "": 2, "a b": 3, "x: y": 4, "` + strings.Repeat("k", 130) + `": 5, "multi\nline": 6, "- dash": 7, "123": 8}}`,
	`{"list_of_maps": [{"name": "a", "value": [1, 2]}, {"name": "b", "value": {"x": null}}], "list_of_lists": [[[]], [[1]]]}`,
	`{"windows": "c:\\path\\to", "quote_mix": "it's \"both\"", "colon_end": "key:", "hash_start": "#!/bin/sh\necho hi"}`,
	`{"folded_long_line": "` + strings.Repeat("abc def ", 12) + `\n` + strings.Repeat("second line ", 10) + `"}`,
}

// yamlPretty are the pretty_results settings tested.
var yamlPretty = []string{"None", "True", "False"}

// pythonYAMLDumps dumps every case with CallbackBase._dump_results under
// each pretty_results setting, with the default indent and with indent=1.
func pythonYAMLDumps(t *testing.T) [][]string {
	t.Helper()
	cases, _ := json.Marshal(yamlCases)
	prog := `
import json, sys
from ansible.plugins.callback import CallbackBase
out = []
for pretty in (None, True, False):
    cb = CallbackBase()
    cb.set_option('result_format', 'yaml')
    cb.set_option('pretty_results', pretty)
    dumps = []
    for c in json.loads(sys.argv[1]):
        dumps.append(cb._dump_results(json.loads(c)))
        dumps.append(cb._dump_results(json.loads(c), indent=1))
    out.append(dumps)
sys.stdout.write(json.dumps(out))
`
	raw, err := exec.Command("/usr/bin/python3", "-c", prog, string(cases)).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("python3: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var want [][]string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

func TestYAMLResultsMatchPython(t *testing.T) {
	yes, no := true, false
	want := pythonYAMLDumps(t)
	for p, pretty := range []*bool{nil, &yes, &no} {
		d := dumper{pretty: pretty, yaml: true}
		for i, c := range yamlCases {
			for j, indent := range []int{NoIndent, 1} {
				v, err := value.FromJSON([]byte(c))
				if err != nil {
					t.Fatal(err)
				}
				got := d.dump(v, indent, true)
				if w := want[p][2*i+j]; got != w {
					t.Errorf("case %d (pretty_results=%s, indent=%d):\n got %q\nwant %q", i, yamlPretty[p], indent, got, w)
				}
			}
		}
	}
}
