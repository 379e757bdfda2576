package output

import (
	"bytes"
	"fmt"
	"testing"
)

// adhocTask is the task the ad-hoc command runs.
func adhocTask(action string) *Task {
	return &Task{UUID: "adhoc", Name: action, Kind: "TASK", Action: action}
}

// adhocCases are the ad-hoc runs of testdata/regen.sh, as the runner
// reports them.
var adhocCases = []struct {
	golden string
	status Status
	action string
	result func() map[string]any
}{
	{"ping", OK, "ping", func() map[string]any {
		return map[string]any{"changed": false, "ping": "pong", "_ansible_no_log": false,
			"invocation": map[string]any{"module_args": map[string]any{"data": "pong"}}}
	}},
	{"debug", OK, "debug", func() map[string]any { return debugMsg("héllo\nworld") }},
	{"command", Changed, "command", func() map[string]any {
		return commandResult(`printf "a\nb"`, []any{"printf", `a\nb`}, 0, "a\nb", true)
	}},
	{"command-fail", Failed, "command", func() map[string]any {
		const raw = `sh -c "echo out; echo err >&2; exit 3"`
		r := commandResult(raw, []any{"sh", "-c", "echo out; echo err >&2; exit 3"}, 3, "out", true)
		r["stderr"], r["stderr_lines"] = "err", []any{"err"}
		return r
	}},
	{"fail", Failed, "fail", func() map[string]any {
		return map[string]any{"changed": false, "failed": true, "msg": "nope", "_ansible_no_log": false}
	}},
}

func TestAdHocGolden(t *testing.T) {
	for _, c := range adhocCases {
		for _, v := range []int{0, 3} {
			for _, oneline := range []bool{false, true} {
				name := c.golden
				if oneline {
					name += "-oneline"
				}
				t.Run(fmt.Sprintf("%s/v%d", name, v), func(t *testing.T) {
					var stdout, stderr bytes.Buffer
					opts := AdHocOptions{DisplayOptions: DisplayOptions{Verbosity: v}}
					var cb Callback
					cb, err := NewMinimal(&stdout, &stderr, opts)
					if err != nil {
						t.Fatal(err)
					}
					if oneline {
						cb = NewOneline(&stdout, &stderr, opts)
					}
					cb.HostResult(&Result{Task: adhocTask(c.action), Host: "localhost", Status: c.status, Result: c.result()})
					cb.Stats(&Stats{Hosts: map[string]*HostStats{"localhost": {}}})
					compareGolden(t, fmt.Sprintf("adhoc-%s.v%d.stdout", name, v), stdout.String())
					compareGolden(t, fmt.Sprintf("adhoc-%s.v%d.stderr", name, v), stderr.String())
				})
			}
		}
	}
}
