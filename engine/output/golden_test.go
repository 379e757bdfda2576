package output

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gorun/engine/pytext"
)

// The golden tests replay by hand the events the runner sends for the
// playbooks in testdata/playbooks and compare the callback's bytes with what
// ansible-playbook printed for them (testdata/golden, made by
// testdata/regen.sh). Results carry what modules and the runner return,
// internal keys included, so the callback's own cleaning is tested too.

// task builds a Task of the golden playbooks.
func task(uuid, name, action, path string) *Task {
	return &Task{UUID: uuid, Name: name, Kind: "TASK", Action: action, Path: path}
}

// res builds a Result on localhost.
func res(t *Task, st Status, kv map[string]any) *Result {
	return &Result{Task: t, Host: "localhost", Status: st, Result: kv}
}

// commandResult is what the command module returns (timestamps fixed as
// regen.sh fixes them in the goldens).
func commandResult(raw string, argv []any, rc int, stdout string, changed bool) map[string]any {
	lines := []any{}
	if stdout != "" {
		lines = append(lines, stdout)
	}
	msg := ""
	if rc != 0 {
		msg = "non-zero return code"
	}
	return map[string]any{
		"changed": changed, "cmd": argv, "rc": rc, "msg": msg,
		"stdout": stdout, "stdout_lines": lines, "stderr": "", "stderr_lines": []any{},
		"start": "2000-01-01 00:00:00.000000", "end": "2000-01-01 00:00:00.000000", "delta": "0:00:00.001000",
		"failed": rc != 0,
		"invocation": map[string]any{"module_args": map[string]any{
			"_raw_params": raw, "_uses_shell": false, "argv": nil, "chdir": nil, "creates": nil,
			"executable": nil, "removes": nil, "stdin": nil, "stdin_add_newline": true, "strip_empty_ends": true,
		}},
		"_ansible_no_log": false,
	}
}

// debugMsg is the debug action's result for msg.
func debugMsg(msg any) map[string]any {
	return map[string]any{"msg": msg, "changed": false, "failed": false,
		"_ansible_verbose_always": true, "_ansible_no_log": false}
}

// withItem adds the loop keys the runner puts on an item result.
func withItem(r map[string]any, item any) map[string]any {
	r["item"] = item
	r["ansible_loop_var"] = "item"
	r["_ansible_item_label"] = item
	return r
}

