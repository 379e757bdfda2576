package pyyaml

import (
	"encoding/json"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// dumpCases are values written as JSON, so that Python's yaml.dump with
// CSafeDumper (Ansible's dumper) can write the same data.
var dumpCases = []string{
	`{"msg": "hello", "n": 1, "t": true, "z": null, "e": "", "q": ["yes", "1", "1.0", "~", "=", "<<", "0x1F", "2001-12-14"]}`,
	`{"indicators": ["- x", "a: b", ":x", "? x", "#x", "x #y", "[x]", "x, y", "{x}", "&a", "*a", "!t", "|", "'q'", "%x", "---", "...x", "x:"]}`,
	`{"spaces": [" lead", "trail ", "in  side", "tab\there"], "multi": "a\nb", "keep": "a\n\n", "ctl": "bell\u0007 nel\u0085 ls\u2028 😀"}`,
	`{"long": "` + strings.Repeat("word ", 40) + `", "long_quoted": "yes ` + strings.Repeat("quoted text ", 15) + `", "long_double": "` + strings.Repeat(`ctl\u0007 `, 30) + `"}`,
	`{"nested": {"list": [1, [2, 3], {"k": "v", "l": []}, {}], "map": {"z": {"y": "deep"}}}, "lom": [{"a": 1, "b": [1, 2]}, {"c": {"d": null}}]}`,
	`{"flow": [` + strings.Repeat(`"item value", `, 12) + `"end"], "fmap": {"` + strings.Repeat(`k`, 130) + `": 1, "multi\nkey": 2, "a b": "c d"}}`,
	`[[1, 2], [3, [4]], [], {}, "x"]`,
	`"root string"`,
	`"root\nliteral\n\n"`,
}

// dumpSettings are the (indent, width, flow) settings each case is dumped with.
var dumpSettings = []struct {
	Indent, Width int
	Flow          bool
}{{0, 0, false}, {4, 0, false}, {2, 0, true}, {4, 30, true}, {1, 10, true}, {3, -1, false}}

// represent makes nodes of JSON data as SafeRepresenter does (sorted keys),
// with strings containing a line break as literals when literal is set; flow
// asks for flow style on collections of scalars only (default_flow_style=None).
func represent(v any, flow, literal bool) *Node {
	switch x := v.(type) {
	case nil:
		return Typed("null", "null")
	case bool:
		return Typed(strconv.FormatBool(x), "bool")
	case float64:
		return Typed(strconv.Itoa(int(x)), "int")
	case string:
		n := String(x)
		if literal && strings.Contains(x, "\n") {
			n.Style = '|'
		}
		return n
	case []any:
		n := &Node{Kind: Sequence, Flow: flow}
		for _, it := range x {
			c := represent(it, flow, literal)
			n.Flow = n.Flow && c.Kind == Scalar && c.Style == 0
			n.Items = append(n.Items, c)
		}
		return n
	case map[string]any:
		n := &Node{Kind: Mapping, Flow: flow}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			key, c := represent(k, flow, literal), represent(x[k], flow, literal)
			n.Flow = n.Flow && key.Style == 0 && c.Kind == Scalar && c.Style == 0
			n.Pairs = append(n.Pairs, Pair{key, c})
		}
		return n
	}
	panic("unexpected JSON value")
}

func TestDumpMatchesCSafeDumper(t *testing.T) {
	cases, _ := json.Marshal(dumpCases)
	settings, _ := json.Marshal(dumpSettings)
	prog := `
import json, sys, yaml
class Literal(yaml.CSafeDumper):
    pass
def literal_str(d, s):
    return d.represent_scalar('tag:yaml.org,2002:str', s, style='|' if '\n' in s else None)
Literal.add_representer(str, literal_str)
out = []
for c in json.loads(sys.argv[1]):
    for s in json.loads(sys.argv[2]):
        for dumper in (yaml.CSafeDumper, Literal):
            out.append(yaml.dump(json.loads(c), Dumper=dumper, allow_unicode=True, indent=s["Indent"] or None,
                                 width=s["Width"] or None, default_flow_style=None if s["Flow"] else False))
sys.stdout.write(json.dumps(out))
`
	raw, err := exec.Command("/usr/bin/python3", "-c", prog, string(cases), string(settings)).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("python3: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	i := 0
	for _, c := range dumpCases {
		var v any
		if err := json.Unmarshal([]byte(c), &v); err != nil {
			t.Fatal(err)
		}
		for _, s := range dumpSettings {
			for _, literal := range []bool{false, true} {
				got := Dump(represent(v, s.Flow, literal), Options{Indent: s.Indent, Width: s.Width})
				if got != want[i] {
					t.Errorf("%s (indent %d, width %d, flow %v, literal %v):\n got %q\nwant %q", c, s.Indent, s.Width, s.Flow, literal, got, want[i])
				}
				i++
			}
		}
	}
}

// TestDumpAnchorsSharedNodes checks that a collection reached twice is
// written once with an anchor and then as an alias, as PyYAML's serializer
// does for a list shared by two keys: a = [1, 2]; yaml.dump({'x': a, 'y': a}).
func TestDumpAnchorsSharedNodes(t *testing.T) {
	shared := &Node{Kind: Sequence, Items: []*Node{Typed("1", "int"), Typed("2", "int")}}
	root := &Node{Kind: Mapping, Pairs: []Pair{{String("x"), shared}, {String("y"), shared}}}
	want := "x: &id001\n- 1\n- 2\ny: *id001\n"
	if got := Dump(root, Options{}); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestResolve(t *testing.T) {
	for s, want := range map[string]string{
		"": "null", "~": "null", "yes": "bool", "Off": "bool", "12": "int", "0x1F": "int", "1_000": "int",
		"1.5": "float", ".inf": "float", "1e5": "str", "2001-12-14": "timestamp", "<<": "merge",
		"=": "value", "yes\n": "bool", "hello": "str", "y": "str",
	} {
		if got := Resolve(s); got != want {
			t.Errorf("Resolve(%q) = %q, want %q", s, got, want)
		}
	}
}
