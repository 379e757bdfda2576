package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The parity tests replay small event scripts through ansible-core's own
// default callback (testdata/parity/harness.py, with real Task, Host and
// TaskResult objects) and through ours, and compare the bytes. They reach
// cases the golden playbooks cannot produce on demand: module exceptions,
// warnings and deprecations in results, no_log items, delegation to an
// address, wide characters.

// parityScript is the harness's input.
type parityScript struct {
	Callback  string           `json:"callback,omitempty"`
	Verbosity int              `json:"verbosity"`
	Options   map[string]any   `json:"options,omitempty"`
	Events    []map[string]any `json:"events"`
}

const exc = "Traceback (most recent call last):\n  File \"mod.py\", line 1\nValueError: bad value\n"

var parityScripts = map[string][]map[string]any{
	"exception_warnings": {
		{"ev": "task", "uuid": "1", "name": "Broken module", "action": "command"},
		{"ev": "start", "task": "1"},
		{"ev": "failed", "task": "1", "result": map[string]any{"failed": true, "msg": "MODULE FAILURE", "exception": exc,
			"module_stderr": "boom\n", "module_stdout": "", "rc": 1,
			"warnings": []any{"first warning that is rather long and needs to be wrapped because it goes past the end of the terminal line"},
			"deprecations": []any{map[string]any{"msg": "old option", "version": "2.99", "collection_name": "ansible.builtin"},
				map[string]any{"msg": "older option", "date": "2024-01-01", "collection_name": "community.general"}}}},
		{"ev": "task", "uuid": "2", "name": "Warned", "action": "copy"},
		{"ev": "ok", "task": "2", "result": map[string]any{"changed": true, "dest": "/x", "warnings": []any{"careful"}}},
	},
	"items": {
		{"ev": "task", "uuid": "1", "name": "Secret loop", "action": "command", "loop": true, "no_log": true},
		{"ev": "item_ok", "task": "1", "result": map[string]any{"changed": true, "item": "s3cret", "_ansible_no_log": true, "ansible_loop_var": "item", "rc": 0}},
		{"ev": "item_failed", "task": "1", "result": map[string]any{"failed": true, "item": "other", "_ansible_no_log": true, "ansible_loop_var": "item", "rc": 1}},
		{"ev": "failed", "task": "1", "ignore": true, "result": map[string]any{"failed": true, "changed": true, "msg": "One or more items failed",
			"results": []any{map[string]any{"item": "s3cret"}, map[string]any{"item": "other"}}}},
		{"ev": "task", "uuid": "2", "name": "Labels", "action": "debug", "loop": true},
		{"ev": "item_ok", "task": "2", "result": map[string]any{"msg": "m", "item": map[string]any{"name": "n1", "port": 80, "on": true}, "ansible_loop_var": "item", "_ansible_verbose_always": true}},
		{"ev": "item_ok", "task": "2", "result": map[string]any{"msg": "m", "item": map[string]any{"name": "n2"}, "_ansible_item_label": "n2", "ansible_loop_var": "item", "_ansible_verbose_always": true}},
		{"ev": "item_skipped", "task": "2", "result": map[string]any{"skipped": true, "skip_reason": "Conditional result was False", "item": []any{1, "two", nil}, "ansible_loop_var": "item"}},
		{"ev": "item_failed", "task": "2", "result": map[string]any{"failed": true, "msg": "bad", "exception": exc, "item": 3.5, "ansible_loop_var": "item"}},
		{"ev": "task", "uuid": "3", "name": "All skipped", "action": "command", "loop": true},
		{"ev": "item_skipped", "task": "3", "result": map[string]any{"skipped": true, "item": 1, "ansible_loop_var": "item", "changed": false}},
		{"ev": "skipped", "task": "3", "result": map[string]any{"skipped": true, "changed": false, "msg": "All items skipped", "results": []any{map[string]any{"item": 1}}}},
	},
	"hosts": {
		{"ev": "task", "uuid": "1", "name": "Delegated 日本語 task name that is quite long and wide", "action": "ping", "delegate_to": "db1"},
		{"ev": "ok", "task": "1", "result": map[string]any{"ping": "pong", "changed": false, "_ansible_delegated_vars": map[string]any{"ansible_host": "10.0.0.5", "ansible_port": 22, "ansible_user": "u", "ansible_connection": "ssh", "other": 1}}},
		{"ev": "ok", "task": "1", "host": "db1", "result": map[string]any{"ping": "pong", "changed": false}},
		{"ev": "task", "uuid": "2", "name": "Unreachable", "action": "ping", "ignore_unreachable": true},
		{"ev": "start", "task": "2", "host": "h2"},
		{"ev": "unreachable", "task": "2", "host": "h2", "result": map[string]any{"unreachable": true, "changed": false, "msg": "Failed to connect"}},
		{"ev": "task", "uuid": "3", "name": "Facts", "action": "setup"},
		{"ev": "ok", "task": "3", "result": map[string]any{"ansible_facts": map[string]any{"os": "linux"}, "changed": false, "_ansible_verbose_override": true}},
		{"ev": "task", "uuid": "4", "name": "Debug var", "action": "debug"},
		{"ev": "ok", "task": "4", "result": map[string]any{"x": map[string]any{"b": 1, "a": []any{}}, "changed": false, "_ansible_verbose_always": true, "invocation": map[string]any{"module_args": map[string]any{"var": "x"}}}},
		{"ev": "task", "uuid": "5", "name": "Retried", "action": "command"},
		{"ev": "retry", "task": "5", "result": map[string]any{"attempts": 1, "retries": 4, "rc": 1, "failed": true, "changed": true}},
		{"ev": "retry", "task": "5", "result": map[string]any{"attempts": 2, "retries": 4, "rc": 1, "failed": true, "changed": true}},
		{"ev": "ok", "task": "5", "result": map[string]any{"attempts": 3, "rc": 0, "changed": true, "stdout": "done", "stdout_lines": []any{"done"}}},
	},
}