func basicEvents(cb Callback) {
	cb.PlaybookStart("playbooks/basic.yml")
	cb.PlayStart(&Play{Name: "Basic play", Hosts: []string{"localhost"}, Strategy: "linear", UUID: "0", Path: "playbooks/basic.yml:3"})

	t := task("1", "Say hello", "debug", "playbooks/basic.yml:10")
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, debugMsg("héllo world")))

	t = task("2", "Show a variable", "debug", "playbooks/basic.yml:14")
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, map[string]any{"greeting": "héllo", "changed": false, "failed": false,
		"_ansible_verbose_always": true, "_ansible_no_log": false}))

	t = task("3", "Run a command", "command", "playbooks/basic.yml:18")
	cb.TaskStart(t)
	cb.HostResult(res(t, Changed, commandResult("echo hi", []any{"echo", "hi"}, 0, "hi", true)))

	t = task("4", "Unchanged command", "command", "playbooks/basic.yml:23")
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, commandResult("echo quiet", []any{"echo", "quiet"}, 0, "quiet", false)))

	t = task("5", "Skipped task", "debug", "playbooks/basic.yml:27")
	cb.TaskStart(t)
	cb.HostResult(res(t, Skipped, map[string]any{"changed": false, "skipped": true,
		"skip_reason": "Conditional result was False", "_ansible_no_log": false}))

	t = task("6", "Fail but ignore", "fail", "playbooks/basic.yml:32")
	cb.TaskStart(t)
	r := res(t, Failed, map[string]any{"changed": false, "failed": true, "msg": "boom", "_ansible_no_log": false})
	r.Ignored = true
	cb.HostResult(r)

	t = task("7", "Assert things", "assert", "playbooks/basic.yml:37")
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, map[string]any{"changed": false, "msg": "All assertions passed",
		"_ansible_verbose_always": true, "_ansible_no_log": false}))

	t = task("8", "Loop items", "debug", "playbooks/basic.yml:42")
	t.Loop = true
	cb.TaskStart(t)
	var items []any
	for _, it := range []string{"a", "b"} {
		ir := withItem(debugMsg("item "+it), it)
		items = append(items, ir)
		cb.ItemResult(res(t, OK, ir))
	}
	cb.HostResult(res(t, OK, map[string]any{"changed": false, "msg": "All items completed", "results": items, "skipped": false}))

	t = task("9", "Loop with skips", "debug", "playbooks/basic.yml:47")
	t.Loop = true
	cb.TaskStart(t)
	items = nil
	for _, it := range []int{1, 2, 3} {
		if it == 2 {
			ir := withItem(map[string]any{"changed": false, "skipped": true,
				"skip_reason": "Conditional result was False", "_ansible_no_log": false}, it)
			items = append(items, ir)
			cb.ItemResult(res(t, Skipped, ir))
			continue
		}
		ir := withItem(debugMsg(it), it)
		items = append(items, ir)
		cb.ItemResult(res(t, OK, ir))
	}
	cb.HostResult(res(t, OK, map[string]any{"changed": false, "msg": "All items completed", "results": items, "skipped": false}))

	t = task("10", "Notify handler", "command", "playbooks/basic.yml:53")
	cb.TaskStart(t)
	cb.Notified("my handler", "localhost")
	cb.HostResult(res(t, Changed, commandResult("/bin/true", []any{"/bin/true"}, 0, "", true)))

	t = task("11", "Secret command", "command", "playbooks/basic.yml:57")
	t.NoLog = true
	cb.TaskStart(t)
	cb.HostResult(res(t, Changed, commandResult("echo secret", []any{"echo", "secret"}, 0, "secret", true)))

	t = task("12", "Include a file", "include_tasks", "playbooks/basic.yml:61")
	t.Loop = true
	cb.TaskStart(t)
	inc := withItem(map[string]any{"include": "included.yml", "include_args": map[string]any{}}, "one")
	cb.ItemResult(res(t, OK, inc))
	cb.HostResult(res(t, OK, map[string]any{"changed": false, "msg": "All items completed", "results": []any{inc}}))
	cb.Included("playbooks/included.yml", []string{"localhost"}, "one", true)

	t = task("13", "Included task", "debug", "playbooks/included.yml:1")
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, debugMsg("in one")))

	t = task("14", "Failing loop ignored", "fail", "playbooks/basic.yml:65")
	t.Loop = true
	cb.TaskStart(t)
	ir := withItem(map[string]any{"changed": false, "failed": true, "msg": "bad x", "_ansible_no_log": false}, "x")
	cb.ItemResult(res(t, Failed, ir))
	r = res(t, Failed, map[string]any{"changed": false, "failed": true, "msg": "One or more items failed", "results": []any{ir}})
	r.Ignored = true
	cb.HostResult(r)

	t = task("15", "my handler", "debug", "playbooks/basic.yml:72")
	t.Kind = "RUNNING HANDLER"
	cb.TaskStart(t)
	cb.HostResult(res(t, OK, debugMsg("handled")))

	cb.Stats(&Stats{Hosts: map[string]*HostStats{"localhost": {OK: 14, Changed: 3, Skipped: 1, Ignored: 2}}})
}

