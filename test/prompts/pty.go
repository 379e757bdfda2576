package prompts

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"gorun/test/e2e"
)

// step is one exchange: wait until the output shows Expect (after what the
// previous steps consumed), then type Send.
type step struct {
	Expect string
	Send   string
}

// session is a command running on a pseudo-terminal.
type session struct {
	t    *testing.T
	mu   sync.Mutex
	out  bytes.Buffer
	seen int // output consumed by the steps so far
	done chan struct{}
}

// hangGuard bounds each wait so that a prompt that never comes fails the
// test instead of hanging it; it measures nothing.
const hangGuard = 90 * time.Second

// runOnPTY runs bin with args on a new pseudo-terminal (its stdin, stdout
// and stderr, and its controlling terminal) in the environment e2e gives
// both tools, plays the steps and returns everything the terminal showed.
func runOnPTY(t *testing.T, bin string, args []string, opts e2e.Options, steps []step) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = e2e.Env(t, opts)
	cmd.Dir = opts.Dir
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatalf("starting %s on a pty: %v", bin, err)
	}
	defer tty.Close()
	s := &session{t: t, done: make(chan struct{})}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				close(s.done)
				return
			}
		}
	}()
	for _, st := range steps {
		if err := s.waitFor(st.Expect); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return s.text(), fmt.Errorf("%s: %v", bin, err)
		}
		if _, err := tty.Write([]byte(st.Send)); err != nil {
			return s.text(), err
		}
	}
	waitErr := cmd.Wait()
	select {
	case <-s.done:
	case <-time.After(hangGuard):
	}
	return s.text(), waitErr
}

// waitFor waits until want appears in the output not yet consumed.
func (s *session) waitFor(want string) error {
	deadline := time.Now().Add(hangGuard)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		rest := s.out.String()[s.seen:]
		if i := strings.Index(rest, want); i >= 0 {
			s.seen += i + len(want)
			s.mu.Unlock()
			return nil
		}
		s.mu.Unlock()
		select {
		case <-s.done:
			s.mu.Lock()
			defer s.mu.Unlock()
			if i := strings.Index(s.out.String()[s.seen:], want); i >= 0 {
				s.seen += i + len(want)
				return nil
			}
			return fmt.Errorf("ended without showing %q", want)
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("never showed %q", want)
}

func (s *session) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}
