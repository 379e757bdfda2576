package output

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressLine drives the status line with a fake clock: it appears
// only once a host has run for a second, names the slowest host, and is
// erased before the wrapped callback prints a result.
func TestProgressLine(t *testing.T) {
	var term bytes.Buffer
	inner, err := NewDefault(&term, &term, DefaultOptions{DisplayOptions: DisplayOptions{NoColor: true}})
	if err != nil {
		t.Fatal(err)
	}
	p := NewProgress(inner, &term, 80, time.Hour)
	defer p.Close()
	clock := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return clock }

	task := &Task{UUID: "1", Name: "install", Kind: "TASK"}
	p.PlayStart(&Play{Name: "site"})
	p.TaskStart(task)
	p.HostStart(task, "h1")
	clock = clock.Add(500 * time.Millisecond)
	p.HostStart(task, "h2")
	p.HostResult(&Result{Task: task, Host: "h2", Status: OK, Result: map[string]any{"changed": false}})
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	if strings.Contains(term.String(), "waiting on") {
		t.Fatalf("line drawn before a host ran for a second:\n%q", term.String())
	}
	clock = clock.Add(2 * time.Second)
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	want := "TASK [install]: 1/2 hosts done, waiting on h1 (2.5s)"
	if !strings.HasSuffix(term.String(), want) {
		t.Fatalf("status line: got %q, want suffix %q", term.String(), want)
	}
	p.HostResult(&Result{Task: task, Host: "h1", Status: Changed, Result: map[string]any{"changed": true}})
	if !strings.HasSuffix(term.String(), want+"\r\x1b[Kchanged: [h1]\n") {
		t.Fatalf("the line is not erased before the result: %q", term.String())
	}
}
