package labenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
)

// tools maps each program the lab runs to the Debian package that has it.
var tools = map[string]string{
	"ip":         "iproute2",
	"tc":         "iproute2",
	"iptables":   "iptables",
	"sshd":       "openssh-server",
	"ssh":        "openssh-client",
	"sudo":       "sudo",
	"nsenter":    "util-linux",
	"unshare":    "util-linux",
	"pivot_root": "util-linux",
	"python3":    "python3", // for Ansible's modules on the hosts
}

var ensureOnce struct {
	sync.Mutex
	done bool
}

// EnsureTools installs with apt-get the Debian packages of the programs a
// lab needs that the machine lacks (CI starts on a fresh Debian machine).
// It adds the sbin directories to PATH when they are missing from it, as
// they are from some non-login root shells.
func EnsureTools() error {
	ensureOnce.Lock()
	defer ensureOnce.Unlock()
	if ensureOnce.done {
		return nil
	}
	path := os.Getenv("PATH")
	for _, dir := range []string{"/usr/local/sbin", "/usr/sbin", "/sbin"} {
		if !strings.Contains(":"+path+":", ":"+dir+":") {
			path += ":" + dir
		}
	}
	os.Setenv("PATH", path)

	missing := map[string]bool{}
	for prog, pkg := range tools {
		if _, err := exec.LookPath(prog); err != nil {
			missing[pkg] = true
		}
	}
	if len(missing) > 0 {
		var pkgs []string
		for p := range missing {
			pkgs = append(pkgs, p)
		}
		sort.Strings(pkgs)
		if err := AptInstall(pkgs...); err != nil {
			return err
		}
	}
	ensureOnce.done = true
	return nil
}

// policyRC is Debian's hook that tells package scripts whether they may
// start services; AptInstall puts one in place that says no while it runs,
// so installing openssh-server does not start an sshd on the machine.
const policyRC = "/usr/sbin/policy-rc.d"

// AptInstall installs Debian packages with apt-get, updating the package
// lists first. Services the packages bring are not started.
func AptInstall(pkgs ...string) error {
	if _, err := os.Stat(policyRC); errors.Is(err, os.ErrNotExist) {
		if err := os.WriteFile(policyRC, []byte("#!/bin/sh\n# gorun labenv: no services started while it installs packages.\nexit 101\n"), 0o755); err != nil {
			return fmt.Errorf("labenv: %w", err)
		}
		defer os.Remove(policyRC)
	}
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	for _, args := range [][]string{
		{"update", "-q"},
		append([]string{"install", "-q", "-y", "--no-install-recommends"}, pkgs...),
	} {
		cmd := exec.Command("apt-get", args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("labenv: apt-get %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}
