// Command gorun runs Ansible playbooks, roles and inventories over SSH with
// built-in Go modules.
//
//	gorun PLAYBOOK.yml [options]          like ansible-playbook
//	gorun PATTERN -m MODULE -a ARGS ...   like ansible (ad hoc)
//	gorun inventory --list|--graph|--host like ansible-inventory
//	gorun vault create|encrypt|decrypt... like ansible-vault
//	gorun doc MODULE                      like ansible-doc
//	gorun lint PLAYBOOK.yml...            check playbooks before connecting
//	gorun galaxy install -r FILE          like ansible-galaxy (roles from git, archives)
//
// Linked or copied under the name ansible-playbook, ansible, ansible-inventory,
// ansible-vault, ansible-doc or ansible-galaxy, it behaves as that tool.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	_ "gorun/modules/all"
)

// Version is gorun's version; ansible_version reports the Ansible version it follows.
const (
	Version        = "0.1.0"
	AnsibleVersion = "2.14.18"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

func run(argv []string, stdin io.Reader, stdout, stderr io.Writer) int {
	prog := filepath.Base(argv[0])
	args := argv[1:]
	switch prog {
	case "ansible-playbook":
		return playbookMain(prog, args, stdout, stderr)
	case "ansible":
		return adhocMain(prog, args, stdout, stderr)
	case "ansible-inventory":
		return inventoryMain(prog, args, stdout, stderr)
	case "ansible-vault":
		return vaultMain(args, stdin, stdout, stderr)
	case "ansible-doc":
		return docMain(prog, args, stdout, stderr)
	case "ansible-galaxy":
		return galaxyMain(prog, args, stdout, stderr)
	}
	if len(args) > 0 {
		switch args[0] {
		case "playbook":
			return playbookMain(prog+" playbook", args[1:], stdout, stderr)
		case "adhoc":
			return adhocMain(prog+" adhoc", args[1:], stdout, stderr)
		case "inventory":
			return inventoryMain(prog+" inventory", args[1:], stdout, stderr)
		case "vault":
			return vaultMain(args[1:], stdin, stdout, stderr)
		case "doc":
			return docMain(prog+" doc", args[1:], stdout, stderr)
		case "lint":
			return lintMain(prog+" lint", args[1:], stdout, stderr)
		case "galaxy":
			return galaxyMain(prog+" galaxy", args[1:], stdout, stderr)
		case "--version", "version":
			fmt.Fprintf(stdout, "gorun %s (ansible-core %s compatible)\n", Version, AnsibleVersion)
			return 0
		case "-h", "--help", "help":
			fmt.Fprint(stdout, usage)
			return 0
		}
	}
	if looksLikePlaybook(args) {
		return playbookMain(prog, args, stdout, stderr)
	}
	return adhocMain(prog, args, stdout, stderr)
}

const usage = `usage: gorun PLAYBOOK.yml [options]        run playbooks (as ansible-playbook)
       gorun PATTERN -m MODULE -a ARGS    run one module ad hoc (as ansible)
       gorun inventory --list|--graph|--host HOST
       gorun vault SUBCOMMAND ...
       gorun doc MODULE | -l
       gorun lint [--codeclimate FILE] PLAYBOOK.yml...
       gorun galaxy install -r requirements.yml [-p ROLES_PATH] [--force]
       gorun --version
`

// looksLikePlaybook decides between playbook and ad-hoc mode from the first
// positional argument: a YAML file name (or an existing file) is a playbook.
func looksLikePlaybook(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if takesValue(a) && !strings.Contains(a, "=") {
				i++
			}
			continue
		}
		if strings.HasSuffix(a, ".yml") || strings.HasSuffix(a, ".yaml") {
			return true
		}
		st, err := os.Stat(a)
		return err == nil && !st.IsDir()
	}
	return false
}

// takesValue lists the options whose value is the next argument, so the
// positional scan above does not mistake a value for the playbook.
func takesValue(flag string) bool {
	switch flag {
	case "-i", "--inventory", "--inventory-file", "-l", "--limit", "-e", "--extra-vars", "-f", "--forks",
		"-u", "--user", "--become-user", "--become-method", "-c", "--connection", "-T", "--timeout",
		"--private-key", "--key-file", "--ssh-common-args", "--ssh-extra-args", "--scp-extra-args",
		"--sftp-extra-args", "-t", "--tags", "--skip-tags", "--start-at-task", "-m", "--module-name",
		"-a", "--args", "--vault-id", "--vault-password-file", "--vault-pass-file", "-M", "--module-path",
		"-B", "--background", "-P", "--poll", "--tree", "--junit", "--plan", "--profile", "--changed-since", "--shard", "--become-password-file", "--connection-password-file":
		return true
	}
	return false
}
