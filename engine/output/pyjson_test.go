package output

import (
	"encoding/json"
	"math"
	"os/exec"
	"strings"
	"testing"

	"gorun/engine/value"
)

// pyCase is a Go value and the Python expression for the same data. Go maps
// have no order and are always written sorted, so their Python literals are
// written in sorted order.
type pyCase struct {
	name string
	go_  any
	py   string
}

var pyCases = []pyCase{
	{"null", nil, "None"},
	{"true", true, "True"},
	{"false", false, "False"},
	{"int", 42, "42"},
	{"negint", int64(-7), "-7"},
	{"uint8", uint8(200), "200"},
	{"float1", 1.0, "1.0"},
	{"float_small", 1e-05, "1e-05"},
	{"float_0001", 0.0001, "0.0001"},
	{"float_big", 1e16, "1e16"},
	{"float_15", 1e15, "1e15"},
	{"float_third", 1.0 / 3, "1/3"},
	{"float_neg0", math.Copysign(0, -1), "-0.0"},
	{"float_1.5e300", 1.5e300, "1.5e300"},
	{"float_123.456", 123.456, "123.456"},
	{"float_2.5e-7", 2.5e-7, "2.5e-7"},
	{"inf", math.Inf(1), "float('inf')"},
	{"neginf", math.Inf(-1), "float('-inf')"},
	{"nan", math.NaN(), "float('nan')"},
	{"string", "hello", "'hello'"},
	{"escapes", "q\" b\\ n\n r\r t\t b\b f\f nul\x00 esc\x1b del\x7f", `'q" b\\ n\n r\r t\t b\b f\f nul\x00 esc\x1b del\x7f'`},
	{"html", "<a href='x'>&</a>", `"<a href='x'>&</a>"`},
	{"unicode", "héllo ☃ 日本 😀 \u2028", `'héllo ☃ 日本 😀 \u2028'`},
	{"empty_list", []any{}, "[]"},
	{"empty_dict", value.NewDict(), "{}"},
	{"empty_map", map[string]any{}, "{}"},
	{"list", []any{1, "a", nil, true, 2.5}, "[1, 'a', None, True, 2.5]"},
	{"strings", []string{"x", "y"}, "['x', 'y']"},
	{"dict_order", value.DictOf("b", 1, "a", []any{1, value.DictOf("z", 1, "y", value.NewDict())}, "c", []any{}),
		"{'b': 1, 'a': [1, {'z': 1, 'y': {}}], 'c': []}"},
	{"map", map[string]any{"zeta": "z", "alpha": map[string]any{"k2": 2, "k1": []any{}}, "Beta": nil},
		"{'Beta': None, 'alpha': {'k1': [], 'k2': 2}, 'zeta': 'z'}"},
	{"unicode_keys", value.DictOf("é", 1, "e", 2, "Z", 3, "日", 4), "{'é': 1, 'e': 2, 'Z': 3, '日': 4}"},
	{"nested_lists", []any{[]any{}, []any{[]any{1}}, value.DictOf("a", []any{})}, "[[], [[1]], {'a': []}]"},
	{"typed_map", map[string]int{"b": 2, "a": 1}, "{'a': 1, 'b': 2}"},
	{"unsafe", value.Unsafe("{{ x }}"), "'{{ x }}'"},
	{"vault", value.Vaulted{Ciphertext: "$ANSIBLE_VAULT;1.1;AES256\n6162"}, "{'__ansible_vault': '$ANSIBLE_VAULT;1.1;AES256\\n6162'}"},
}

// pyIndents are the (indent, sort_keys) pairs every case is dumped with.
var pyIndents = []struct {
	indent int
	sort   bool
	py     string
	ascii  bool
}{
	{NoIndent, false, "indent=None, sort_keys=False", false},
	{NoIndent, true, "indent=None, sort_keys=True", false},
	{4, true, "indent=4, sort_keys=True", false},
	{4, false, "indent=4, sort_keys=False", false},
	{0, true, "indent=0, sort_keys=True", false},
	{1, false, "indent=1, sort_keys=False", false},
	{NoIndent, true, "indent=None, sort_keys=True, ensure_ascii=True", true},
	{4, false, "indent=4, sort_keys=False, ensure_ascii=True", true},
}

// TestDumpsMatchesPython dumps every case with Go and with the real Python
// json module, and compares the bytes.
func TestDumpsMatchesPython(t *testing.T) {
	var prog strings.Builder
	prog.WriteString("import json, sys\nout = []\n")
	for _, c := range pyCases {
		for _, ind := range pyIndents {
			args := ind.py
			if !ind.ascii {
				args += ", ensure_ascii=False"
			}
			prog.WriteString("out.append(json.dumps(" + c.py + ", " + args + "))\n")
		}
	}
	prog.WriteString("sys.stdout.write(json.dumps(out))\n")
	cmd := exec.Command("/usr/bin/python3", "-c", prog.String())
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want []string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("decoding python output: %v", err)
	}
	i := 0
	for _, c := range pyCases {
		for _, ind := range pyIndents {
			got := Dumps(c.go_, ind.indent, ind.sort)
			if ind.ascii {
				got = DumpsASCII(c.go_, ind.indent, ind.sort)
			}
			if got != want[i] {
				t.Errorf("%s (%s):\n got %q\nwant %q", c.name, ind.py, got, want[i])
			}
			i++
		}
	}
}

func BenchmarkDumps(b *testing.B) {
	v := value.DictOf("changed", true, "cmd", []any{"echo", "hi"}, "rc", 0, "stdout", "hi",
		"stdout_lines", []any{"hi"}, "delta", "0:00:00.002", "nested", map[string]any{"a": 1.5, "b": nil})
	for i := 0; i < b.N; i++ {
		Dumps(v, 4, true)
	}
}
