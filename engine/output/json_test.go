package output

import (
	"bytes"
	"regexp"
	"testing"
	"time"
)

// TestJSONGolden replays the golden playbooks into the json callback. Ids
// are replaced as regen.sh replaces them; the clock is fixed at the time
// regen.sh writes.
func TestJSONGolden(t *testing.T) {
	ids := regexp.MustCompile(`"id": "[0-9a-f-]+"`)
	runs := map[string]func(Callback){"basic": basicEvents, "failed": failedEvents}
	for name, events := range runs {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cb := NewJSON(&stdout, &stderr, JSONOptions{Now: func() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }})
			events(cb)
			got := ids.ReplaceAllString(stdout.String(), `"id": "ID"`)
			compareGolden(t, name+".json", got)
			compareGolden(t, name+".json.stderr", stderr.String())
		})
	}
}
