package output

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// diffCases are "diff" values as modules return them, written as JSON so
// that Python's own CallbackBase._get_diff can format the same data.
var diffCases = []string{
	`{"before": "a\nb\nc\n", "after": "a\nB\nc\n"}`,
	`{"before": "", "after": "new file\n", "before_header": "/x", "after_header": "/x"}`,
	`{"before": "no newline", "after": "no newline\nnow"}`,
	`{"before": "same\n", "after": "same\n"}`,
	`{"before": null, "after": "x\n"}`,
	`{"before": {"state": "absent"}, "after": {"state": "directory", "mode": "0755", "nested": {"b": [1, 2], "a": "é"}}, "before_header": "/etc/d"}`,
	`{"dst_binary": 1, "src_larger": 65536}`,
	`{"src_binary": 1, "dst_larger": 100}`,
	`{"prepared": "some prepared text\n"}`,
	`[{"before": "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "after": "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n11\ntwelve\n"}, {"before_header": "attrs", "after_header": "attrs"}]`,
	`{"before": "a\r\nb\rc\u2028d\u000be\n", "after": "a\r\nB\rc\u2028d\u000be\n"}`,
	`{"before": "x\n", "after": "y\n", "prepared": "also prepared"}`,
}

// diffConfigs are the colour and result_format settings tested.
var diffConfigs = []struct {
	color  bool
	format string
}{{false, "json"}, {true, "json"}, {false, "yaml"}, {true, "yaml"}}

// pythonDiffs formats every diff case with CallbackBase._get_diff in every
// configuration.
func pythonDiffs(t *testing.T) [][]string {
	t.Helper()
	cases, _ := json.Marshal(diffCases)
	var pairs [][2]any
	for _, c := range diffConfigs {
		pairs = append(pairs, [2]any{c.color, c.format})
	}
	configs, _ := json.Marshal(pairs)
	prog := `
import json, sys
import ansible.utils.color as color
from ansible.plugins.callback import CallbackBase
out = []
for colored, fmt in json.loads(sys.argv[2]):
    color.ANSIBLE_COLOR = colored
    cb = CallbackBase()
    cb.set_option('result_format', fmt)
    cb.set_option('pretty_results', None)
    out.append([cb._get_diff(json.loads(c)) for c in json.loads(sys.argv[1])])
sys.stdout.write(json.dumps(out))
`
	cmd := exec.Command("/usr/bin/python3", "-c", prog, string(cases), string(configs))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var want [][]string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

func TestFormatDiffMatchesPython(t *testing.T) {
	want := pythonDiffs(t)
	for i, c := range diffConfigs {
		d := newDisplay(&bytes.Buffer{}, &bytes.Buffer{}, DisplayOptions{ForceColor: c.color, NoColor: !c.color})
		d.setResultFormat(c.format, nil)
		sawColor := false
		for j, dc := range diffCases {
			v, err := value.FromJSON([]byte(dc))
			if err != nil {
				t.Fatal(err)
			}
			got := d.formatDiff(v, DefaultDiffContext)
			if got != want[i][j] {
				t.Errorf("case %d (color %v, %s):\n got %q\nwant %q", j, c.color, c.format, got, want[i][j])
			}
			sawColor = sawColor || strings.Contains(want[i][j], "\033[")
		}
		if sawColor != c.color {
			t.Fatalf("python colour setting not applied (color=%v)", c.color)
		}
	}
}

// TestPyStrMatchesPython compares item labels with Python's str().
func TestPyStrMatchesPython(t *testing.T) {
	cases := []string{
		`"plain"`, `1`, `-2.5`, `1e-07`, `true`, `null`, `[1, "a", null, false, 1.0]`,
		`{"name": "x", "n": 2, "l": ["it's", "say \"hi\"", "both ' \""]}`,
		`"tab\there\nnewline é ☃ \u0007"`, `["tab\there", "\\backslash"]`, `{}`, `[]`,
	}
	prog := `
import json, sys
print(json.dumps([str(json.loads(c)) for c in json.loads(sys.argv[1])]))
`
	in, _ := json.Marshal(cases)
	raw, err := exec.Command("/usr/bin/python3", "-c", prog, string(in)).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		v, err := value.FromJSON([]byte(c))
		if err != nil {
			t.Fatal(err)
		}
		if got := pytext.Str(v); got != want[i] {
			t.Errorf("str(%s):\n got %q\nwant %q", c, got, want[i])
		}
	}
}
