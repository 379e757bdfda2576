package config

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// FindFile returns the ansible.cfg Ansible would use, "" if none, and the
// warnings Ansible prints while looking. The first readable file of these
// wins: $ANSIBLE_CONFIG (a directory means its ansible.cfg), ./ansible.cfg
// unless the working directory is world-writable, ~/.ansible.cfg,
// /etc/ansible/ansible.cfg.
func FindFile() (string, []string) {
	var candidates []string
	fromEnv, envSet := os.LookupEnv("ANSIBLE_CONFIG")
	if envSet {
		fromEnv = Unfrack(fromEnv, "")
		if info, err := os.Stat(fromEnv); err == nil && info.IsDir() {
			fromEnv = filepath.Join(fromEnv, "ansible.cfg")
		}
		candidates = append(candidates, fromEnv)
	}
	skippedCwd := ""
	if cwd, err := os.Getwd(); err == nil {
		if info, err := os.Stat(cwd); err == nil {
			cfg := filepath.Join(cwd, "ansible.cfg")
			if info.Mode().Perm()&0o002 != 0 {
				if _, err := os.Stat(cfg); err == nil {
					skippedCwd = cwd
				}
			} else {
				candidates = append(candidates, cfg)
			}
		}
	}
	candidates = append(candidates, Unfrack("~/.ansible.cfg", ""), "/etc/ansible/ansible.cfg")

	found := ""
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil && unix.Access(c, unix.R_OK) == nil {
			found = c
			break
		}
	}
	var warnings []string
	if skippedCwd != "" && (!envSet || fromEnv != found) {
		warnings = append(warnings, "Ansible is being run in a world writable directory ("+skippedCwd+"),"+
			" ignoring it as an ansible.cfg source. For more information see"+
			" https://docs.ansible.com/ansible/devel/reference_appendices/config.html#cfg-in-world-writable-dir")
	}
	return found, warnings
}
