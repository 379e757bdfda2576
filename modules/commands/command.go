package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/engine/value"
	"gorun/modules/internal/remotecmd"
)

// commandModule is ansible.builtin.command and, with useShell, ansible.builtin.shell:
// Ansible implements shell as command with the internal _uses_shell flag.
type commandModule struct {
	doc      *module.Doc
	useShell bool
}

func init() {
	module.Register(&commandModule{doc: commandDoc})
}

func (m *commandModule) Doc() *module.Doc { return m.doc }

// commandPlan is what the command and shell modules decide from their
// arguments before anything runs on the target.
type commandPlan struct {
	// r is the result so far: Ansible's initial keys and cmd.
	r module.Result
	g guard
	// cmdline is what the target's /bin/sh runs (the program started by
	// exec connection.NewSession); cleanCmd is how Ansible shows the
	// command when it cannot be started.
	cmdline, cleanCmd string
	stdin             []byte
	strip             bool
}

// Run follows ansible/modules/command.py main(): the argument checks, then
// chdir, creates, removes, check mode, and the command itself.
func (m *commandModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	p, res := m.plan(call)
	if res != nil {
		return res, nil
	}
	start := time.Now()
	o, err := runGuarded(ctx, call.Conn, p.g, p.cmdline, p.stdin)
	end := time.Now()
	if err != nil {
		return nil, err
	}
	return p.result(o, start, end, call.Check), nil
}

// plan checks the arguments and builds the command line; a non-nil Result
// is the module's answer without running anything.
func (m *commandModule) plan(call *module.Call) (*commandPlan, module.Result) {
	a := call.Args
	r := module.Result{"changed": false, "stdout": "", "stderr": "", "rc": nil, "cmd": nil,
		"start": nil, "end": nil, "delta": nil, "msg": ""}
	fail := func(rc any, msg string) (*commandPlan, module.Result) {
		r["rc"], r["msg"], r["failed"] = rc, msg, true
		return nil, remotecmd.WithLines(r)
	}
	raw, err := rawParams(a)
	if err != nil {
		return nil, module.Failed(err.Error())
	}
	argv := a.Strings("argv")

	executable := a.String("executable")
	if !m.useShell && executable != "" {
		warn(call, fmt.Sprintf("As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '%s'.", executable))
		executable = ""
	}
	if strings.TrimSpace(raw) == "" && len(argv) == 0 {
		return fail(256, "no command given")
	}
	if raw != "" && len(argv) > 0 {
		return fail(256, "only command or argv can be given, not both")
	}

	p := &commandPlan{r: r, strip: a.Bool("strip_empty_ends"),
		g: guard{chdir: a.String("chdir"), creates: a.String("creates"), removes: a.String("removes"), run: !call.Check}}
	if m.useShell {
		script := raw
		if raw == "" {
			script = shell.Join(argv)
			r["cmd"] = value.FromStrings(argv)
		} else {
			r["cmd"] = raw
		}
		sh := "/bin/sh"
		if executable != "" {
			sh = executable
			p.g.exe = executable
		}
		p.cmdline = "exec " + connection.NewSession + " " + shell.Quote(sh) + " -c " + shell.Quote(script)
		p.cleanCmd = shell.Join([]string{sh, "-c", script})
	} else {
		if raw != "" {
			if argv, err = shell.Split(raw); err != nil {
				return fail(nil, fmt.Sprintf("cannot split the command %q as shlex.split does: %v", raw, err))
			}
		}
		r["cmd"] = value.FromStrings(argv)
		// run_command expands ~ and $VARS in every argument (expand_user_and_vars).
		words := make([]string, len(argv))
		for i, w := range argv {
			words[i] = expandPath(w)
		}
		p.cmdline = "exec " + connection.NewSession + " " + strings.Join(words, " ")
		p.cleanCmd = shell.Join(argv)
		p.g.exe = argv[0]
		if strings.ContainsAny(argv[0], "~$") {
			p.g.exe = "" // the expanded program is checked by exec itself
		}
	}

	if call.Check && p.g.chdir == "" && p.g.creates == "" && p.g.removes == "" {
		r["rc"], r["msg"], r["skipped"] = 0, "Command would have run if not in check mode", true
		return nil, remotecmd.WithLines(r)
	}
	if s := a.String("stdin"); s != "" {
		if a.Bool("stdin_add_newline") {
			s += "\n"
		}
		p.stdin = []byte(s)
	}
	return p, nil
}

