// Package commands holds the modules that run commands on a target:
// ping, command, shell, raw and script.
package commands

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/engine/shell"
)

// guard is what the wrapper script checks on the target before it runs a
// command, in the order Ansible's command module checks them.
type guard struct {
	chdir   string
	creates string
	removes string
	// exe is the program that must exist and be executable (argv[0] for
	// command, the executable for shell); "" to skip the check.
	exe string
	// run is false in check mode: the wrapper only reports what it would do.
	run bool
}

// outcome is what the wrapper reported on its first line of output.
type outcome struct {
	status string // run, chdir, creates, removes, noexec
	errno  int    // for chdir and noexec: the errno Python would have seen
	path   string // for chdir, creates and removes: the path as expanded on the target
	res    *connection.ExecResult
}

// existsFn is the shell function that tells whether a glob pattern matches,
// as Python's glob.glob does: the pattern is expanded with field splitting
// off (IFS empty), and a pattern that matched nothing stays literal.
const existsFn = `gorun_exists() ( IFS=; set -- $1; [ -e "$1" ] || [ -L "$1" ] )
gorun_errno() { if [ ! -e "$1" ] && [ ! -L "$1" ]; then echo 2; elif [ "$2" = dir ] && [ ! -d "$1" ]; then echo 20; else echo 13; fi; }
`

// pathSearch sets e to the program named by e as execvp finds it: a name
// with a slash is used as it is, any other is looked up in $PATH (an empty
// entry meaning the current directory); e is empty when nothing is found.
const pathSearch = `case $e in */*) ;; *) f=; set -f; oldifs=$IFS; IFS=:
for d in $PATH; do if [ -f "${d:-.}/$e" ] && [ -x "${d:-.}/$e" ]; then f=${d:-.}/$e; break; fi; done
IFS=$oldifs; set +f; e=$f;; esac
`

// runGuarded runs cmd (a shell command line) on conn after the checks in g,
// all in one round trip. The wrapper prints a line "NONCE STATUS [ERRNO]" on
// stdout before anything else; the nonce makes it impossible for the
// command's own output to be mistaken for it.
func runGuarded(ctx context.Context, conn connection.Conn, g guard, cmd string, stdin []byte) (*outcome, error) {
	nonce := newNonce()
	script := guardScript(g, cmd, nonce)
	var res *connection.ExecResult
	var err error
	if r, ok := conn.(connection.CommandRunner); ok && stdin == nil {
		// From the host's kept shell, as a new session would run it.
		res, err = r.RunCommand(ctx, script)
	} else {
		opts := connection.ExecOptions{}
		if stdin != nil {
			opts.Stdin = bytes.NewReader(stdin)
		}
		res, err = conn.Exec(ctx, script, opts)
	}
	if err != nil {
		return nil, err
	}
	first, rest, _ := bytes.Cut(res.Stdout, []byte("\n"))
	tag, line, ok := strings.Cut(string(first), " ")
	if !ok || tag != nonce {
		return nil, fmt.Errorf("the command wrapper did not start on the target (rc=%d): %s", res.ExitCode, strings.TrimSpace(string(res.Stderr)))
	}
	o := &outcome{res: res}
	o.status, line, _ = strings.Cut(line, " ")
	switch o.status {
	case "chdir", "noexec":
		errno, path, _ := strings.Cut(line, " ")
		o.errno, _ = strconv.Atoi(errno)
		o.path = path
	case "creates", "removes":
		o.path = line
	}
	res.Stdout = rest
	return o, nil
}

