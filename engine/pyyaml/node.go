// Package pyyaml writes YAML as Ansible writes it: yaml.dump with Ansible's
// dumpers, which are PyYAML's CSafeDumper, that is libyaml's emitter. The
// caller represents its values as a tree of Nodes (its own representer);
// Dump serializes the tree (anchors for nodes reached twice) and emits it
// with libyaml's choice of scalar styles, its indentation and its line
// folding, so that the text is the same to the byte.
package pyyaml

import (
	"regexp"
	"strings"

	"gorun/engine/pytext"
)

// Kind is the kind of a Node.
type Kind int

// The kinds of nodes.
const (
	Scalar Kind = iota
	Sequence
	Mapping
)

// Node is a representation node, as PyYAML's representer makes them.
type Node struct {
	Kind Kind
	// Value is a scalar's text.
	Value string
	// Tag is an explicit tag written before a scalar, such as "!vault";
	// "" writes none.
	Tag string
	// Plain is PyYAML's implicit[0]: the text reads back as the node's type
	// when written plain. A string that would read as something else
	// ("yes", "1.0", "null") is not Plain, and is quoted.
	Plain bool
	// Style is the requested scalar style: 0 (plain where libyaml allows
	// it), a single or double quote, or '|' (a literal). libyaml falls back
	// to a quoted style where the requested one cannot hold the text.
	Style byte
	// Flow asks for a non-empty collection in flow style ([a, b], {k: v}).
	// Empty collections are always written in flow style.
	Flow bool
	// Items are a sequence's items.
	Items []*Node
	// Pairs are a mapping's keys and values, in the order they are written.
	Pairs []Pair
}

// Pair is one key and value of a mapping Node.
type Pair struct {
	Key, Value *Node
}

// String returns a scalar node for a string, quoted when plain it would
// read as another type.
func String(s string) *Node {
	return &Node{Kind: Scalar, Value: s, Plain: Resolve(s) == "str"}
}

// Typed returns a scalar node for the text of a value of the given
// resolver tag ("null", "bool", "int", "float").
func Typed(text, tag string) *Node {
	return &Node{Kind: Scalar, Value: text, Plain: Resolve(text) == tag}
}

// Float is SafeRepresenter.represent_float: ".nan", ".inf", "-.inf", or
// Python's repr of f in lower case with an exponent always after a fraction
// ("1e+16" becomes "1.0e+16").
func Float(f float64) string {
	s := pytext.FloatRepr(f)
	switch s {
	case "nan":
		return ".nan"
	case "inf":
		return ".inf"
	case "-inf":
		return "-.inf"
	}
	s = strings.ToLower(s)
	if !strings.Contains(s, ".") && strings.Contains(s, "e") {
		s = strings.Replace(s, "e", ".0e", 1)
	}
	return s
}

// resolvers are PyYAML's implicit resolvers (yaml/resolver.py) in their
// order, with the first characters each can match.
var resolvers = []struct {
	tag   string
	first string
	re    *regexp.Regexp
}{
	{"bool", "yYnNtTfFoO", regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)},
	{"float", "-+0123456789.", regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)},
	{"int", "-+0123456789", regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)},
	{"merge", "<", regexp.MustCompile(`^(?:<<)$`)},
	{"null", "~nN", regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)},
	{"timestamp", "0123456789", regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)},
	{"value", "=", regexp.MustCompile(`^(?:=)$`)},
	{"yaml", "!&*", regexp.MustCompile(`^(?:!|&|\*)$`)},
}

// Resolve is PyYAML's Resolver.resolve for a plain scalar: the tag ("str",
// "int", "bool", ...) that s, written plain, reads back as. Python's "$"
// also matches before a final newline, and so does it here.
func Resolve(s string) string {
	if s == "" {
		return "null"
	}
	for _, r := range resolvers {
		if !strings.ContainsRune(r.first, []rune(s)[0]) {
			continue
		}
		if r.re.MatchString(s) || (strings.HasSuffix(s, "\n") && r.re.MatchString(s[:len(s)-1])) {
			return r.tag
		}
	}
	return "str"
}
