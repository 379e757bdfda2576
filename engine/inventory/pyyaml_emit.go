package inventory

import (
	"fmt"
	"strings"
)

// This file ports the parts of libyaml's emitter that block-style dumps use
// (Ansible dumps with PyYAML's CSafeDumper, i.e. libyaml), keeping its column
// bookkeeping so that lines fold exactly where libyaml folds them. The
// structure follows PyYAML's emitter.py, which mirrors libyaml's.

const (
	yamlBestIndent = 2
	yamlBestWidth  = 80
)

type yamlCtx int

const (
	ctxRoot yamlCtx = iota
	ctxSequence
	ctxMapping
	ctxSimpleKey
)

type yamlEmitter struct {
	s          *yamlSerializer
	out        strings.Builder
	column     int
	whitespace bool
	indention  bool
	indent     int // -1 is PyYAML's None
	indents    []int
	flowLevel  int
	mapping    bool // mapping_context
	simpleKey  bool // simple_key_context
}

func (e *yamlEmitter) write(s string) {
	e.out.WriteString(s)
	e.column += len([]rune(s))
}

func (e *yamlEmitter) increaseIndent(flow, indentless bool) {
	e.indents = append(e.indents, e.indent)
	if e.indent < 0 {
		if flow {
			e.indent = yamlBestIndent
		} else {
			e.indent = 0
		}
	} else if !indentless {
		e.indent += yamlBestIndent
	}
}

func (e *yamlEmitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
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
		e.writeLineBreak()
	}
	if e.column < indent {
		e.whitespace = true
		e.write(strings.Repeat(" ", indent-e.column))
	}
}

func (e *yamlEmitter) writeLineBreak() {
	e.whitespace = true
	e.indention = true
	e.out.WriteByte('\n')
	e.column = 0
}

// node is expect_node.
func (e *yamlEmitter) node(n *ynode, ctx yamlCtx) {
	e.mapping = ctx == ctxMapping || ctx == ctxSimpleKey
	e.simpleKey = ctx == ctxSimpleKey
	anchor := e.s.anchors[n]
	if e.s.done[n] {
		e.writeIndicator("*"+anchor, true, false, false)
		return
	}
	e.s.done[n] = true
	if anchor != "" {
		e.writeIndicator("&"+anchor, true, false, false)
	}
	switch n.kind {
	case yScalar:
		e.scalar(n)
	case ySequence:
		if e.flowLevel > 0 || len(n.items) == 0 {
			e.emptyFlow("[", "]")
		} else {
			e.blockSequence(n)
		}
	case yMapping:
		if e.flowLevel > 0 || len(n.pairs) == 0 {
			e.emptyFlow("{", "}")
		} else {
			e.blockMapping(n)
		}
	}
}

// emptyFlow writes [] or {}: block dumps use flow style only for empty collections.
func (e *yamlEmitter) emptyFlow(open, close string) {
	e.writeIndicator(open, true, true, false)
	e.flowLevel++
	e.increaseIndent(true, false)
	e.popIndent()
	e.flowLevel--
	e.writeIndicator(close, false, false, false)
}

func (e *yamlEmitter) blockSequence(n *ynode) {
	indentless := e.mapping && !e.indention
	e.increaseIndent(false, indentless)
	for _, it := range n.items {
		e.writeIndent()
		e.writeIndicator("-", true, false, true)
		e.node(it, ctxSequence)
	}
	e.popIndent()
}

func (e *yamlEmitter) blockMapping(n *ynode) {
	e.increaseIndent(false, false)
	for _, p := range n.pairs {
		e.writeIndent()
		if e.checkSimpleKey(p[0]) {
			e.node(p[0], ctxSimpleKey)
			e.writeIndicator(":", false, false, false)
		} else {
			e.writeIndicator("?", true, false, true)
			e.node(p[0], ctxMapping)
			e.writeIndent()
			e.writeIndicator(":", true, false, true)
		}
		e.node(p[1], ctxMapping)
	}
	e.popIndent()
}

// checkSimpleKey is libyaml's yaml_emitter_check_simple_key.
func (e *yamlEmitter) checkSimpleKey(n *ynode) bool {
	length := len(e.s.anchors[n])
	if e.s.done[n] {
		return length <= 128 // an alias
	}
	length += len(n.tag)
	switch n.kind {
	case yScalar:
		if analyzeScalar(n.value).multiline {
			return false
		}
		return length+len(n.value) <= 128
	case ySequence:
		return len(n.items) == 0 && length <= 128
	default:
		return len(n.pairs) == 0 && length <= 128
	}
}

