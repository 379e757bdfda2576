// Package prompt asks the user on the terminal as Ansible does: Python's
// getpass.getpass for private answers (the prompt and the answer on
// /dev/tty, no echo, a newline after) and input() for the others (the
// prompt on standard output, the answer a line of standard input).
package prompt

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// Interactive reports whether standard input is a terminal, the test
// Ansible makes (sys.__stdin__.isatty()) before it prompts.
func Interactive() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

// Secret is getpass.getpass(msg): on /dev/tty, echo is turned off (and
// pending input flushed) before msg is shown, the answer is read as a
// line, then echo comes back and a newline is written. io.EOF means the
// user ended the input (Ctrl+D).
func Secret(msg string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("cannot prompt for %q: no terminal", msg)
	}
	defer tty.Close()
	fd := int(tty.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return "", err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, unix.TCSETSF, &quiet); err != nil {
		return "", err
	}
	defer func() {
		unix.IoctlSetTermios(fd, unix.TCSETSF, old)
		fmt.Fprint(tty, "\n")
	}()
	fmt.Fprint(tty, msg)
	return readLine(tty)
}

// Line is input(msg): msg on standard output, the answer a line of
// standard input (echoed by the terminal) without its newline. It reads
// byte by byte so that nothing typed for a later prompt is consumed.
func Line(msg string) (string, error) {
	fmt.Fprint(os.Stdout, msg)
	return readLine(os.Stdin)
}

// readLine reads one line without its newline, byte by byte so that
// nothing typed for a later prompt is consumed. io.EOF is returned only
// when nothing was typed.
func readLine(f *os.File) (string, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := f.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				return string(line), nil
			}
			line = append(line, b[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return string(line), nil
			}
			return string(line), err
		}
	}
}

// Ask is Display.prompt: Secret when private, else Line.
func Ask(msg string, private bool) (string, error) {
	if private {
		return Secret(msg)
	}
	return Line(msg)
}

// Say is Display.display between prompts: msg and a newline on standard output.
func Say(msg string) { fmt.Fprintln(os.Stdout, msg) }
