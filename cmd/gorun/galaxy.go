package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/pflag"

	"gorun/engine/config"
	"gorun/engine/galaxy"
)

// galaxyMain is `gorun galaxy [role] install`, like ansible-galaxy for roles
// from git repositories and archive URLs. Other subcommands are an error.
func galaxyMain(prog string, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "role" {
		prog, args = prog+" role", args[1:]
	}
	if len(args) == 0 || args[0] != "install" {
		sub := ""
		if len(args) > 0 {
			sub = args[0]
		}
		return fail(stderr, 5, fmt.Sprintf("%s %s is not supported by gorun (only install, for roles from git or archive URLs)", prog, sub))
	}
	fs := pflag.NewFlagSet(prog+" install", pflag.ContinueOnError)
	reqFile := fs.StringP("role-file", "r", "", "a file containing a list of roles to be installed")
	rolesPath := fs.StringP("roles-path", "p", "", "the path to the directory containing your roles (default: the first roles_path entry)")
	force := fs.BoolP("force", "f", false, "force overwriting an existing role")
	fs.BoolP("ignore-errors", "i", false, "accepted for compatibility; gorun stops at the first error")
	if err := parseFlags(prog+" install", fs, args[1:], stderr); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(stdout, "usage: %s install [-r requirements.yml] [-p ROLES_PATH] [--force] [role ...]\n\n%s", prog, fs.FlagUsages())
			return 0
		}
		return 2
	}
	var reqs []galaxy.Requirement
	if *reqFile != "" {
		r, err := galaxy.ReadRequirements(*reqFile)
		if err != nil {
			return fail(stderr, 1, err.Error())
		}
		reqs = r
	}
	for _, a := range fs.Args() {
		r, err := galaxy.ParseRequirement(a)
		if err != nil {
			return fail(stderr, 1, err.Error())
		}
		reqs = append(reqs, r)
	}
	if len(reqs) == 0 {
		return fail(stderr, 1, "- you must specify a user/role name or a roles file")
	}
	dest := *rolesPath
	if dest == "" {
		cfg, err := config.Load()
		if err != nil {
			return fail(stderr, 1, err.Error())
		}
		if paths := cfg.List("DEFAULT_ROLES_PATH"); len(paths) > 0 {
			dest = expandUser(paths[0])
		} else {
			dest = expandUser("~/.ansible/roles")
		}
	}
	if abs, err := filepath.Abs(dest); err == nil {
		dest = abs
	}
	in := &galaxy.Installer{RolesPath: dest, Force: *force, Log: func(s string) { fmt.Fprintln(stdout, s) }}
	if err := in.Install(reqs); err != nil {
		return fail(stderr, 1, err.Error())
	}
	return 0
}
