package python

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/engine/value"
	"gorun/modules/internal/remotecmd"
)

// pipModule is ansible.builtin.pip: Python packages installed with pip on
// the target, optionally into a virtualenv it creates, with the command
// lines and changed-detection of Ansible's module (modules/pip.py).
type pipModule struct{}

func init() { module.Register(pipModule{}) }

func (pipModule) Doc() *module.Doc { return pipDoc }

// pipStates are the pip arguments of each state (Ansible's state_map).
var pipStates = map[string][]string{
	"present":        {"install"},
	"absent":         {"uninstall", "-y"},
	"latest":         {"install", "-U"},
	"forcereinstall": {"install", "-U", "--force-reinstall"},
}

// pipRun is one pip task: its options and the target.
type pipRun struct {
	t        *target
	args     module.Args
	check    bool
	python   string // the interpreter Ansible would run the module with
	chdir    string
	umask    string
	env      string // the virtualenv
	out, err string // what the commands printed so far
}

func (pipModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	p := &pipRun{t: newTarget(ctx, call), args: call.Args, check: call.Check, python: interpreter(call.Vars)}
	res, err := p.run()
	if err != nil {
		return nil, err
	}
	return remotecmd.WithLines(res), nil
}

func (p *pipRun) run() (module.Result, error) {
	a := p.args
	state := a.String("state")
	names := a.Strings("name")
	version, requirements, extraArgs := a.String("version"), a.String("requirements"), a.String("extra_args")
	var err error
	if p.chdir, err = p.t.expandUser(a.String("chdir")); err != nil {
		return nil, err
	}
	if p.env, err = p.t.expandUser(a.String("virtualenv")); err != nil {
		return nil, err
	}
	if p.env != "" && p.chdir != "" {
		p.env = joinPath(p.chdir, p.env)
	}
	if u := a.String("umask"); u != "" {
		n, err := strconv.ParseInt(u, 8, 32)
		if err != nil {
			return module.Result{"failed": true, "msg": "umask must be an octal integer",
				"details": fmt.Sprintf("invalid literal for int() with base 8: '%s'", u)}, nil
		}
		p.umask = fmt.Sprintf("%04o", n)
	}
	if state == "latest" && a.Has("version") {
		return fail("version is incompatible with state=latest"), nil
	}
	if p.chdir == "" {
		// Ansible runs pip in tempfile.gettempdir() to avoid permission
		// problems under become.
		p.chdir = "/tmp"
	}

	venvCreated := false
	if p.env != "" {
		ok, err := p.t.Exists(path.Join(p.env, "bin", "activate"))
		if err != nil {
			return nil, err
		}
		if !ok {
			venvCreated = true
			if p.check {
				return module.Result{"changed": true}, nil
			}
			if res, err := p.setupVirtualenv(); res != nil || err != nil {
				return res, err
			}
		}
	}
	pip, res, err := p.pipCommand()
	if res != nil || err != nil {
		return res, err
	}
	cmd := append(append([]string{}, pip...), pipStates[state]...)

	hasVCS := false
	var packages []requirement
	if len(names) > 0 {
		for _, n := range names {
			if vcsURL.MatchString(n) {
				hasVCS = true
				break
			}
		}
		for _, n := range recoverPackageNames(names) {
			packages = append(packages, parseRequirement(n, ""))
		}
		if a.Has("version") {
			if len(packages) > 1 {
				return fail("'version' argument is ambiguous when installing multiple package distributions. " +
					"Please specify version restrictions next to each package in 'name' argument."), nil
			}
			if packages[0].hasVersionSpecifier() {
				return fail("The 'version' argument conflicts with any version specifier provided along with a package name. " +
					"Please keep the version specifier, but remove the 'version' argument."), nil
			}
			packages[0] = parseRequirement(packages[0].String(), version)
		}
	}
	if a.Bool("editable") {
		var list []string
		if extraArgs != "" {
			list = strings.Split(extraArgs, " ")
		}
		if !contains(list, "-e") {
			extraArgs = strings.Join(append(list, "-e"), " ")
		}
	}
	if extraArgs != "" {
		words, err := shell.Split(extraArgs)
		if err != nil {
			return fail("extra_args: " + err.Error()), nil
		}
		cmd = append(cmd, words...)
	}
	switch {
	case len(names) > 0:
		for _, pkg := range packages {
			cmd = append(cmd, pkg.String())
		}
	case requirements != "":
		cmd = append(cmd, "-r", requirements)
	default:
		return module.Result{"changed": false, "warnings": []any{"No valid name or requirements file found."}}, nil
	}

	if p.check {
		return p.checkMode(state, pip, packages, names, extraArgs != "" || requirements != "")
	}

	var before string
	if requirements != "" || hasVCS {
		if _, before, res, err = p.listPackages(pip); res != nil || err != nil {
			return res, err
		}
	}
	o, err := p.runIn(true, cmd)
	if err != nil {
		return nil, err
	}
	p.out += o.Stdout
	p.err += o.Stderr
	notInstalled := strings.Contains(o.Stdout, "not installed") || strings.Contains(o.Stderr, "not installed")
	if o.RC != 0 && !(o.RC == 1 && state == "absent" && notInstalled) {
		return p.fail(cmd), nil
	}
	var changed bool
	switch {
	case state == "absent":
		changed = strings.Contains(o.Stdout, "Successfully uninstalled")
	case requirements != "" || hasVCS:
		_, after, res, err := p.listPackages(pip)
		if res != nil || err != nil {
			return res, err
		}
		changed = before != after
	default:
		changed = strings.Contains(o.Stdout, "Successfully installed")
	}
	return module.Result{
		"changed":      changed || venvCreated,
		"cmd":          value.FromStrings(cmd),
		"name":         orNil(names),
		"version":      optional(a, "version"),
		"state":        state,
		"requirements": optional(a, "requirements"),
		"virtualenv":   orNone(p.env),
		"stdout":       p.out,
		"stderr":       p.err,
	}, nil
}

