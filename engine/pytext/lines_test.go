package pytext

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"
)

func TestSplitLinesMatchesPython(t *testing.T) {
	cases := []string{"", "\n", "a", "a\n", "a\n\n", "a\r\nb\rc\nd", "\r\r\n", "x\vy\fz\x1cw\x1dv\x1eu",
		"nel\u0085ls\u2028ps\u2029end\n", "é ☃\r\n日本", "\n\na\n"}
	in, _ := json.Marshal(cases)
	raw, err := exec.Command("/usr/bin/python3", "-c",
		"import json, sys; print(json.dumps([s.splitlines() for s in json.loads(sys.argv[1])]))", string(in)).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want [][]string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		got := SplitLines(c)
		if len(got) == 0 && len(want[i]) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("SplitLines(%q) = %q, Python gives %q", c, got, want[i])
		}
	}
	if got := SplitLines("a\xffb\nc"); !reflect.DeepEqual(got, []string{"a\xffb", "c"}) {
		t.Errorf("SplitLines keeps bytes that are not UTF-8: got %q", got)
	}
}
