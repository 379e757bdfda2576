package connection

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func dialLocal(t *testing.T) Conn {
	return dial(t, Params{Host: "localhost", Connection: "local"})
}

func TestLocalExec(t *testing.T) {
	c := dialLocal(t)
	res := run(t, c, "echo out; echo err >&2; cat; exit 4", ExecOptions{Stdin: strings.NewReader("in\n")})
	if res.ExitCode != 4 || string(res.Stdout) != "out\nin\n" || string(res.Stderr) != "err\n" {
		t.Errorf("local exec: exit %d, stdout %q, stderr %q", res.ExitCode, res.Stdout, res.Stderr)
	}
	checkHostileEnv(t, c, ExecOptions{})
}

func TestLocalPutGet(t *testing.T) {
	c := dialLocal(t)
	dir := t.TempDir()
	checkPutGet(t, c, filepath.Join(dir, "plain"), 0o640, ExecOptions{}, "root")
	checkPutGet(t, c, filepath.Join(dir, "sudo"), 0o600, ExecOptions{Become: &Become{Enabled: true, User: "root"}}, "root")
}

func TestLocalBecome(t *testing.T) {
	c := dialLocal(t)
	if got := output(t, c, "id -un", ExecOptions{Become: &Become{Enabled: true, User: "nobody"}}); got != "nobody\n" {
		t.Errorf("local sudo -u nobody: id -un = %q", got)
	}
	// su runs on a local pty; stdin passes through it.
	su := &Become{Enabled: true, Method: "su", User: "nobody", Flags: "-s /bin/sh"}
	data := bytes.Repeat([]byte("0123456789abcdef\x00\xff\n"), 20000)
	res := run(t, c, "id -un; cat", ExecOptions{Become: su, Stdin: bytes.NewReader(data)})
	if want := append([]byte("nobody\n"), data...); res.ExitCode != 0 || !bytes.Equal(res.Stdout, want) {
		t.Errorf("local su: exit %d, %d bytes of stdout, want %d", res.ExitCode, len(res.Stdout), len(want))
	}
	checkHostileEnv(t, c, ExecOptions{Become: su})
}
