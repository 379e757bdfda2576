package storage

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// target runs the commands of one module call on its host.
type target struct {
	host *remotecmd.Target
	// env is the module's run_command_environ_update (LANG=C and friends).
	env map[string]string
	// bins are the paths of programs looked up with lookup; "" when missing.
	bins map[string]string
	// path is the search path of the lookup, for get_bin_path's message.
	path string
}

func newTarget(ctx context.Context, call *module.Call, env map[string]string) *target {
	return &target{host: remotecmd.New(ctx, call), env: env, bins: map[string]string{}}
}

// lookup finds the programs on the target in one round trip, as
// get_bin_path searches: the target's PATH, then the sbin directories.
func (t *target) lookup(names ...string) error {
	var b strings.Builder
	// The search path as get_bin_path lists it: PATH, then each sbin
	// directory that exists and PATH lacks.
	b.WriteString(`p="$PATH"; for d in /sbin /usr/sbin /usr/local/sbin; do case ":$PATH:" in *":$d:"*) ;; *) test -e "$d" && p="$p:$d";; esac; done; PATH="$p"; echo "$p"`)
	for _, n := range names {
		fmt.Fprintf(&b, "; command -v %s || echo", shell.Quote(n))
	}
	o, err := t.sh(b.String())
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(o.Stdout, "\n"), "\n")
	if len(lines) != len(names)+1 {
		return fmt.Errorf("looking up %s: unexpected output %q", strings.Join(names, ", "), o.Stdout)
	}
	t.path = lines[0]
	for i, n := range names {
		if p := lines[i+1]; strings.HasPrefix(p, "/") {
			t.bins[n] = p
		} else {
			t.bins[n] = ""
		}
	}
	return nil
}

// bin is get_bin_path(name, required=True): the program's path, or the
// module's failure when the target has none.
func (t *target) bin(name string) (string, error) {
	if _, ok := t.bins[name]; !ok {
		if err := t.lookup(name); err != nil {
			return "", err
		}
	}
	if p := t.bins[name]; p != "" {
		return p, nil
	}
	return "", &remotecmd.Exit{Result: remotecmd.MissingBin(name, t.path)}
}

// sh runs a shell command line with the module's environment.
func (t *target) sh(line string) (remotecmd.Output, error) {
	return t.host.Sh(t.env, line)
}

// run is run_command(argv): the program without a shell (the shell that
// starts it execs it, so that it reports no signal a program dies of).
func (t *target) run(argv ...string) (remotecmd.Output, error) {
	return t.sh("exec " + shell.Join(argv))
}

// runLine is run_command(line) for a command given as a string, which
// Python splits with shlex and runs without a shell.
func (t *target) runLine(line string) (remotecmd.Output, error) {
	argv, err := shell.Split(line)
	if err != nil {
		return remotecmd.Output{}, remotecmd.Fail(fmt.Sprintf("splitting %q: %v", line, err))
	}
	return t.run(argv...)
}

// runCheck is run_command(argv, check_rc=True): a failing command fails
// the module with its command line, rc, stdout and stderr.
func (t *target) runCheck(argv ...string) (remotecmd.Output, error) {
	o, err := t.run(argv...)
	if err != nil {
		return o, err
	}
	if o.RC != 0 {
		return o, remotecmd.CommandFailed(shell.Join(argv), o)
	}
	return o, nil
}

// realpaths is os.path.realpath of each path on the target, and whether
// each exists (os.path.exists), in one round trip.
func (t *target) realpaths(paths []string) (real []string, exists []bool, err error) {
	if len(paths) == 0 {
		return nil, nil, nil
	}
	var b strings.Builder
	for _, p := range paths {
		q := shell.Quote(p)
		fmt.Fprintf(&b, "readlink -m -- %s; if test -e %s; then echo y; else echo n; fi; ", q, q)
	}
	o, err := t.sh(b.String())
	if err != nil {
		return nil, nil, err
	}
	lines := strings.Split(strings.TrimSuffix(o.Stdout, "\n"), "\n")
	if len(lines) != 2*len(paths) {
		return nil, nil, fmt.Errorf("resolving %s: unexpected output %q %q", strings.Join(paths, ", "), o.Stdout, o.Stderr)
	}
	for i := range paths {
		real = append(real, lines[2*i])
		exists = append(exists, lines[2*i+1] == "y")
	}
	return real, exists, nil
}

// withEnv is the target running commands with env instead of the module's
// environment (run_command's environ_update for one command).
func (t *target) withEnv(env map[string]string) *target {
	c := *t
	c.env = env
	return &c
}