// guardScript is the wrapper script of runGuarded: the checks of g, then
// cmd, with the status line "NONCE STATUS [ERRNO] [PATH]" first on stdout.
func guardScript(g guard, cmd, nonce string) string {
	var b strings.Builder
	b.WriteString(existsFn)
	report := func(status string) string {
		return fmt.Sprintf("printf '%%s\\n' %s", shell.Quote(nonce+" "+status))
	}
	if g.chdir != "" {
		fmt.Fprintf(&b, "d=%s\ncd \"$d\" 2>/dev/null || { printf '%%s %%s %%s\\n' %s \"chdir $(gorun_errno \"$d\" dir)\" \"$d\"; exit 0; }\n", expandPath(g.chdir), shell.Quote(nonce))
	}
	if g.creates != "" {
		fmt.Fprintf(&b, "c=%s\nif gorun_exists \"$c\"; then printf '%%s creates %%s\\n' %s \"$c\"; exit 0; fi\n", expandPath(g.creates), shell.Quote(nonce))
	}
	if g.removes != "" {
		fmt.Fprintf(&b, "r=%s\nif ! gorun_exists \"$r\"; then printf '%%s removes %%s\\n' %s \"$r\"; exit 0; fi\n", expandPath(g.removes), shell.Quote(nonce))
	}
	if !g.run {
		fmt.Fprintf(&b, "%s; exit 0\n", report("run"))
	}
	if g.exe != "" {
		// Python's subprocess runs the program directly: shell builtins and
		// functions do not count, a directory or a non-executable file is EACCES.
		fmt.Fprintf(&b, "e=%s\n", shell.Quote(g.exe))
		b.WriteString(pathSearch)
		fmt.Fprintf(&b, "if [ -z \"$e\" ]; then %s; exit 0; fi\n", report("noexec 2"))
		fmt.Fprintf(&b, "if [ -d \"$e\" ] || [ ! -x \"$e\" ]; then printf '%%s %%s\\n' %s \"noexec $(gorun_errno \"$e\")\"; exit 0; fi\n", shell.Quote(nonce))
	}
	fmt.Fprintf(&b, "%s\n%s\n", report("run"), cmd)
	return b.String()
}

// warn records a warning for the task, when the runner collects them.
func warn(call *module.Call, msg string) {
	if call.Warn != nil {
		call.Warn(msg)
	}
}

func newNonce() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "gorun-" + hex.EncodeToString(b)
}

var (
	tildePrefix = regexp.MustCompile(`^~[A-Za-z0-9._-]*`)
	varRef      = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
)

// expandPath returns a shell word that expands on the target as Ansible's
// "path" option type does there (os.path.expanduser, then expandvars): a
// leading ~ or ~user becomes the home directory, $VAR and ${VAR} the
// variable's value (left as written when unset); everything else is literal.
// The word is meant for an assignment or a function argument, where it is
// not glob-expanded yet.
func expandPath(p string) string {
	var b strings.Builder
	if t := tildePrefix.FindString(p); t != "" && (len(p) == len(t) || p[len(t)] == '/') {
		// The tilde prefix and the slash after it stay unquoted: the shell
		// expands a tilde prefix only when it ends at an unquoted slash.
		if len(p) > len(t) {
			t += "/"
		}
		b.WriteString(t)
		p = p[len(t):]
	}
	last := 0
	for _, m := range varRef.FindAllStringSubmatchIndex(p, -1) {
		if m[0] > last {
			b.WriteString(shell.Quote(p[last:m[0]]))
		}
		name := p[m[2]:m[3]] // only one of the two groups matched
		if m[2] < 0 {
			name = p[m[4]:m[5]]
		}
		fmt.Fprintf(&b, `"${%s-\%s}"`, name, p[m[0]:m[1]])
		last = m[1]
	}
	if last < len(p) || b.Len() == 0 {
		b.WriteString(shell.Quote(p[last:]))
	}
	return b.String()
}

// pyTime formats t as Python's str(datetime.datetime.now()).
func pyTime(t time.Time) string {
	return t.Format("2006-01-02 15:04:05.000000")
}

// pyDelta formats d as Python's str(datetime.timedelta), e.g. "0:00:00.003374".
func pyDelta(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	us := d.Microseconds()
	days := us / (86400 * 1e6)
	us -= days * 86400 * 1e6
	s := fmt.Sprintf("%d:%02d:%02d", us/3600e6, us/60e6%60, us/1e6%60)
	if frac := us % 1e6; frac != 0 {
		s += fmt.Sprintf(".%06d", frac)
	}
	switch {
	case days == 1:
		s = "1 day, " + s
	case days > 1:
		s = fmt.Sprintf("%d days, %s", days, s)
	}
	return s
}

// errnoText is Python's strerror for the errors the wrapper reports.
func errnoText(errno int) string {
	switch errno {
	case 2:
		return "No such file or directory"
	case 13:
		return "Permission denied"
	case 20:
		return "Not a directory"
	}
	return fmt.Sprintf("Unknown error %d", errno)
}

// pyBytes is Python's repr() of a bytes value holding s, as OSError messages show paths.
func pyBytes(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	var b strings.Builder
	b.WriteString("b" + q)
	for _, c := range []byte(s) {
		switch {
		case c == '\\' || string(c) == q:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString(q)
	return b.String()
}
