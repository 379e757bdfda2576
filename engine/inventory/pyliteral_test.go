package inventory

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// literalCases are INI values compared with Python's ast.literal_eval.
var literalCases = []string{
	"1", "-7", "+3", "0", "00", "010", "0x1F", "0o17", "0b101", "1_000", "1__0", "_1", "1_",
	"1.5", "1.", ".5", "1e3", "1E-2", "1.5e+3", "1_0.5", "9223372036854775807",
	"True", "False", "None", "true", "yes", "null", "none",
	"'a'", `"b"`, `'it''s'`, `"a" 'b'`, `'\n\t\\'`, `'\x41\u00e9\101'`, `r'\n'`, `b'bytes'`, `u'uni'`,
	`'''triple'''`, `"unterminated`, `'a' b`, "f'x'",
	"[1, 2]", "[1, 'x', [2]]", "[]", "[1,]", "(1, 2)", "()", "(1,)", "(1)", "1,", "1, 2",
	"{'a': 1}", "{}", "{'a': [1, {'b': None}]}", "{1: 'x'}", "{'a': 1,}", "{1, 2}",
	"1 # comment", "x", "a b", "1 + 2", "-'x'", "[1, 2", "{'a'}", "[1 2]", "--1", "- 1",
	"http://x", "/path/to", "1.2.3.4", "127.0.0.1", "{{ var }}", "'{{ var }}'", "a=b", "",
	"  1", "1  ", "\t[1]", "[1,\n2]", "1\n", "1\n2", "é", "'é'", "[True, None, 1.0]",
}

func TestPyLiteralAgainstPython(t *testing.T) {
	skipShort(t)
	in, _ := json.Marshal(literalCases)
	script, _ := filepath.Abs("testdata/literal_eval.py")
	cmd := exec.Command(ansiblePython(t), script)
	cmd.Dir = t.TempDir()
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []any
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, s := range literalCases {
		gotJSON, err := json.Marshal(iniValue(s))
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var got any
		_ = json.Unmarshal(gotJSON, &got)
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("iniValue(%q) = %s; Python gives %v", s, gotJSON, want[i])
		}
	}
}

func TestShlexSplit(t *testing.T) {
	tests := map[string][]string{
		`h1 a=1 b="x y"`:          {"h1", "a=1", "b=x y"},
		`h1 a='q "d"' # comment`:  {"h1", `a=q "d"`},
		`h1 a=1#x b=2`:            {"h1", "a=1"},
		`h1 a="x\"y" b='x\y'`:     {"h1", `a=x"y`, `b=x\y`},
		`h1 a="\n"`:               {"h1", `a=\n`},
		`h1 a=x\ y`:               {"h1", "a=x y"},
		`h1 a=""`:                 {"h1", "a="},
		`"quoted host" x=1`:       {"quoted host", "x=1"},
		`h1 a="'03#pa33w0rd'"`:    {"h1", "a='03#pa33w0rd'"},
		"h1\ta=1":                 {"h1", "a=1"},
		`h1 d="{'a': 1, 'b': 2}"`: {"h1", "d={'a': 1, 'b': 2}"},
	}
	for in, want := range tests {
		got, err := shlexSplit(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("shlexSplit(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`h1 a="x`, `h1 a='x`, `h1 a=\`} {
		if _, err := shlexSplit(bad); err == nil {
			t.Errorf("shlexSplit(%q): want an error", bad)
		}
	}
}
