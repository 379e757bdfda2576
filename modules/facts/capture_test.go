package facts

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// capturedHost is real output of facts.sh on a host, saved beside what
// Ansible's setup reported for the same host at the same moment.
type capturedHost struct {
	Marker  string         `json:"marker"`
	Raw     string         `json:"raw"`
	Ansible map[string]any `json:"ansible_facts"`
}

// TestCaptureLabHost refreshes testdata/labhost.json from a lab host when
// GORUN_CAPTURE=1; TestParseCapturedLabHost then needs neither a lab nor Ansible.
func TestCaptureLabHost(t *testing.T) {
	if os.Getenv("GORUN_CAPTURE") == "" {
		t.Skip("set GORUN_CAPTURE=1 to capture testdata/labhost.json from a lab host")
	}
	_, ansible := labHostFacts(t)
	out, marker, err := runScript(context.Background(), lastLabConn, allCollectors(t), Options{FactPath: DefaultFactPath, Timeout: 10e9})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(capturedHost{Marker: marker, Raw: out, Ansible: ansible}, "", " ")
	if err := os.WriteFile(filepath.Join("testdata", "labhost.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func allCollectors(t *testing.T) map[string]bool {
	c, err := collectorNames([]string{"all"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestParseCapturedLabHost parses captured script output and compares the
// facts with what Ansible reported for that host.
func TestParseCapturedLabHost(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "labhost.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c capturedHost
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	f := build(parseRaw(c.Raw, c.Marker), allCollectors(t), Options{Subset: []string{"all"}, Warn: func(string) {}})
	jb, _ := json.Marshal(f)
	var got map[string]any
	json.Unmarshal(jb, &got)
	for k, w := range c.Ansible {
		g, ok := got[k]
		switch {
		case notGathered[k]:
		case !ok:
			t.Errorf("%s missing; ansible has %v", k, trunc(w))
		case k == "ansible_env" || k == "ansible_interfaces" || strings.HasPrefix(k, "ansible_virtualization_tech_"):
			// compared as in TestSetupOnLabHostMatchesAnsible
		case k == "ansible_date_time" || k == "ansible_uptime_seconds" || k == "ansible_memfree_mb" ||
			k == "ansible_memory_mb" || k == "ansible_loadavg" || k == "ansible_mounts":
			// gathered a moment apart from Ansible's run
		default:
			if !equalJSON(g, w) {
				t.Errorf("%s = %v\nansible has %v", k, trunc(g), trunc(w))
			}
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
