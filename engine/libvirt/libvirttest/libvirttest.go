// Package libvirttest gives tests a real libvirt daemon: it starts virtlogd
// and libvirtd (the Debian libvirt-daemon-system package) when none answers on
// the system socket, as CI machines without systemd need, and skips the test
// when libvirt is not installed.
package libvirttest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Socket is the system daemon's read-write socket.
const Socket = "/run/libvirt/libvirt-sock"

var (
	once    sync.Once
	started error
)

// Ensure makes sure libvirtd answers on Socket, starting it (and virtlogd)
// once per test binary when it does not. It skips t when libvirtd is not
// installed and fails t when it cannot be started.
func Ensure(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("libvirtd"); err != nil {
		if _, err := os.Stat("/usr/sbin/libvirtd"); err != nil {
			t.Skip("libvirtd is not installed (apt-get install libvirt-daemon-system qemu-system-x86 qemu-utils)")
		}
	}
	once.Do(func() { started = start() })
	if started != nil {
		t.Fatalf("starting libvirtd: %v", started)
	}
}

func answers() bool {
	c, err := net.DialTimeout("unix", Socket, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func start() error {
	kvmAccess()
	if answers() {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("libvirtd is not running and only root can start it")
	}
	// virtlogd collects qemu's console logs; libvirtd refuses to start guests without it.
	if out, err := exec.Command("virtlogd", "-d").CombinedOutput(); err != nil {
		// Already running is fine: the pid file is locked then.
		if len(out) > 0 && !pidFileLocked(string(out)) {
			return fmt.Errorf("virtlogd -d: %v: %s", err, out)
		}
	}
	if out, err := exec.Command("libvirtd", "-d").CombinedOutput(); err != nil {
		return fmt.Errorf("libvirtd -d: %v: %s", err, out)
	}
	for range 100 {
		if answers() {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("libvirtd started but %s does not answer", Socket)
}

func pidFileLocked(out string) bool {
	return len(out) > 0 && (strings.Contains(out, "already running") || strings.Contains(out, "Failed to acquire pid file"))
}

// Name returns a name unique to this test run, for domains, networks and pools.
func Name(prefix string) string {
	return prefix + "-" + uuid.NewString()[:8]
}

// kvmAccess gives the kvm group access to /dev/kvm, as Debian's udev rules
// do on a booted host. Without it (no udev here) qemu, running as
// libvirt-qemu, cannot use KVM, and libvirtd re-probes QEMU's capabilities
// on every domain definition, which costs seconds each time.
func kvmAccess() {
	fi, err := os.Stat("/dev/kvm")
	if err != nil || fi.Mode().Perm()&0o060 == 0o060 || os.Geteuid() != 0 {
		return
	}
	exec.Command("chgrp", "kvm", "/dev/kvm").Run()
	os.Chmod("/dev/kvm", 0o660)
}
