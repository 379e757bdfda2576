package files

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"testing"
)

// TestArchiveHelpersMatchPython compares commonPath and fnmatchRegexp with
// community.general's common_path and Python's fnmatch on the same inputs.
func TestArchiveHelpersMatchPython(t *testing.T) {
	pathSets := [][]string{
		{"/srv/t/src"}, {"/srv/t/a", "/srv/t/b"}, {"/srv/t/d1/x", "/srv/t/d2/y"},
		{"/a/b", "/c/d"}, {"/srv/t/src/"}, {"rel/a", "rel/b"}, {"a", "b"},
	}
	matches := [][2]string{
		{"src/sub/b", "*/b"}, {"src/b", "src/?"}, {"src/x.txt", "*.[tc]xt"}, {"src/x.pxt", "*.[!p]xt"},
		{"a/b/c", "a*c"}, {"[x", "[x"}, {"a.b", "a?b"}, {"ab", "a[]b"}, {"a]b", "a[]]b"}, {"a\nb", "a*b"},
	}
	script := `
import json, os, sys, fnmatch
def common_path(paths):
    return os.path.join(os.path.dirname(os.path.commonprefix([os.path.join(os.path.dirname(p), '') for p in paths])), '')
d = json.load(sys.stdin)
print(json.dumps({"common": [common_path(p) for p in d["paths"]], "match": [fnmatch.fnmatch(n, p) for n, p in d["matches"]]}))
`
	in, _ := json.Marshal(map[string]any{"paths": pathSets, "matches": matches})
	cmd := exec.Command("python3", "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want struct {
		Common []string
		Match  []bool
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, ps := range pathSets {
		if got := commonPath(ps); got != want.Common[i] {
			t.Errorf("commonPath(%q) = %q, Python %q", ps, got, want.Common[i])
		}
	}
	for i, m := range matches {
		if got := fnmatchRegexp(m[1]).MatchString(m[0]); got != want.Match[i] {
			t.Errorf("fnmatch(%q, %q) = %v, Python %v", m[0], m[1], got, want.Match[i])
		}
	}
}
