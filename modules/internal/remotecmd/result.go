package remotecmd

import (
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
)

// FailRun is the result Ansible's modules give when a command fails: msg
// plus the command's rc, stdout and stderr.
func FailRun(msg string, o Output) module.Result {
	return module.Result{"failed": true, "msg": msg, "rc": o.RC, "stdout": o.Stdout, "stderr": o.Stderr}
}

// WithLines adds stdout_lines and stderr_lines, as Ansible's action plugin
// does for every result that has stdout or stderr.
func WithLines(r module.Result) module.Result {
	for _, k := range []string{"stdout", "stderr"} {
		if s, ok := r[k].(string); ok {
			lines := []any{}
			for _, l := range pytext.SplitLines(s) {
				lines = append(lines, l)
			}
			r[k+"_lines"] = lines
		}
	}
	return r
}

// Exit ends a module run early with a result, as exit_json and fail_json end
// the Python module wherever they are called: the module's steps return it
// as an error and the module's entry point turns it into the result (Finish).
type Exit struct{ Result module.Result }

func (e *Exit) Error() string { return fmt.Sprint(e.Result["msg"]) }

// Fail is fail_json(msg=msg, **extra), extra being key, value pairs.
func Fail(msg string, extra ...any) error {
	r := module.Result{"failed": true, "msg": msg}
	for i := 0; i+1 < len(extra); i += 2 {
		r[extra[i].(string)] = extra[i+1]
	}
	return &Exit{r}
}

// Done is exit_json(**res).
func Done(res module.Result) error { return &Exit{res} }

// Finish turns the error of a module's body into its result: an Exit
// carries the result, any other error is a fault of the connection.
func Finish(res module.Result, err error) (module.Result, error) {
	if e, ok := err.(*Exit); ok {
		return e.Result, nil
	}
	return res, err
}

// CommandFailed is run_command's check_rc failure: the command line, its
// exit status and output, its stderr as the message.
func CommandFailed(cmd string, o Output) error {
	return &Exit{module.Result{"failed": true, "cmd": cmd, "rc": o.RC, "stdout": o.Stdout, "stderr": o.Stderr, "msg": strings.TrimRight(o.Stderr, " \t\r\n")}}
}

// MissingBin is get_bin_path's failure when a required program is not in
// paths, the search list it names.
func MissingBin(name, paths string) module.Result {
	return module.Failed(fmt.Sprintf("Failed to find required executable \"%s\" in paths: %s", name, paths))
}
