package connection

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"testing"
)

// labUser connects to h1 as the lab's non-root user, whose sudo rights ask
// for its password.
func labUser(t *testing.T) (Conn, string) {
	l := needLab(t)
	return dial(t, hostParams(t, "h1", "lab")), l.BecomePassword
}

func TestSudoWithPassword(t *testing.T) {
	c, password := labUser(t)
	become := &Become{Enabled: true, Method: "sudo", User: "root", Password: password}
	res := run(t, c, "id -u; echo to-stderr >&2; cat", ExecOptions{Become: become, Stdin: strings.NewReader("from stdin\n")})
	if res.ExitCode != 0 {
		t.Fatalf("sudo: exit %d, stderr %q", res.ExitCode, res.Stderr)
	}
	if got := string(res.Stdout); got != "0\nfrom stdin\n" {
		t.Errorf("stdout %q, want uid 0 and the stdin line with no marker", got)
	}
	if got := string(res.Stderr); got != "to-stderr\n" {
		t.Errorf("stderr %q, want only the command's own (no prompt)", got)
	}
	// The exit status is the command's.
	if res := run(t, c, "exit 7", ExecOptions{Become: become}); res.ExitCode != 7 {
		t.Errorf("exit 7 under sudo: exit code %d", res.ExitCode)
	}
	// The environment reaches the command run as the become user.
	checkHostileEnv(t, c, ExecOptions{Become: become})
	// become_user other than root.
	if got := output(t, c, "id -un", ExecOptions{Become: &Become{Enabled: true, User: "nobody", Password: password}}); got != "nobody\n" {
		t.Errorf("become_user nobody: id -un = %q", got)
	}
}

func TestSudoWrongOrMissingPassword(t *testing.T) {
	c, password := labUser(t)
	for _, tc := range []struct {
		name, password, flags, want string
	}{
		{"wrong", password + "x", "", "Incorrect sudo password"},
		{"missing", "", "", "Missing sudo password"},
		// Without -n sudo asks; with no password to give that is missing too.
		{"missing without -n", "", "-H -S", "Missing sudo password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			become := &Become{Enabled: true, User: "root", Password: tc.password, Flags: tc.flags}
			_, err := c.Exec(t.Context(), "id -u", ExecOptions{Become: become})
			var be *BecomeError
			if !errors.As(err, &be) || be.Msg != tc.want {
				t.Fatalf("error %v (%T), want BecomeError %q", err, err, tc.want)
			}
		})
	}
	// The connection stays usable after a failed escalation.
	if got := output(t, c, "echo fine", ExecOptions{}); got != "fine\n" {
		t.Errorf("after failed become: %q", got)
	}
}

func TestSudoParallelOnOneConnection(t *testing.T) {
	c, password := labUser(t)
	become := &Become{Enabled: true, User: "root", Password: password}
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for range 12 {
		wg.Go(func() {
			res, err := c.Exec(t.Context(), "id -u", ExecOptions{Become: become})
			if err == nil && string(res.Stdout) != "0\n" {
				err = errors.New("stdout " + string(res.Stdout))
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestSuWithPassword(t *testing.T) {
	onHost(t, "h1", "id sutarget >/dev/null 2>&1 || useradd -m -s /bin/bash sutarget; echo 'sutarget:su pass;1' | chpasswd")
	c, _ := labUser(t)
	become := &Become{Enabled: true, Method: "su", User: "sutarget", Password: "su pass;1"}
	data := make([]byte, 200000)
	rand.Read(data)
	res := run(t, c, "id -un >&2; cat", ExecOptions{Become: become, Stdin: bytes.NewReader(data)})
	if res.ExitCode != 0 {
		t.Fatalf("su: exit %d, output %q", res.ExitCode, res.Stdout)
	}
	// su runs on a pty, which merges stderr into stdout.
	want := append([]byte("sutarget\n"), data...)
	if !bytes.Equal(res.Stdout, want) {
		t.Errorf("su: stdout differs from id -un plus the %d bytes of stdin (got %d bytes, starting %q)", len(data), len(res.Stdout), res.Stdout[:min(40, len(res.Stdout))])
	}
	if res := run(t, c, "exit 5", ExecOptions{Become: become}); res.ExitCode != 5 {
		t.Errorf("exit 5 under su: exit code %d", res.ExitCode)
	}
	for _, tc := range []struct{ password, want string }{
		{"wrong", "Incorrect su password"},
		{"", "Missing su password"},
	} {
		_, err := c.Exec(t.Context(), "true", ExecOptions{Become: &Become{Enabled: true, Method: "su", User: "sutarget", Password: tc.password}})
		var be *BecomeError
		if !errors.As(err, &be) || be.Msg != tc.want {
			t.Errorf("su with password %q: error %v, want BecomeError %q", tc.password, err, tc.want)
		}
	}
}

func TestBecomeUnknownUser(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	_, err := c.Exec(t.Context(), "true", ExecOptions{Become: &Become{Enabled: true, User: "no-such-user"}})
	var be *BecomeError
	if !errors.As(err, &be) || !strings.Contains(be.Msg, "no-such-user") {
		t.Errorf("sudo -u no-such-user: error %v, want a BecomeError naming the user", err)
	}
}

func TestBecomeExe(t *testing.T) {
	lab, password := labUser(t)
	sudo := &Become{Enabled: true, Exe: "/usr/bin/sudo", User: "root", Password: password}
	if got := output(t, lab, "id -un", ExecOptions{Become: sudo}); got != "root\n" {
		t.Errorf("become_exe /usr/bin/sudo: id -un = %q", got)
	}
	root := dial(t, hostParams(t, "h1", "root"))
	su := &Become{Enabled: true, Method: "su", Exe: "/bin/su", User: "nobody", Flags: "-s /bin/sh"}
	if got := output(t, root, "id -un", ExecOptions{Become: su}); got != "nobody\n" {
		t.Errorf("become_exe /bin/su: id -un = %q", got)
	}
	_, err := root.Exec(t.Context(), "true", ExecOptions{Become: &Become{Enabled: true, Method: "doas"}})
	if err == nil || !strings.Contains(err.Error(), `"doas"`) {
		t.Errorf("become method doas: error %v, want one naming it", err)
	}
}