// parityOptions are the option sets every script runs with.
var parityOptions = []struct {
	name string
	py   map[string]any
	opts func(*DefaultOptions)
}{
	{"defaults", nil, func(*DefaultOptions) {}},
	{"stderr_hidden", map[string]any{"display_failed_stderr": true, "display_ok_hosts": false, "display_skipped_hosts": false},
		func(o *DefaultOptions) { o.DisplayFailedStderr, o.HideOKHosts, o.HideSkippedHosts = true, true, true }},
	{"yaml", map[string]any{"result_format": "yaml"}, func(o *DefaultOptions) { o.ResultFormat = "yaml" }},
	{"per_host_start", map[string]any{"show_per_host_start": true}, func(o *DefaultOptions) { o.ShowPerHostStart = true }},
}

func TestDefaultParityWithAnsible(t *testing.T) {
	type run struct {
		name string
		v    int
		opts func(*DefaultOptions)
		evs  []map[string]any
	}
	var runs []run
	var scripts []parityScript
	for name, events := range parityScripts {
		for _, opt := range parityOptions {
			for _, v := range []int{0, 1, 3} {
				runs = append(runs, run{fmt.Sprintf("%s/%s/v%d", name, opt.name, v), v, opt.opts, events})
				scripts = append(scripts, parityScript{Verbosity: v, Options: opt.py, Events: events})
			}
		}
	}
	want := runHarness(t, scripts)
	for i, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			opts := DefaultOptions{DisplayOptions: DisplayOptions{Verbosity: r.v, NoColor: true}}
			r.opts(&opts)
			var stdout, stderr bytes.Buffer
			cb, err := NewDefault(&stdout, &stderr, opts)
			if err != nil {
				t.Fatal(err)
			}
			cb.PlayStart(&Play{Name: "play", Strategy: "linear"})
			stdout.Reset()
			replayParity(cb, r.evs)
			if want[i].Stdout == "" {
				t.Fatal("the harness printed nothing")
			}
			compareText(t, "stdout", stdout.String(), want[i].Stdout)
			compareText(t, "stderr", stderr.String(), want[i].Stderr)
		})
	}
}

