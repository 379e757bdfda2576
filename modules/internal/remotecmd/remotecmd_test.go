package remotecmd

import (
	"context"
	"reflect"
	"testing"

	"gorun/engine/connection"
	"gorun/engine/module"
)

// localTarget is a Target on the controller itself (ansible_connection=local).
func localTarget(t *testing.T) *Target {
	t.Helper()
	pool := connection.NewPool()
	t.Cleanup(pool.CloseAll)
	conn, err := pool.Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	return New(context.Background(), &module.Call{Conn: conn})
}

func TestTargetRunsCommands(t *testing.T) {
	tg := localTarget(t)
	o, err := tg.Run(map[string]string{"GREETING": "it's"}, "sh", "-c", `printf '%s\n' "$GREETING" "$1"; echo err >&2; exit 3`, "sh", "a b")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Output{RC: 3, Stdout: "it's\na b\n", Stderr: "err\n"}); o != want {
		t.Errorf("Run = %+v, want %+v", o, want)
	}
	if o, err = tg.ShIn("tr a-z A-Z", []byte("upper")); err != nil || o.Stdout != "UPPER" {
		t.Errorf("ShIn = %+v, %v", o, err)
	}
	if p, err := tg.Which("sh"); err != nil || p == "" || p[0] != '/' {
		t.Errorf("Which(sh) = %q, %v", p, err)
	}
	if p, err := tg.Which("no-such-program-gorun"); err != nil || p != "" {
		t.Errorf("Which(missing) = %q, %v", p, err)
	}
	if ok, err := tg.Exists("/"); err != nil || !ok {
		t.Errorf("Exists(/) = %v, %v", ok, err)
	}
	if ok, err := tg.Exists("/no/such/path"); err != nil || ok {
		t.Errorf("Exists(missing) = %v, %v", ok, err)
	}
}

func TestResults(t *testing.T) {
	o := Output{RC: 2, Stdout: "a\r\nb\n", Stderr: "bad \n"}
	res, err := Finish(nil, CommandFailed("false x", o))
	want := module.Result{"failed": true, "cmd": "false x", "rc": 2, "stdout": "a\r\nb\n", "stderr": "bad \n", "msg": "bad"}
	if err != nil || !reflect.DeepEqual(res, want) {
		t.Errorf("Finish(CommandFailed) = %v, %v; want %v", res, err, want)
	}
	res = WithLines(FailRun("it failed", o))
	if !reflect.DeepEqual(res["stdout_lines"], []any{"a", "b"}) || !reflect.DeepEqual(res["stderr_lines"], []any{"bad "}) {
		t.Errorf("WithLines: %v", res)
	}
	if res, _ = Finish(nil, Fail("no", "rc", 1)); res["msg"] != "no" || res["rc"] != 1 || res["failed"] != true {
		t.Errorf("Finish(Fail) = %v", res)
	}
	if _, err := Finish(nil, context.Canceled); err != context.Canceled {
		t.Errorf("Finish passes other errors on, got %v", err)
	}
}
