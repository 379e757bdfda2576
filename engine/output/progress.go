package output

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/mattn/go-runewidth"
	xterm "golang.org/x/term"
)

// Progress wraps the stdout callback on a terminal with a live status line
// for the running task: how many hosts have finished it and which host has
// been running it longest. The line is erased before the wrapped callback
// prints anything, so the transcript stays what Ansible would print; off a
// terminal Progress is never used.
type Progress struct {
	inner   Callback
	w       io.Writer
	columns int
	now     func() time.Time

	mu      sync.Mutex
	task    *Task
	running map[string]time.Time // host -> start, for hosts still running
	done    int
	shown   bool
	stop    chan struct{}
	stopped sync.WaitGroup
}

// NewProgress returns inner wrapped with a status line written to w (the
// terminal) of the given width, redrawn every interval. Close stops it.
func NewProgress(inner Callback, w io.Writer, columns int, interval time.Duration) *Progress {
	p := &Progress{inner: inner, w: w, columns: columns, now: time.Now,
		running: map[string]time.Time{}, stop: make(chan struct{})}
	p.stopped.Add(1)
	go p.tick(interval)
	return p
}

func (p *Progress) tick(interval time.Duration) {
	defer p.stopped.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// Close erases the line and stops redrawing.
func (p *Progress) Close() {
	close(p.stop)
	p.stopped.Wait()
	p.mu.Lock()
	p.erase()
	p.mu.Unlock()
}

// draw shows "TASK [name]: 3/10 hosts done, waiting on h7 (4.2s)" once a
// task has run for a moment (short tasks never flicker a line).
func (p *Progress) draw() {
	p.erase()
	if p.task == nil || len(p.running) == 0 {
		return
	}
	hosts := make([]string, 0, len(p.running))
	for h := range p.running {
		hosts = append(hosts, h)
	}
	sort.Slice(hosts, func(i, j int) bool {
		ti, tj := p.running[hosts[i]], p.running[hosts[j]]
		return ti.Before(tj) || ti.Equal(tj) && hosts[i] < hosts[j]
	})
	slowest := hosts[0]
	waited := p.now().Sub(p.running[slowest])
	if waited < time.Second {
		return
	}
	line := fmt.Sprintf("%s [%s]: %d/%d hosts done, waiting on %s (%.1fs)",
		p.task.Kind, p.task.Name, p.done, p.done+len(p.running), slowest, waited.Seconds())
	if p.columns > 1 {
		line = runewidth.Truncate(line, p.columns-1, "…")
	}
	io.WriteString(p.w, line)
	p.shown = true
}

func (p *Progress) erase() {
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// forward erases the line, then lets the wrapped callback print.
func (p *Progress) forward(f func(Callback)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	f(p.inner)
}

func (p *Progress) PlaybookStart(file string) {
	p.forward(func(c Callback) { c.PlaybookStart(file) })
}

func (p *Progress) PlayStart(pl *Play) { p.forward(func(c Callback) { c.PlayStart(pl) }) }

func (p *Progress) TaskStart(t *Task) {
	p.forward(func(c Callback) {
		c.TaskStart(t)
		p.task, p.done = t, 0
		p.running = map[string]time.Time{}
	})
}

// HostStart starts the host's clock (and forwards to the wrapped callback
// when it wants to know too).
func (p *Progress) HostStart(t *Task, host string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t != p.task {
		// The free strategy runs tasks of several names at once; show the latest.
		p.task, p.done = t, 0
		p.running = map[string]time.Time{}
	}
	p.running[host] = p.now()
	if hs, ok := p.inner.(HostStarter); ok {
		p.erase()
		hs.HostStart(t, host)
	}
}

func (p *Progress) HostResult(r *Result) {
	p.forward(func(c Callback) {
		c.HostResult(r)
		if _, ok := p.running[r.Host]; ok && r.Task == p.task {
			delete(p.running, r.Host)
			p.done++
		}
	})
}

func (p *Progress) ItemResult(r *Result) { p.forward(func(c Callback) { c.ItemResult(r) }) }
func (p *Progress) Retry(r *Result)      { p.forward(func(c Callback) { c.Retry(r) }) }
func (p *Progress) Included(file string, hosts []string, item any, hasItem bool) {
	p.forward(func(c Callback) { c.Included(file, hosts, item, hasItem) })
}
func (p *Progress) NoHostsMatched()   { p.forward(func(c Callback) { c.NoHostsMatched() }) }
func (p *Progress) NoHostsRemaining() { p.forward(func(c Callback) { c.NoHostsRemaining() }) }
func (p *Progress) Notified(handler, host string) {
	p.forward(func(c Callback) { c.Notified(handler, host) })
}
func (p *Progress) Warning(msg string)     { p.forward(func(c Callback) { c.Warning(msg) }) }
func (p *Progress) Deprecation(msg string) { p.forward(func(c Callback) { c.Deprecation(msg) }) }
func (p *Progress) Stats(s *Stats) {
	p.forward(func(c Callback) {
		p.task = nil
		c.Stats(s)
	})
}

// Display forwards executor messages when the wrapped callback shows them.
func (p *Progress) Display(msg string, verbosity int) {
	p.forward(func(c Callback) {
		if d, ok := c.(Displayer); ok {
			d.Display(msg, verbosity)
		}
	})
}

// TerminalColumns reports whether w is a terminal, and its width.
func TerminalColumns(w io.Writer) (int, bool) {
	fd, ok := terminalFD(w)
	if !ok {
		return 0, false
	}
	cols, _, err := xterm.GetSize(fd)
	if err != nil {
		return 80, true
	}
	return cols, true
}
