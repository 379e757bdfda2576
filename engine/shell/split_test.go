package shell

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"testing"
)

// splitCases exercise every quoting rule of Python's shlex in POSIX mode.
var splitCases = []string{
	"", "   ", "echo hello", "  a   b\tc\nd  ", `a "b c" d`, `a 'b c' d`, `'' x ""`,
	`a""b`, `"it's"`, `'say "hi"'`, `a\ b`, `"a\"b"`, `"a\\b"`, `"a\nb"`, `'a\nb'`,
	`x\$y`, `"$HOME" '$HOME'`, `cat /etc/motd creates=/x`, `a"b c"d`, "ü 'é ß'",
	`echo "a'b" 'c"d'`, `\\`, `#notacomment x`,
}

// TestSplitMatchesPython compares Split with the real Python shlex.split.
func TestSplitMatchesPython(t *testing.T) {
	in, _ := json.Marshal(append(splitCases, `"open`, `'open`, `trailing\`))
	script := `import json,shlex,sys
out=[]
for s in json.loads(sys.argv[1]):
    try: out.append(shlex.split(s))
    except ValueError as e: out.append(str(e))
print(json.dumps(out))`
	raw, err := exec.Command("python3", "-c", script, string(in)).Output()
	if err != nil {
		t.Fatalf("python3 shlex: %v", err)
	}
	var want []any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	var cases []string
	json.Unmarshal(in, &cases)
	for i, s := range cases {
		words, err := Split(s)
		var got any
		if err != nil {
			got = err.Error()
		} else {
			l := []any{}
			for _, w := range words {
				l = append(l, w)
			}
			got = l
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("Split(%q) = %#v, Python shlex.split gives %#v", s, got, want[i])
		}
	}
}
