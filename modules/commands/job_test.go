package commands

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gorun/engine/module"
	"gorun/modules/internal/remotecmd"
)

// TestJobScriptMatchesRun runs every command and shell case twice on this
// machine: through Run, and as the detached job's script (what poll: 0
// leaves running on a target), whose JSON is read back as async_status
// reads the job file. Both must give the same result; Run itself is
// compared with Ansible's module by TestModulesMatchAnsible.
func TestJobScriptMatchesRun(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("x"), 0o644))
	cases := append(commandCases(dir),
		refCase{"shell", map[string]any{"_raw_params": `printf 'caf\303\251 \342\202\254 \360\237\230\200 bad:\377\342\202 "q" \\ \t\001\177'`}, false},
		refCase{"shell", map[string]any{"_raw_params": `printf 'no newline at end'; printf 'err\r\n\r\n' >&2`, "strip_empty_ends": false}, false},
		refCase{"shell", map[string]any{"_raw_params": `seq 1 20000`}, false},
		refCase{"shell", map[string]any{"_raw_params": `printf '\n\n'`, "strip_empty_ends": false}, false},
		refCase{"command", map[string]any{"_raw_params": "echo hi", "chdir": dir + "/it's\ta dir"}, false},
	)
	for i, c := range cases {
		if c.module != "command" && c.module != "shell" {
			continue
		}
		m, _ := module.Lookup(c.module)
		args, err := m.Doc().Validate(c.args)
		if err != nil {
			t.Fatal(err)
		}
		call := &module.Call{Module: c.module, Args: args, Conn: shConn{dir}, Check: c.check}
		res, err := m.Run(context.Background(), call)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		script, err := m.(module.Detachable).JobScript(call)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		cmd := exec.Command("/bin/sh", "-c", script, "job", filepath.Join(t.TempDir(), "j1.1"))
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("case %d: the job script failed: %v", i, err)
		}
		var job map[string]any
		if err := json.Unmarshal(out, &job); err != nil {
			t.Fatalf("case %d %v: the job printed no JSON: %v\n%s", i, c.args, err, out)
		}
		job = remotecmd.WithLines(job)
		compareResult(t, i, c, normalize(t, job), normalize(t, res))
	}
}
