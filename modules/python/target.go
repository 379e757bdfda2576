package python

import (
	"context"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotecmd"
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
	*remotecmd.Target
	home string // the login's home, read once when a path needs it
}

func newTarget(ctx context.Context, call *module.Call) *target {
	return &target{Target: remotecmd.New(ctx, call)}
}

// searchPath is the list get_bin_path names when it finds nothing.
func (t *target) searchPath() string {
	o, err := t.Sh(nil, `printf '%s' "$PATH"`)
	if err != nil {
		return remotecmd.SbinDirs
	}
	dirs := strings.Split(o.Stdout, ":")
	for _, d := range strings.Split(remotecmd.SbinDirs, ":") {
		if !contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return strings.Join(dirs, ":")
}

// expandUser expands a leading ~ as os.path.expanduser does on the target
// (options of type path).
func (t *target) expandUser(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	if t.home == "" {
		o, err := t.Sh(nil, `printf '%s' "$HOME"`)
		if err != nil {
			return "", err
		}
		t.home = o.Stdout
	}
	return t.home + p[1:], nil
}
