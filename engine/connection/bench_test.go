package connection

import (
	"testing"
)

// BenchmarkExecRoundTrip measures one command on an open SSH connection: a
// new session (channel) on the existing client, `true`, and its exit status.
func BenchmarkExecRoundTrip(b *testing.B) {
	c := dial(b, hostParams(b, "h1", "root"))
	for b.Loop() {
		res, err := c.Exec(b.Context(), "true", ExecOptions{})
		if err != nil || res.ExitCode != 0 {
			b.Fatalf("Exec: %v %v", err, res)
		}
	}
}

// BenchmarkExecRoundTripSudo is the same with become (sudo to root, no
// password: the login user is root).
func BenchmarkExecRoundTripSudo(b *testing.B) {
	c := dial(b, hostParams(b, "h1", "root"))
	become := &Become{Enabled: true, User: "root"}
	for b.Loop() {
		res, err := c.Exec(b.Context(), "true", ExecOptions{Become: become})
		if err != nil || res.ExitCode != 0 {
			b.Fatalf("Exec: %v %v", err, res)
		}
	}
}

// BenchmarkExecParallel runs commands from several goroutines on one
// connection, as forks of one host might.
func BenchmarkExecParallel(b *testing.B) {
	c := dial(b, hostParams(b, "h1", "root"))
	b.SetParallelism(2)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Exec(b.Context(), "true", ExecOptions{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkLocalExec is the local connection's round trip, for comparison.
func BenchmarkLocalExec(b *testing.B) {
	c := dial(b, Params{Host: "localhost", Connection: "local"})
	for b.Loop() {
		if _, err := c.Exec(b.Context(), "true", ExecOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
