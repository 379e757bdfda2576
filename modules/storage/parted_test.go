package storage

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/output"
)

// partedPy calls functions of the installed community.general parted
// module: each line of stdin is a JSON [function, args...], each line of
// stdout the JSON of the result, as json.dumps(sort_keys=True) writes it.
const partedPy = `
import json, sys
from ansible_collections.community.general.plugins.modules import parted as p
for line in sys.stdin:
    call = json.loads(line)
    print(json.dumps(getattr(p, call[0])(*call[1:]), sort_keys=True))
`

// python runs partedPy with calls and returns one output line per call.
func python(t *testing.T, calls [][]any) []string {
	t.Helper()
	var in strings.Builder
	for _, c := range calls {
		b, _ := json.Marshal(c)
		in.Write(append(b, '\n'))
	}
	cmd := exec.Command(ansiblePython(t), "-c", partedPy)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("community.general's parted module cannot be imported: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(calls) {
		t.Fatalf("python printed %d lines for %d calls:\n%s", len(lines), len(calls), out)
	}
	return lines
}

// ansiblePython is the interpreter of ansible-playbook (its #! line), the
// one that finds the installed collections.
func ansiblePython(t *testing.T) string {
	path, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("ansible-playbook is not installed")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	interp, ok := strings.CutPrefix(first, "#!")
	if f := strings.Fields(interp); ok && len(f) > 0 {
		if len(f) > 1 && strings.HasSuffix(f[0], "/env") {
			return f[1]
		}
		return f[0]
	}
	return "python3"
}

// TestParsePartitionInfoMatchesPython parses what the real parted prints
// for a partitioned disk image in every unit, with gorun's port and with
// parted.py's parse_partition_info, and wants the same disk and partitions.
func TestParsePartitionInfoMatchesPython(t *testing.T) {
	parted, err := exec.LookPath("parted")
	if err != nil {
		t.Skip("parted is not installed")
	}
	img := filepath.Join(t.TempDir(), "disk.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 100<<20); err != nil {
		t.Fatal(err)
	}
	script := []string{"-s", "-m", "-a", "optimal", img, "--", "mklabel", "gpt",
		"mkpart", "primary", "ext4", "1MiB", "20MiB", "mkpart", "primary", "20MiB", "55%",
		"mkpart", "primary", "55%", "100%", "name", "1", "boot part", "set", "2", "lvm", "on",
		"set", "3", "raid", "on", "set", "3", "esp", "on"}
	if out, err := exec.Command(parted, script...).CombinedOutput(); err != nil {
		t.Fatalf("parted: %v: %s", err, out)
	}
	var calls [][]any
	var outputs []string
	for _, unit := range partedUnits {
		out, err := exec.Command(parted, "-s", "-m", img, "--", "unit", unit, "print").Output()
		if err != nil {
			t.Fatalf("parted unit %s print: %v", unit, err)
		}
		calls = append(calls, []any{"parse_partition_info", string(out), unit})
		outputs = append(outputs, string(out))
	}
	want := python(t, calls)
	for i, unit := range partedUnits {
		info, err := parsePartitionInfo(outputs[i], unit)
		if err != nil {
			t.Errorf("unit %s: %v", unit, err)
			continue
		}
		parts := make([]any, len(info.partitions))
		for j, p := range info.partitions {
			parts[j] = p
		}
		got := output.Dumps(map[string]any{"generic": info.generic, "partitions": parts}, -1, true)
		if got != want[i] {
			t.Errorf("unit %s:\n gorun  %s\n python %s\nfrom %q", unit, got, want[i], outputs[i])
		}
	}
}

// TestSizeConversionsMatchPython compares format_disk_size, convert_to_bytes
// and parse_unit with parted.py's.
func TestSizeConversionsMatchPython(t *testing.T) {
	sizes := []int64{1, 9, 999, 1000, 1023, 1024, 4095, 99949, 99950, 1 << 20, 5 << 30, 123456789012, 1 << 40, 7 << 50}
	units := []string{"", "compact", "cyl", "chs", "B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "s", "%"}
	var calls [][]any
	var gots []string
	for _, b := range sizes {
		for _, u := range units {
			calls = append(calls, []any{"format_disk_size", b, u})
			size, unit := formatDiskSize(b, u)
			gots = append(gots, output.Dumps([]any{size, unit}, -1, true))
		}
	}
	for _, f := range []float64{0, 0.5, 1, 16.8, 1024, 65536, 99.99} {
		for _, u := range units {
			calls = append(calls, []any{"convert_to_bytes", f, u})
			gots = append(gots, output.Dumps(int(convertToBytes(f, u)), -1, true))
		}
	}
	for _, s := range []string{"10GiB", "-1GiB", "15%", "0%", "100%", "2.5 MB", "17s", "3", "1,2,3", "10 foo"} {
		calls = append(calls, []any{"parse_unit", s, "KiB"})
		size, unit, err := parseUnit(s, "KiB")
		if err != nil {
			t.Fatalf("parse_unit %q: %v", s, err)
		}
		gots = append(gots, output.Dumps([]any{size, unit}, -1, true))
	}
	want := python(t, calls)
	for i, c := range calls {
		if gots[i] != want[i] {
			t.Errorf("%v: gorun %s, python %s", c, gots[i], want[i])
		}
	}
}
