package control

import (
	"context"
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// errAbort is Ctrl+C then A: Ansible's "user requested abort!".
var errAbort = errors.New("user requested abort!")

// clearLine is what Ansible's pause writes to clear the line: it prefixes
// the terminal's cr and el capabilities with ESC [ (b'\x1b[%s' % cr), so
// the bytes are these on every terminal. Ansible writes it unflushed into
// the buffered stdout of its worker process, which exits without flushing:
// only the clear that a backspace flushes ever reaches the terminal, so
// gorun writes it there alone.
const clearLine = "\x1b[\r\x1b[\x1b[K"

// waitOnTerminal is the pause action's loop on a terminal: the terminal in
// raw mode (output processing kept), echo only when waiting for Enter with
// echo on; Enter ends a prompt, the time ends a timed pause, Ctrl+C asks
// "Press 'C' to continue the play or 'A' to abort". It returns what was typed.
func waitOnTerminal(ctx context.Context, d time.Duration, timed, echo bool) (string, error) {
	fd := int(os.Stdin.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return "", err
	}
	raw := *old
	raw.Iflag &^= unix.BRKINT | unix.ICRNL | unix.INPCK | unix.ISTRIP | unix.IXON
	raw.Cflag &^= unix.CSIZE | unix.PARENB
	raw.Cflag |= unix.CS8
	raw.Lflag &^= unix.ECHO | unix.ICANON | unix.IEXTEN | unix.ISIG
	if !timed && echo {
		raw.Lflag |= unix.ECHO
	}
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETSF, &raw); err != nil {
		return "", err
	}
	defer unix.IoctlSetTermios(fd, unix.TCSETSW, old)
	intr, erase := old.Cc[unix.VINTR], old.Cc[unix.VERASE]

	deadline := time.Now().Add(d)
	var input []byte
	for {
		key, ok, err := readKey(ctx, fd, timed, deadline)
		if err != nil {
			return string(input), err
		}
		if !ok { // the time is up
			return string(input), nil
		}
		switch {
		case key == intr:
			say("Press 'C' to continue the play or 'A' to abort \r")
			for {
				k, _, err := readKey(ctx, fd, false, time.Time{})
				if err != nil {
					return string(input), err
				}
				switch k {
				case 'c', 'C':
					return string(input), nil
				case 'a', 'A':
					return string(input), errAbort
				}
			}
		case timed:
			// a timed pause ignores other keys
		case key == '\r' || key == '\n':
			return string(input), nil
		case key == erase || key == 0x7f || key == 0x08:
			if len(input) > 0 {
				input = input[:len(input)-1]
			}
			os.Stdout.WriteString(clearLine)
			if echo {
				os.Stdout.Write(input)
			}
		default:
			input = append(input, key)
		}
	}
}

// readKey reads one byte of standard input; with timed it gives up at
// deadline (ok false). It polls instead of blocking in a goroutine so that
// no key typed after the pause is taken by it.
func readKey(ctx context.Context, fd int, timed bool, deadline time.Time) (byte, bool, error) {
	for {
		if err := ctx.Err(); err != nil {
			return 0, false, err
		}
		wait := 200 * time.Millisecond
		if timed {
			left := time.Until(deadline)
			if left <= 0 {
				return 0, false, nil
			}
			wait = min(wait, left)
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(wait.Milliseconds())+1)
		if err != nil && !errors.Is(err, unix.EINTR) {
			return 0, false, err
		}
		if n > 0 {
			b := make([]byte, 1)
			if _, err := unix.Read(fd, b); err != nil {
				return 0, false, err
			}
			return b[0], true, nil
		}
	}
}
