package labenv

import (
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
	"python3":    "python3-minimal", // for Ansible's modules on the hosts
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

// AptInstall installs Debian packages with apt-get, updating the package
// lists first.
func AptInstall(pkgs ...string) error {
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
