// Package yamlx reads YAML the way Ansible reads it: YAML 1.1 scalars as PyYAML
// resolves them (yes/no/on/off booleans, 0755 octal, 1_000 ints), `!unsafe` and
// `!vault` tags, anchors and merge keys, insertion-ordered mappings, and
// duplicate keys kept last-wins with a warning. Errors carry file, line and column.
package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"gorun/engine/value"
)

// Error is a problem found while reading YAML, at a place in a file.
type Error struct {
	File string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based; 0 when unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Warning is reported for things Ansible warns about but accepts (duplicate keys).
type Warning struct {
	File      string
	Line, Col int
	Msg       string
}

// Doc is a parsed YAML file: its root node and where it came from.
type Doc struct {
	File     string
	Root     *yaml.Node // the document's content node; nil for an empty file
	Warnings []Warning
	// JSON reports that the file is valid JSON, which Ansible's from_yaml
	// reads with json.loads before it tries YAML: numbers are JSON's
	// ("1e3" is a float), duplicate keys are not warned about, objects
	// {"__ansible_vault": ...} and {"__ansible_unsafe": ...} are vaulted
	// and unsafe values (AnsibleJSONDecoder), and the data carries no file
	// positions and no AnsibleUnicode strings (callers decide what that
	// means for them).
	JSON bool
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses data (the contents of file) into a Doc. Only the first YAML
// document is used, as Ansible does for playbooks and vars files.
func Parse(data []byte, file string) (*Doc, error) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if err.Error() == "EOF" {
			return &Doc{File: file}, nil
		}
		return nil, syntaxError(err, data, file)
	}
	doc := &Doc{File: file, JSON: isJSON(data)}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		doc.Root = root.Content[0]
	}
	return doc, nil
}

// ParseFile reads and parses a file.
func ParseFile(path string) (*Doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

func syntaxError(err error, data []byte, file string) error {
	msg := err.Error()
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col := firstColumn(data, line)
		if strings.Contains(m[2], "found character that cannot start any token") {
			// PyYAML points at the offending character: for a line
			// indented with a tab, the first tab.
			col = tabColumn(data, line, col)
		}
		return &Error{File: file, Line: line, Col: col, Msg: m[2]}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	return &Error{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// firstColumn guesses a column for yaml.v3 errors, which only report a line:
// the first non-blank character of that line, as PyYAML usually points there.
func firstColumn(data []byte, line int) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	return len(l) - len(bytes.TrimLeft(l, " \t")) + 1
}

// tabColumn is the column of the first tab in the indentation of line,
// or col when the indentation has none.
func tabColumn(data []byte, line, col int) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return col
	}
	if i := bytes.IndexByte(lines[line-1][:col-1], '\t'); i >= 0 {
		return i + 1
	}
	return col
}

// Decode converts the document to the shared data model.
func (d *Doc) Decode() (any, error) {
	if d.Root == nil {
		return nil, nil
	}
	dc := decoder{file: d.File, json: d.JSON}
	v, err := dc.node(d.Root)
	d.Warnings = append(d.Warnings, dc.warnings...)
	return v, err
}

// DecodeNode converts one node of a document to the shared data model.
func (d *Doc) DecodeNode(n *yaml.Node) (any, error) {
	dc := decoder{file: d.File, json: d.JSON}
	v, err := dc.node(n)
	d.Warnings = append(d.Warnings, dc.warnings...)
	return v, err
}

// Load parses and decodes data in one step, as Ansible's from_yaml does
// (a document that is valid JSON is read as JSON: see Doc.JSON).
func Load(data []byte, file string) (any, []Warning, error) {
	doc, err := Parse(data, file)
	if err != nil {
		return nil, nil, err
	}
	v, err := doc.Decode()
	return v, doc.Warnings, err
}

// LoadPyYAML parses and decodes data as PyYAML alone reads it, never as
// JSON (the from_yaml filters call yaml.load, not Ansible's from_yaml).
func LoadPyYAML(data []byte, file string) (any, []Warning, error) {
	doc, err := Parse(data, file)
	if err != nil {
		return nil, nil, err
	}
	doc.JSON = false
	v, err := doc.Decode()
	return v, doc.Warnings, err
}