func diffEvents(cb Callback) {
	cb.PlaybookStart("playbooks/diff.yml")
	cb.PlayStart(&Play{Hosts: []string{"localhost"}, Strategy: "linear"})

	t := task("1", "Add a line", "lineinfile", "playbooks/diff.yml:6")
	t.Diff = true
	cb.TaskStart(t)
	const file = "/tmp/gorun-output-golden/file.txt"
	cb.HostResult(res(t, Changed, map[string]any{
		"backup": "", "changed": true, "msg": "line added", "failed": false,
		"diff": []any{
			map[string]any{"before": "first line\n", "after": "first line\nadded line\n",
				"before_header": file + " (content)", "after_header": file + " (content)"},
			map[string]any{"before_header": file + " (file attributes)", "after_header": file + " (file attributes)"},
		},
		"invocation": map[string]any{"module_args": map[string]any{
			"attributes": nil, "backrefs": false, "backup": false, "create": false, "firstmatch": false,
			"group": nil, "insertafter": nil, "insertbefore": nil, "line": "added line", "mode": nil,
			"owner": nil, "path": file, "regexp": nil, "search_string": nil, "selevel": nil,
			"serole": nil, "setype": nil, "seuser": nil, "state": "present", "unsafe_writes": false, "validate": nil,
		}},
	}))

	t = task("2", "Replace content", "copy", "playbooks/diff.yml:11")
	t.Diff = true
	cb.TaskStart(t)
	const (
		dest   = "/tmp/gorun-output-golden/other.txt"
		tmp    = "/root/.ansible/tmp/ansible-local-X/tmpX"
		source = "/root/.ansible/tmp/ansible-tmp-X/source"
		sum    = "ab7652de10adfbd7a6129a99337ef11b8d8d80ce"
	)
	cb.HostResult(res(t, Changed, map[string]any{
		"changed": true, "checksum": sum, "dest": dest, "gid": 0, "group": "root",
		"md5sum": "cbc0acf1f0a8658aa30f23aa1282ddae", "mode": "0644", "owner": "root", "size": 11,
		"src": source, "state": "file", "uid": 0,
		"diff": []any{map[string]any{"before": "old\ncontent\n", "after": "new\ncontent",
			"before_header": dest, "after_header": tmp}},
		"invocation": map[string]any{"module_args": map[string]any{
			"_original_basename": "tmpX", "attributes": nil, "backup": false, "checksum": sum,
			"content": nil, "dest": dest, "directory_mode": nil, "follow": false, "force": true,
			"group": nil, "local_follow": nil, "mode": nil, "owner": nil, "remote_src": nil,
			"selevel": nil, "serole": nil, "setype": nil, "seuser": nil, "src": source,
			"unsafe_writes": false, "validate": nil,
		}},
	}))

	pattern := "no-such-host-with-a-rather-long-hyphenated-name-that-wraps-the-warning-line"
	cb.Warning("Could not match supplied host pattern, ignoring: " + pattern)
	cb.PlayStart(&Play{Name: "No match", Hosts: []string{pattern}, Strategy: "linear"})
	cb.NoHostsMatched()

	cb.Stats(&Stats{Hosts: map[string]*HostStats{"localhost": {OK: 2, Changed: 2}}})
}

func failedEvents(cb Callback) {
	cb.PlaybookStart("playbooks/failed.yml")
	cb.PlayStart(&Play{Name: "Failing play", Hosts: []string{"localhost"}, Strategy: "linear", UUID: "0", Path: "playbooks/failed.yml:2"})
	t := task("1", "Retry until", "command", "playbooks/failed.yml:7")
	cb.TaskStart(t)
	for attempt := 1; attempt <= 2; attempt++ {
		r := commandResult("/bin/false", []any{"/bin/false"}, 1, "", true)
		r["attempts"] = attempt
		r["retries"] = 3
		cb.Retry(res(t, Failed, r))
	}
	r := commandResult("/bin/false", []any{"/bin/false"}, 1, "", true)
	r["attempts"] = 2
	cb.HostResult(res(t, Failed, r))
	cb.Stats(&Stats{Hosts: map[string]*HostStats{"localhost": {Failures: 1}}})
}

// lineinfileResult is what lineinfile returns after adding line to the
// golden file that held before.
func lineinfileResult(line, before string) map[string]any {
	const file = "/tmp/gorun-output-golden/file.txt"
	return map[string]any{
		"backup": "", "changed": true, "msg": "line added", "failed": false,
		"diff": []any{
			map[string]any{"before": before, "after": before + line + "\n",
				"before_header": file + " (content)", "after_header": file + " (content)"},
			map[string]any{"before_header": file + " (file attributes)", "after_header": file + " (file attributes)"},
		},
		"invocation": map[string]any{"module_args": map[string]any{
			"attributes": nil, "backrefs": false, "backup": false, "create": false, "firstmatch": false,
			"group": nil, "insertafter": nil, "insertbefore": nil, "line": line, "mode": nil,
			"owner": nil, "path": file, "regexp": nil, "search_string": nil, "selevel": nil,
			"serole": nil, "setype": nil, "seuser": nil, "state": "present", "unsafe_writes": false, "validate": nil,
		}},
	}
}

