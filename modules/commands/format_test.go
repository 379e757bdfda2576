package commands

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"
	"time"
)

// TestFormatsMatchPython checks pyDelta against str(datetime.timedelta) and
// splitLines against str.splitlines, run by the real Python.
func TestFormatsMatchPython(t *testing.T) {
	durations := []time.Duration{0, time.Microsecond, 3374 * time.Microsecond, time.Second,
		61*time.Second + 5*time.Millisecond, 25 * time.Hour, 49*time.Hour + 1500*time.Microsecond}
	texts := []string{"", "a", "a\n", "a\nb", "a\r\nb\rc\n\n", "x\vy\fz\x1cw\x85v\u2028u", "\n\n"}
	var us []int64
	for _, d := range durations {
		us = append(us, d.Microseconds())
	}
	in, _ := json.Marshal(map[string]any{"us": us, "texts": texts})
	script := `import json,sys,datetime
d=json.loads(sys.argv[1])
print(json.dumps({"deltas":[str(datetime.timedelta(microseconds=u)) for u in d["us"]],"lines":[t.splitlines() for t in d["texts"]]}))`
	out, err := exec.Command("/usr/bin/python3", "-c", script, string(in)).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Deltas []string
		Lines  [][]any
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, d := range durations {
		if got := pyDelta(d); got != want.Deltas[i] {
			t.Errorf("pyDelta(%v) = %q, Python says %q", d, got, want.Deltas[i])
		}
	}
	for i, s := range texts {
		got := splitLines(s)
		w := want.Lines[i]
		if w == nil {
			w = []any{}
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("splitLines(%q) = %q, Python says %q", s, got, w)
		}
	}
}
