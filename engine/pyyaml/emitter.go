package pyyaml

import (
	"fmt"
	"strings"
)

// This file ports the parts of libyaml's emitter (emitter.c, 0.2.5) that
// yaml.dump reaches without canonical output or explicit documents: block
// and flow collections, anchors and aliases, and the column bookkeeping
// that decides where lines fold. The scalar writers are in scalar.go.

// Options are yaml.dump's layout settings.
type Options struct {
	// Indent is the indentation step (yaml.dump's indent); libyaml uses 2
	// for anything outside 2..9.
	Indent int
	// Width is the column past which lines fold (yaml.dump's width); libyaml
	// uses 80 for 0 or anything up to twice the indent, and no limit for a
	// negative width.
	Width int
}

// Dump returns root as yaml.dump writes it, ending with a line break.
// Collections reached twice get anchors (&id001) and later aliases (*id001),
// as PyYAML's serializer gives them.
func Dump(root *Node, o Options) string {
	e := &emitter{
		bestIndent: o.Indent,
		bestWidth:  o.Width,
		indent:     -1,
		whitespace: true,
		indention:  true,
		anchors:    anchors(root),
		emitted:    map[*Node]bool{},
	}
	if e.bestIndent < 2 || e.bestIndent > 9 {
		e.bestIndent = 2
	}
	if e.bestWidth >= 0 && e.bestWidth <= 2*e.bestIndent {
		e.bestWidth = 80
	}
	if e.bestWidth < 0 {
		e.bestWidth = int(^uint(0) >> 1)
	}
	e.node(root, false, false)
	e.writeIndent()
	// A literal kept with "+" leaves the document open-ended; libyaml then
	// ends the stream with "...".
	if e.openEnded {
		e.writeIndicator("...", true, false, false)
		e.writeIndent()
	}
	return e.b.String()
}

// anchors is Serializer.anchor_node: the nodes reached more than once, named
// id001, id002, ... in the order of their second visit.
func anchors(root *Node) map[*Node]string {
	names := map[*Node]string{}
	seen := map[*Node]bool{}
	var visit func(n *Node)
	visit = func(n *Node) {
		if seen[n] {
			if names[n] == "" {
				names[n] = fmt.Sprintf("id%03d", len(names)+1)
			}
			return
		}
		seen[n] = true
		for _, it := range n.Items {
			visit(it)
		}
		for _, p := range n.Pairs {
			visit(p.Key)
			visit(p.Value)
		}
	}
	visit(root)
	return names
}

// emitter is the state of libyaml's yaml_emitter_t that block dumps use.
type emitter struct {
	b          strings.Builder
	bestIndent int
	bestWidth  int
	indent     int // -1 is libyaml's "no indentation yet"
	indents    []int
	column     int
	whitespace bool
	indention  bool
	openEnded  bool
	flowLevel  int

	// mapping and simpleKey are libyaml's mapping_context and
	// simple_key_context of the node being written.
	mapping, simpleKey bool

	anchors map[*Node]string
	emitted map[*Node]bool
}

func (e *emitter) write(s string) {
	e.b.WriteString(s)
	e.column += len([]rune(s))
}

func (e *emitter) increaseIndent(flow, indentless bool) {
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

func (e *emitter) popIndent() {
	e.indent = e.indents[len(e.indents)-1]
	e.indents = e.indents[:len(e.indents)-1]
}

func (e *emitter) writeIndicator(ind string, needWhitespace, whitespace, indention bool) {
	if !e.whitespace && needWhitespace {
		ind = " " + ind
	}
	e.whitespace = whitespace
	e.indention = e.indention && indention
	e.write(ind)
}

func (e *emitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.writeLineBreak()
	}
	if e.column < indent {
		e.write(strings.Repeat(" ", indent-e.column))
	}
	e.whitespace, e.indention = true, true
}

