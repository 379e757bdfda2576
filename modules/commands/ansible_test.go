package commands

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorun/engine/connection"
	"gorun/engine/module"
)

// refCase is one task run both by ansible-playbook and by the gorun module.
type refCase struct {
	module string
	args   map[string]any
	check  bool
}

// timeKeys vary from run to run; only their presence (or null) is compared.
var timeKeys = map[string]bool{"start": true, "end": true, "delta": true}

// ignoredKeys are added by Ansible's executor, not by the module.
var ignoredKeys = map[string]bool{"invocation": true, "ansible_facts": true, "_ansible_no_log": true, "action": true,
	"warnings": true, "deprecations": true, "exception": true, "module_stderr": true, "module_stdout": true}

// TestModulesMatchAnsible runs the same tasks with ansible-playbook (local
// connection) and with the gorun modules over /bin/sh, and compares results.
func TestModulesMatchAnsible(t *testing.T) {
	if _, err := exec.LookPath("ansible-playbook"); err != nil {
		t.Skip("ansible-playbook is not installed")
	}
	dir := t.TempDir()
	writeScripts(t, dir)
	must(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x"), 0o644))
	cases := commandCases(dir)
	want := runAnsible(t, dir, target{host: "localhost", inventory: "localhost,", local: true}, cases)
	runCases(t, dir, shConn{dir}, cases, want, nil)
}

// writeScripts puts the controller-side scripts of the script cases in dir/files.
func writeScripts(t *testing.T, dir string) {
	must(t, os.MkdirAll(filepath.Join(dir, "files"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "files", "s.sh"), []byte("#!/bin/sh\nprintf '[%s]' \"$@\"; pwd; echo oops >&2\n"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "files", "fail.sh"), []byte("#!/bin/sh\necho bad\nexit 4\n"), 0o755))
}

// commandCases are the tasks compared with Ansible; dir is a directory on
// the target holding a file a.txt.
func commandCases(dir string) []refCase {
	cases := []refCase{
		{"command", map[string]any{"_raw_params": "echo hello   world"}, false},
		{"command", map[string]any{"argv": []any{"printf", "%s|", "a b", "$HOME", "~", "it's"}}, false},
		{"command", map[string]any{"_raw_params": `printf "%s|" 'single quoted' "dq \"x\"" $NO_SUCH_VAR`}, false},
		{"command", map[string]any{"_raw_params": "ls /nonexistent-gorun"}, false},
		{"command", map[string]any{"_raw_params": "nosuchcmd-gorun x"}, false},
		{"command", map[string]any{"_raw_params": "/etc/passwd"}, false},
		{"command", map[string]any{"_raw_params": "echo hi", "chdir": "/nonexistent-gorun"}, false},
		{"command", map[string]any{"_raw_params": "echo hi", "chdir": "/etc/passwd"}, false},
		{"command", map[string]any{"_raw_params": "echo hi", "creates": dir + "/*.txt"}, false},
		{"command", map[string]any{"_raw_params": "echo hi", "removes": dir + "/nothing*"}, false},
		{"command", map[string]any{"_raw_params": "echo hi", "removes": dir + "/a.txt"}, false},
		{"command", map[string]any{"_raw_params": "echo hi"}, true},
		{"command", map[string]any{"_raw_params": "echo hi", "creates": dir + "/nothing"}, true},
		{"command", map[string]any{"_raw_params": "echo hi", "creates": dir + "/a.txt"}, true},
		{"command", map[string]any{"_raw_params": "pwd", "chdir": dir}, true},
		{"command", map[string]any{"_raw_params": "cat", "stdin": "abc"}, false},
		{"command", map[string]any{"_raw_params": "od -c", "stdin": "abc", "stdin_add_newline": false}, false},
		{"command", map[string]any{"_raw_params": `printf 'a\n\nb\r\n\n'`, "strip_empty_ends": false}, false},
		{"command", map[string]any{"_raw_params": `printf 'a\n\nb\r\n\n'`}, false},
		{"command", map[string]any{"_raw_params": "pwd", "chdir": dir}, false},
		{"command", map[string]any{"cmd": "echo via cmd"}, false},
		{"command", map[string]any{"argv": []any{}}, false},
		{"command", map[string]any{"_raw_params": "echo", "argv": []any{"echo"}}, false},
		{"shell", map[string]any{"_raw_params": "echo $((1+2)); echo err >&2"}, false},
		{"shell", map[string]any{"_raw_params": "echo out; exit 3"}, false},
		{"shell", map[string]any{"_raw_params": "echo ${BASH_VERSION:+bash}", "executable": "/bin/bash"}, false},
		{"shell", map[string]any{"_raw_params": "echo hi", "executable": "/nonexistent/sh"}, false},
		{"shell", map[string]any{"_raw_params": "pwd; ls", "chdir": dir}, false},
		{"shell", map[string]any{"_raw_params": "echo hi", "removes": dir + "/a.txt"}, true},
		{"shell", map[string]any{"_raw_params": "echo hi", "creates": "~"}, false},
		{"shell", map[string]any{"argv": []any{"echo", "a b", "$HOME"}}, false},
		{"raw", map[string]any{"_raw_params": "echo hi; echo e >&2"}, false},
		{"raw", map[string]any{"_raw_params": "echo $0", "executable": "/bin/bash"}, false},
		{"raw", map[string]any{"_raw_params": "exit 5"}, false},
		{"raw", map[string]any{"_raw_params": "echo hi"}, true},
		{"script", map[string]any{"_raw_params": "s.sh 'arg one' two", "chdir": dir}, false},
		{"script", map[string]any{"_raw_params": "fail.sh"}, false},
		{"script", map[string]any{"_raw_params": "s.sh", "creates": dir}, false},
		{"script", map[string]any{"_raw_params": "s.sh", "removes": dir + "/nothing"}, false},
		{"script", map[string]any{"_raw_params": "s.sh", "removes": dir}, true},
		{"script", map[string]any{"_raw_params": "s.sh"}, true},
		{"script", map[string]any{"_raw_params": "s.sh", "chdir": "relative"}, false},
		{"script", map[string]any{"_raw_params": "sh s.sh x", "executable": "/bin/sh"}, false},
		{"ping", map[string]any{}, false},
		{"ping", map[string]any{"data": "hello"}, false},
	}
	// The script run through an executable takes the script as its argument.
	cases[len(cases)-3].args["_raw_params"] = "s.sh x"

	return cases
}

// runCases runs every case with the gorun module on conn and compares the
// result with Ansible's; only names the keys compared for rc/changed/failed only.
func runCases(t *testing.T, dir string, conn connection.Conn, cases []refCase, want []map[string]any, only func(refCase) []string) {
	t.Helper()
	for i, c := range cases {
		m, ok := module.Lookup(c.module)
		if !ok {
			t.Fatalf("module %s is not registered", c.module)
		}
		args, err := m.Doc().Validate(c.args)
		if err != nil {
			t.Errorf("case %d %s %v: %v", i, c.module, c.args, err)
			continue
		}
		res, err := m.Run(context.Background(), &module.Call{Module: c.module, Args: args, Conn: conn, Check: c.check, Files: dirFiles(dir)})
		if err != nil {
			t.Errorf("case %d %s %v: %v", i, c.module, c.args, err)
			continue
		}
		got := normalize(t, res)
		if only != nil {
			if keys := only(c); keys != nil {
				for _, k := range keys {
					if !reflect.DeepEqual(got[k], want[i][k]) {
						t.Errorf("case %d %s %v: %s = %#v, ansible has %#v", i, c.module, c.args, k, got[k], want[i][k])
					}
				}
				continue
			}
		}
		compareResult(t, i, c, got, want[i])
	}
}

func compareResult(t *testing.T, i int, c refCase, got, want map[string]any) {
	t.Helper()
	for k, w := range want {
		if ignoredKeys[k] {
			continue
		}
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("case %d %s %v check=%v: key %q missing; ansible has %#v", i, c.module, c.args, c.check, k, w)
		case timeKeys[k]:
			if (g == nil) != (w == nil) {
				t.Errorf("case %d %s %v: %s = %#v, ansible has %#v", i, c.module, c.args, k, g, w)
			}
		case !reflect.DeepEqual(g, w):
			t.Errorf("case %d %s %v check=%v: %s = %#v, ansible has %#v", i, c.module, c.args, c.check, k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok && !ignoredKeys[k] {
			t.Errorf("case %d %s %v check=%v: extra key %q = %#v", i, c.module, c.args, c.check, k, g)
		}
	}
}

// runAnsible runs every case as one task of one playbook and returns the results.
// target is where ansible-playbook runs the cases.
type target struct {
	host, inventory string
	local           bool // connection: local
}

func runAnsible(t *testing.T, dir string, tg target, cases []refCase) []map[string]any {
	t.Helper()
	var tasks []any
	for _, c := range cases {
		args := map[string]any{}
		task := map[string]any{"ignore_errors": true, "check_mode": c.check}
		for k, v := range c.args {
			if k == "_raw_params" {
				task[c.module] = v
			} else {
				args[k] = v
			}
		}
		if _, ok := task[c.module]; ok {
			task["args"] = args
		} else {
			task[c.module] = args
		}
		tasks = append(tasks, task)
	}
	play := map[string]any{"hosts": tg.host, "gather_facts": false, "tasks": tasks}
	if tg.local {
		play["connection"] = "local"
	}
	pb, _ := json.Marshal([]any{play}) // JSON is YAML
	pbPath := filepath.Join(dir, "play.yml")
	must(t, os.WriteFile(pbPath, pb, 0o644))
	cmd := exec.Command("ansible-playbook", "-i", tg.inventory, pbPath)
	cmd.Env = append(os.Environ(), "ANSIBLE_STDOUT_CALLBACK=json", "ANSIBLE_LOCALHOST_WARNING=false", "ANSIBLE_NOCOLOR=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ansible-playbook: %v\n%s%s", err, out, stderrOf(err))
	}
	var doc struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]map[string]any
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("ansible-playbook output: %v", err)
	}
	var results []map[string]any
	for _, task := range doc.Plays[0].Tasks {
		results = append(results, task.Hosts[tg.host])
	}
	if len(results) != len(cases) {
		t.Fatalf("ansible-playbook ran %d tasks, want %d", len(results), len(cases))
	}
	return results
}

func normalize(t *testing.T, r module.Result) map[string]any {
	b, err := json.Marshal(r)
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(b, &m))
	return m
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}
