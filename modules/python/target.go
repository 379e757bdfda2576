package python

import (
	"context"
	"regexp"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
)

// vcsURL is Ansible's _VCS_RE: a name pip installs from version control.
var vcsURL = regexp.MustCompile(`^(svn|git|hg|bzr)\+`)

// interpreter is the Python Ansible would run a module with on the host:
// ansible_python_interpreter, or what its discovery finds on Debian.
func interpreter(vars map[string]any) string {
	if s, ok := vars["ansible_python_interpreter"].(string); ok && s != "" && !strings.HasPrefix(s, "auto") {
		return s
	}
	return "/usr/bin/python3"
}

// target runs commands on the host of one module call.
type target struct {
	ctx  context.Context
	conn connection.Conn
	home string // the login's home, read once when a path needs it
}

func newTarget(ctx context.Context, call *module.Call) *target {
	return &target{ctx: ctx, conn: call.Conn}
}

// output is a finished command: exit status and text output.
type output struct {
	rc             int
	stdout, stderr string
}

// run runs argv (quoted for the shell) with extra environment variables.
func (t *target) run(env map[string]string, argv ...string) (output, error) {
	return t.sh(env, shell.Join(argv))
}

// sh runs a shell command line.
func (t *target) sh(env map[string]string, line string) (output, error) {
	res, err := t.conn.Exec(t.ctx, line, connection.ExecOptions{Env: env})
	if err != nil {
		return output{}, err
	}
	return output{rc: res.ExitCode, stdout: string(res.Stdout), stderr: string(res.Stderr)}, nil
}

// sbinDirs are the directories Ansible's get_bin_path adds to the PATH.
const sbinDirs = "/sbin:/usr/sbin:/usr/local/sbin"

// which returns the path of a program on the target's PATH plus the sbin
// directories, or "" when there is none.
func (t *target) which(name string) (string, error) {
	o, err := t.sh(nil, "PATH=\"$PATH:"+sbinDirs+"\" command -v "+shell.Quote(name))
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(o.stdout)
	if o.rc != 0 || !strings.HasPrefix(p, "/") {
		return "", nil
	}
	return p, nil
}

// searchPath is the list get_bin_path names when it finds nothing.
func (t *target) searchPath() string {
	o, err := t.sh(nil, `printf '%s' "$PATH"`)
	if err != nil {
		return sbinDirs
	}
	dirs := strings.Split(o.stdout, ":")
	for _, d := range strings.Split(sbinDirs, ":") {
		if !contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return strings.Join(dirs, ":")
}

// exists reports whether path exists on the target.
func (t *target) exists(path string) (bool, error) {
	o, err := t.sh(nil, "test -e "+shell.Quote(path))
	return err == nil && o.rc == 0, err
}

// expandUser expands a leading ~ as os.path.expanduser does on the target
// (options of type path).
func (t *target) expandUser(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	if t.home == "" {
		o, err := t.sh(nil, `printf '%s' "$HOME"`)
		if err != nil {
			return "", err
		}
		t.home = o.stdout
	}
	return t.home + p[1:], nil
}

// withLines adds stdout_lines and stderr_lines as Ansible's action plugin
// does for every result that has stdout or stderr.
func withLines(r module.Result) module.Result {
	for _, k := range []string{"stdout", "stderr"} {
		if s, ok := r[k].(string); ok {
			lines := []any{}
			for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
				if s != "" {
					lines = append(lines, l)
				}
			}
			r[k+"_lines"] = lines
		}
	}
	return r
}
