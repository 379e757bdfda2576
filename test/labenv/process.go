package labenv

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// initScript is process 1 of every lab host; see the comment at its top.
//
//go:embed init.sh
var initScript []byte

// hostEnv is the environment of the commands Exec runs in a host.
var hostEnv = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root",
	"USER=root",
	"LOGNAME=root",
	"LANG=C.UTF-8",
}

// startHost starts the host's process 1 in fresh namespaces inside its
// network namespace, and records its pid. It returns a channel that is
// closed when the process ends.
func startHost(l *Lab, h *Host) (<-chan struct{}, error) {
	dir := filepath.Dir(h.UpperDir)
	for _, d := range []string{"work", "root"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("labenv: %w", err)
		}
	}
	console, err := os.Create(filepath.Join(dir, "console.log"))
	if err != nil {
		return nil, fmt.Errorf("labenv: %w", err)
	}
	defer console.Close()
	cmd := exec.Command("nsenter", "--net=/run/netns/"+h.Netns,
		"unshare", "--mount", "--uts", "--ipc", "--pid", "--fork", "--propagation", "private",
		"--", "/bin/bash", filepath.Join(l.Dir, "init.sh"))
	cmd.Env = append(hostEnv,
		"LAB_UPPER="+h.UpperDir,
		"LAB_WORK="+filepath.Join(dir, "work"),
		"LAB_ROOT="+filepath.Join(dir, "root"),
		"LAB_HOSTNAME="+h.Name,
	)
	cmd.Stdout, cmd.Stderr = console, console
	// Its own session: a signal to the test's or CLI's process group does
	// not reach the lab.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("labenv: starting host %s: %w", h.Name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()

	// unshare forks process 1 of the new pid namespace; its pid in ours is
	// the one Exec enters.
	children := fmt.Sprintf("/proc/%d/task/%d/children", cmd.Process.Pid, cmd.Process.Pid)
	for {
		data, _ := os.ReadFile(children)
		if f := strings.Fields(string(data)); len(f) > 0 {
			h.PID, _ = strconv.Atoi(f[0])
			return done, nil
		}
		select {
		case <-done:
			return nil, hostFailed(h, "ended while starting")
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// waitSSH waits until the host's sshd accepts connections on its first
// and last port.
func waitSSH(h *Host, done <-chan struct{}, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	if err := waitPort(h, h.Port, done, deadline, timeout); err != nil || len(h.ExtraPorts) == 0 {
		return err
	}
	return waitPort(h, h.ExtraPorts[len(h.ExtraPorts)-1], done, deadline, timeout)
}

func waitPort(h *Host, port int, done <-chan struct{}, deadline time.Time, timeout time.Duration) error {
	addr := net.JoinHostPort(h.Addr, strconv.Itoa(port))
	starterSeen := false
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return hostFailed(h, fmt.Sprintf("sshd not listening on %s after %s: %v", addr, timeout, err))
		}
		// sshd-start waits for its sshds: once it has run and is gone,
		// they all died (the console says why), and waiting is useless.
		running := hasChild(h.PID, "sshd-start")
		if starterSeen && !running {
			return hostFailed(h, "sshd exited before listening on "+addr)
		}
		starterSeen = starterSeen || running
		select {
		case <-done:
			return hostFailed(h, "ended before sshd listened")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// hasChild reports whether process pid has a child whose command is comm.
func hasChild(pid int, comm string) bool {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	for _, child := range strings.Fields(string(data)) {
		name, _ := os.ReadFile("/proc/" + child + "/comm")
		if strings.TrimSpace(string(name)) == comm {
			return true
		}
	}
	return false
}

// hostFailed is the error of a host that did not come up, with the tail
// of its console log.
func hostFailed(h *Host, what string) error {
	log, _ := os.ReadFile(filepath.Join(filepath.Dir(h.UpperDir), "console.log"))
	if len(log) > 2000 {
		log = log[len(log)-2000:]
	}
	return fmt.Errorf("labenv: host %s %s; console:\n%s", h.Name, what, log)
}

// Host returns the host called name.
func (l *Lab) Host(name string) (*Host, error) {
	for i := range l.Hosts {
		if l.Hosts[i].Name == name {
			return &l.Hosts[i], nil
		}
	}
	return nil, fmt.Errorf("labenv: lab %q has no host %q", l.Name, name)
}

// Command returns a command that runs argv inside all the namespaces of
// the host (its root, network, processes, hostname), as root, without SSH.
func (l *Lab) Command(host string, argv ...string) (*exec.Cmd, error) {
	h, err := l.Host(host)
	if err != nil {
		return nil, err
	}
	if len(argv) == 0 {
		return nil, errors.New("labenv: Exec needs a command")
	}
	args := append([]string{"-t", strconv.Itoa(h.PID), "-m", "-u", "-i", "-n", "-p", "-r", "-w", "--"}, argv...)
	cmd := exec.Command("nsenter", args...)
	cmd.Env = hostEnv
	return cmd, nil
}

// Exec runs argv inside the host (see Command) and returns its standard
// output. The error carries the exit status and standard error.
func (l *Lab) Exec(host string, argv ...string) ([]byte, error) {
	cmd, err := l.Command(host, argv...)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("labenv: %s: %s: %v: %s", host, strings.Join(argv, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// StopSSH stops the host's sshd listeners, as `systemctl stop ssh` would:
// sessions already open go on, new connections are refused. It returns
// once the port is closed.
func (l *Lab) StopSSH(host string) error {
	h, err := l.Host(host)
	if err != nil {
		return err
	}
	if _, err := l.Exec(host, "/bin/sh", "-c", "kill $(cat /run/sshd*.pid)"); err != nil {
		return err
	}
	addr := net.JoinHostPort(h.Addr, strconv.Itoa(h.Port))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return nil
		}
		c.Close()
	}
	return fmt.Errorf("labenv: %s: sshd still listening on %s after it was stopped", host, addr)
}

// StartSSH starts the host's sshd again after StopSSH and returns once it
// listens.
func (l *Lab) StartSSH(host string) error {
	h, err := l.Host(host)
	if err != nil {
		return err
	}
	if _, err := l.Exec(host, sshdStartPath); err != nil {
		return err
	}
	return waitSSH(h, nil, 10*time.Second)
}
