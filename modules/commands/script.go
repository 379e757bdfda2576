package commands

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// script is ansible.builtin.script: a controller-side script is copied to a
// private temporary directory on the target, run there and removed.
type script struct{}

func init() { module.Register(script{}) }

func (script) Doc() *module.Doc { return scriptDoc }

// Run follows Ansible's script action plugin (plugins/action/script.py).
func (script) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	r := module.Result{}
	// Ansible's action failures carry changed: false.
	fail := func(msg string) (module.Result, error) {
		return module.Result{"changed": false, "failed": true, "msg": msg}, nil
	}
	skip := func(msg string, changed bool) (module.Result, error) {
		return module.Result{"changed": changed, "skipped": true, "msg": msg}, nil
	}
	raw, err := rawParams(a)
	if err != nil {
		return fail(err.Error())
	}

	// creates and removes are plain existence tests (test -e), no globbing.
	creates, removes := a.String("creates"), a.String("removes")
	if creates != "" || removes != "" {
		var test strings.Builder
		if creates != "" {
			fmt.Fprintf(&test, "if test -e %s; then echo creates; exit 0; fi\n", shell.Quote(creates))
		}
		if removes != "" {
			fmt.Fprintf(&test, "if ! test -e %s; then echo removes; exit 0; fi\n", shell.Quote(removes))
		}
		test.WriteString("echo run\n")
		res, err := call.Conn.Exec(ctx, test.String(), connection.ExecOptions{})
		if err != nil {
			return nil, err
		}
		switch strings.TrimSpace(string(res.Stdout)) {
		case "creates":
			return skip(creates+" exists, matching creates option", false)
		case "removes":
			return skip(removes+" does not exist, matching removes option", false)
		case "run":
		default:
			return nil, fmt.Errorf("checking creates/removes on the target failed (rc=%d): %s", res.ExitCode, res.Stderr)
		}
	}

	chdir := a.String("chdir")
	if chdir != "" && !strings.HasPrefix(chdir, "/") {
		return fail(fmt.Sprintf("chdir %s must be an absolute path for a Unix-aware remote node", chdir))
	}

	raw = strings.TrimSpace(raw)
	parts, err := shell.Split(raw)
	if err != nil {
		return fail(fmt.Sprintf("cannot split %q as shlex.split does: %v", raw, err))
	}
	if len(parts) == 0 {
		return fail("script: no script given")
	}
	if call.Files == nil {
		return nil, fmt.Errorf("script: the runner gave no way to find controller files")
	}
	source, err := call.Files.Find("files", parts[0])
	if err != nil {
		return fail(err.Error())
	}
	body, err := os.ReadFile(source)
	if err != nil {
		return fail(fmt.Sprintf("Could not find or access '%s' on the Ansible Controller: %v", parts[0], err))
	}
	if a.Bool("decrypt") && bytes.HasPrefix(body, []byte("$ANSIBLE_VAULT;")) {
		return fail(fmt.Sprintf("script: %s is vault-encrypted; gorun cannot decrypt script files yet", source))
	}

	if call.Check {
		if creates != "" || removes != "" {
			return module.Result{"changed": true}, nil
		}
		return skip("Check mode is not supported for this task.", false)
	}

	// A private directory (mode 0700, from mktemp) holds the script.
	res, err := call.Conn.Exec(ctx, `umask 77 && mktemp -d "${TMPDIR:-/tmp}/gorun-script.XXXXXXXX"`, connection.ExecOptions{})
	if err != nil {
		return nil, err
	}
	tmpdir := strings.TrimSpace(string(res.Stdout))
	if res.ExitCode != 0 || !strings.HasPrefix(tmpdir, "/") {
		return fail(fmt.Sprintf("could not create a temporary directory on the target (rc=%d): %s", res.ExitCode, strings.TrimSpace(string(res.Stderr))))
	}
	remote := path.Join(tmpdir, filepath.Base(source))
	cleanup := "rm -rf " + shell.Quote(tmpdir)
	if err := call.Conn.Put(ctx, bytes.NewReader(body), remote, 0o700, connection.ExecOptions{}); err != nil {
		call.Conn.Exec(ctx, cleanup, connection.ExecOptions{})
		return nil, fmt.Errorf("copying %s to %s on the target: %w", source, remote, err)
	}

	// As Ansible, replace the script's name in the free form by the remote
	// path, keeping the arguments exactly as the user quoted them.
	target := strings.Replace(raw, parts[0], shell.Quote(remote), 1)
	if exe := a.String("executable"); exe != "" {
		target = exe + " " + target
	}
	if chdir != "" {
		target = "cd " + shell.Quote(chdir) + " && " + target
	}
	cmd := fmt.Sprintf("( %s\n); rc=$?; %s; exit $rc", target, cleanup)
	res, err = call.Conn.Exec(ctx, cmd, connection.ExecOptions{})
	if err != nil {
		return nil, err
	}
	r["changed"] = true
	r["rc"], r["stdout"], r["stderr"] = res.ExitCode, string(res.Stdout), string(res.Stderr)
	if res.ExitCode != 0 {
		r["failed"], r["msg"] = true, "non-zero return code"
	}
	return remotecmd.WithLines(r), nil
}