func (e *emitter) writeLineBreak() {
	e.whitespace = true
	e.indention = true
	e.b.WriteByte('\n')
	e.column = 0
}

// node is yaml_emitter_emit_node: n in the context given.
func (e *emitter) node(n *Node, mapping, simpleKey bool) {
	e.mapping, e.simpleKey = mapping, simpleKey
	if a := e.anchors[n]; a != "" {
		if e.emitted[n] {
			e.writeIndicator("*"+a, true, false, false)
			return
		}
		e.emitted[n] = true
		e.writeIndicator("&"+a, true, false, false)
	}
	switch n.Kind {
	case Scalar:
		e.increaseIndent(true, false)
		e.scalar(n)
		e.popIndent()
	case Sequence:
		if e.flowLevel > 0 || n.Flow || len(n.Items) == 0 {
			e.flowSequence(n)
		} else {
			e.blockSequence(n)
		}
	case Mapping:
		if e.flowLevel > 0 || n.Flow || len(n.Pairs) == 0 {
			e.flowMapping(n)
		} else {
			e.blockMapping(n)
		}
	}
}

func (e *emitter) blockSequence(n *Node) {
	e.increaseIndent(false, e.mapping && !e.indention)
	for _, it := range n.Items {
		e.writeIndent()
		e.writeIndicator("-", true, false, true)
		e.node(it, false, false)
	}
	e.popIndent()
}

func (e *emitter) blockMapping(n *Node) {
	e.increaseIndent(false, false)
	for _, p := range n.Pairs {
		e.writeIndent()
		if e.checkSimpleKey(p.Key) {
			e.node(p.Key, true, true)
			e.writeIndicator(":", false, false, false)
		} else {
			e.writeIndicator("?", true, false, true)
			e.node(p.Key, true, false)
			e.writeIndent()
			e.writeIndicator(":", true, false, true)
		}
		e.node(p.Value, true, false)
	}
	e.popIndent()
}

func (e *emitter) flowSequence(n *Node) {
	e.writeIndicator("[", true, true, false)
	e.increaseIndent(true, false)
	e.flowLevel++
	for i, it := range n.Items {
		if i > 0 {
			e.writeIndicator(",", false, false, false)
		}
		if e.column > e.bestWidth {
			e.writeIndent()
		}
		e.node(it, false, false)
	}
	e.flowLevel--
	e.popIndent()
	e.writeIndicator("]", false, false, false)
}

func (e *emitter) flowMapping(n *Node) {
	e.writeIndicator("{", true, true, false)
	e.increaseIndent(true, false)
	e.flowLevel++
	for i, p := range n.Pairs {
		if i > 0 {
			e.writeIndicator(",", false, false, false)
		}
		if e.column > e.bestWidth {
			e.writeIndent()
		}
		if e.checkSimpleKey(p.Key) {
			e.node(p.Key, true, true)
			e.writeIndicator(":", false, false, false)
		} else {
			e.writeIndicator("?", true, false, false)
			e.node(p.Key, true, false)
			if e.column > e.bestWidth {
				e.writeIndent()
			}
			e.writeIndicator(":", true, false, false)
		}
		e.node(p.Value, true, false)
	}
	e.flowLevel--
	e.popIndent()
	e.writeIndicator("}", false, false, false)
}

// checkSimpleKey is yaml_emitter_check_simple_key: a key written without
// "?" is an alias, a one-line scalar or an empty collection, of at most
// 128 bytes with its anchor and tag.
func (e *emitter) checkSimpleKey(n *Node) bool {
	length := len(e.anchors[n])
	if e.emitted[n] {
		return length <= 128
	}
	switch n.Kind {
	case Scalar:
		if analyzeScalar(n.Value).multiline {
			return false
		}
		return length+len(n.Tag)+len(n.Value) <= 128
	case Sequence:
		return len(n.Items) == 0 && length <= 128
	default:
		return len(n.Pairs) == 0 && length <= 128
	}
}
