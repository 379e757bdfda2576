package pyyaml

import (
	"fmt"
	"strconv"
	"strings"
)

// This file ports libyaml's scalar analysis, its choice of scalar style and
// its plain, single-quoted, double-quoted and literal writers (with
// allow_unicode, as Ansible dumps).

// isBreak is libyaml's IS_BREAK.
func isBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

// isBlankz is libyaml's IS_BLANKZ: a space, a tab, a break or the end.
func isBlankz(r rune) bool { return r == 0 || r == ' ' || r == '\t' || isBreak(r) }

// isPrintable is libyaml's IS_PRINTABLE: no control characters, no
// characters outside the Basic Multilingual Plane, no BOM. (PyYAML's pure
// Python emitter differs here; Ansible's dumpers are libyaml's.)
func isPrintable(r rune) bool {
	return r == '\n' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa0 && r <= 0xd7ff) ||
		(r >= 0xe000 && r <= 0xfffd && r != 0xfeff)
}

// scalarAnalysis is what yaml_emitter_analyze_scalar decides about a text.
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
	precededByWS := true
	prevSpace, prevBreak := false, false
	for i, ch := range rs {
		followedByWS := i+1 >= len(rs) || isBlankz(rs[i+1])
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
		if !isPrintable(ch) {
			special = true
		}
		switch {
		case ch == ' ':
			leadingSpace = leadingSpace || i == 0
			trailingSpace = trailingSpace || i == len(rs)-1
			breakSpace = breakSpace || prevBreak
			prevSpace, prevBreak = true, false
		case isBreak(ch):
			lineBreaks = true
			leadingBreak = leadingBreak || i == 0
			trailingBreak = trailingBreak || i == len(rs)-1
			spaceBreak = spaceBreak || prevSpace
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		precededByWS = isBlankz(ch)
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

// chooseStyle is yaml_emitter_select_scalar_style: 0 for plain, the
// single or double quote, or '|' for a literal.
func (e *emitter) chooseStyle(n *Node, a scalarAnalysis) byte {
	style := n.Style
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
		if n.Tag == "" && !n.Plain {
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

func (e *emitter) scalar(n *Node) {
	style := e.chooseStyle(n, analyzeScalar(n.Value))
	if n.Tag != "" {
		e.writeIndicator(n.Tag, true, false, false)
	}
	split := !e.simpleKey
	switch style {
	case '"':
		e.writeDoubleQuoted(n.Value, split)
	case '\'':
		e.writeSingleQuoted(n.Value, split)
	case '|':
		e.writeLiteral(n.Value)
	default:
		e.writePlain(n.Value, split)
	}
}

// writeBreak is libyaml's WRITE_BREAK for a break character of a scalar:
// "\n" is a line break, other break characters are copied.
func (e *emitter) writeBreak(r rune) {
	if r == '\n' {
		e.writeLineBreak()
		return
	}
	e.b.WriteRune(r)
	e.column = 0
}

// writeFoldedBreak writes a break character of a plain or single-quoted
// scalar. The first "\n" of a run of breaks is written twice: a reader
// folds a lone line break into a space.
func (e *emitter) writeFoldedBreak(r rune, first bool) {
	if first && r == '\n' {
		e.writeLineBreak()
	}
	e.writeBreak(r)
	e.indention = true
}

func (e *emitter) writePlain(text string, split bool) {
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
		case isBreak(ch):
			e.writeFoldedBreak(ch, !breaks)
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
}

func (e *emitter) writeSingleQuoted(text string, split bool) {
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
		case isBreak(ch):
			e.writeFoldedBreak(ch, !breaks)
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

// escapes are libyaml's short escapes in double-quoted scalars.
var escapes = map[rune]string{
	0: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0a: "n", 0x0b: "v", 0x0c: "f", 0x0d: "r",
	0x1b: "e", '"': "\"", '\\': "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P",
}

func (e *emitter) writeDoubleQuoted(text string, split bool) {
	e.writeIndicator("\"", true, false, false)
	rs := []rune(text)
	spaces := false
	for i, ch := range rs {
		switch {
		case !isPrintable(ch) || ch == 0xfeff || isBreak(ch) || ch == '"' || ch == '\\':
			if esc, ok := escapes[ch]; ok {
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

// writeBlockHints is yaml_emitter_write_block_scalar_hints: an indentation
// hint for a text that starts with a space or a break, and "-" (strip) or
// "+" (keep) for its final breaks.
func (e *emitter) writeBlockHints(rs []rune) {
	if len(rs) > 0 && (rs[0] == ' ' || isBreak(rs[0])) {
		e.writeIndicator(strconv.Itoa(e.bestIndent), false, false, false)
	}
	e.openEnded = false
	chomp := ""
	switch n := len(rs); {
	case n == 0 || !isBreak(rs[n-1]):
		chomp = "-"
	case n == 1 || isBreak(rs[n-2]):
		chomp = "+"
		e.openEnded = true
	}
	if chomp != "" {
		e.writeIndicator(chomp, false, false, false)
	}
}

func (e *emitter) writeLiteral(text string) {
	rs := []rune(text)
	e.writeIndicator("|", true, false, false)
	e.writeBlockHints(rs)
	e.writeLineBreak()
	breaks := true
	for _, ch := range rs {
		if isBreak(ch) {
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