// runHarness runs the scripts through Ansible's default callback.
func runHarness(t *testing.T, scripts []parityScript) []struct{ Stdout, Stderr string } {
	t.Helper()
	harness, _ := filepath.Abs("testdata/parity/harness.py")
	data, _ := json.Marshal(scripts)
	file := filepath.Join(t.TempDir(), "scripts.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/usr/bin/python3", harness, file)
	cmd.Env = append(os.Environ(), "ANSIBLE_NOCOLOR=1", "ANSIBLE_FORCE_COLOR=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("harness: %v\n%s", err, stderr.String())
	}
	var out []struct{ Stdout, Stderr string }
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(scripts) {
		t.Fatalf("harness returned %d results for %d scripts", len(out), len(scripts))
	}
	return out
}

// replayParity sends a parity script's events to cb.
func replayParity(cb Callback, events []map[string]any) {
	tasks := map[string]*Task{}
	for _, ev := range events {
		str := func(k string) string { s, _ := ev[k].(string); return s }
		flag := func(k string) bool { b, _ := ev[k].(bool); return b }
		if str("ev") == "task" {
			t := &Task{UUID: str("uuid"), Name: str("name"), Kind: "TASK", Action: str("action"),
				Loop: flag("loop"), NoLog: flag("no_log")}
			tasks[t.UUID] = t
			parityDelegates[t] = str("delegate_to")
			parityIgnoreUnreachable[t] = flag("ignore_unreachable")
			cb.TaskStart(t)
			continue
		}
		replayParityWith(cb, tasks, ev)
	}
}

// parityDelegates and parityIgnoreUnreachable hold task settings of the
// scripts that Task has no field for.
var (
	parityDelegates         = map[*Task]string{}
	parityIgnoreUnreachable = map[*Task]bool{}
)

// replayParityWith sends one result event to cb.
func replayParityWith(cb Callback, tasks map[string]*Task, ev map[string]any) {
	str := func(k string) string { s, _ := ev[k].(string); return s }
	flag := func(k string) bool { b, _ := ev[k].(bool); return b }
	t := tasks[str("task")]
	if str("ev") == "start" {
		if hs, ok := cb.(HostStarter); ok {
			hs.HostStart(t, hostOf(ev))
		}
		return
	}
	result := deepCopy(ev["result"]).(map[string]any)
	r := &Result{Task: t, Host: hostOf(ev), Delegated: parityDelegates[t], Result: result}
	switch str("ev") {
	case "ok", "item_ok":
		r.Status = OK
		if truthy(result["changed"]) {
			r.Status = Changed
		}
	case "failed", "item_failed", "retry":
		r.Status, r.Ignored = Failed, flag("ignore")
	case "skipped", "item_skipped":
		r.Status = Skipped
	case "unreachable":
		r.Status, r.Ignored = Unreachable, parityIgnoreUnreachable[t]
	}
	switch str("ev") {
	case "item_ok", "item_failed", "item_skipped":
		cb.ItemResult(r)
	case "retry":
		cb.Retry(r)
	default:
		cb.HostResult(r)
	}
}