func (e *yamlEmitter) scalar(n *ynode) {
	a := analyzeScalar(n.value)
	style := e.chooseStyle(n, a)
	if n.tag != "" {
		e.writeIndicator(n.tag, true, false, false)
	}
	e.increaseIndent(true, false)
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
	e.popIndent()
}

// chooseStyle is libyaml's yaml_emitter_select_scalar_style; 0 is plain.
// A string that would load as another type when plain (implicit[0] false)
// is quoted.
func (e *yamlEmitter) chooseStyle(n *ynode, a scalarAnalysis) byte {
	style := n.style
	if e.simpleKey && a.multiline {
		style = '"'
	}
	if style == 0 {
		if (e.flowLevel > 0 && !a.allowFlowPlain) || (e.flowLevel == 0 && !a.allowBlockPlain) {
			style = '\''
		}
		if n.value == "" && (e.flowLevel > 0 || e.simpleKey) {
			style = '\''
		}
		if n.tag == "" && !n.implicit[0] {
			style = '\''
		}
	}
	if style == '\'' && !a.allowSingleQuoted {
		style = '"'
	}
	if style == '|' && (!a.allowBlock || e.flowLevel > 0 || e.simpleKey) {
		style = '"'
	}
	return style
}

type scalarAnalysis struct {
	multiline                       bool
	allowFlowPlain, allowBlockPlain bool
	allowSingleQuoted, allowBlock   bool
}

// libyaml's character classes.
func isYAMLBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}
func isYAMLBlank(r rune) bool  { return r == ' ' || r == '\t' }
func isYAMLBlankz(r rune) bool { return isYAMLBlank(r) || isYAMLBreak(r) || r == 0 }
func isYAMLPrintable(r rune) bool {
	return r == '\n' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) ||
		(r >= 0xe000 && r <= 0xfffd && r != 0xfeff)
}

// analyzeScalar is libyaml's yaml_emitter_analyze_scalar with unicode output.
func analyzeScalar(s string) scalarAnalysis {
	if s == "" {
		return scalarAnalysis{allowBlockPlain: true, allowSingleQuoted: true}
	}
	rs := []rune(s)
	var blockInd, flowInd, lineBreaks, special bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd, flowInd = true, true
	}
	precededByWS := true
	prevSpace, prevBreak := false, false
	for i, ch := range rs {
		followedByWS := i+1 >= len(rs) || isYAMLBlankz(rs[i+1])
		if i == 0 {
			switch {
			case strings.ContainsRune("#,[]{}&*!|>'\"%@`", ch):
				flowInd, blockInd = true, true
			case ch == '?' || ch == ':':
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			case ch == '-' && followedByWS:
				flowInd, blockInd = true, true
			}
		} else {
			switch {
			case strings.ContainsRune(",?[]{}", ch):
				flowInd = true
			case ch == ':':
				flowInd = true
				if followedByWS {
					blockInd = true
				}
			case ch == '#' && precededByWS:
				flowInd, blockInd = true, true
			}
		}
		if !isYAMLPrintable(ch) {
			special = true // tabs, controls, BOM and characters beyond the BMP
		}
		switch {
		case ch == ' ':
			leadingSpace = leadingSpace || i == 0
			trailingSpace = trailingSpace || i == len(rs)-1
			breakSpace = breakSpace || prevBreak
			prevSpace, prevBreak = true, false
		case isYAMLBreak(ch):
			lineBreaks = true
			leadingBreak = leadingBreak || i == 0
			trailingBreak = trailingBreak || i == len(rs)-1
			spaceBreak = spaceBreak || prevSpace
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		precededByWS = isYAMLBlankz(ch)
	}
	a := scalarAnalysis{multiline: lineBreaks, allowFlowPlain: true, allowBlockPlain: true, allowSingleQuoted: true, allowBlock: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
		a.allowFlowPlain, a.allowBlockPlain = false, false
	}
	if trailingSpace {
		a.allowBlock = false
	}
	if breakSpace {
		a.allowFlowPlain, a.allowBlockPlain, a.allowSingleQuoted = false, false, false
	}
	if spaceBreak || special {
		a.allowFlowPlain, a.allowBlockPlain, a.allowSingleQuoted, a.allowBlock = false, false, false, false
	}
	if lineBreaks {
		a.allowFlowPlain, a.allowBlockPlain = false, false
	}
	if flowInd {
		a.allowFlowPlain = false
	}
	if blockInd {
		a.allowBlockPlain = false
	}
	return a
}