var scriptDoc = &module.Doc{
	Name:  "script",
	Names: []string{"ansible.builtin.script"},
	Short: "Runs a local script on a remote node after transferring it",
	Description: []string{
		"The script module takes the script name followed by a list of space-delimited arguments.",
		"Either a free form command or cmd parameter is required, see the examples.",
		"The local script at path will be transferred to the remote node and then executed.",
		"The given script will be processed through the shell environment on the remote node.",
		"This module does not require python on the remote system, much like the ansible.builtin.raw module.",
	},
	FreeForm: true,
	Options: []module.Option{
		{Name: "cmd", Type: "str", Description: "Path to the local script to run followed by optional arguments."},
		{Name: "creates", Description: "A filename on the remote node, when it already exists, this step will not be run."},
		{Name: "removes", Description: "A filename on the remote node, when it does not exist, this step will not be run."},
		{Name: "chdir", Description: "Change into this directory on the remote node before running the script."},
		{Name: "executable", Description: "Name or path of a executable to invoke the script with."},
		{Name: "decrypt", Type: "bool", Default: true, Description: "This option controls the autodecryption of source files using vault."},
	},
	Check: module.Partial,
	Diff:  module.None,
	Notes: []string{
		"It is usually preferable to write Ansible modules rather than pushing scripts.",
		"If the path to the local script contains spaces, it needs to be quoted.",
		"gorun does not allocate a pseudo-tty, so stdout and stderr stay separate.",
	},
	Examples: `- name: Run a script with arguments (free form)
  ansible.builtin.script: /some/local/script.sh --some-argument 1234

- name: Run a script with arguments (using 'cmd' parameter)
  ansible.builtin.script:
    cmd: /some/local/script.sh --some-argument 1234

- name: Run a script only if file.txt does not exist on the remote node
  ansible.builtin.script: /some/local/create_file.sh --some-argument 1234
  args:
    creates: /the/created/file.txt

- name: Run a script only if file.txt exists on the remote node
  ansible.builtin.script: /some/local/remove_file.sh --some-argument 1234
  args:
    removes: /the/removed/file.txt

- name: Run a script using an executable in a non-system path
  ansible.builtin.script: /some/local/script
  args:
    executable: /some/remote/executable

- name: Run a script using an executable in a system path
  ansible.builtin.script: /some/local/script.py
  args:
    executable: python3
`,
	Returns: []module.Return{
		{Name: "rc", Description: "The script's return code.", Returned: "when the script ran", Type: "int", Sample: 0},
		{Name: "stdout", Description: "The script's standard output.", Returned: "when the script ran", Type: "str", Sample: "hello\n"},
		{Name: "stderr", Description: "The script's standard error.", Returned: "when the script ran", Type: "str", Sample: ""},
		{Name: "stdout_lines", Description: "The standard output split in lines.", Returned: "when the script ran", Type: "list", Sample: []any{"hello"}},
		{Name: "stderr_lines", Description: "The standard error split in lines.", Returned: "when the script ran", Type: "list", Sample: []any{}},
	},
}