// result is the module's result from what the wrapper reported.
func (p *commandPlan) result(o *outcome, start, end time.Time, check bool) module.Result {
	r := p.r
	fail := func(rc any, msg string) module.Result {
		r["rc"], r["msg"], r["failed"] = rc, msg, true
		return remotecmd.WithLines(r)
	}
	shoulda := "Did"
	if check {
		shoulda = "Would"
	}
	switch o.status {
	case "chdir":
		return fail(nil, fmt.Sprintf("Unable to change directory before execution: [Errno %d] %s: %s", o.errno, errnoText(o.errno), pyBytes(o.path)))
	case "creates":
		r["rc"], r["msg"], r["stdout"] = 0, fmt.Sprintf("%s not run command since '%s' exists", shoulda, o.path), fmt.Sprintf("skipped, since %s exists", o.path)
		return remotecmd.WithLines(r)
	case "removes":
		r["rc"], r["msg"], r["stdout"] = 0, fmt.Sprintf("%s not run command since '%s' does not exist", shoulda, o.path), fmt.Sprintf("skipped, since %s does not exist", o.path)
		return remotecmd.WithLines(r)
	case "noexec":
		// run_command's fail_json: no start/end/delta, the command as one string.
		return remotecmd.WithLines(noexecResult(p.cleanCmd, o.errno, p.g.exe))
	}

	r["changed"] = true
	if check {
		r["rc"], r["msg"] = 0, "Command would have run if not in check mode"
		if p.g.creates == "" && p.g.removes == "" {
			r["skipped"], r["changed"] = true, false
		}
		return remotecmd.WithLines(r)
	}
	stdout, stderr := string(o.res.Stdout), string(o.res.Stderr)
	if p.strip {
		stdout, stderr = strings.TrimRight(stdout, "\r\n"), strings.TrimRight(stderr, "\r\n")
	}
	r["rc"], r["stdout"], r["stderr"] = o.res.ExitCode, stdout, stderr
	r["start"], r["end"], r["delta"] = pyTime(start), pyTime(end), pyDelta(end.Sub(start))
	if o.res.ExitCode != 0 {
		return fail(o.res.ExitCode, "non-zero return code")
	}
	return remotecmd.WithLines(r)
}

// noexecResult is run_command's failure for a program that cannot be
// started.
func noexecResult(cleanCmd string, errno int, exe string) module.Result {
	return module.Result{"failed": true, "changed": false, "cmd": cleanCmd, "rc": errno, "stdout": "", "stderr": "",
		"msg": fmt.Sprintf("[Errno %d] %s: %s", errno, errnoText(errno), pyBytes(exe))}
}

// rawParams returns the free-form command, which may also come as `cmd`
// (Ansible's task loader moves cmd to _raw_params for command, shell and script).
func rawParams(a module.Args) (string, error) {
	raw, cmd := a.String("_raw_params"), a.String("cmd")
	if cmd != "" {
		if raw != "" {
			return "", fmt.Errorf("The 'cmd' argument cannot be used when other raw parameters are specified. Please put everything in one or the other place.")
		}
		return cmd, nil
	}
	return raw, nil
}

