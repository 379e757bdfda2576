package labenv

import (
	"testing"
)

// BenchmarkUp3 and BenchmarkUp10 measure bringing a lab up and down.
func BenchmarkUp3(b *testing.B)  { benchmarkUp(b, 3) }
func BenchmarkUp10(b *testing.B) { benchmarkUp(b, 10) }

func benchmarkUp(b *testing.B, n int) {
	if err := Available(); err != nil {
		b.Skip(err)
	}
	for i := 0; i < b.N; i++ {
		name := "bench-up"
		l, err := Up(name, n, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := l.Down(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkSSHConnect measures a new connection (handshake, key login)
// that runs `true`: what one `ssh h1 true` costs a Go client.
func BenchmarkSSHConnect(b *testing.B) {
	l := ForTest(b, 1)
	h := l.Hosts[0]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := tryDial(l, h, "root")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := trySSHRun(c, "", "true"); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkSSHCommand measures one command on an open connection (a new
// session channel each time), gorun's usual case.
func BenchmarkSSHCommand(b *testing.B) {
	l := ForTest(b, 1)
	c, err := tryDial(l, l.Hosts[0], "root")
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := trySSHRun(c, "", "true"); err != nil {
			b.Fatal(err)
		}
	}
}
