// Package connection reaches target hosts: over SSH (one client per host for the
// whole run, every command a channel on it) or locally, with privilege escalation
// (become) applied to each command.
//
// Modules never start processes or open sockets themselves; everything they do on
// a target goes through Conn, so the same module code runs over SSH and locally.
//
// Connections come from a Pool, which opens one per host and keeps it for the
// run. Over SSH (golang.org/x/crypto/ssh) the settings are merged as OpenSSH
// merges them: the ssh arguments Ansible would pass, then ~/.ssh/config, then
// /etc/ssh/ssh_config (Host patterns, HostName, User, Port, IdentityFile,
// ProxyJump, ProxyCommand, StrictHostKeyChecking, UserKnownHostsFile, ...).
// Host keys are checked against known_hosts (hashed entries included); a
// changed key is always refused. Files move over SFTP (github.com/pkg/sftp),
// or with cat when becoming another user.
//
// Over SSH a shell is also kept open per host (QuickRunner): gorun's own
// short scripts without input (the file modules' stat and edit scripts) run
// from it, saving the host a new session and a login shell per script.
//
// Become wraps each command as Ansible's sudo and su plugins do, answers the
// password prompt on the command's stdin (never on a command line) and strips
// the BECOME-SUCCESS marker. su needs a terminal, so its commands run on a pty:
// their stderr arrives merged into stdout, and their stdin is carried through
// the pty base64-encoded.
package connection

import (
	"context"
	"fmt"
	"io"
	"io/fs"
)

// Conn is a connection to one target host.
type Conn interface {
	// Exec runs cmd, a POSIX shell command line, on the target (as `/bin/sh -c cmd`,
	// wrapped in the become method when opts.Become is set). A non-zero exit status
	// is not an error: it is in ExecResult.ExitCode. Errors mean the command could
	// not be run at all; when the host could not be reached they are *UnreachableError.
	Exec(ctx context.Context, cmd string, opts ExecOptions) (*ExecResult, error)

	// Put writes the contents of r to path on the target (not atomically: modules
	// that replace files write a temporary file and rename it), creating or
	// truncating it with mode perm. With opts.Become the file is written as the
	// become user.
	Put(ctx context.Context, r io.Reader, path string, perm fs.FileMode, opts ExecOptions) error

	// Get copies the file at path on the target to w.
	Get(ctx context.Context, path string, w io.Writer, opts ExecOptions) error

	// Close releases the connection. Using a closed Conn reconnects.
	Close() error
}

// ExecOptions modify one command.
type ExecOptions struct {
	// Stdin, when set, is copied to the command's standard input, which is then closed.
	Stdin io.Reader
	// Become, when non-nil and Become.Enabled, runs the command as another user.
	Become *Become
	// Env is added to the command's environment (the task's `environment:`).
	Env map[string]string
	// Stdout and Stderr, when set, receive the output as it arrives instead of it
	// being collected into ExecResult (for large transfers).
	Stdout, Stderr io.Writer
}

// Become describes privilege escalation, from the become* keywords and variables.
type Become struct {
	Enabled  bool
	Method   string // sudo (default) or su; others are an error
	User     string // become_user; empty: the method's default (root)
	Flags    string // become_flags; default for sudo: "-H -S -n" as Ansible (-n is dropped when there is a password)
	Password string // become password; never logged, never put on a command line
	Exe      string // become_exe, default: the method name
}

// ExecResult is what a finished command produced.
type ExecResult struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// UnreachableError reports that the host could not be reached or the connection
// broke: Ansible's UNREACHABLE, as opposed to a command that ran and failed.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("Failed to connect to the host via ssh: %v", e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// BecomeError reports that privilege escalation failed (wrong or missing password,
// user not allowed): Ansible reports these as task failures, not unreachable hosts.
type BecomeError struct {
	Msg string
	// UnknownUser is set when the become method said the become user does
	// not exist (sudo's "unknown user", su's "does not exist").
	UnknownUser bool
}

func (e *BecomeError) Error() string { return e.Msg }
