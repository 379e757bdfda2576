package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"gorun/engine/config"
	"gorun/engine/connection"
	"gorun/engine/inventory"
	"gorun/engine/playbook"
	"gorun/engine/prompt"
	"gorun/engine/runner"
	"gorun/engine/template"
	"gorun/engine/value"
	"gorun/engine/vault"
	"gorun/engine/yamlx"
)

// options are the command-line options ansible and ansible-playbook share.
type options struct {
	inventories   []string
	limit         string
	extraVars     []string
	forks         int
	user          string
	askPass       bool
	become        bool
	becomeUser    string
	becomeMethod  string
	askBecomePass bool
	connection    string
	timeout       int
	privateKey    string
	sshCommonArgs string
	sshExtraArgs  string
	scpExtraArgs  string
	sftpExtraArgs string
	check         bool
	diff          bool
	verbose       int
	vaultIDs      []string
	vaultFiles    []string
	askVaultPass  bool
	modulePath    []string
	flushCache    bool
	syntaxCheck   bool
	listHosts     bool

	// promptPasswords is set by the modes that ask for the -k/-K passwords
	// (a playbook run that is not a listing or syntax check, ad-hoc);
	// sshPass and becomePass are the answers.
	promptPasswords     bool
	sshPass, becomePass string

	cfg *config.Config
}

func (o *options) register(fs *pflag.FlagSet) {
	fs.StringArrayVarP(&o.inventories, "inventory", "i", nil, "specify inventory host path or comma separated host list (repeatable)")
	fs.StringArrayVar(&o.inventories, "inventory-file", nil, "deprecated alias of --inventory")
	fs.StringVarP(&o.limit, "limit", "l", "", "further limit selected hosts to an additional pattern")
	fs.StringArrayVarP(&o.extraVars, "extra-vars", "e", nil, "set additional variables as key=value or YAML/JSON, if filename prepend with @")
	fs.IntVarP(&o.forks, "forks", "f", 0, "specify number of parallel processes to use (default=5)")
	fs.StringVarP(&o.user, "user", "u", "", "connect as this user")
	fs.BoolVarP(&o.askPass, "ask-pass", "k", false, "ask for connection password")
	fs.BoolVarP(&o.become, "become", "b", false, "run operations with become (does not imply password prompting)")
	fs.StringVar(&o.becomeUser, "become-user", "", "run operations as this user (default=root)")
	fs.StringVar(&o.becomeMethod, "become-method", "", "privilege escalation method to use (default=sudo)")
	fs.BoolVarP(&o.askBecomePass, "ask-become-pass", "K", false, "ask for privilege escalation password")
	fs.StringVarP(&o.connection, "connection", "c", "", "connection type to use (default=smart)")
	fs.IntVarP(&o.timeout, "timeout", "T", 0, "override the connection timeout in seconds (default=10)")
	fs.StringVar(&o.privateKey, "private-key", "", "use this file to authenticate the connection")
	fs.StringVar(&o.privateKey, "key-file", "", "use this file to authenticate the connection")
	fs.StringVar(&o.sshCommonArgs, "ssh-common-args", "", "specify common arguments to pass to sftp/scp/ssh (e.g. ProxyCommand)")
	fs.StringVar(&o.sshExtraArgs, "ssh-extra-args", "", "specify extra arguments to pass to ssh only (e.g. -R)")
	fs.StringVar(&o.scpExtraArgs, "scp-extra-args", "", "specify extra arguments to pass to scp only (e.g. -l)")
	fs.StringVar(&o.sftpExtraArgs, "sftp-extra-args", "", "specify extra arguments to pass to sftp only (e.g. -f, -l)")
	fs.BoolVarP(&o.check, "check", "C", false, "don't make any changes; instead, try to predict some of the changes that may occur")
	fs.BoolVarP(&o.diff, "diff", "D", false, "when changing (small) files and templates, show the differences in those files")
	fs.CountVarP(&o.verbose, "verbose", "v", "verbose mode (-vvv for more, -vvvv to enable connection debugging)")
	fs.StringArrayVar(&o.vaultIDs, "vault-id", nil, "the vault identity to use")
	fs.StringArrayVar(&o.vaultFiles, "vault-password-file", nil, "vault password file")
	fs.StringArrayVar(&o.vaultFiles, "vault-pass-file", nil, "vault password file")
	fs.BoolVarP(&o.askVaultPass, "ask-vault-password", "J", false, "ask for vault password")
	fs.BoolVar(&o.askVaultPass, "ask-vault-pass", false, "ask for vault password")
	fs.StringArrayVarP(&o.modulePath, "module-path", "M", nil, "prepend paths to module library (Python modules are not supported by gorun)")
	fs.BoolVar(&o.flushCache, "flush-cache", false, "clear the fact cache for every host in inventory")
	fs.BoolVar(&o.syntaxCheck, "syntax-check", false, "perform a syntax check on the playbook, but do not execute it")
	fs.BoolVar(&o.listHosts, "list-hosts", false, "outputs a list of matching hosts; does not execute anything else")
}