var commandDoc = &module.Doc{
	Name:  "command",
	Names: []string{"ansible.builtin.command"},
	Short: "Execute commands on targets",
	Description: []string{
		"The command module takes the command name followed by a list of space-delimited arguments.",
		"The given command will be executed on all selected nodes.",
		`The command(s) will not be processed through the shell, so variables like $HOSTNAME and operations like "*", "<", ">", "|", ";" and "&" will not work. Use the ansible.builtin.shell module if you need these features.`,
		"To create command tasks that are easier to read than the ones using space-delimited arguments, pass parameters using the args task keyword or use the cmd parameter.",
		"Either a free form command or cmd parameter is required, see the examples.",
	},
	FreeForm: true,
	Options: []module.Option{
		{Name: "argv", Type: "list", Elements: "str", Description: "Passes the command as a list rather than a string. Only the string (free form) or the list (argv) form can be provided, not both."},
		{Name: "chdir", Type: "path", Description: "Change into this directory before running the command."},
		{Name: "cmd", Type: "str", Description: "The command to run."},
		{Name: "creates", Type: "path", Description: "A filename or glob pattern. If a matching file already exists, this step will not be run. This is checked before removes is checked."},
		{Name: "removes", Type: "path", Description: "A filename or glob pattern. If a matching file exists, this step will be run. This is checked after creates is checked."},
		{Name: "stdin", Type: "str", Description: "Set the stdin of the command directly to the specified value."},
		{Name: "stdin_add_newline", Type: "bool", Default: true, Description: "If set to true, append a newline to stdin data."},
		{Name: "strip_empty_ends", Type: "bool", Default: true, Description: "Strip empty lines from the end of stdout/stderr in result."},
		{Name: "executable", Type: "str", Description: "Removed in Ansible 2.4: accepted, warned about and ignored, as Ansible does. Use the shell module instead."},
	},
	Check: module.Partial,
	Diff:  module.None,
	Notes: []string{
		"If you want to run a command through the shell (say you are using <, >, |, and so on), you actually want the ansible.builtin.shell module instead.",
		"creates, removes, and chdir can be specified after the command.",
		"Check mode is supported when passing creates or removes. If running in check mode and either of these are specified, the module will check for the existence of the file and report the correct changed status. If these are not supplied, the task will be skipped.",
		"Each argument has ~ and $VARIABLE expanded on the target, as Ansible's run_command does.",
	},
	Examples: `- name: Return motd to registered var
  ansible.builtin.command: cat /etc/motd
  register: mymotd

# free-form (string) arguments, all arguments on one line
- name: Run command if /path/to/database does not exist (without 'args')
  ansible.builtin.command: /usr/bin/make_database.sh db_user db_name creates=/path/to/database

# free-form (string) arguments, some arguments on separate lines with the 'args' keyword
- name: Run command if /path/to/database does not exist (with 'args' keyword)
  ansible.builtin.command: /usr/bin/make_database.sh db_user db_name
  args:
    creates: /path/to/database

# 'cmd' is module parameter
- name: Run command if /path/to/database does not exist (with 'cmd' parameter)
  ansible.builtin.command:
    cmd: /usr/bin/make_database.sh db_user db_name
    creates: /path/to/database

- name: Change the working directory to somedir/ and run the command as db_owner if /path/to/database does not exist
  ansible.builtin.command: /usr/bin/make_database.sh db_user db_name
  become: yes
  become_user: db_owner
  args:
    chdir: somedir/
    creates: /path/to/database

# argv (list) arguments, each argument on a separate line, 'args' keyword not necessary
- name: Use 'argv' to send a command as a list - leave 'command' empty
  ansible.builtin.command:
    argv:
      - /usr/bin/make_database.sh
      - Username with whitespace
      - dbname with whitespace
    creates: /path/to/database

- name: Safely use templated variable to run command. Always use the quote filter to avoid injection issues
  ansible.builtin.command: cat {{ myfile|quote }}
  register: myoutput
`,
	Returns: commandReturns("list", []any{"echo", "hello"}),
}

// commandReturns documents the result keys of command and shell, which differ
// only in the type of cmd.
func commandReturns(cmdType string, cmdSample any) []module.Return {
	return []module.Return{
		{Name: "msg", Description: "changed", Returned: "always", Type: "bool", Sample: true},
		{Name: "start", Description: "The command execution start time.", Returned: "always", Type: "str", Sample: "2017-09-29 22:03:48.083128"},
		{Name: "end", Description: "The command execution end time.", Returned: "always", Type: "str", Sample: "2017-09-29 22:03:48.084657"},
		{Name: "delta", Description: "The command execution delta time.", Returned: "always", Type: "str", Sample: "0:00:00.001529"},
		{Name: "stdout", Description: "The command standard output.", Returned: "always", Type: "str", Sample: "Clustering node rabbit@slave1 with rabbit@master …"},
		{Name: "stderr", Description: "The command standard error.", Returned: "always", Type: "str", Sample: "ls cannot access foo: No such file or directory"},
		{Name: "cmd", Description: "The command executed by the task.", Returned: "always", Type: cmdType, Sample: cmdSample},
		{Name: "rc", Description: "The command return code (0 means success).", Returned: "always", Type: "int", Sample: 0},
		{Name: "stdout_lines", Description: "The command standard output split in lines.", Returned: "always", Type: "list", Sample: []any{"Clustering node rabbit@slave1 with rabbit@master …"}},
		{Name: "stderr_lines", Description: "The command standard error split in lines.", Returned: "always", Type: "list", Sample: []any{"ls cannot access foo: No such file or directory", "ls …"}},
	}
}
