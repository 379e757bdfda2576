package commands

import (
	"encoding/json"
	"os/exec"
	"testing"
	"time"
)

// TestFormatsMatchPython checks pyDelta against str(datetime.timedelta), run
// by the real Python (engine/pytext's tests check str.splitlines, which
// stdout_lines use).
func TestFormatsMatchPython(t *testing.T) {
	durations := []time.Duration{0, time.Microsecond, 3374 * time.Microsecond, time.Second,
		61*time.Second + 5*time.Millisecond, 25 * time.Hour, 49*time.Hour + 1500*time.Microsecond}
	var us []int64
	for _, d := range durations {
		us = append(us, d.Microseconds())
	}
	in, _ := json.Marshal(map[string]any{"us": us})
	script := `import json,sys,datetime
d=json.loads(sys.argv[1])
print(json.dumps({"deltas":[str(datetime.timedelta(microseconds=u)) for u in d["us"]]}))`
	out, err := exec.Command("/usr/bin/python3", "-c", script, string(in)).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Deltas []string
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, d := range durations {
		if got := pyDelta(d); got != want.Deltas[i] {
			t.Errorf("pyDelta(%v) = %q, Python says %q", d, got, want.Deltas[i])
		}
	}
}
