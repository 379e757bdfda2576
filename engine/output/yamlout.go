package output

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/pyyaml"
	"gorun/engine/value"
)

// This file reproduces what Ansible's callbacks print with
// result_format=yaml: yaml.dump with CSafeDumper (sorted keys, block style,
// allow_unicode), with Ansible's representer that writes multi-line strings
// as literal blocks. The representer is here; the emitter is engine/pyyaml.

// yamlBreaks are the characters Ansible's representer treats as line breaks.
const yamlBreaks = "\n\u0085\u2028\u2029"

var spaceBeforeBreak = regexp.MustCompile(" +([\n\u0085\u2028\u2029])")

// mungeLossy is Ansible's _munge_data_for_lossy_yaml: it makes a multi-line
// string printable as a literal block.
func mungeLossy(s string) string {
	s = strings.TrimRightFunc(s, isPyWhitespace)
	s = expandTabs(s)
	s = strings.Map(func(r rune) rune {
		ok := r == 10 || (r >= 32 && r <= 126) || r == 133 || (r >= 160 && r <= 55295) ||
			(r >= 57344 && r <= 65533) || (r >= 65536 && r < 1114111)
		if !ok || r == 65279 {
			return -1
		}
		return r
	}, s)
	return spaceBeforeBreak.ReplaceAllString(s, "$1")
}

// isPyWhitespace is Python's str.isspace for one character.
func isPyWhitespace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// representYAML turns a value into a node as Ansible's callback dumper does.
func representYAML(v any, lossy bool) *pyyaml.Node {
	switch x := v.(type) {
	case nil:
		return pyyaml.Typed("null", "null")
	case bool:
		return pyyaml.Typed(strconv.FormatBool(x), "bool")
	case string:
		return representYAMLString(x, lossy)
	case value.Unsafe:
		return representYAMLString(string(x), lossy)
	case value.Vaulted:
		return &pyyaml.Node{Kind: pyyaml.Scalar, Value: x.Ciphertext, Style: '|', Tag: "!vault"}
	case int:
		return pyyaml.Typed(strconv.Itoa(x), "int")
	case int64:
		return pyyaml.Typed(strconv.FormatInt(x, 10), "int")
	case float64:
		return pyyaml.Typed(pyyaml.Float(x), "float")
	case *value.Dict, map[string]any:
		n := &pyyaml.Node{Kind: pyyaml.Mapping}
		keys := append([]string(nil), value.Keys(x)...)
		sort.Strings(keys)
		for _, k := range keys {
			e, _ := value.Lookup(x, k)
			n.Pairs = append(n.Pairs, pyyaml.Pair{Key: representYAMLString(k, lossy), Value: representYAML(e, lossy)})
		}
		return n
	case []any:
		n := &pyyaml.Node{Kind: pyyaml.Sequence}
		for _, e := range x {
			n.Items = append(n.Items, representYAML(e, lossy))
		}
		return n
	case []string:
		n := &pyyaml.Node{Kind: pyyaml.Sequence}
		for _, e := range x {
			n.Items = append(n.Items, representYAMLString(e, lossy))
		}
		return n
	}
	// Other Go types take their JSON form, as in Dumps.
	j, err := value.FromJSON([]byte(Dumps(v, NoIndent, true)))
	if err != nil {
		return representYAMLString(pytext.Str(v), lossy)
	}
	return representYAML(j, lossy)
}

// representYAMLString is Ansible's _pretty_represent_str: a string with a
// line break is a literal block, munged first when lossy.
func representYAMLString(s string, lossy bool) *pyyaml.Node {
	if !strings.ContainsAny(s, yamlBreaks) {
		return pyyaml.String(s)
	}
	if lossy {
		s = mungeLossy(s)
	}
	n := pyyaml.String(s)
	n.Style = '|'
	return n
}

// DumpYAML returns v as Ansible's callbacks print it with
// result_format=yaml before indenting: yaml.dump with the given indent
// (0 for PyYAML's default of 2) and lossy string munging.
func DumpYAML(v any, indent int, lossy bool) string {
	return pyyaml.Dump(representYAML(v, lossy), pyyaml.Options{Indent: indent})
}