// checkMode is what the module does under --check: with extra_args,
// requirements, state=latest or no names it cannot tell and says changed;
// otherwise it compares pip's list of installed packages with the names.
func (p *pipRun) checkMode(state string, pip []string, packages []requirement, names []string, unknowable bool) (module.Result, error) {
	if unknowable || state == "latest" || len(names) == 0 {
		return module.Result{"changed": true}, nil
	}
	cmd, out, res, err := p.listPackages(pip)
	if res != nil || err != nil {
		return res, err
	}
	var installed []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasPrefix(l, "You are using") && !strings.HasPrefix(l, "You should consider") {
			installed = append(installed, l)
		}
	}
	changed := false
	for _, pkg := range packages {
		present := isPresent(pkg, installed)
		if (state == "present" && !present) || (state == "absent" && present) {
			changed = true
			break
		}
	}
	return module.Result{"changed": changed, "cmd": cmd, "stdout": p.out + out, "stderr": p.err}, nil
}

// isPresent is Ansible's _is_present: a "name==version" line of pip's list
// with the package's name and a version that satisfies it.
func isPresent(pkg requirement, installed []string) bool {
	for _, line := range installed {
		name, version, ok := strings.Cut(line, "==")
		if !ok || strings.Contains(version, "==") {
			continue
		}
		if canonicalName(name) == pkg.packageName() && pkg.satisfiedBy(version) {
			return true
		}
	}
	return false
}

// listPackages runs `pip list --format=freeze` (or `pip freeze` for a pip
// too old for it) and returns the command as one string and its output.
func (p *pipRun) listPackages(pip []string) (string, string, module.Result, error) {
	cmd := append(append([]string{}, pip...), "list", "--format=freeze")
	o, err := p.runIn(false, cmd, "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "LC_MESSAGES=C.UTF-8")
	if err != nil {
		return "", "", nil, err
	}
	if o.RC != 0 {
		cmd = append(append([]string{}, pip...), "freeze")
		if o, err = p.runIn(false, cmd); err != nil {
			return "", "", nil, err
		}
		if o.RC != 0 {
			p.out, p.err = o.Stdout, o.Stderr
			return "", "", p.fail(cmd), nil
		}
	}
	p.err += o.Stderr
	return strings.Join(cmd, " "), o.Stdout, nil, nil
}

// setupVirtualenv creates the virtualenv with virtualenv_command, as
// Ansible's setup_virtualenv builds its command line.
func (p *pipRun) setupVirtualenv() (module.Result, error) {
	a := p.args
	command := a.String("virtualenv_command")
	cmd, err := shell.Split(command)
	if err != nil || len(cmd) == 0 {
		return fail("virtualenv_command: cannot split " + strconv.Quote(command)), nil
	}
	if path.Base(cmd[0]) == cmd[0] {
		bin, err := p.t.Which(cmd[0])
		if err != nil {
			return nil, err
		}
		if bin == "" {
			return fail(fmt.Sprintf("Failed to find required executable \"%s\" in paths: %s", cmd[0], p.t.searchPath())), nil
		}
		cmd[0] = bin
	}
	if a.Bool("virtualenv_site_packages") {
		cmd = append(cmd, "--system-site-packages")
	} else {
		help := []string{cmd[0], "--help"}
		o, err := p.t.Run(nil, help...)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return fail(fmt.Sprintf("Could not get output from %s: %s", strings.Join(help, " "), o.Stdout+o.Stderr)), nil
		}
		for _, w := range strings.Fields(o.Stdout) {
			if w == "--no-site-packages" {
				cmd = append(cmd, w)
				break
			}
		}
	}
	venvPython := a.String("virtualenv_python")
	if !strings.Contains(command, "pyvenv") && !strings.Contains(command, "-m venv") {
		if venvPython == "" {
			// virtualenv runs the Python that runs the module.
			venvPython = p.python
		}
		cmd = append(cmd, "-p"+venvPython)
	} else if venvPython != "" {
		return fail("virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command"), nil
	}
	cmd = append(cmd, p.env)
	o, err := p.runIn(false, cmd)
	if err != nil {
		return nil, err
	}
	p.out += o.Stdout
	p.err += o.Stderr
	if o.RC != 0 {
		return p.fail(cmd), nil
	}
	return nil, nil
}

