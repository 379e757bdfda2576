package value

import (
	"encoding/json"
	"os/exec"
	"testing"
)

func TestBooleanMatchesAnsible(t *testing.T) {
	cases := []any{true, false, 1, 0, 2, 1.0, 0.0, 0.5, "y", "Yes", " on ", "1", "TRUE", "t", "n", "No", "off", "0", "false", "F",
		"1.0", "0.0", "", "maybe", nil, []any{}}
	in, _ := json.Marshal(cases)
	// JSON has no int/float distinction for 1.0; the script reads the
	// cases back with Go's kinds (float64 for 1.0, 0.0 and 0.5).
	prog := `
import json, sys
from ansible.module_utils.parsing.convert_bool import boolean
out = []
for i, v in enumerate(json.loads(sys.argv[1])):
    if i in (5, 6, 7): v = float(v)
    try:
        out.append([boolean(v), True])
    except TypeError:
        out.append([boolean(v, strict=False) if not isinstance(v, list) else False, False])
print(json.dumps(out))`
	raw, err := exec.Command("/usr/bin/python3", "-c", prog, string(in)).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want [][2]bool
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		if b, ok := Boolean(c); b != want[i][0] || ok != want[i][1] {
			t.Errorf("Boolean(%#v) = %v, %v; Ansible: %v, %v", c, b, ok, want[i][0], want[i][1])
		}
	}
}
