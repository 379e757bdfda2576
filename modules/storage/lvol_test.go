package storage

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestLvolSizeErrorsMatchPython runs the installed lvol.py on this
// machine with sizes it refuses and wants gorun's parser to refuse them
// with the same message. lvol.py stops before it reads any volume group
// (it only runs `lvm version`), so no disk of the machine is scanned.
func TestLvolSizeErrorsMatchPython(t *testing.T) {
	if _, err := exec.LookPath("lvm"); err != nil {
		t.Skip("lvm2 is not installed")
	}
	py := ansiblePython(t)
	for _, size := range []string{"101%VG", "50%ORIGIN", "50%foo", "-50%bar", ".5g", "abc", "10x", "+1y", "1.2.3m"} {
		args := filepath.Join(t.TempDir(), "args.json")
		b, _ := json.Marshal(map[string]any{"ANSIBLE_MODULE_ARGS": map[string]any{"vg": "gorun-no-such-vg", "lv": "y", "size": size}})
		if err := os.WriteFile(args, b, 0o600); err != nil {
			t.Fatal(err)
		}
		out, _ := exec.Command(py, "-m", "ansible_collections.community.general.plugins.modules.lvol", args).Output()
		var want struct{ Msg string }
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatalf("lvol.py with size %q: %v\n%s", size, err, out)
		}
		// A size lvol.py accepts gets it as far as the missing volume group.
		accepted := want.Msg == "Volume group gorun-no-such-vg does not exist."
		_, err := parseLvolSize(size)
		switch {
		case accepted && err != nil:
			t.Errorf("size %q: gorun refuses it (%v), lvol.py does not", size, err)
		case !accepted && err == nil:
			t.Errorf("size %q: gorun accepts it, lvol.py says %q", size, want.Msg)
		case !accepted && err.Error() != want.Msg:
			t.Errorf("size %q: gorun says %q, lvol.py %q", size, err, want.Msg)
		}
	}
}

// TestParseLvolSize checks the sizes lvol.py accepts: operator, lvcreate's
// option (-L size or -l extents), the unit and the percentage.
func TestParseLvolSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want lvolSize
	}{
		{"512", lvolSize{value: "512", opt: "L", unit: "m"}},
		{"512g", lvolSize{value: "512", opt: "L", unit: "g"}},
		{"1.5T", lvolSize{value: "1.5", opt: "L", unit: "T"}},
		{"+10G", lvolSize{value: "10", operator: "+", opt: "L", unit: "G"}},
		{"-4m", lvolSize{value: "4", operator: "-", opt: "L", unit: "m"}},
		{"2048s", lvolSize{value: "2048", opt: "L", unit: "s"}},
		{"50%FREE", lvolSize{value: "50%FREE", opt: "l", percent: 50, whole: "FREE"}},
		{"+100%PVS", lvolSize{value: "100%PVS", operator: "+", opt: "l", percent: 100, whole: "PVS"}},
		{"80%VG", lvolSize{value: "80%VG", opt: "l", percent: 80, whole: "VG"}},
		{"", lvolSize{opt: "L", unit: "m"}},
	} {
		got, err := parseLvolSize(c.in)
		if err != nil || got != c.want {
			t.Errorf("parseLvolSize(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}
