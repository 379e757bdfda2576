package connection

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strings"

	"gorun/engine/shell"
)

// envName is what a shell accepts as a variable name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// envPrefix returns `export A='x' B='y'; ` for env, in name order, each value
// quoted so that the shell takes it literally.
func envPrefix(env map[string]string) (string, error) {
	if len(env) == 0 {
		return "", nil
	}
	names := make([]string, 0, len(env))
	for name := range env {
		if !envName.MatchString(name) {
			return "", fmt.Errorf("invalid environment variable name %q", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("export")
	for _, name := range names {
		b.WriteString(" " + name + "=" + shell.Quote(env[name]))
	}
	b.WriteString("; ")
	return b.String(), nil
}

// plan is how one command is run: the command line handed to the login shell
// (over SSH) or to /bin/sh (locally), and the escalation, if any.
type plan struct {
	line string
	esc  *escalation
}

// buildPlan wraps cmd with its environment and the become method of opts.
func buildPlan(cmd string, opts ExecOptions) (*plan, error) {
	env, err := envPrefix(opts.Env)
	if err != nil {
		return nil, err
	}
	inner := env + cmd
	b := opts.Become
	if b == nil || !b.Enabled {
		return &plan{line: "/bin/sh -c " + shell.Quote(inner)}, nil
	}
	method := b.Method
	if method == "" {
		method = "sudo"
	}
	exe := b.Exe
	if exe == "" {
		exe = method
	}
	esc := &escalation{method: method, password: b.Password, success: "BECOME-SUCCESS-" + randomID()}
	switch method {
	case "sudo":
		flags := b.Flags
		if flags == "" {
			flags = "-H -S -n"
		}
		if b.Password != "" {
			flags = withoutNonInteractive(flags)
		}
		// The prompt is always set (Ansible sets it only with a password) so
		// that a password request is recognised even when -n was dropped
		// from become_flags.
		esc.prompt = "[sudo via ansible, key=" + randomID() + "] password:"
		parts := []string{exe, flags, `-p "` + esc.prompt + `"`}
		if b.User != "" {
			parts = append(parts, "-u "+shell.Quote(b.User))
		}
		body := "echo " + esc.success + "; " + inner
		parts = append(parts, "/bin/sh -c "+shell.Quote(body))
		return &plan{line: joinNonEmpty(parts), esc: esc}, nil
	case "su":
		// su reads the password from its terminal, so the command gets a pty.
		// Its standard input then has to pass through the pty too: it is sent
		// base64-encoded in lines ended by a line holding a single dot, and
		// decoded on the far side. The terminal is switched out of canonical
		// mode first: in canonical mode with echo off, OpenSSH's sshd answers
		// each write to the pty with an SSH "ignore" packet as long as the
		// write (to hide password lengths), and for large writes that packet
		// exceeds the protocol's size limit and breaks the connection.
		esc.pty = true
		esc.encodeStdin = opts.Stdin != nil
		body := ""
		if esc.encodeStdin {
			body = "stty -icanon -echo 2>/dev/null; "
		}
		body += "echo " + esc.success + "; "
		if esc.encodeStdin {
			body += `sed -n '/^\.$/q;p' | base64 -d | { ` + inner + "\n}"
		} else {
			body += "{ " + inner + "\n} </dev/null"
		}
		parts := []string{exe, b.Flags}
		if b.User != "" {
			parts = append(parts, shell.Quote(b.User))
		}
		parts = append(parts, "-c", shell.Quote("/bin/sh -c "+shell.Quote(body)))
		return &plan{line: joinNonEmpty(parts), esc: esc}, nil
	}
	return nil, fmt.Errorf("become method %q is not supported by gorun (only sudo and su)", method)
}

// withoutNonInteractive drops -n from sudo flags, as Ansible does when there
// is a password to give: sudo must then be allowed to ask for it.
func withoutNonInteractive(flags string) string {
	var kept []string
	for _, f := range strings.Fields(flags) {
		switch {
		case f == "-n" || f == "--non-interactive":
			continue
		case !strings.HasPrefix(f, "--"):
			f = nFlag.ReplaceAllString(f, "${1}${2}")
		}
		if f != "-" {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, " ")
}

// nFlag matches a cluster of short sudo flags containing n, like -HSn.
var nFlag = regexp.MustCompile(`^(-\w*)n(\w*.*)`)

func joinNonEmpty(parts []string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// randomID returns 32 random lower-case letters, like Ansible's become ids.
func randomID() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte('a' + rand.IntN(26))
	}
	return string(b)
}
