package remotefile

import (
	"context"
	"fmt"
	"io"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/shell"
)

// Path returns p as a shell word, expanding a leading "~" to the remote
// $HOME as Ansible's modules expand user paths on the target.
func Path(p string) string {
	switch {
	case p == "~":
		return `"$HOME"`
	case strings.HasPrefix(p, "~/"):
		return `"$HOME"/` + shell.Quote(p[2:])
	}
	return shell.Quote(p)
}

// OwnPID sets gorun_pid to the process id of the shell running the script,
// what $$ is in a script run through Exec: the scripts run in the host's
// kept shell (see run) share that shell's $$, so names made unique with it
// would be the same for every script. The shell reads its id itself.
const OwnPID = `read -r gorun_pid _ 2>/dev/null </proc/self/stat || gorun_pid=$$` + "\n"

// ScriptError is a script that ran but exited non-zero.
type ScriptError struct {
	Code           int
	Stdout, Stderr string
}

func (e *ScriptError) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if msg == "" {
		msg = strings.TrimSpace(e.Stdout)
	}
	if msg == "" {
		msg = fmt.Sprintf("exit status %d", e.Code)
	}
	return msg
}

// run runs script on conn with stdin (may be nil) and returns its stdout; a
// non-zero exit is a *ScriptError.
// Scripts without input run in the host's kept shell where the connection
// has one (see connection.QuickRunner): they are all gorun's own.
func run(ctx context.Context, conn connection.Conn, script string, stdin io.Reader) (string, error) {
	var res *connection.ExecResult
	var err error
	if q, ok := conn.(connection.QuickRunner); ok && stdin == nil {
		res, err = q.RunQuick(ctx, script)
	} else {
		res, err = conn.Exec(ctx, script, connection.ExecOptions{Stdin: stdin})
	}
	if err != nil {
		return "", err
	}
	if res.ExitCode != 0 {
		return string(res.Stdout), &ScriptError{Code: res.ExitCode, Stdout: string(res.Stdout), Stderr: string(res.Stderr)}
	}
	return string(res.Stdout), nil
}

// Run runs a shell command line on conn and returns its stdout; a non-zero
// exit is a *ScriptError. Modules use it for one-off commands.
func Run(ctx context.Context, conn connection.Conn, script string, stdin io.Reader) (string, error) {
	return run(ctx, conn, script, stdin)
}

// RunThenStat runs script and then stats path in the same round trip,
// returning the stat after the script; the script's own stdout is dropped.
func RunThenStat(ctx context.Context, conn connection.Conn, script, path string, o StatOptions) (*Info, error) {
	out, err := run(ctx, conn, "{\n"+script+"\n} >/dev/null || exit $?\n"+statScript(path, o), nil)
	if err != nil {
		return nil, attrError(err)
	}
	return parseStat(path, out)
}
