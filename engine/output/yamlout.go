package output

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// This file reproduces what Ansible's callbacks print with
// result_format=yaml: yaml.dump with CSafeDumper, that is libyaml's emitter
// (sorted keys, block style, allow_unicode), with Ansible's representer that
// writes multi-line strings as literal blocks. Only the parts of the emitter
// that Ansible's data reach are ported: block mappings and sequences, empty
// flow collections, and the plain, quoted and literal scalar styles, with
// libyaml's line folding at 80 columns.

// yamlImplicit are PyYAML's implicit resolvers: a plain scalar matching one
// would read back as something other than a string, so strings like these
// are quoted.
var yamlImplicit = []*regexp.Regexp{
	regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`),
	regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`),
	regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`),
	regexp.MustCompile(`^(?:<<)$`),
	regexp.MustCompile(`^(?:~|null|Null|NULL|)$`),
	regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`),
	regexp.MustCompile(`^(?:=)$`),
}

// resolvesToNonString reports whether PyYAML would read s, written plain,
// as something other than a string. Python's "$" also matches before a
// final newline.
func resolvesToNonString(s string) bool {
	// Like PyYAML, try the resolvers only for the first characters they
	// can match: most strings are keys and words that need no regexp.
	if s != "" && !strings.ContainsRune("yYnNtTfFoO-+0123456789.~<=", rune(s[0])) {
		return false
	}
	for _, re := range yamlImplicit {
		if re.MatchString(s) || (strings.HasSuffix(s, "\n") && re.MatchString(s[:len(s)-1])) {
			return true
		}
	}
	return false
}

// yamlNode is a represented value: a scalar, a sequence or a mapping.
type yamlNode struct {
	kind  byte // 's' scalar, 'l' sequence, 'm' mapping
	value string
	// plainOK is implicit[0]: the scalar may be written plain.
	plainOK bool
	// style is the requested style: 0 (any) or '|'.
	style byte
	tag   string // an explicit tag to write, such as !vault
	items []*yamlNode
	keys  []*yamlNode
}

// yamlBreaks are the characters Ansible's representer treats as line breaks.
const yamlBreaks = "\n\u0085\u2028\u2029"

// isYAMLBreak is libyaml's IS_BREAK.
func isYAMLBreak(r rune) bool { return r == '\r' || strings.ContainsRune(yamlBreaks, r) }

// isYAMLPrintable is libyaml's IS_PRINTABLE: no control characters, no
// characters outside the Basic Multilingual Plane, no BOM.
func isYAMLPrintable(r rune) bool {
	return r == '\n' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) ||
		(r >= 0xe000 && r <= 0xfffd && r != 0xfeff)
}

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
func representYAML(v any, lossy bool) *yamlNode {
	scalar := func(s string) *yamlNode { return &yamlNode{kind: 's', value: s, plainOK: true} }
	switch x := v.(type) {
	case nil:
		return scalar("null")
	case bool:
		if x {
			return scalar("true")
		}
		return scalar("false")
	case string:
		return representYAMLString(x, lossy)
	case value.Unsafe:
		return representYAMLString(string(x), lossy)
	case value.Vaulted:
		return &yamlNode{kind: 's', value: x.Ciphertext, style: '|', tag: "!vault"}
	case int:
		return scalar(strconv.Itoa(x))
	case int64:
		return scalar(strconv.FormatInt(x, 10))
	case float64:
		return scalar(yamlFloat(x))
	case *value.Dict, map[string]any:
		n := &yamlNode{kind: 'm'}
		for _, k := range sortedCopy(value.Keys(x)) {
			e, _ := value.Lookup(x, k)
			n.keys = append(n.keys, representYAMLString(k, lossy))
			n.items = append(n.items, representYAML(e, lossy))
		}
		return n
	case []any:
		n := &yamlNode{kind: 'l'}
		for _, e := range x {
			n.items = append(n.items, representYAML(e, lossy))
		}
		return n
	case []string:
		n := &yamlNode{kind: 'l'}
		for _, e := range x {
			n.items = append(n.items, representYAMLString(e, lossy))
		}
		return n
	}
	// Other Go types take their JSON form, as in Dumps.
	j, err := value.FromJSON([]byte(Dumps(v, NoIndent, true)))
	if err != nil {
		return representYAMLString(pyStr(v), lossy)
	}
	return representYAML(j, lossy)
}

