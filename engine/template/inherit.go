package template

import (
	"fmt"
	"strings"

	"gorun/engine/value"
)

// Template inheritance: {% extends %}, {% block %}, super() and self, as
// Jinja2 compiles them. A template's blocks are registered before it runs;
// when it extends another, its own output after the extends tag is dropped
// (its statements still run), and the parent is rendered in the same
// context with the child's blocks first in each block's chain.

// maxNesting bounds includes, extends and blocks inside one another, so that
// a template that includes or extends itself fails instead of exhausting the
// stack (Jinja gets a RecursionError).
const maxNesting = 200

// blockDef is one definition of a block, with the evaluator of the template
// it is written in (includes inside it are relative to that file).
type blockDef struct {
	node *blockNode
	ev   *evaluator
}

// renderRoot renders the top level of a template.
func (ev *evaluator) renderRoot(body []node, f *frame, out *strings.Builder) error {
	if ev.blocks == nil {
		ev.blocks = map[string][]*blockDef{}
	}
	ev.collectBlocks(body)
	if len(ev.blocks) > 0 {
		ev.addSelfReference(f)
	}
	var parent *extendsNode
	for _, n := range body {
		inner := n
		if l, ok := n.(*lineNode); ok {
			inner = l.n
		}
		if x, ok := inner.(*extendsNode); ok {
			if parent != nil {
				return ev.locate(fmt.Errorf("extended multiple times"), x.line)
			}
			parent = x
			continue
		}
		if parent == nil {
			if err := ev.renderNode(n, f, out); err != nil {
				return err
			}
			continue
		}
		switch inner.(type) {
		case *textNode, *outputNode, *blockNode:
			continue
		}
		var discard strings.Builder
		if err := ev.renderNode(n, f, &discard); err != nil {
			return err
		}
	}
	if parent == nil {
		return nil
	}
	path, body, err := ev.loadTemplate(parent.tmpl, f)
	if err != nil {
		return ev.locate(err, parent.line)
	}
	if ev.sess.nesting++; ev.sess.nesting > maxNesting {
		return ev.locate(fmt.Errorf("maximum recursion depth exceeded while extending %s", path), parent.line)
	}
	defer func() { ev.sess.nesting-- }()
	sub := &evaluator{e: ev.e, sess: ev.sess, file: path, syn: ev.syn, blocks: ev.blocks, self: ev.self}
	return sub.renderRoot(body, f, out)
}

// collectBlocks appends the template's block definitions (nested ones too,
// not those in macros) to the chains.
func (ev *evaluator) collectBlocks(body []node) {
	for _, n := range body {
		switch n := n.(type) {
		case *lineNode:
			ev.collectBlocks([]node{n.n})
		case *blockNode:
			ev.blocks[n.name] = append(ev.blocks[n.name], &blockDef{node: n, ev: ev})
			ev.collectBlocks(n.body)
		case *ifNode:
			for _, b := range n.bodies {
				ev.collectBlocks(b)
			}
			ev.collectBlocks(n.els)
		case *forNode:
			ev.collectBlocks(n.body)
			ev.collectBlocks(n.els)
		case *withNode:
			ev.collectBlocks(n.body)
		case *filterBlockNode:
			ev.collectBlocks(n.body)
		}
	}
}

// renderBlock renders the first definition of a block (the most derived one).
func (ev *evaluator) renderBlock(n *blockNode, f *frame, out *strings.Builder) error {
	chain := ev.blocks[n.name]
	if len(chain) == 0 {
		chain = []*blockDef{{node: n, ev: ev}}
	}
	return renderBlockChain(chain, f, out)
}

// renderBlockChain renders chain[0]; super() inside it renders chain[1:].
func renderBlockChain(chain []*blockDef, f *frame, out *strings.Builder) error {
	d := chain[0]
	// self.NAME() inside block NAME recurses as in Python, which stops it
	// with a RecursionError.
	if d.ev.sess.nesting++; d.ev.sess.nesting > maxNesting {
		return fmt.Errorf("maximum recursion depth exceeded while rendering block '%s'", d.node.name)
	}
	defer func() { d.ev.sess.nesting-- }()
	scope := newFrame(f)
	scope.vars["super"] = fnValue(func(_ *evaluator, _ []any, _ *value.Dict) (any, error) {
		if len(chain) < 2 {
			return nil, fmt.Errorf("there is no parent block called '%s'.", d.node.name)
		}
		var b strings.Builder
		if err := renderBlockChain(chain[1:], f, &b); err != nil {
			return nil, err
		}
		return b.String(), nil
	})
	return d.ev.renderNodes(d.node.body, scope, out)
}

// addSelfReference binds Jinja's `self` (unless the template has its own
// variable of that name): self.NAME() renders block NAME, whichever template
// of the chain defines it.
func (ev *evaluator) addSelfReference(f *frame) {
	if ev.self == nil {
		ev.self = &importedModule{d: value.NewDict()}
		if _, ok := f.vars["self"]; !ok {
			f.vars["self"] = ev.self
		}
	}
	blocks := ev.blocks
	for name := range blocks {
		if _, ok := ev.self.d.Get(name); ok {
			continue
		}
		ev.self.d.Set(name, fnValue(func(_ *evaluator, _ []any, _ *value.Dict) (any, error) {
			var b strings.Builder
			if err := renderBlockChain(blocks[name], f, &b); err != nil {
				return nil, err
			}
			return b.String(), nil
		}))
	}
}
