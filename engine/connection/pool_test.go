package connection

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestPoolReusesAndResets(t *testing.T) {
	pool := NewPool()
	defer pool.CloseAll()
	p := hostParams(t, "h1", "root")
	// Parallel first uses share one connection.
	conns := make([]Conn, 6)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Go(func() {
			c, err := pool.Get(t.Context(), p)
			if err != nil {
				t.Error(err)
			}
			conns[i] = c
		})
	}
	wg.Wait()
	for _, c := range conns[1:] {
		if c != conns[0] {
			t.Fatal("Get returned different connections for one host")
		}
	}
	before := sessionServer(t, conns[0])
	pool.Reset("h1")
	c, err := pool.Get(t.Context(), p)
	if err != nil {
		t.Fatal(err)
	}
	if c == conns[0] || sessionServer(t, c) == before {
		t.Error("after Reset, Get returned the old connection")
	}
}

func TestPoolDoesNotCacheFailures(t *testing.T) {
	pool := NewPool()
	defer pool.CloseAll()
	p := hostParams(t, "h1", "root")
	p.SSHCommonArgs = "-o UserKnownHostsFile=/nonexistent"
	if _, err := pool.Get(t.Context(), p); err == nil {
		t.Fatal("connecting with no known host key succeeded")
	}
	p = hostParams(t, "h1", "root")
	if _, err := pool.Get(t.Context(), p); err != nil {
		t.Errorf("second Get after a failure: %v", err)
	}
}

func TestPoolRejectsUnknownConnectionType(t *testing.T) {
	_, err := NewPool().Get(t.Context(), Params{Host: "w", Connection: "winrm"})
	if err == nil || !strings.Contains(err.Error(), `"winrm"`) {
		t.Errorf("connection winrm: error %v, want one naming it", err)
	}
	var unreachable *UnreachableError
	if errors.As(err, &unreachable) {
		t.Errorf("an unsupported connection type is not an unreachable host")
	}
}
