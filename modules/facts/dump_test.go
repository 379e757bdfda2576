package facts

import (
	"context"
	"encoding/json"
	"os"
	"testing"
)

func TestDumpLocal(t *testing.T) {
	if os.Getenv("GORUN_DUMP") == "" {
		t.Skip()
	}
	f, err := Collect(context.Background(), shConn{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(map[string]any{"ansible_facts": f}, "", " ")
	os.WriteFile("/tmp/factsref/gorun.json", b, 0o644)
}
