package inventory

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestMain stops the ansible-inventory server (see ansibleInventory) once
// the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	inventoryServer.stop()
	os.Exit(code)
}

// ansibleInventory runs the real ansible-inventory with args (in an empty
// directory, so no ansible.cfg applies) and returns stdout and stderr; a
// non-zero exit is an error. The test is skipped when Ansible is not
// installed.
//
// The runs go through one server process for the package
// (testdata/ansible_inventory_server.py): it imports ansible-inventory once
// and forks a child per run that executes ansible-inventory's main() as the
// command would, which saves Python's and Ansible's start-up (most of a
// run's CPU) on each of the package's hundred-odd runs.
// TestInventoryServerMatchesCommand checks that the two give the same.
// Runs in an environment other than the server's (a test that set ANSIBLE_*
// variables) start the command itself, and so do all runs when the server
// cannot start (ansible-inventory is not a Python script, say).
func ansibleInventory(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	skipShort(t)
	bin, err := exec.LookPath("ansible-inventory")
	if err != nil {
		t.Skip("ansible-inventory not installed")
	}
	env := ansibleEnv()
	srv, err := inventoryServer.get(bin, env)
	if err != nil {
		t.Logf("running the command: %v", err)
	}
	if srv == nil {
		return runAnsibleInventory(t, bin, env, args...)
	}
	return srv.run(t.TempDir(), args)
}

// ansibleEnv is the environment of the tests' Ansible runs.
func ansibleEnv() []string {
	return append(os.Environ(), "ANSIBLE_NOCOLOR=1", "ANSIBLE_FORCE_COLOR=0")
}

// runAnsibleInventory starts the ansible-inventory command bin with args in
// env and a new empty directory.
func runAnsibleInventory(t *testing.T, bin string, env []string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// inventoryServer is the package's ansible-inventory server, started on
// first use.
var inventoryServer serverSlot

// serverSlot holds the server once started, or why it could not start.
type serverSlot struct {
	mu  sync.Mutex
	srv *ansibleServer
	err error
	dir string // the server's working directory
}

// get returns the server, started in env for the command bin, or nil when
// env is not the environment the server was started in or the server could
// not start (the error says why).
func (s *serverSlot) get(bin string, env []string) (*ansibleServer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil && s.err == nil {
		s.srv, s.dir, s.err = startServer(bin, env)
	}
	if s.err != nil {
		return nil, s.err
	}
	if !slices.Equal(s.srv.env, env) {
		return nil, nil
	}
	return s.srv, nil
}

// stop ends the server, if one runs, and removes its directory.
func (s *serverSlot) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		s.srv.in.Close()
		_ = s.srv.cmd.Wait()
		os.RemoveAll(s.dir)
	}
}

// ansibleServer is a running ansible_inventory_server.py.
type ansibleServer struct {
	mu     sync.Mutex // one run at a time
	cmd    *exec.Cmd
	env    []string
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
}

// startServer starts ansible_inventory_server.py with the interpreter of
// the command bin, in env and a new empty directory (where the command's
// runs would start), and returns it with that directory.
func startServer(bin string, env []string) (*ansibleServer, string, error) {
	python, err := interpreter(bin)
	if err != nil {
		return nil, "", err
	}
	script, err := filepath.Abs("testdata/ansible_inventory_server.py")
	if err != nil {
		return nil, "", err
	}
	dir, err := os.MkdirTemp("", "inventory-ansible-server-")
	if err != nil {
		return nil, "", err
	}
	srv := &ansibleServer{env: env, stderr: &bytes.Buffer{}}
	srv.cmd = exec.Command(python, script, bin)
	srv.cmd.Env = env
	srv.cmd.Dir = dir
	srv.cmd.Stderr = srv.stderr
	if srv.in, err = srv.cmd.StdinPipe(); err != nil {
		return nil, "", err
	}
	out, err := srv.cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	srv.out = bufio.NewReader(out)
	if err := srv.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("starting %s: %w", script, err)
	}
	if line, err := srv.out.ReadString('\n'); line != "ready\n" {
		srv.in.Close()
		_ = srv.cmd.Wait()
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("%s %s did not start (%v):\n%s", python, script, err, srv.stderr)
	}
	return srv, dir, nil
}

// run has the server run ansible-inventory with args in dir.
func (s *ansibleServer) run(dir string, args []string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	req, err := json.Marshal(map[string]any{"args": args, "dir": dir})
	if err != nil {
		return "", "", err
	}
	if _, err := s.in.Write(append(req, '\n')); err != nil {
		return "", "", fmt.Errorf("ansible-inventory server: %w\n%s", err, s.stderr)
	}
	line, err := s.out.ReadBytes('\n')
	if err != nil {
		return "", "", fmt.Errorf("ansible-inventory server: %w\n%s", err, s.stderr)
	}
	var answer struct {
		Stdout, Stderr string
		Exit           int
	}
	if err := json.Unmarshal(line, &answer); err != nil {
		return "", "", fmt.Errorf("ansible-inventory server: %w: %q", err, line)
	}
	if answer.Exit != 0 {
		err = exitStatus(answer.Exit)
	}
	return answer.Stdout, answer.Stderr, err
}

// exitStatus is the error of a server's run that exited non-zero, worded
// as exec.ExitError words it.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// exitCode returns the exit status that err (from ansibleInventory or
// runAnsibleInventory) reports: 0 for nil, -1 for an error that is not an
// exit status.
func exitCode(err error) int {
	var exit *exec.ExitError
	var status exitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	case errors.As(err, &status):
		return int(status)
	}
	return -1
}

// interpreter returns the interpreter of the script bin (from its "#!"
// line), which for Ansible's commands can import the ansible package.
func interpreter(bin string) (string, error) {
	data, err := os.ReadFile(bin)
	if err != nil {
		return "", err
	}
	if !bytes.HasPrefix(data, []byte("#!")) {
		return "", fmt.Errorf("%s is not a script", bin)
	}
	line, _, _ := strings.Cut(string(data[2:]), "\n")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", fmt.Errorf("%s: empty #! line", bin)
	}
	return fields[0], nil
}

// TestInventoryServerMatchesCommand runs ansible-inventory through the
// server and as the command, and wants the same output and exit status
// from both: on an inventory Ansible warns about, one with nothing to print
// in TOML (exit 1, silently), an unknown host (an error, exit 5) and a
// script inventory (a child process of the run's own) in YAML.
func TestInventoryServerMatchesCommand(t *testing.T) {
	skipShort(t)
	bin, err := exec.LookPath("ansible-inventory")
	if err != nil {
		t.Skip("ansible-inventory not installed")
	}
	srcs := absSrcs(t, []string{"bad/bad_priority", "empty_dir", "ini_basic/hosts", "script_inv/inv.py"})
	for _, args := range [][]string{
		{"-i", srcs[0], "--list"},
		{"-i", srcs[1], "--list", "--toml"},
		{"-i", srcs[2], "--host", "nosuchhost"},
		{"-i", srcs[3], "--list", "--yaml", "--export"},
	} {
		wantOut, wantErr, wantExit := runAnsibleInventory(t, bin, ansibleEnv(), args...)
		gotOut, gotErr, gotExit := ansibleInventory(t, args...)
		if gotOut != wantOut || gotErr != wantErr || exitCode(gotExit) != exitCode(wantExit) {
			t.Errorf("%q: the server differs from the command:\n--- command (%v)\n%s%s\n--- server (%v)\n%s%s",
				args, wantExit, wantOut, wantErr, gotExit, gotOut, gotErr)
		}
	}
}
