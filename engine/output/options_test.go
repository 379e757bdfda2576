package output

import (
	"bytes"
	"fmt"
	"testing"
)

// optionsEvents replays testdata/playbooks/options.yml as run by regen.sh
// (with --check).
func optionsEvents(cb Callback) {
	cb.PlaybookStart("playbooks/options.yml")
	cb.PlayStart(&Play{Name: "Options play", Hosts: []string{"localhost"}, Strategy: "linear", Check: true})

	checked := func(t *Task, args map[string]any) *Task {
		t.Check = true
		t.Args = args
		return t
	}
	t := checked(task("1", "Skipped here", "debug", "playbooks/options.yml:8"), map[string]any{"msg": "x"})
	cb.TaskStart(t)
	cb.HostResult(res(t, Skipped, map[string]any{"changed": false, "skipped": true, "skip_reason": "Conditional result was False"}))

	t = task("2", "Quiet command", "command", "playbooks/options.yml:13")
	t.Args = map[string]any{"_raw_params": "echo hi"}
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, commandResult("echo hi", []any{"echo", "hi"}, 0, "hi", false)))

	t = task("3", "Changed debug", "debug", "playbooks/options.yml:18")
	t.Args = map[string]any{"msg": "changed"}
	cb.TaskStart(t)
	r := debugMsg("changed")
	r["changed"] = true
	cb.HostResult(res(t, Changed, r))

	t = checked(task("4", "Per-host stats", "set_stats", "playbooks/options.yml:24"),
		map[string]any{"data": map[string]any{"answer": 42, "list": []any{1, 2}}, "per_host": true})
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, map[string]any{"changed": false, "ansible_stats": map[string]any{
		"aggregate": true, "per_host": true, "data": map[string]any{"answer": 42, "list": []any{1, 2}}}}))

	t = checked(task("5", "Run stats", "set_stats", "playbooks/options.yml:31"),
		map[string]any{"data": map[string]any{"run_total": 7}})
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, map[string]any{"changed": false, "ansible_stats": map[string]any{
		"aggregate": true, "per_host": false, "data": map[string]any{"run_total": 7}}}))

	t = checked(task("6", "Fail with path", "fail", "playbooks/options.yml:36"), map[string]any{"msg": "oops"})
	cb.TaskStart(t)
	r2 := res(t, Failed, map[string]any{"changed": false, "failed": true, "msg": "oops"})
	r2.Ignored = true
	cb.HostResult(r2)

	cb.PlayStart(&Play{Name: "Unreachable play", Hosts: []string{"localhost"}, Strategy: "linear", Check: true})
	unreachable := map[string]any{"changed": false, "unreachable": true,
		"msg": "Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused"}
	t = checked(task("7", "Ignored unreachable", "ping", "playbooks/options.yml:49"), map[string]any{})
	cb.TaskStart(t)
	r2 = res(t, Unreachable, unreachable)
	r2.Ignored = true
	cb.HostResult(r2)

	t = checked(task("8", "Real unreachable", "ping", "playbooks/options.yml:53"), map[string]any{})
	cb.TaskStart(t)
	cb.HostResult(res(t, Unreachable, unreachable))

	cb.Stats(&Stats{
		Hosts: map[string]*HostStats{"localhost": {OK: 6, Changed: 1, Unreachable: 1, Skipped: 1, Ignored: 2}},
		Custom: map[string]any{
			"localhost": map[string]any{"answer": 42, "list": []any{1, 2}},
			"_run":      map[string]any{"run_total": 7},
		},
		Check: true,
	})
}

func TestDefaultOptionsGolden(t *testing.T) {
	for v := 0; v <= 1; v++ {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cb, err := NewDefault(&stdout, &stderr, DefaultOptions{
				DisplayOptions:   DisplayOptions{Verbosity: v},
				HideSkippedHosts: true, HideOKHosts: true, CheckModeMarkers: true, ShowCustomStats: true,
				DisplayArgsToStdout: true, ShowTaskPathOnFailure: true, Check: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			optionsEvents(cb)
			compareGolden(t, fmt.Sprintf("options.v%d.stdout", v), stdout.String())
			compareGolden(t, fmt.Sprintf("options.v%d.stderr", v), stderr.String())
		})
	}
}
