package template

import (
	"fmt"
	"strings"

	"gorun/engine/value"
)

// For loops (and the loop variable) and macros.

func (ev *evaluator) renderFor(n *forNode, f *frame, out *strings.Builder) error {
	iterV, err := ev.eval(n.iter, f)
	if err != nil {
		return err
	}
	return ev.loopOver(n, iterV, f, out, 0)
}

func (ev *evaluator) loopOver(n *forNode, iterV any, f *frame, out *strings.Builder, depth int) error {
	items, err := iterate(iterV)
	if err != nil {
		return err
	}
	inner := newFrame(f)
	if n.cond != nil {
		var kept []any
		for _, it := range items {
			if err := ev.assign(n.target, it, inner); err != nil {
				return err
			}
			v, err := ev.eval(n.cond, inner)
			if err != nil {
				return err
			}
			ok, err := truthy(v)
			if err != nil {
				return err
			}
			if ok {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	if len(items) == 0 {
		return ev.renderNodes(n.els, f, out)
	}
	loop := &loopInfo{items: items, depth: depth}
	if n.recursive {
		loop.recurse = func(v any) (string, error) {
			if depth >= maxNesting {
				return "", fmt.Errorf("maximum recursion depth exceeded in a recursive loop")
			}
			var b strings.Builder
			err := ev.loopOver(n, v, f, &b, depth+1)
			return b.String(), err
		}
	}
	for i, it := range items {
		loop.index = i
		inner.vars["loop"] = loop
		if err := ev.assign(n.target, it, inner); err != nil {
			return err
		}
		if err := ev.renderNodes(n.body, inner, out); err != nil {
			return err
		}
	}
	return nil
}

type loopInfo struct {
	items   []any
	index   int
	depth   int
	recurse func(v any) (string, error)
	last    any
	hasLast bool
}

func (l *loopInfo) attr(name string) (any, bool) {
	n := len(l.items)
	switch name {
	case "index":
		return l.index + 1, true
	case "index0":
		return l.index, true
	case "revindex":
		return n - l.index, true
	case "revindex0":
		return n - l.index - 1, true
	case "first":
		return l.index == 0, true
	case "last":
		return l.index == n-1, true
	case "length":
		return n, true
	case "depth":
		return l.depth + 1, true
	case "depth0":
		return l.depth, true
	case "previtem":
		if l.index > 0 {
			return l.items[l.index-1], true
		}
		return &undefined{name: "previtem", hint: "there is no previous item"}, true
	case "nextitem":
		if l.index < n-1 {
			return l.items[l.index+1], true
		}
		return &undefined{name: "nextitem", hint: "there is no next item"}, true
	case "cycle":
		return fnValue(func(ev *evaluator, a []any, kw *value.Dict) (any, error) {
			if len(a) == 0 {
				return nil, fmt.Errorf("no items for cycling given")
			}
			return a[l.index%len(a)], nil
		}), true
	case "changed":
		return fnValue(func(ev *evaluator, a []any, kw *value.Dict) (any, error) {
			v := tuple(a)
			if l.hasLast && equal(l.last, v) {
				return false, nil
			}
			l.last, l.hasLast = v, true
			return true, nil
		}), true
	}
	return nil, false
}

type macro struct {
	name     string
	params   []string
	defaults []expr
	body     []node
	closure  *frame
	ev       *evaluator
}

func (m *macro) call(a []any, kw *value.Dict) (any, error) {
	// A macro that calls itself without end fails as Python's RecursionError
	// would, instead of exhausting Go's stack (which cannot be recovered).
	sess := m.ev.sess
	if sess.nesting++; sess.nesting > maxNesting {
		return nil, fmt.Errorf("maximum recursion depth exceeded while calling macro '%s'", m.name)
	}
	defer func() { sess.nesting-- }()
	f := newFrame(m.closure)
	nodef := len(m.params) - len(m.defaults)
	var extra []any
	for i, p := range m.params {
		switch {
		case i < len(a):
			f.vars[p] = a[i]
		case kw.Has(p):
			v, _ := kw.Get(p)
			f.vars[p] = v
		case i >= nodef:
			v, err := m.ev.eval(m.defaults[i-nodef], f)
			if err != nil {
				return nil, err
			}
			f.vars[p] = v
		default:
			f.vars[p] = &undefined{name: p, hint: fmt.Sprintf("parameter '%s' was not provided", p)}
		}
	}
	if len(a) > len(m.params) {
		extra = a[len(m.params):]
	}
	f.vars["varargs"] = tuple(extra)
	kwargs := value.NewDict()
	for _, k := range kw.Keys() {
		isParam := false
		for _, p := range m.params {
			if p == k {
				isParam = true
			}
		}
		if !isParam && k != "caller" {
			v, _ := kw.Get(k)
			kwargs.Set(k, v)
		}
	}
	f.vars["kwargs"] = kwargs
	if c, ok := kw.Get("caller"); ok {
		f.vars["caller"] = c
	}
	var b strings.Builder
	if err := m.ev.renderNodes(m.body, f, &b); err != nil {
		return nil, err
	}
	return b.String(), nil
}