// checkUnsupported rejects options gorun accepts for compatibility but cannot honour.
func (o *options) checkUnsupported() error {
	if len(o.modulePath) > 0 {
		return fmt.Errorf("--module-path: gorun runs built-in Go modules only; Python modules are not supported")
	}
	if o.scpExtraArgs != "" || o.sftpExtraArgs != "" {
		return fmt.Errorf("--scp-extra-args/--sftp-extra-args are not supported by gorun (it transfers files over its own SFTP session)")
	}
	return nil
}

// usageError is a bad command line: exit code 2 with argparse's wording.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func parseFlags(prog string, fs *pflag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		msg := err.Error()
		if strings.HasPrefix(msg, "unknown flag") || strings.HasPrefix(msg, "unknown shorthand flag") {
			flag := msg[strings.LastIndex(msg, " ")+1:]
			msg = "unrecognized arguments: " + flag
		}
		fmt.Fprintf(stderr, "usage: %s [options]\n%s: error: %s\n", prog, prog, msg)
		return &usageError{msg}
	}
	return nil
}

// setup holds what every mode builds from the options.
type setup struct {
	cfg       *config.Config
	secrets   *vault.Secrets
	templates *template.Engine
	inv       *inventory.Inventory
	extraVars *value.Dict
	// extraVarsFromYAML are the extra vars read as YAML (parseExtraVars).
	extraVarsFromYAML map[string]bool
	warnings          []string
}

func (o *options) load(playbookDirs []string, stdin io.Reader) (*setup, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, err
	}
	o.cfg = cfg
	s := &setup{cfg: cfg}
	// Ansible asks for the connection passwords before the vault's.
	if o.promptPasswords {
		if err := o.askPasswords(cfg); err != nil {
			return nil, err
		}
	}
	if s.secrets, err = o.vaultSecrets(cfg); err != nil {
		return nil, err
	}
	s.templates = template.New(template.Options{Vault: s.secrets, Config: cfg.Get})
	if s.extraVars, s.extraVarsFromYAML, err = parseExtraVars(o.extraVars, s.secrets); err != nil {
		return nil, err
	}
	sources := o.inventories
	if len(sources) == 0 {
		sources = cfg.List("DEFAULT_HOST_LIST")
	}
	var existing []string
	for _, src := range sources {
		if strings.Contains(src, ",") {
			existing = append(existing, src)
			continue
		}
		src = expandUser(src)
		if _, err := os.Stat(src); err != nil {
			// Like Ansible, a missing default inventory is not worth a warning.
			if src != "/etc/ansible/hosts" {
				s.warnings = append(s.warnings, fmt.Sprintf("Unable to parse %s as an inventory source", src))
			}
			continue
		}
		existing = append(existing, src)
	}
	if len(existing) == 0 {
		s.warnings = append(s.warnings, "No inventory was parsed, only implicit localhost is available")
	}
	inv, err := inventory.Load(inventory.Options{
		Sources:             existing,
		PlaybookDirs:        playbookDirs,
		Decrypt:             s.secrets.Decrypt,
		Warn:                func(msg string) { s.warnings = append(s.warnings, msg) },
		UnparsedIsFailed:    cfg.Bool("INVENTORY_UNPARSED_IS_FAILED"),
		AnyUnparsedIsFailed: cfg.Bool("INVENTORY_ANY_UNPARSED_IS_FAILED"),
		IgnoreExts:          cfg.List("INVENTORY_IGNORE_EXTS"),
		IgnorePatterns:      cfg.List("INVENTORY_IGNORE_PATTERNS"),
		PatternMismatch:     cfg.String("HOST_PATTERN_MISMATCH"),
		MergeHashes:         cfg.String("DEFAULT_HASH_BEHAVIOUR") == "merge",
	})
	if err != nil {
		return nil, err
	}
	s.inv = inv
	return s, nil
}