// representYAMLString is Ansible's _pretty_represent_str.
func representYAMLString(s string, lossy bool) *yamlNode {
	n := &yamlNode{kind: 's', value: s, plainOK: !resolvesToNonString(s)}
	if strings.ContainsAny(s, yamlBreaks) {
		n.style = '|'
		if lossy {
			n.value = mungeLossy(s)
			n.plainOK = !resolvesToNonString(n.value)
		}
	}
	return n
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
	s := strings.ToLower(PyFloat(f))
	if !strings.Contains(s, ".") && strings.Contains(s, "e") {
		s = strings.Replace(s, "e", ".0e", 1)
	}
	return s
}

// DumpYAML returns v as Ansible's callbacks print it with
// result_format=yaml before indenting: yaml.dump with the given indent
// (0 for PyYAML's default of 2) and lossy string munging.
func DumpYAML(v any, indent int, lossy bool) string {
	e := &yamlEmitter{bestIndent: 2, bestWidth: 80, indent: -1, whitespace: true, indention: true}
	if indent > 1 && indent < 10 {
		e.bestIndent = indent
	}
	e.node(representYAML(v, lossy), true, false, false, false)
	e.writeIndent()
	// A literal kept with "+" (or a plain root scalar) leaves the document
	// open-ended; libyaml then closes it with "...".
	if e.openEnded {
		e.writeIndicator("...", true, false, false)
		e.writeIndent()
	}
	return e.b.String()
}

// yamlEmitter is the state of libyaml's emitter that matters here.
type yamlEmitter struct {
	b          strings.Builder
	bestIndent int
	bestWidth  int
	indent     int // -1 is None
	indents    []int
	column     int
	whitespace bool
	indention  bool
	openEnded  bool
	flowLevel  int

	root, sequence, mapping, simpleKey bool
}

func (e *yamlEmitter) write(s string) {
	e.b.WriteString(s)
	e.column += runeLen(s)
}

func (e *yamlEmitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	switch {
	case e.indent < 0 && flow:
		e.indent = e.bestIndent
	case e.indent < 0:
		e.indent = 0
	case !indentless:
		e.indent += e.bestIndent
	}
}

func (e *yamlEmitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

func (e *yamlEmitter) node(n *yamlNode, root, sequence, mapping, simpleKey bool) {
	e.root, e.sequence, e.mapping, e.simpleKey = root, sequence, mapping, simpleKey
	switch n.kind {
	case 's':
		e.increaseIndent(true, false)
		e.scalar(n)
		e.popIndent()
	case 'l':
		if e.flowLevel > 0 || len(n.items) == 0 {
			e.emptyFlow("[", "]")
			return
		}
		e.increaseIndent(false, e.mapping && !e.indention)
		for _, it := range n.items {
			e.writeIndent()
			e.writeIndicator("-", true, false, true)
			e.node(it, false, true, false, false)
		}
		e.popIndent()
	case 'm':
		if e.flowLevel > 0 || len(n.items) == 0 {
			e.emptyFlow("{", "}")
			return
		}
		e.increaseIndent(false, false)
		for i, k := range n.keys {
			e.writeIndent()
			// libyaml's check_simple_key: one line, at most 128 bytes.
			if a := analyzeScalar(k.value); len(k.value) <= 128 && !a.multiline {
				e.node(k, false, false, true, true)
				e.writeIndicator(":", false, false, false)
			} else {
				e.writeIndicator("?", true, false, true)
				e.node(k, false, false, true, false)
				e.writeIndent()
				e.writeIndicator(":", true, false, true)
			}
			e.node(n.items[i], false, false, true, false)
		}
		e.popIndent()
	}
}

// emptyFlow writes an empty flow collection, "[]" or "{}".
func (e *yamlEmitter) emptyFlow(open, close string) {
	e.writeIndicator(open, true, true, false)
	e.flowLevel++
	e.increaseIndent(true, false)
	e.popIndent()
	e.flowLevel--
	e.writeIndicator(close, false, false, false)
}

func (e *yamlEmitter) writeIndicator(ind string, needWhitespace, whitespace, indention bool) {
	if !e.whitespace && needWhitespace {
		ind = " " + ind
	}
	e.whitespace = whitespace
	e.indention = e.indention && indention
	e.write(ind)
}

func (e *yamlEmitter) writeIndent() {
	indent := e.indent
	if indent < 0 {
		indent = 0
	}
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.writeLineBreak("\n")
	}
	if e.column < indent {
		e.write(strings.Repeat(" ", indent-e.column))
	}
	e.whitespace, e.indention = true, true
}

func (e *yamlEmitter) writeLineBreak(br string) {
	e.whitespace = true
	e.indention = true
	e.b.WriteString(br)
	e.column = 0
}

