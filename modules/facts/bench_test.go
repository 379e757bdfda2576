package facts

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorun/engine/connection"
	"gorun/test/labenv"
)

// BenchmarkParseCaptured measures the controller side: parsing a lab host's
// script output into facts.
func BenchmarkParseCaptured(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "labhost.json"))
	if err != nil {
		b.Fatal(err)
	}
	var c capturedHost
	if err := json.Unmarshal(data, &c); err != nil {
		b.Fatal(err)
	}
	collectors, _ := collectorNames([]string{"all"})
	o := Options{Subset: []string{"all"}, Warn: func(string) {}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		build(parseRaw(c.Raw, c.Marker), collectors, o)
	}
}

// BenchmarkGatherLabHost measures a whole gathering of all facts over SSH on
// a lab host (the connection stays open, as in a run).
func BenchmarkGatherLabHost(b *testing.B) {
	l := labenv.ForTest(b, 1)
	h := l.Hosts[0]
	ctx := context.Background()
	conn, err := connection.NewPool().Get(ctx, connection.Params{
		Host: h.Name, Address: h.Addr, Port: h.Port, User: "root",
		PrivateKeyFiles: []string{l.KeyFile}, HostKeyChecking: true,
		SSHCommonArgs: "-o UserKnownHostsFile=" + l.KnownHostsFile, Timeout: 10 * time.Second,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for _, subset := range [][]string{{"all"}, {"min"}} {
		b.Run(subset[0], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Collect(ctx, conn, Options{Subset: subset}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