// adhocParityScripts are ad-hoc results (one task, no banners).
var adhocParityScripts = map[string][]map[string]any{
	"command": {
		{"ev": "task", "uuid": "1", "name": "command", "action": "command"},
		{"ev": "ok", "task": "1", "result": map[string]any{"changed": true, "rc": 0, "stdout": "out\nline", "stderr": "warn\r\n", "msg": ""}},
		{"ev": "ok", "task": "1", "host": "h2", "result": map[string]any{"changed": false, "stdout": "x"}},
		{"ev": "failed", "task": "1", "host": "h3", "result": map[string]any{"failed": true, "changed": true, "rc": 2, "stdout": "", "stderr": "bad", "msg": "non-zero return code"}},
		{"ev": "failed", "task": "1", "host": "h4", "result": map[string]any{"failed": true, "msg": "MODULE FAILURE", "module_stderr": "Traceback", "exception": exc, "rc": 1}},
		{"ev": "ok", "task": "1", "host": "h5", "result": map[string]any{"changed": true, "ansible_job_id": "j1", "started": 1, "finished": 0}},
	},
	"module": {
		{"ev": "task", "uuid": "1", "name": "copy", "action": "copy"},
		{"ev": "diff", "task": "1", "result": map[string]any{"changed": true, "diff": map[string]any{"before": "a\n", "after": "b\n", "before_header": "/f", "after_header": "/f"}}},
		{"ev": "ok", "task": "1", "result": map[string]any{"changed": true, "dest": "/f", "warnings": []any{"watch out"}, "diff": map[string]any{"before": "a\n", "after": "b\n", "before_header": "/f", "after_header": "/f"}}},
		{"ev": "failed", "task": "1", "host": "h2", "result": map[string]any{"failed": true, "msg": "nope", "exception": exc, "invocation": map[string]any{"module_args": map[string]any{"dest": "/f"}}}},
		{"ev": "unreachable", "task": "1", "host": "h3", "result": map[string]any{"unreachable": true, "msg": "Failed to connect to the host via ssh: refused", "changed": false}},
		{"ev": "skipped", "task": "1", "host": "h4", "result": map[string]any{"skipped": true, "changed": false}},
		{"ev": "ok", "task": "1", "host": "h5", "result": map[string]any{"changed": false, "ping": "pong é", "_ansible_verbose_always": true}},
	},
}

func TestAdHocParityWithAnsible(t *testing.T) {
	type run struct {
		name, callback string
		v              int
		evs            []map[string]any
	}
	var runs []run
	var scripts []parityScript
	for name, events := range adhocParityScripts {
		for _, callback := range []string{"minimal", "oneline"} {
			for _, v := range []int{0, 1, 3} {
				runs = append(runs, run{fmt.Sprintf("%s/%s/v%d", name, callback, v), callback, v, events})
				scripts = append(scripts, parityScript{Callback: callback, Verbosity: v, Events: events})
			}
		}
	}
	want := runHarness(t, scripts)
	for i, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			opts := AdHocOptions{DisplayOptions: DisplayOptions{Verbosity: r.v, NoColor: true}}
			var cb Callback = NewOneline(&stdout, &stderr, opts)
			if r.callback == "minimal" {
				m, err := NewMinimal(&stdout, &stderr, opts)
				if err != nil {
					t.Fatal(err)
				}
				cb = m
			}
			replayAdHoc(cb, r.evs)
			if want[i].Stdout == "" {
				t.Fatal("the harness printed nothing")
			}
			compareText(t, "stdout", stdout.String(), want[i].Stdout)
			compareText(t, "stderr", stderr.String(), want[i].Stderr)
		})
	}
}

// replayAdHoc sends an ad-hoc script to cb. Ansible's "diff" event comes
// with the result in gorun, so it is folded into the next event on the
// same host: a task run with --diff.
func replayAdHoc(cb Callback, events []map[string]any) {
	var plain []map[string]any
	diffHosts := map[string]bool{}
	for _, ev := range events {
		if ev["ev"] == "diff" {
			diffHosts[hostOf(ev)] = true
			continue
		}
		plain = append(plain, ev)
	}
	tasks := map[string]*Task{}
	for _, ev := range plain {
		if ev["ev"] == "task" {
			continue
		}
		uuid := ev["task"].(string)
		if tasks[uuid+hostOf(ev)] == nil {
			action := ""
			for _, te := range plain {
				if te["ev"] == "task" && te["uuid"] == uuid {
					action = te["action"].(string)
				}
			}
			tasks[uuid+hostOf(ev)] = &Task{UUID: uuid, Name: action, Action: action, Diff: diffHosts[hostOf(ev)]}
		}
		ev = copyEvent(ev)
		ev["task"] = uuid + hostOf(ev)
		replayParityWith(cb, tasks, ev)
	}
}

func hostOf(ev map[string]any) string {
	if h, ok := ev["host"].(string); ok {
		return h
	}
	return "web1"
}

func copyEvent(ev map[string]any) map[string]any {
	c := map[string]any{}
	for k, v := range ev {
		c[k] = v
	}
	return c
}