// lineBreak writes a break character found in a scalar.
func (e *yamlEmitter) lineBreak(r rune) {
	if r == '\n' {
		e.writeLineBreak("\n")
	} else {
		e.writeLineBreak(string(r))
	}
}

// scalarAnalysis is libyaml's scalar analysis.
type scalarAnalysis struct {
	empty, multiline                                bool
	flowPlain, blockPlain, singleQuoted, allowBlock bool
}

// analyzeScalar is yaml_emitter_analyze_scalar with unicode allowed.
func analyzeScalar(s string) scalarAnalysis {
	if s == "" {
		return scalarAnalysis{empty: true, blockPlain: true, singleQuoted: true}
	}
	rs := []rune(s)
	var blockInd, flowInd, lineBreaks, special bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd, flowInd = true, true
	}
	blankz := func(r rune) bool { return r == 0 || r == ' ' || r == '\t' || isYAMLBreak(r) }
	precededByWS := true
	followedByWS := len(rs) == 1 || blankz(rs[1])
	prevSpace, prevBreak := false, false
	for i, ch := range rs {
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", ch) {
				flowInd, blockInd = true, true
			}
			if ch == '?' || ch == ':' {
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			}
			if ch == '-' && followedByWS {
				flowInd, blockInd = true, true
			}
		} else {
			if strings.ContainsRune(",?[]{}", ch) {
				flowInd = true
			}
			if ch == ':' {
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			}
			if ch == '#' && precededByWS {
				flowInd, blockInd = true, true
			}
		}
		if !isYAMLPrintable(ch) {
			special = true
		}
		if isYAMLBreak(ch) {
			lineBreaks = true
		}
		switch {
		case ch == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i == len(rs)-1 {
				trailingSpace = true
			}
			if prevBreak {
				breakSpace = true
			}
			prevSpace, prevBreak = true, false
		case isYAMLBreak(ch):
			if i == 0 {
				leadingBreak = true
			}
			if i == len(rs)-1 {
				trailingBreak = true
			}
			if prevSpace {
				spaceBreak = true
			}
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		precededByWS = blankz(ch)
		if i+1 < len(rs) {
			followedByWS = i+2 >= len(rs) || blankz(rs[i+2])
		}
	}
	a := scalarAnalysis{multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, allowBlock: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
		a.flowPlain, a.blockPlain = false, false
	}
	if trailingSpace {
		a.allowBlock = false
	}
	if breakSpace {
		a.flowPlain, a.blockPlain, a.singleQuoted = false, false, false
	}
	if spaceBreak || special {
		a.flowPlain, a.blockPlain, a.singleQuoted, a.allowBlock = false, false, false, false
	}
	if lineBreaks {
		a.flowPlain, a.blockPlain = false, false
	}
	if flowInd {
		a.flowPlain = false
	}
	if blockInd {
		a.blockPlain = false
	}
	return a
}

// chooseStyle is yaml_emitter_select_scalar_style: 0 for plain, '\”, '"' or '|'.
func (e *yamlEmitter) chooseStyle(n *yamlNode, a scalarAnalysis) byte {
	style := n.style
	if e.simpleKey && a.multiline {
		style = '"'
	}
	if style == 0 {
		if (e.flowLevel > 0 && !a.flowPlain) || (e.flowLevel == 0 && !a.blockPlain) {
			style = '\''
		}
		if a.empty && (e.flowLevel > 0 || e.simpleKey) {
			style = '\''
		}
		if !n.plainOK {
			style = '\''
		}
	}
	if style == '\'' && !a.singleQuoted {
		style = '"'
	}
	if style == '|' && (!a.allowBlock || e.flowLevel > 0 || e.simpleKey) {
		style = '"'
	}
	return style
}

func (e *yamlEmitter) scalar(n *yamlNode) {
	a := analyzeScalar(n.value)
	style := e.chooseStyle(n, a)
	if n.tag != "" {
		e.writeIndicator(n.tag, true, false, false)
	}
	split := !e.simpleKey
	switch style {
	case '"':
		e.writeDoubleQuoted(n.value, split)
	case '\'':
		e.writeSingleQuoted(n.value, split)
	case '|':
		e.writeLiteral(n.value)
	default:
		e.writePlain(n.value, split)
	}
}

// writeBreak is libyaml's WRITE_BREAK for a break character of a scalar.
func (e *yamlEmitter) writeBreak(r rune) {
	if r == '\n' {
		e.writeLineBreak("\n")
		return
	}
	e.b.WriteString(string(r))
	e.column = 0
}