// pipCommand finds pip as Ansible's _get_pip: executable, the pip of the
// virtualenv, the pip module of the module's Python, or pip3 on the PATH.
func (p *pipRun) pipCommand() ([]string, module.Result, error) {
	executable, err := p.t.expandUser(p.args.String("executable"))
	if err != nil {
		return nil, nil, err
	}
	candidates := []string{"pip3"}
	switch {
	case executable != "" && strings.HasPrefix(executable, "/"):
		return []string{executable}, nil, nil
	case executable != "":
		candidates = []string{executable}
	case p.env == "":
		o, err := p.t.Run(nil, p.python, "-c", "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('pip') else 1)")
		if err != nil {
			return nil, nil, err
		}
		if o.RC == 0 {
			return []string{p.python, "-m", "pip.__main__"}, nil, nil
		}
	}
	if p.env != "" {
		names := []string{"pip3", "pip"}
		for _, n := range names {
			c := path.Join(p.env, "bin", n)
			o, err := p.t.Sh(nil, "test -f "+shell.Quote(c)+" && test -x "+shell.Quote(c))
			if err != nil {
				return nil, nil, err
			}
			if o.RC == 0 {
				return []string{c}, nil, nil
			}
		}
		return nil, fail(fmt.Sprintf("Unable to find pip in the virtualenv, %s, under any of these names: %s. Make sure pip is present in the virtualenv.",
			p.env, strings.Join(names, ", "))), nil
	}
	for _, n := range candidates {
		bin, err := p.t.Which(n)
		if err != nil {
			return nil, nil, err
		}
		if bin != "" {
			return []string{bin}, nil, nil
		}
	}
	return nil, fail(fmt.Sprintf("Unable to find any of %s to use.  pip needs to be installed.", strings.Join(candidates, ", "))), nil
}

// runIn runs argv in chdir with the task's umask and, with venvPath, the
// virtualenv's bin first on the PATH (Ansible's path_prefix).
func (p *pipRun) runIn(venvPath bool, argv []string, env ...string) (remotecmd.Output, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "cd %s && ", shell.Quote(p.chdir))
	if p.umask != "" {
		fmt.Fprintf(&b, "umask %s && ", p.umask)
	}
	if venvPath && p.env != "" {
		fmt.Fprintf(&b, "PATH=%s:\"$PATH\" ", shell.Quote(path.Join(p.env, "bin")))
	}
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		fmt.Fprintf(&b, "%s=%s ", k, shell.Quote(v))
	}
	b.WriteString("exec " + shell.Join(argv))
	return p.t.Sh(nil, b.String())
}

// fail is Ansible's _fail: the command and what it printed.
func (p *pipRun) fail(cmd []string) module.Result {
	msg := ""
	if p.out != "" {
		msg += "stdout: " + p.out
	}
	if p.err != "" {
		msg += "\n:stderr: " + p.err
	}
	return module.Result{"failed": true, "cmd": value.FromStrings(cmd), "msg": msg}
}

func fail(msg string) module.Result { return module.Result{"failed": true, "msg": msg} }

// optional is an option's value, or None when the task did not set it.
func optional(a module.Args, name string) any {
	if !a.Has(name) {
		return nil
	}
	return a.String(name)
}

func orNone(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orNil(list []string) any {
	if len(list) == 0 {
		return nil
	}
	return value.FromStrings(list)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// joinPath is Python's os.path.join of two parts: an absolute second part
// replaces the first.
func joinPath(dir, p string) string {
	if strings.HasPrefix(p, "/") || dir == "" {
		return p
	}
	if strings.HasSuffix(dir, "/") {
		return dir + p
	}
	return dir + "/" + p
}
