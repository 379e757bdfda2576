package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"gorun/engine/config"
)

// vaultActions are ansible-vault's sub-commands with their help lines.
var vaultActions = []struct{ name, help string }{
	{"create", "Create new vault encrypted file"},
	{"decrypt", "Decrypt vault encrypted file"},
	{"edit", "Edit vault encrypted file"},
	{"view", "View vault encrypted file"},
	{"encrypt", "Encrypt YAML file"},
	{"encrypt_string", "Encrypt a string"},
	{"rekey", "Re-key a vault encrypted file"},
}

// vaultOptions are the parsed command-line options of one ansible-vault run.
type vaultOptions struct {
	action          string
	args            []string
	vaultIDs        []string
	passwordFiles   []string
	askVaultPass    bool
	output          string
	encryptVaultID  string
	newVaultID      string
	newPasswordFile string
	prompt          bool // encrypt_string -p
	showInput       bool
	names           []string
	stdinName       string
	verbosity       int
}

// vaultError is a failure with the exit code ansible-vault uses for it:
// 1 for AnsibleError, 2 for argument errors, 5 for AnsibleOptionsError.
type vaultError struct {
	code  int
	msg   string
	plain bool // printed as "ERROR: msg" without usage, like a config error
}

func (e *vaultError) Error() string { return e.msg }

// optionsError is Ansible's AnsibleOptionsError (exit code 5).
func optionsError(format string, a ...any) error {
	return &vaultError{code: 5, msg: fmt.Sprintf(format, a...)}
}

// vaultMain runs ansible-vault with args (without the program name) and
// returns its exit code.
func vaultMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &vaultCLI{in: stdin, out: stdout, err: stderr}
	opts, err := c.parse(args)
	if err == nil && opts != nil {
		err = c.run(opts)
	}
	var ve *vaultError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ve) && ve.code == 2:
		fmt.Fprint(stderr, ve.msg)
		return 2
	case errors.As(err, &ve) && ve.plain:
		fmt.Fprintf(stderr, "ERROR: %s\n", ve.msg)
		return ve.code
	case errors.As(err, &ve):
		if ve.code == 5 {
			fmt.Fprint(stdout, vaultUsage)
		}
		fmt.Fprintf(stderr, "ERROR! %s\n", ve.msg)
		return ve.code
	default:
		fmt.Fprintf(stderr, "ERROR! %s\n", err)
		return 1
	}
}

// vaultUsage is ansible-vault's top-level help.
var vaultUsage = func() string {
	var b strings.Builder
	b.WriteString("usage: ansible-vault [-h] [--version] [-v]\n                     {create,decrypt,edit,view,encrypt,encrypt_string,rekey}\n                     ...\n\n")
	b.WriteString("encryption/decryption utility for Ansible data files\n\npositional arguments:\n  {create,decrypt,edit,view,encrypt,encrypt_string,rekey}\n")
	for _, a := range vaultActions {
		fmt.Fprintf(&b, "    %-20s%s\n", a.name, a.help)
	}
	b.WriteString("\noptions:\n  -h, --help            show this help message and exit\n  -v, --verbose         Causes Ansible to print more debug messages.\n\n")
	b.WriteString("See 'ansible-vault <command> --help' for more information on a specific\ncommand.\n")
	return b.String()
}()

// vaultCLI holds the streams of one run.
type vaultCLI struct {
	in  io.Reader // password prompts read lines from it, then plaintext the rest
	out io.Writer
	err io.Writer
}