// emptyInventoryWarning is Ansible's warning (CLI.get_host_list) when the
// inventory has no hosts and the pattern is not the implicit localhost.
func (s *setup) emptyInventoryWarning(pattern string) []string {
	if len(s.inv.AllHosts()) > 0 || !s.cfg.Bool("LOCALHOST_WARNING") {
		return nil
	}
	switch pattern {
	case "localhost", "127.0.0.1", "::1":
		return nil
	}
	return []string{"provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'"}
}

func (o *options) vaultSecrets(cfg *config.Config) (*vault.Secrets, error) {
	var specs []vault.PasswordSpec
	ids := append([]string{}, cfg.List("DEFAULT_VAULT_IDENTITY_LIST")...)
	ids = append(ids, o.vaultIDs...)
	for _, id := range ids {
		label, src, ok := strings.Cut(id, "@")
		if !ok {
			label, src = "default", id
		}
		specs = append(specs, vault.PasswordSpec{ID: label, Source: src})
	}
	files := o.vaultFiles
	if f := cfg.String("DEFAULT_VAULT_PASSWORD_FILE"); f != "" && len(files) == 0 {
		files = []string{f}
	}
	for _, f := range files {
		specs = append(specs, vault.PasswordSpec{ID: "default", Source: f})
	}
	if o.askVaultPass {
		specs = append(specs, vault.PasswordSpec{ID: "default", Source: vault.SourceAskVaultPass})
	}
	return vault.LoadSecrets(specs, promptPassword)
}

// promptPassword asks on the terminal with the vault loader's text
// ("Vault password: ", "Vault password (dev): "), as Ansible's getpass.
func promptPassword(text string) ([]byte, error) {
	return askSecret(text)
}

// askSecret is Ansible's CLI._get_secret: getpass on the terminal.
func askSecret(text string) ([]byte, error) {
	s, err := prompt.Secret(text)
	return []byte(s), err
}

// parseExtraVars reads -e values: @file, JSON or YAML mappings, or k=v pairs,
// later ones winning, as Ansible's load_extra_vars. fromYAML are the names
// whose value was read as YAML, where Ansible's text is AnsibleUnicode: its
// loader tries JSON first (giving str), as for k=v pairs.
func parseExtraVars(list []string, secrets *vault.Secrets) (vars *value.Dict, fromYAML map[string]bool, err error) {
	out := value.NewDict()
	fromYAML = map[string]bool{}
	for _, ev := range list {
		var d *value.Dict
		yaml := false
		switch {
		case strings.HasPrefix(ev, "@"):
			path := expandUser(ev[1:])
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, nil, fmt.Errorf("the file_name '%s' does not exist, or is not readable", path)
			}
			if vault.IsEncrypted(data) {
				if data, err = secrets.Decrypt(data); err != nil {
					return nil, nil, err
				}
			}
			yaml = !json.Valid(data)
			v, _, err := yamlx.Load(data, path)
			if err != nil {
				return nil, nil, err
			}
			if v == nil {
				continue
			}
			if d = value.ToDict(v); d == nil {
				return nil, nil, fmt.Errorf("Invalid extra vars data supplied. '%s' could not be made into a dictionary", ev)
			}
		case strings.HasPrefix(strings.TrimSpace(ev), "{") || strings.HasPrefix(strings.TrimSpace(ev), "["):
			yaml = !json.Valid([]byte(ev))
			v, _, err := yamlx.Load([]byte(ev), "<extra vars>")
			if err != nil {
				return nil, nil, err
			}
			if d = value.ToDict(v); d == nil {
				return nil, nil, fmt.Errorf("Invalid extra vars data supplied. '%s' could not be made into a dictionary", ev)
			}
		default:
			kv, err := playbook.ParseKV(ev, false)
			if err != nil {
				return nil, nil, err
			}
			d = value.NewDict()
			for _, k := range value.Keys(kv) {
				if k == "_raw_params" {
					return nil, nil, fmt.Errorf("Invalid extra vars data supplied. '%s' could not be made into a dictionary", ev)
				}
				d.Set(k, kv[k])
			}
		}
		for _, k := range d.Keys() {
			v, _ := d.Get(k)
			out.Set(k, v)
			fromYAML[k] = yaml
		}
	}
	return out, fromYAML, nil
}