// writeBreak is libyaml's WRITE_BREAK: a "\n" (or "\r\n") in the text becomes a
// line break, other break characters are copied.
func (e *yamlEmitter) writeBreak(r rune) {
	if r == '\n' || r == '\r' {
		e.writeLineBreak()
		return
	}
	e.out.WriteRune(r)
	e.column = 0
	e.whitespace, e.indention = true, true
}

func (e *yamlEmitter) writePlain(text string, split bool) {
	rs := []rune(text)
	if len(rs) > 0 && !e.whitespace {
		e.write(" ")
	}
	spaces, breaks := false, false
	for i := 0; i < len(rs); i++ {
		ch := rs[i]
		switch {
		case ch == ' ':
			if split && !spaces && e.column > yamlBestWidth && !(i+1 < len(rs) && rs[i+1] == ' ') {
				e.writeIndent()
			} else {
				e.write(" ")
			}
			spaces = true
		case isYAMLBreak(ch):
			if !breaks && ch == '\n' {
				e.writeLineBreak()
			}
			e.writeBreak(ch)
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
	if len(rs) > 0 {
		e.whitespace = false
	}
	e.indention = false
}

func (e *yamlEmitter) writeSingleQuoted(text string, split bool) {
	e.writeIndicator("'", true, false, false)
	rs := []rune(text)
	spaces, breaks := false, false
	for i := 0; i < len(rs); i++ {
		ch := rs[i]
		switch {
		case ch == ' ':
			if split && !spaces && e.column > yamlBestWidth && i > 0 && i < len(rs)-1 && rs[i+1] != ' ' {
				e.writeIndent()
			} else {
				e.write(" ")
			}
			spaces = true
		case isYAMLBreak(ch):
			if !breaks && ch == '\n' {
				e.writeLineBreak()
			}
			e.writeBreak(ch)
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
		e.writeIndent() // libyaml indents the closing quote after a final line break
	}
	e.writeIndicator("'", false, false, false)
	e.whitespace, e.indention = false, false
}

var yamlEscapes = map[rune]string{
	0: "0", '\x07': "a", '\x08': "b", '\x09': "t", '\x0a': "n", '\x0b': "v", '\x0c': "f",
	'\x0d': "r", '\x1b': "e", '"': "\"", '\\': "\\", '\u0085': "N", '\u00a0': "_", '\u2028': "L", '\u2029': "P",
}

func (e *yamlEmitter) writeDoubleQuoted(text string, split bool) {
	e.writeIndicator("\"", true, false, false)
	rs := []rune(text)
	spaces := false
	for i := 0; i < len(rs); i++ {
		ch := rs[i]
		switch {
		case !isYAMLPrintable(ch) || ch == 0xfeff || isYAMLBreak(ch) || ch == '"' || ch == '\\':
			if esc, ok := yamlEscapes[ch]; ok {
				e.write("\\" + esc)
			} else if ch <= 0xff {
				e.write(fmt.Sprintf("\\x%02X", ch))
			} else if ch <= 0xffff {
				e.write(fmt.Sprintf("\\u%04X", ch))
			} else {
				e.write(fmt.Sprintf("\\U%08X", ch))
			}
			spaces = false
		case ch == ' ':
			if split && !spaces && e.column > yamlBestWidth && i > 0 && i < len(rs)-1 {
				e.writeIndent()
				if rs[i+1] == ' ' {
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

func (e *yamlEmitter) writeLiteral(text string) {
	rs := []rune(text)
	hints := ""
	if len(rs) > 0 {
		if rs[0] == ' ' || isYAMLBreak(rs[0]) {
			hints += fmt.Sprint(yamlBestIndent)
		}
		if !isYAMLBreak(rs[len(rs)-1]) {
			hints += "-"
		} else if len(rs) == 1 || isYAMLBreak(rs[len(rs)-2]) {
			hints += "+"
		}
	}
	e.writeIndicator("|"+hints, true, false, false)
	e.writeLineBreak()
	breaks := true
	start := 0
	for end := 0; end <= len(rs); end++ {
		var ch rune = -1
		if end < len(rs) {
			ch = rs[end]
		}
		if breaks {
			if ch == -1 || !isYAMLBreak(ch) {
				for range rs[start:end] {
					e.writeLineBreak()
				}
				if ch != -1 {
					e.writeIndent()
				}
				start = end
			}
		} else if ch == -1 || isYAMLBreak(ch) {
			e.write(string(rs[start:end]))
			if ch == -1 {
				e.writeLineBreak()
			}
			start = end
		}
		if ch != -1 {
			breaks = isYAMLBreak(ch)
		}
	}
}
