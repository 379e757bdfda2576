package connection

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

func TestExecExitCodesAndStreams(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	for _, code := range []int{0, 1, 3, 127, 255} {
		res := run(t, c, fmt.Sprintf("echo out; echo err >&2; exit %d", code), ExecOptions{})
		if res.ExitCode != code {
			t.Errorf("exit %d: got exit code %d", code, res.ExitCode)
		}
		if string(res.Stdout) != "out\n" || string(res.Stderr) != "err\n" {
			t.Errorf("exit %d: stdout %q stderr %q, want \"out\\n\" and \"err\\n\"", code, res.Stdout, res.Stderr)
		}
	}
	res := run(t, c, "kill -TERM $$", ExecOptions{})
	if res.ExitCode != 128+15 {
		t.Errorf("command killed by TERM: exit code %d, want %d", res.ExitCode, 128+15)
	}
	// The command runs under /bin/sh whatever the login shell (root's is bash).
	got := output(t, c, `[ "$(readlink /proc/$$/exe)" = "$(readlink -f /bin/sh)" ] && echo sh || readlink /proc/$$/exe`, ExecOptions{})
	if got != "sh\n" {
		t.Errorf("command shell is %q, want /bin/sh", got)
	}
}

func TestExecStdin(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	data := make([]byte, 3<<20)
	rand.Read(data)
	want := fmt.Sprintf("%x  -\n", sha256.Sum256(data))
	got := output(t, c, "sha256sum", ExecOptions{Stdin: bytes.NewReader(data)})
	if got != want {
		t.Errorf("sha256sum of 3 MiB sent on stdin: got %q, want %q", got, want)
	}
	// Without Stdin the command sees end of file at once.
	if got := output(t, c, "wc -c", ExecOptions{}); strings.TrimSpace(got) != "0" {
		t.Errorf("wc -c without stdin: %q, want 0", got)
	}
}

func TestExecLargeOutput(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	var want strings.Builder
	for i := 1; i <= 300000; i++ {
		fmt.Fprintf(&want, "%d\n", i)
	}
	got := output(t, c, "seq 1 300000; seq 1 1000 >&2", ExecOptions{})
	if got != want.String() {
		t.Errorf("seq 1 300000: got %d bytes, want %d", len(got), want.Len())
	}
	// Streamed to writers instead of collected.
	var out, errOut bytes.Buffer
	res := run(t, c, "seq 1 300000; seq 1 1000 >&2", ExecOptions{Stdout: &out, Stderr: &errOut})
	if res.Stdout != nil || res.Stderr != nil {
		t.Errorf("streamed output was also collected")
	}
	if out.String() != want.String() || !strings.HasSuffix(errOut.String(), "\n999\n1000\n") {
		t.Errorf("streamed: stdout %d bytes (want %d), stderr ends %q", out.Len(), want.Len(), tail(errOut.String()))
	}
}

func tail(s string) string {
	if len(s) > 20 {
		return s[len(s)-20:]
	}
	return s
}

// hostileEnv are values a careless quoting would let the shell interpret.
var hostileEnv = map[string]string{
	"SPACES":    "a b  c",
	"QUOTES":    `it's "quoted"`,
	"SUBST":     "$(touch /tmp/pwned-subst)",
	"BACKTICKS": "`touch /tmp/pwned-tick`",
	"SEMICOLON": "x; touch /tmp/pwned-semi",
	"NEWLINES":  "line1\nline2\n",
	"DOLLAR":    "$HOME ${PATH}",
	"EMPTY":     "",
	"BACKSLASH": `a\b\\c\n`,
}

// checkHostileEnv runs a command with hostileEnv and checks that each
// variable arrives unchanged and nothing was executed.
func checkHostileEnv(t *testing.T, c Conn, opts ExecOptions) {
	t.Helper()
	opts.Env = hostileEnv
	var cmd strings.Builder
	var names []string
	for name := range hostileEnv {
		names = append(names, name)
		fmt.Fprintf(&cmd, `printf '%%s=%%s\0' %s "$%s"; `, name, name)
	}
	got := output(t, c, cmd.String()+"ls /tmp/pwned-* 2>/dev/null; true", opts)
	fields := strings.Split(got, "\x00")
	if last := fields[len(fields)-1]; last != "" {
		t.Errorf("a hostile value was executed: %q", last)
	}
	for i, name := range names {
		if want := name + "=" + hostileEnv[name]; i >= len(fields) || fields[i] != want {
			t.Errorf("variable %s: got %q, want %q", name, fields[min(i, len(fields)-1)], want)
		}
	}
}

func TestExecEnvQuoting(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	checkHostileEnv(t, c, ExecOptions{})
	_, err := c.Exec(t.Context(), "true", ExecOptions{Env: map[string]string{"BAD NAME": "x"}})
	if err == nil || !strings.Contains(err.Error(), `"BAD NAME"`) {
		t.Errorf("invalid variable name: error %v, want one naming it", err)
	}
}
