package inventory

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// pyYAML writes v as yaml.dump(v, Dumper=AnsibleDumper,
// default_flow_style=False, allow_unicode=True) does, which is what
// "ansible-inventory --yaml" prints: block style, sorted keys, PyYAML's choice
// of plain or quoted scalars, lines folded at 80 columns, &idNNN anchors for
// lists and mappings that appear more than once, and !vault literals.
func pyYAML(v any) string {
	r := &yamlRepresenter{seen: map[any]*ynode{}}
	root := r.represent(v)
	s := &yamlSerializer{anchors: map[*ynode]string{}, visited: map[*ynode]bool{}, done: map[*ynode]bool{}}
	s.anchor(root)
	e := &yamlEmitter{s: s, whitespace: true, indention: true, indent: -1}
	e.node(root, ctxRoot)
	e.writeIndent()
	return e.out.String()
}

type ynodeKind int

const (
	yScalar ynodeKind = iota
	ySequence
	yMapping
)

// ynode is a PyYAML representation node.
type ynode struct {
	kind     ynodeKind
	tag      string // "" for the default tag of the kind, else an explicit tag such as "!vault"
	value    string
	style    byte // 0, '|'
	implicit [2]bool
	items    []*ynode    // sequence
	pairs    [][2]*ynode // mapping, sorted by key
}

type yamlRepresenter struct {
	seen map[any]*ynode // containers already represented, by identity
}

// identity returns a key that is the same for the same list or mapping
// object, as Python's id() is; nil for values PyYAML never aliases.
func identity(v any) any {
	switch t := v.(type) {
	case *value.Dict:
		return t
	case map[string]any:
		return reflect.ValueOf(t).Pointer()
	case []any:
		if len(t) == 0 {
			return nil // identity unknown in Go; PyYAML would alias a shared []
		}
		return [2]uintptr{reflect.ValueOf(t).Pointer(), uintptr(len(t))}
	}
	return nil
}

func (r *yamlRepresenter) represent(v any) *ynode {
	id := identity(v)
	if id != nil {
		if n, ok := r.seen[id]; ok {
			return n
		}
	}
	var n *ynode
	switch t := v.(type) {
	case nil:
		n = scalarNode("null", "null")
	case bool:
		if t {
			n = scalarNode("true", "bool")
		} else {
			n = scalarNode("false", "bool")
		}
	case int:
		n = scalarNode(strconv.Itoa(t), "int")
	case float64:
		n = scalarNode(yamlFloat(t), "float")
	case string:
		n = scalarNode(t, "str")
	case value.Unsafe:
		n = scalarNode(string(t), "str")
	case value.Vaulted:
		n = &ynode{kind: yScalar, tag: "!vault", value: t.Ciphertext, style: '|'}
	case []any:
		n = &ynode{kind: ySequence}
		if id != nil {
			r.seen[id] = n
		}
		for _, x := range t {
			n.items = append(n.items, r.represent(x))
		}
		return n
	default:
		if !value.IsMapping(v) {
			n = scalarNode(fmt.Sprint(v), "str")
			break
		}
		n = &ynode{kind: yMapping}
		if id != nil {
			r.seen[id] = n
		}
		keys := append([]string(nil), value.Keys(v)...)
		sort.Strings(keys)
		for _, k := range keys {
			x, _ := value.Lookup(v, k)
			n.pairs = append(n.pairs, [2]*ynode{scalarNode(k, "str"), r.represent(x)})
		}
		return n
	}
	return n
}

// scalarNode makes a scalar with the implicit flags PyYAML's serializer
// computes: whether the text resolves back to its tag when plain.
func scalarNode(text, tag string) *ynode {
	return &ynode{kind: yScalar, value: text, implicit: [2]bool{yamlResolve(text) == tag, tag == "str"}}
}

// yamlFloat is SafeRepresenter.represent_float.
func yamlFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return ".nan"
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	}
	s := strings.ToLower(pyFloatRepr(f))
	if !strings.Contains(s, ".") && strings.Contains(s, "e") {
		s = strings.Replace(s, "e", ".0e", 1)
	}
	return s
}

// PyYAML's implicit resolvers (yaml/resolver.py), used to decide whether a
// string needs quotes.
var yamlResolvers = []struct {
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

// yamlResolve is Resolver.resolve for a plain scalar: the tag it would load as.
func yamlResolve(s string) string {
	if s == "" {
		return "null"
	}
	for _, r := range yamlResolvers {
		if strings.ContainsRune(r.first, []rune(s)[0]) && r.re.MatchString(s) {
			return r.tag
		}
	}
	return "str"
}

// yamlSerializer assigns anchors to nodes reached more than once, numbered
// in the order the second visits happen (Serializer.anchor_node).
type yamlSerializer struct {
	anchors map[*ynode]string
	visited map[*ynode]bool
	done    map[*ynode]bool // already emitted: later uses are aliases
	last    int
}

func (s *yamlSerializer) anchor(n *ynode) {
	if s.visited[n] {
		if s.anchors[n] == "" {
			s.last++
			s.anchors[n] = fmt.Sprintf("id%03d", s.last)
		}
		return
	}
	s.visited[n] = true
	for _, it := range n.items {
		s.anchor(it)
	}
	for _, p := range n.pairs {
		s.anchor(p[0])
		s.anchor(p[1])
	}
}