// parse reads the action and its options. It returns nil options when help
// was printed.
func (c *vaultCLI) parse(args []string) (*vaultOptions, error) {
	usageErr := func(msg string) error {
		return &vaultError{code: 2, msg: "usage: ansible-vault [-h] [--version] [-v]\n                     {create,decrypt,edit,view,encrypt,encrypt_string,rekey}\n                     ...\nansible-vault: error: " + msg + "\n"}
	}
	if len(args) == 0 {
		return nil, usageErr("the following arguments are required: action")
	}
	if args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(c.out, vaultUsage)
		return nil, nil
	}
	o := &vaultOptions{action: args[0]}
	if !slices.ContainsFunc(vaultActions, func(a struct{ name, help string }) bool { return a.name == o.action }) {
		return nil, usageErr(fmt.Sprintf("argument action: invalid choice: '%s' (choose from 'create', 'decrypt', 'edit', 'view', 'encrypt', 'encrypt_string', 'rekey')", o.action))
	}
	fs := pflag.NewFlagSet("ansible-vault "+o.action, pflag.ContinueOnError)
	fs.SetOutput(c.out)
	fs.StringArrayVar(&o.vaultIDs, "vault-id", nil, "the vault identity to use")
	fs.BoolVar(&o.askVaultPass, "ask-vault-password", false, "ask for vault password")
	fs.BoolVar(&o.askVaultPass, "ask-vault-pass", false, "ask for vault password")
	fs.StringArrayVar(&o.passwordFiles, "vault-password-file", nil, "vault password file")
	fs.StringArrayVar(&o.passwordFiles, "vault-pass-file", nil, "vault password file")
	fs.CountVarP(&o.verbosity, "verbose", "v", "Causes Ansible to print more debug messages")
	switch o.action {
	case "create", "edit", "encrypt", "encrypt_string", "rekey":
		fs.StringVar(&o.encryptVaultID, "encrypt-vault-id", "", "the vault id used to encrypt (required if more than one vault-id is provided)")
	}
	switch o.action {
	case "decrypt", "encrypt", "encrypt_string":
		fs.StringVar(&o.output, "output", "", "output file name for encrypt or decrypt; use - for stdout")
	}
	switch o.action {
	case "encrypt_string":
		fs.BoolVarP(&o.prompt, "prompt", "p", false, "Prompt for the string to encrypt")
		fs.BoolVar(&o.showInput, "show-input", false, "Do not hide input when prompted for the string to encrypt")
		fs.StringArrayVarP(&o.names, "name", "n", nil, "Specify the variable name")
		fs.StringVar(&o.stdinName, "stdin-name", "", "Specify the variable name for stdin")
	case "rekey":
		fs.StringVar(&o.newPasswordFile, "new-vault-password-file", "", "new vault password file for rekey")
		fs.StringVar(&o.newVaultID, "new-vault-id", "", "the new vault identity to use for rekey")
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, nil
		}
		return nil, &vaultError{code: 2, msg: fmt.Sprintf("usage: ansible-vault %s [options] [file_name ...]\nansible-vault %s: error: %v\n", o.action, o.action, err)}
	}
	o.args = fs.Args()
	if o.askVaultPass && len(o.passwordFiles) > 0 {
		return nil, &vaultError{code: 2, msg: fmt.Sprintf("ansible-vault %s: error: argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass\n", o.action)}
	}
	if o.newPasswordFile != "" && o.newVaultID != "" {
		return nil, &vaultError{code: 2, msg: "ansible-vault rekey: error: argument --new-vault-id: not allowed with argument --new-vault-password-file\n"}
	}
	// Password files keep their symlinks: a "-client" link names a client script.
	for i, f := range o.passwordFiles {
		o.passwordFiles[i] = config.Unfrack(f, "")
	}
	if o.newPasswordFile != "" {
		o.newPasswordFile = unfrackPath(o.newPasswordFile)
	}
	if o.output != "" && o.output != "-" {
		o.output = unfrackPath(o.output)
	}
	return o, nil
}

// check applies ansible-vault's post_process_args rules.
func (o *vaultOptions) check() (readStdin bool, err error) {
	for _, id := range o.vaultIDs {
		if strings.Contains(id, ";") {
			return false, optionsError("'%s' is not a valid vault id. The character ';' is not allowed in vault ids", id)
		}
	}
	if o.output != "" && len(o.args) > 1 {
		return false, optionsError("At most one input file may be used with the --output option")
	}
	if o.action == "encrypt_string" {
		readStdin = slices.Contains(o.args, "-") || len(o.args) == 0 || o.stdinName != ""
		if o.prompt && readStdin {
			return false, optionsError("The --prompt option is not supported if also reading input from stdin")
		}
	}
	return readStdin, nil
}