func moreEvents(cb Callback) {
	cb.PlaybookStart("playbooks/more.yml")
	cb.PlayStart(&Play{Name: "More play", Hosts: []string{"localhost"}, Strategy: "linear"})

	t := task("1", "Delegated", "debug", "playbooks/more.yml:7")
	t.Diff = true
	cb.TaskStart(t)
	r := res(t, OK, debugMsg("delegated"))
	r.Delegated = "127.0.0.1"
	r.Result["_ansible_delegated_vars"] = map[string]any{"ansible_host": "127.0.0.1", "ansible_port": nil,
		"ansible_user": "root", "ansible_connection": "local"}
	cb.HostResult(r)

	t = task("2", "Lines in a loop", "lineinfile", "playbooks/more.yml:12")
	t.Diff, t.Loop = true, true
	cb.TaskStart(t)
	before := "first line\n"
	var items []any
	for _, it := range []any{5, "six"} {
		line := pytext.Str(it)
		ir := withItem(lineinfileResult(line, before), it)
		before += line + "\n"
		items = append(items, ir)
		cb.ItemResult(res(t, Changed, ir))
	}
	cb.HostResult(res(t, Changed, map[string]any{"changed": true, "msg": "All items completed", "results": items}))

	t = task("3", "Int warning", "lineinfile", "playbooks/more.yml:18")
	t.Diff = true
	cb.TaskStart(t)
	cb.HostResult(res(t, Changed, lineinfileResult("7", before)))

	cb.Stats(&Stats{Hosts: map[string]*HostStats{"localhost": {OK: 3, Changed: 2}}})
}

// goldenRuns are the playbooks whose runs the default callback replays.
var goldenRuns = map[string]func(Callback){"basic": basicEvents, "diff": diffEvents, "failed": failedEvents, "more": moreEvents}

func TestDefaultGolden(t *testing.T) {
	runs := goldenRuns
	for name, events := range runs {
		for v := 0; v <= 3; v++ {
			t.Run(fmt.Sprintf("%s/v%d", name, v), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				cb, err := NewDefault(&stdout, &stderr, DefaultOptions{DisplayOptions: DisplayOptions{Verbosity: v}})
				if err != nil {
					t.Fatal(err)
				}
				events(cb)
				compareGolden(t, fmt.Sprintf("%s.v%d.stdout", name, v), stdout.String())
				compareGolden(t, fmt.Sprintf("%s.v%d.stderr", name, v), stderr.String())
			})
		}
	}
}

// compareGolden fails with the first differing line when got is not the
// content of testdata/golden/file.
func compareGolden(t *testing.T, file, got string) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("testdata", "golden", file))
	if err != nil {
		t.Fatal(err)
	}
	if got == string(want) {
		return
	}
	gl, wl := bytes.Split([]byte(got), []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			t.Fatalf("%s differs at line %d:\n got %q\nwant %q", file, i+1, g, w)
		}
	}
}

// TestDefaultColorGolden checks colours against ansible-playbook -v run with
// ANSIBLE_FORCE_COLOR.
func TestDefaultColorGolden(t *testing.T) {
	for _, name := range []string{"basic", "diff", "failed"} {
		events := goldenRuns[name]
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cb, err := NewDefault(&stdout, &stderr, DefaultOptions{DisplayOptions: DisplayOptions{Verbosity: 1, ForceColor: true}})
			if err != nil {
				t.Fatal(err)
			}
			events(cb)
			compareGolden(t, name+".color.stdout", stdout.String())
			compareGolden(t, name+".color.stderr", stderr.String())
		})
	}
}

// TestDefaultYAMLGolden checks result_format=yaml against ansible-playbook.
func TestDefaultYAMLGolden(t *testing.T) {
	for name, events := range goldenRuns {
		for _, v := range []int{0, 1, 3} {
			t.Run(fmt.Sprintf("%s/v%d", name, v), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				cb, err := NewDefault(&stdout, &stderr, DefaultOptions{DisplayOptions: DisplayOptions{Verbosity: v}, ResultFormat: "yaml"})
				if err != nil {
					t.Fatal(err)
				}
				events(cb)
				compareGolden(t, fmt.Sprintf("%s.yaml.v%d.stdout", name, v), stdout.String())
				compareGolden(t, fmt.Sprintf("%s.yaml.v%d.stderr", name, v), stderr.String())
			})
		}
	}
}