func (e *yamlEmitter) writePlain(text string, split bool) {
	rs := []rune(text)
	if !e.whitespace && (len(rs) > 0 || e.flowLevel > 0) {
		e.write(" ")
	}
	spaces, breaks := false, false
	for i, ch := range rs {
		switch {
		case ch == ' ':
			if split && !spaces && e.column > e.bestWidth && !(i+1 < len(rs) && rs[i+1] == ' ') {
				e.writeIndent()
			} else {
				e.write(" ")
			}
			spaces = true
		case isYAMLBreak(ch):
			if !breaks && ch == '\n' {
				e.writeLineBreak("\n")
			}
			e.writeBreak(ch)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			e.write(string(ch))
			e.indention = false
			spaces, breaks = false, false
		}
	}
	e.whitespace, e.indention = false, false
	if e.root {
		e.openEnded = true
	}
}

func (e *yamlEmitter) writeSingleQuoted(text string, split bool) {
	e.writeIndicator("'", true, false, false)
	rs := []rune(text)
	spaces, breaks := false, false
	for i, ch := range rs {
		switch {
		case ch == ' ':
			if split && !spaces && e.column > e.bestWidth && i != 0 && i != len(rs)-1 &&
				!(i+1 < len(rs) && rs[i+1] == ' ') {
				e.writeIndent()
			} else {
				e.write(" ")
			}
			spaces = true
		case isYAMLBreak(ch):
			if !breaks && ch == '\n' {
				e.writeLineBreak("\n")
			}
			e.writeBreak(ch)
			e.indention = true
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			if ch == '\'' {
				e.write("'")
			}
			e.write(string(ch))
			e.indention = false
			spaces, breaks = false, false
		}
	}
	if breaks {
		e.writeIndent()
	}
	e.writeIndicator("'", false, false, false)
	e.whitespace, e.indention = false, false
}

// yamlEscapes are libyaml's short escapes in double-quoted scalars.
var yamlEscapes = map[rune]string{
	0: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0a: "n", 0x0b: "v", 0x0c: "f", 0x0d: "r",
	0x1b: "e", '"': "\"", '\\': "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P",
}

func (e *yamlEmitter) writeDoubleQuoted(text string, split bool) {
	e.writeIndicator("\"", true, false, false)
	rs := []rune(text)
	spaces := false
	for i, ch := range rs {
		switch {
		case !isYAMLPrintable(ch) || ch == 0xfeff || isYAMLBreak(ch) || ch == '"' || ch == '\\':
			var data string
			if esc, ok := yamlEscapes[ch]; ok {
				data = "\\" + esc
			} else if ch <= 0xff {
				data = fmt.Sprintf("\\x%02X", ch)
			} else if ch <= 0xffff {
				data = fmt.Sprintf("\\u%04X", ch)
			} else {
				data = fmt.Sprintf("\\U%08X", ch)
			}
			e.write(data)
			spaces = false
		case ch == ' ':
			if split && !spaces && e.column > e.bestWidth && i != 0 && i != len(rs)-1 {
				e.writeIndent()
				if i+1 < len(rs) && rs[i+1] == ' ' {
					e.write("\\")
				}
			} else {
				e.write(" ")
			}
			spaces = true
		default:
			e.write(string(ch))
			spaces = false
		}
	}
	e.writeIndicator("\"", false, false, false)
	e.whitespace, e.indention = false, false
}

// writeBlockHints is yaml_emitter_write_block_scalar_hints.
func (e *yamlEmitter) writeBlockHints(rs []rune) {
	if len(rs) > 0 && (rs[0] == ' ' || isYAMLBreak(rs[0])) {
		e.writeIndicator(strconv.Itoa(e.bestIndent), false, false, false)
	}
	e.openEnded = false
	chomp := ""
	switch n := len(rs); {
	case n == 0 || !isYAMLBreak(rs[n-1]):
		chomp = "-"
	case n == 1 || isYAMLBreak(rs[n-2]):
		chomp = "+"
		e.openEnded = true
	}
	if chomp != "" {
		e.writeIndicator(chomp, false, false, false)
	}
}

func (e *yamlEmitter) writeLiteral(text string) {
	rs := []rune(text)
	e.writeIndicator("|", true, false, false)
	e.writeBlockHints(rs)
	e.writeLineBreak("\n")
	e.indention, e.whitespace = true, true
	breaks := true
	for _, ch := range rs {
		if isYAMLBreak(ch) {
			e.writeBreak(ch)
			e.indention = true
			breaks = true
			continue
		}
		if breaks {
			e.writeIndent()
		}
		e.write(string(ch))
		e.indention = false
		breaks = false
	}
}