func expandUser(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}

// runnerOptions turns the options and ansible.cfg into the runner's settings.
func (o *options) runnerOptions(s *setup) (runner.Options, error) {
	cfg := s.cfg
	ro := runner.Options{
		Inventory:         s.inv,
		Templates:         s.templates,
		Pool:              connection.NewPool(),
		Forks:             firstInt(o.forks, cfg.Int("DEFAULT_FORKS"), 5),
		Limit:             o.limit,
		Check:             o.check,
		Diff:              o.diff || cfg.Bool("DIFF_ALWAYS"),
		Verbosity:         o.verbose,
		ExtraVars:         s.extraVars,
		ExtraVarsFromYAML: s.extraVarsFromYAML,
		Connection:        firstString(o.connection, cfg.String("DEFAULT_TRANSPORT"), "ssh"),
		RemoteUser:        firstString(o.user, cfg.String("DEFAULT_REMOTE_USER")),
		SSHArgs:           cfg.String("connection.ssh.ssh_args"),
		SSHCommonArgs:     firstString(o.sshCommonArgs, cfg.String("connection.ssh.ssh_common_args")),
		SSHExtraArgs:      firstString(o.sshExtraArgs, cfg.String("connection.ssh.ssh_extra_args")),
		HostKeyChecking:   true,
		Timeout:           time.Duration(firstInt(o.timeout, cfg.Int("DEFAULT_TIMEOUT"), 10)) * time.Second,
		Gathering:         firstString(cfg.String("DEFAULT_GATHERING"), "implicit"),
		GatherSubset:      cfg.List("DEFAULT_GATHER_SUBSET"),
		ConfigFile:        cfg.File(),
		Version:           AnsibleVersion,
	}
	if v, ok := cfg.Get("HOST_KEY_CHECKING"); ok {
		if b, isBool := v.(bool); isBool {
			ro.HostKeyChecking = b
		}
	}
	if key := firstString(o.privateKey, cfg.String("DEFAULT_PRIVATE_KEY_FILE")); key != "" {
		ro.PrivateKeyFiles = []string{expandUser(key)}
	}
	ro.Become = connection.Become{
		Enabled: o.become || cfg.Bool("DEFAULT_BECOME"),
		Method:  firstString(o.becomeMethod, cfg.String("DEFAULT_BECOME_METHOD"), "sudo"),
		User:    firstString(o.becomeUser, cfg.String("DEFAULT_BECOME_USER"), "root"),
		Flags:   cfg.String("DEFAULT_BECOME_FLAGS"),
		Exe:     cfg.String("DEFAULT_BECOME_EXE"),
	}
	ro.Password = o.sshPass
	ro.Become.Password = o.becomePass
	return ro, nil
}

func firstString(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func firstInt(vals ...int) int {
	for _, v := range vals {
		if v > 0 {
			return v
		}
	}
	return 0
}

// readLines is used for --limit @file.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}

// preamble is what Ansible's CLI prints before anything else: its version
// and configuration file at -vv, the configuration file in use at -v.
func (o *options) preamble(w io.Writer) {
	if o.verbose >= 2 {
		file := o.cfg.File()
		if file == "" {
			file = "None"
		}
		exe, _ := os.Executable()
		fmt.Fprintf(w, "gorun %s (ansible-core %s compatible)\n  config file = %s\n  executable location = %s\n", Version, AnsibleVersion, file, exe)
	}
	if o.verbose >= 1 {
		if file := o.cfg.File(); file != "" {
			fmt.Fprintf(w, "Using %s as config file\n", file)
		} else {
			fmt.Fprintln(w, "No config file found; using defaults")
		}
	}
}