// LoadFile reads, parses and decodes a file.
func LoadFile(path string) (any, []Warning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Load(data, path)
}

type decoder struct {
	file     string
	json     bool // the document is JSON (Doc.JSON)
	warnings []Warning
	depth    int
}

func (dc *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	return &Error{File: dc.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func (dc *decoder) node(n *yaml.Node) (any, error) {
	dc.depth++
	defer func() { dc.depth-- }()
	if dc.depth > 10000 {
		return nil, dc.errorf(n, "YAML nesting too deep")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return dc.node(n.Content[0])
	case yaml.AliasNode:
		return dc.node(n.Alias)
	case yaml.ScalarNode:
		return dc.scalar(n)
	case yaml.SequenceNode:
		if n.Tag == "!vault" || n.Tag == "!unsafe" {
			if n.Tag == "!unsafe" {
				return dc.unsafe(n)
			}
			return nil, dc.errorf(n, "!vault must tag a string")
		}
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := dc.node(c)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.MappingNode:
		if n.Tag == "!unsafe" {
			return dc.unsafe(n)
		}
		if dc.json {
			if v, ok, err := dc.jsonTagged(n); ok || err != nil {
				return v, err
			}
		}
		return dc.mapping(n)
	}
	return nil, dc.errorf(n, "unsupported YAML node")
}

// unsafe marks every string inside n as Unsafe.
func (dc *decoder) unsafe(n *yaml.Node) (any, error) {
	v, err := dc.node(&yaml.Node{Kind: n.Kind, Style: n.Style, Value: n.Value, Content: n.Content, Line: n.Line, Column: n.Column})
	if err != nil {
		return nil, err
	}
	return markUnsafe(v), nil
}

func markUnsafe(v any) any {
	switch t := v.(type) {
	case string:
		return value.Unsafe(t)
	case []any:
		for i := range t {
			t[i] = markUnsafe(t[i])
		}
	case *value.Dict:
		for _, k := range t.Keys() {
			x, _ := t.Get(k)
			t.Set(k, markUnsafe(x))
		}
	}
	return v
}

func (dc *decoder) mapping(n *yaml.Node) (any, error) {
	d := value.NewDict(len(n.Content) / 2)
	seen := map[string]bool{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.ScalarNode && kn.Value == "<<" && (kn.Tag == "!!merge" || kn.Tag == "") {
			merges = append(merges, vn)
			continue
		}
		kv, err := dc.node(kn)
		if err != nil {
			return nil, err
		}
		key := KeyString(kv)
		if seen[key] && !dc.json {
			dc.warnings = append(dc.warnings, Warning{File: dc.file, Line: kn.Line, Col: kn.Column,
				Msg: fmt.Sprintf("While constructing a mapping from %s, line %d, column %d, found a duplicate dict key (%s). Using last defined value only.", dc.file, n.Line, n.Column, key)})
		}
		seen[key] = true
		v, err := dc.node(vn)
		if err != nil {
			return nil, err
		}
		d.Set(key, v)
	}
	// Merge keys: explicit keys win over merged ones; earlier merge sources win over later ones.
	for _, m := range merges {
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			v, err := dc.node(s)
			if err != nil {
				return nil, err
			}
			md, ok := v.(*value.Dict)
			if !ok {
				return nil, dc.errorf(s, "expected a mapping for merging")
			}
			for _, k := range md.Keys() {
				if !d.Has(k) {
					x, _ := md.Get(k)
					d.Set(k, x)
				}
			}
		}
	}
	return d, nil
}

// KeyString turns a decoded mapping key into the string Ansible would use:
// Python keys may be ints or bools; gorun's mappings are string-keyed, so they
// take Python's str() form.
func KeyString(k any) string {
	switch t := k.(type) {
	case string:
		return t
	case value.Unsafe:
		return string(t)
	case bool:
		if t {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	}
	return fmt.Sprint(k)
}

func (dc *decoder) scalar(n *yaml.Node) (any, error) {
	switch n.Tag {
	case "!unsafe":
		return value.Unsafe(n.Value), nil
	case "!vault":
		return value.Vaulted{Ciphertext: n.Value}, nil
	case "!!str", "!!binary":
		if n.Style != 0 || n.Tag == "!!binary" {
			return n.Value, nil
		}
	case "!!null":
		return nil, nil
	case "!!bool", "!!int", "!!float", "!!timestamp", "":
	default:
		if strings.HasPrefix(n.Tag, "!!") {
			return nil, dc.errorf(n, "could not determine a constructor for the tag '%s'", n.Tag)
		}
		if strings.HasPrefix(n.Tag, "!") {
			return nil, dc.errorf(n, "could not determine a constructor for the tag '%s'", n.Tag)
		}
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value, nil
	}
	if dc.json && n.Style == 0 {
		return jsonScalar(n.Value), nil
	}
	if n.Style&yaml.TaggedStyle == 0 {
		// An untagged plain scalar: yaml.v3 guessed its tag with YAML 1.2
		// rules ("1e+20" is a float there, a string in PyYAML's YAML 1.1).
		return Resolve(n.Value), nil
	}
	switch n.Tag {
	case "!!int":
		if v, ok := resolveInt(n.Value); ok {
			return v, nil
		}
		return nil, dc.errorf(n, "invalid integer %q", n.Value)
	case "!!float":
		if v, ok := resolveFloat(n.Value); ok {
			return v, nil
		}
		if v, ok := resolveInt(n.Value); ok {
			return float64(v), nil
		}
		return nil, dc.errorf(n, "invalid float %q", n.Value)
	case "!!bool":
		if v, ok := resolveBool(n.Value); ok {
			return v, nil
		}
		return nil, dc.errorf(n, "invalid boolean %q", n.Value)
	}
	return Resolve(n.Value), nil
}

// Resolve types a plain (unquoted) scalar as PyYAML's YAML 1.1 resolver does.
func Resolve(s string) any {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return nil
	}
	if b, ok := resolveBool(s); ok {
		return b
	}
	if i, ok := resolveInt(s); ok {
		return i
	}
	if f, ok := resolveFloat(s); ok {
		return f
	}
	return s
}

func resolveBool(s string) (bool, bool) {
	switch s {
	case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return true, true
	case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

var (
	intRE = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	// PyYAML's float pattern: note that "1e3" without a dot is not a float in YAML 1.1 unless it has a sign in the exponent.
	floatRE = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
)

func resolveInt(s string) (int, bool) {
	if !intRE.MatchString(s) {
		return 0, false
	}
	v := strings.ReplaceAll(s, "_", "")
	sign := 1
	if v[0] == '-' || v[0] == '+' {
		if v[0] == '-' {
			sign = -1
		}
		v = v[1:]
	}
	var n int64
	var err error
	switch {
	case v == "0":
		return 0, true
	case strings.HasPrefix(v, "0b"):
		n, err = strconv.ParseInt(v[2:], 2, 64)
	case strings.HasPrefix(v, "0x"):
		n, err = strconv.ParseInt(v[2:], 16, 64)
	case v[0] == '0':
		n, err = strconv.ParseInt(v[1:], 8, 64)
	case strings.Contains(v, ":"):
		for _, part := range strings.Split(v, ":") {
			p, _ := strconv.ParseInt(part, 10, 64)
			n = n*60 + p
		}
	default:
		n, err = strconv.ParseInt(v, 10, 64)
	}
	if err != nil {
		return 0, false
	}
	return sign * int(n), true
}

func resolveFloat(s string) (float64, bool) {
	if !floatRE.MatchString(s) {
		return 0, false
	}
	v := strings.ReplaceAll(s, "_", "")
	switch strings.ToLower(strings.TrimLeft(v, "+-")) {
	case ".inf":
		if v[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case ".nan":
		return math.NaN(), true
	}
	if strings.Contains(v, ":") {
		sign := 1.0
		if v[0] == '-' {
			sign = -1
		}
		v = strings.TrimLeft(v, "+-")
		var f float64
		for _, part := range strings.Split(v, ":") {
			p, _ := strconv.ParseFloat(part, 64)
			f = f*60 + p
		}
		return sign * f, true
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil
}
