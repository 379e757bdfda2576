package template

import (
	"errors"
	"fmt"
	"strings"

	"gorun/engine/value"
)

// frame is one scope of template-local variables ({% set %}, loop targets, macro arguments).
type frame struct {
	vars   map[string]any
	parent *frame
}

func newFrame(parent *frame) *frame { return &frame{vars: map[string]any{}, parent: parent} }

func (f *frame) lookup(name string) (any, bool) {
	for ; f != nil; f = f.parent {
		if v, ok := f.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// owner returns the frame that defines name, or nil.
func (f *frame) owner(name string) *frame {
	for ; f != nil; f = f.parent {
		if _, ok := f.vars[name]; ok {
			return f
		}
	}
	return nil
}

// evaluator renders one template: it holds the engine, the context and the local scopes.
type evaluator struct {
	e    *Engine
	sess *session
	// blocks are the {% block %} definitions of a template and the ones it
	// extends, child first (see inherit.go).
	blocks map[string][]*blockDef
	self   *importedModule // `self`, shared along an extends chain
	// file is the path of the template being rendered (for includes), "" for strings.
	file string
	syn  syntax
}

// renderNodes writes the output of body to out.
func (ev *evaluator) renderNodes(body []node, f *frame, out *strings.Builder) error {
	for _, n := range body {
		if err := ev.renderNode(n, f, out); err != nil {
			return err
		}
	}
	return nil
}

// outputText is how a value prints inside a template: None is empty (Ansible's finalize).
func outputText(v any) (string, error) {
	switch x := v.(type) {
	case *undefined:
		return "", x.err()
	case nil:
		return "", nil
	case value.Vaulted:
		return "", fmt.Errorf("vaulted value cannot be printed without decryption")
	}
	return ToText(v), nil
}

// writeOutput writes v to out as it prints inside a template (outputText).
func writeOutput(out *strings.Builder, v any) error {
	s, err := outputText(v)
	if err != nil {
		return err
	}
	out.WriteString(s)
	return nil
}

// LocatedError is a rendering error with the template line it happened on
// (set for template files).
type LocatedError struct {
	Line int
	Err  error
}

func (e *LocatedError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LocatedError) Unwrap() error { return e.Err }

// locate adds the line to an error from a template file, once.
func (ev *evaluator) locate(err error, line int) error {
	var le *LocatedError
	if err == nil || ev.file == "" || errors.As(err, &le) {
		return err
	}
	return &LocatedError{Line: line, Err: err}
}

func (ev *evaluator) renderNode(n node, f *frame, out *strings.Builder) error {
	switch n := n.(type) {
	case *lineNode:
		return ev.locate(ev.renderNode(n.n, f, out), n.line)
	case *textNode:
		out.WriteString(n.text)
	case *outputNode:
		v, err := ev.eval(n.x, f)
		if err != nil {
			return ev.locate(err, n.line)
		}
		if err := writeOutput(out, v); err != nil {
			return ev.locate(err, n.line)
		}
	case *ifNode:
		for i, c := range n.conds {
			v, err := ev.eval(c, f)
			if err != nil {
				return err
			}
			t, err := truthy(v)
			if err != nil {
				return err
			}
			if t {
				return ev.renderNodes(n.bodies[i], f, out)
			}
		}
		return ev.renderNodes(n.els, f, out)
	case *forNode:
		return ev.renderFor(n, f, out)
	case *setNode:
		v, err := ev.evalRaw(n.x, f)
		if err != nil {
			return err
		}
		return ev.assign(n.target, v, f)
	case *setBlockNode:
		var b strings.Builder
		if err := ev.renderNodes(n.body, newFrame(f), &b); err != nil {
			return err
		}
		var v any = b.String()
		for _, fl := range n.filters {
			var err error
			if v, err = ev.applyFilter(fl, v, f); err != nil {
				return err
			}
		}
		return ev.assign(n.target, v, f)
	case *macroNode:
		f.vars[n.name] = &macro{name: n.name, params: n.params, defaults: n.defaults, body: n.body, closure: f, ev: ev}
	case *callBlockNode:
		// the body becomes the `caller` keyword argument of the called macro
		caller := &macro{name: "caller", params: n.params, defaults: n.defs, body: n.body, closure: f, ev: ev}
		fn, err := ev.eval(n.call.fn, f)
		if err != nil {
			return err
		}
		m, ok := fn.(*macro)
		if !ok {
			if u, isU := fn.(*undefined); isU {
				return u.err()
			}
			return fmt.Errorf("{%% call %%} needs a macro, got %s", typeName(fn))
		}
		a, kw, err := ev.evalArgs(n.call.args, f)
		if err != nil {
			return err
		}
		kw.Set("caller", caller)
		v, err := m.call(a, kw)
		if err != nil {
			return err
		}
		return writeOutput(out, v)
	case *includeNode:
		return ev.include(n, f, out)
	case *importNode:
		return ev.importTemplate(n, f)
	case *withNode:
		inner := newFrame(f)
		for i, t := range n.targets {
			v, err := ev.eval(n.vals[i], f)
			if err != nil {
				return err
			}
			if err := ev.assign(t, v, inner); err != nil {
				return err
			}
		}
		return ev.renderNodes(n.body, inner, out)
	case *filterBlockNode:
		var b strings.Builder
		if err := ev.renderNodes(n.body, f, &b); err != nil {
			return err
		}
		var v any = b.String()
		for _, fl := range n.filters {
			var err error
			if v, err = ev.applyFilter(fl, v, f); err != nil {
				return err
			}
		}
		return writeOutput(out, v)
	case *blockNode:
		return ev.renderBlock(n, f, out)
	case *extendsNode:
		return fmt.Errorf("extends tag must be at the top level of a template")
	default:
		return fmt.Errorf("unsupported template node %T", n)
	}
	return nil
}

// assign binds a {% set %}/{% for %} target.
func (ev *evaluator) assign(target expr, v any, f *frame) error {
	switch t := target.(type) {
	case *nameExpr:
		f.vars[t.name] = v
		return nil
	case *tupleExpr:
		items, err := iterate(v)
		if err != nil {
			return err
		}
		if len(items) != len(t.items) {
			if len(items) > len(t.items) {
				return fmt.Errorf("too many values to unpack (expected %d)", len(t.items))
			}
			return fmt.Errorf("not enough values to unpack (expected %d, got %d)", len(t.items), len(items))
		}
		for i, it := range t.items {
			if err := ev.assign(it, items[i], f); err != nil {
				return err
			}
		}
		return nil
	case *getattrExpr:
		obj, err := ev.eval(t.x, f)
		if err != nil {
			return err
		}
		ns, ok := obj.(*namespace)
		if !ok {
			return fmt.Errorf("cannot assign attribute on non-namespace object")
		}
		ns.d.Set(t.attr, v)
		return nil
	}
	return fmt.Errorf("can't assign to %T", target)
}

// loopInfo is the `loop` variable inside a for loop.
// macro is a {% macro %} (or the body of {% call %}) that can be called.
// eval evaluates an expression. The result may be *Undefined; errors are real failures.
func (ev *evaluator) eval(x expr, f *frame) (any, error) {
	v, err := ev.evalRaw(x, f)
	return plainValue(v), err
}

// evalRaw is eval that keeps the nativeText marker of string-type filter
// results and rolled iterables; only the places where Python can tell them
// from str and list (assignments, inline if, rawInput filters, the final
// concat) use it.
func (ev *evaluator) evalRaw(x expr, f *frame) (any, error) {
	switch x := x.(type) {
	case *constExpr:
		return x.v, nil
	case *nameExpr:
		return ev.lookupName(x.name, f)
	case *getattrExpr:
		obj, err := ev.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		res, err := ev.getattr(obj, x.attr)
		return ev.withTextClass(res, obj, x.x, f), err
	case *getitemExpr:
		obj, err := ev.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		idx, err := ev.eval(x.index, f)
		if err != nil {
			return nil, err
		}
		res, err := ev.getitem(obj, idx)
		return ev.withTextClass(res, obj, x.x, f), err
	case *sliceExpr:
		return ev.evalSlice(x, f)
	case *listExpr:
		items, err := ev.evalItems(x.items, f)
		if err != nil {
			return nil, err
		}
		return items, nil
	case *tupleExpr:
		items, err := ev.evalItems(x.items, f)
		if err != nil {
			return nil, err
		}
		return tuple(items), nil
	case *dictExpr:
		d := value.NewDict(len(x.keys))
		for i := range x.keys {
			k, err := ev.eval(x.keys[i], f)
			if err != nil {
				return nil, err
			}
			if u, ok := k.(*undefined); ok {
				return nil, u.err()
			}
			v, err := ev.eval(x.vals[i], f)
			if err != nil {
				return nil, err
			}
			d.Set(keyString(k), v)
		}
		return d, nil
	case *condExpr:
		t, err := ev.eval(x.test, f)
		if err != nil {
			return nil, err
		}
		ok, err := truthy(t)
		if err != nil {
			return nil, err
		}
		if ok {
			return ev.evalRaw(x.then, f)
		}
		if x.els == nil {
			return &undefined{name: "", hint: "the inline if-expression on line evaluated to false and no else section was defined."}, nil
		}
		return ev.evalRaw(x.els, f)
	case *unaryExpr:
		v, err := ev.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		return unaryOp(x.op, v)
	case *binExpr:
		return ev.evalBinary(x, f)
	case *compareExpr:
		return ev.evalCompare(x, f)
	case *filterExpr:
		v, err := ev.evalRaw(x.x, f)
		if !rawInput[filterName(x.name)] {
			v = plainValue(v)
		}
		if err != nil {
			return nil, err
		}
		if _, isStr := v.(string); isStr && filterName(x.name) == "type_debug" {
			switch {
			case ev.fromYAML(x.x, f):
				return "AnsibleUnicode", nil
			case ev.fromUnsafe(x.x, f):
				return "AnsibleUnsafeText", nil
			}
		}
		return ev.applyFilter(x, v, f)
	case *testExpr:
		return ev.applyTest(x, f)
	case *callExpr:
		return ev.evalCall(x, f)
	}
	return nil, fmt.Errorf("unsupported expression %T", x)
}

// evalItems evaluates the items of a list or tuple literal in order.
func (ev *evaluator) evalItems(items []expr, f *frame) ([]any, error) {
	out := make([]any, 0, len(items))
	for _, it := range items {
		v, err := ev.eval(it, f)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (ev *evaluator) evalBinary(x *binExpr, f *frame) (any, error) {
	l, err := ev.eval(x.l, f)
	if err != nil {
		return nil, err
	}
	switch x.op {
	case "and", "or":
		t, err := truthy(l)
		if err != nil {
			return nil, err
		}
		if (x.op == "and") != t {
			return l, nil
		}
		return ev.eval(x.r, f)
	}
	r, err := ev.eval(x.r, f)
	if err != nil {
		return nil, err
	}
	return binaryOp(x.op, l, r)
}

func (ev *evaluator) evalCompare(x *compareExpr, f *frame) (any, error) {
	l, err := ev.eval(x.x, f)
	if err != nil {
		return nil, err
	}
	for _, op := range x.ops {
		r, err := ev.eval(op.x, f)
		if err != nil {
			return nil, err
		}
		ok, err := compareOp2(op.op, l, r)
		if err != nil {
			return nil, err
		}
		if !ok {
			return false, nil
		}
		l = r
	}
	return true, nil
}

// binaryOp applies an arithmetic operator with Python semantics.
// bigIntOp handles the integer results that overflow int64: Python integers
// have no limit, so the exact value is kept as a *big.Int.
// maxResult bounds sequences built by repetition (memory safety on hostile templates).
// getattr is Jinja's getattr: Python attribute first (methods), then item.
func (ev *evaluator) getattr(obj any, attr string) (any, error) {
	obj = resolveLazy(obj)
	switch o := obj.(type) {
	case *undefined:
		return o, nil
	case *loopInfo:
		if v, ok := o.attr(attr); ok {
			return v, nil
		}
	case *namespace:
		if v, ok := o.d.Get(attr); ok {
			return v, nil
		}
	case *importedModule:
		if v, ok := o.d.Get(attr); ok {
			return v, nil
		}
	case pyDatetime:
		if v, ok := o.attr(attr); ok {
			return v, nil
		}
	case pyTimedelta:
		if v, ok := o.attr(attr); ok {
			return v, nil
		}
	}
	if hasMethod(obj, attr) {
		return &boundMethod{recv: obj, name: attr}, nil
	}
	return ev.item(obj, attr, true)
}

// getitem is Jinja's subscript: item first, then attribute.
func (ev *evaluator) getitem(obj any, key any) (any, error) {
	obj = resolveLazy(obj)
	if u, ok := obj.(*undefined); ok {
		return u, nil
	}
	if u, ok := key.(*undefined); ok {
		return nil, u.err()
	}
	v, err := ev.item(obj, key, false)
	if err != nil {
		return nil, err
	}
	if u, ok := v.(*undefined); ok {
		if s, isStr := key.(string); isStr && hasMethod(obj, s) {
			return &boundMethod{recv: obj, name: s}, nil
		}
		return u, nil
	}
	return v, nil
}

func (ev *evaluator) item(obj any, key any, isAttr bool) (any, error) {
	missing := func() *undefined {
		k := ToText(key)
		if !isAttr {
			if _, isStr := key.(string); !isStr {
				k = pyRepr(key)
			}
		}
		return &undefined{obj: obj, attr: k, hasO: true}
	}
	switch o := obj.(type) {
	case *value.Dict, map[string]any, Mapping, *namespace:
		k, ok := asString(key)
		if !ok {
			if isNumber(key) || key == nil {
				k = ToText(key)
			} else {
				return missing(), nil
			}
		}
		v, found := mapGet(o, k)
		if !found {
			return missing(), nil
		}
		return ev.resolveValue(v)
	case []any, tuple, []string:
		l, _ := asList(o)
		i, ok := key.(int)
		if b, isB := key.(bool); isB {
			i, ok = b2i(b), true
		}
		if !ok {
			return missing(), nil
		}
		if i < 0 {
			i += len(l)
		}
		if i < 0 || i >= len(l) {
			return missing(), nil
		}
		return ev.resolveValue(l[i])
	case string, value.Unsafe:
		s, _ := asString(o)
		i, ok := key.(int)
		if !ok {
			return missing(), nil
		}
		r := []rune(s)
		if i < 0 {
			i += len(r)
		}
		if i < 0 || i >= len(r) {
			return missing(), nil
		}
		return string(r[i]), nil
	}
	return missing(), nil
}

// resolveValue computes a Lazy value read from a container.
func (ev *evaluator) resolveValue(v any) (any, error) {
	if l, ok := v.(Lazy); ok {
		return l.Resolve()
	}
	return v, nil
}

func resolveLazy(v any) any {
	if l, ok := v.(Lazy); ok {
		r, err := l.Resolve()
		if err != nil {
			return &undefined{hint: err.Error()}
		}
		return r
	}
	return v
}

func (ev *evaluator) evalSlice(x *sliceExpr, f *frame) (any, error) {
	obj, err := ev.eval(x.x, f)
	if err != nil {
		return nil, err
	}
	if u, ok := obj.(*undefined); ok {
		return nil, u.err()
	}
	bound := func(e expr) (int, bool, error) {
		if e == nil {
			return 0, false, nil
		}
		v, err := ev.eval(e, f)
		if err != nil {
			return 0, false, err
		}
		if v == nil {
			return 0, false, nil
		}
		i, ok := v.(int)
		if !ok {
			return 0, false, fmt.Errorf("slice indices must be integers or None or have an __index__ method")
		}
		return i, true, nil
	}
	lo, hasLo, err := bound(x.lo)
	if err != nil {
		return nil, err
	}
	hi, hasHi, err := bound(x.hi)
	if err != nil {
		return nil, err
	}
	step, hasStep, err := bound(x.step)
	if err != nil {
		return nil, err
	}
	if !hasStep {
		step = 1
	}
	if step == 0 {
		return nil, fmt.Errorf("slice step cannot be zero")
	}
	var n int
	var idx func(i int) any
	s, isStr := asString(obj)
	var runes []rune
	l, isList := asList(obj)
	switch {
	case isStr:
		runes = []rune(s)
		n = len(runes)
	case isList:
		n = len(l)
		idx = func(i int) any { return l[i] }
	default:
		return nil, fmt.Errorf("'%s' object is not subscriptable", typeName(obj))
	}
	start, stop := sliceBounds(n, lo, hi, step, hasLo, hasHi)
	var picks []int
	if step > 0 {
		for i := start; i < stop; i += step {
			picks = append(picks, i)
		}
	} else {
		for i := start; i > stop; i += step {
			picks = append(picks, i)
		}
	}
	if isStr {
		var b strings.Builder
		for _, i := range picks {
			b.WriteRune(runes[i])
		}
		return b.String(), nil
	}
	out := make([]any, 0, len(picks))
	for _, i := range picks {
		out = append(out, idx(i))
	}
	if _, ok := obj.(tuple); ok {
		return tuple(out), nil
	}
	return out, nil
}

// sliceBounds computes Python's slice.indices.
func sliceBounds(n, lo, hi, step int, hasLo, hasHi bool) (int, int) {
	adj := func(i, def int, has bool, lower, upper int) int {
		if !has {
			return def
		}
		if i < 0 {
			i += n
			if i < lower {
				i = lower
			}
		} else if i > upper {
			i = upper
		}
		return i
	}
	if step > 0 {
		return adj(lo, 0, hasLo, 0, n), adj(hi, n, hasHi, 0, n)
	}
	return adj(lo, n-1, hasLo, -1, n-1), adj(hi, -1, hasHi, -1, n-1)
}

// evalArgs evaluates call arguments, expanding *args and **kwargs.
func (ev *evaluator) evalArgs(a args, f *frame) ([]any, *value.Dict, error) {
	pos := make([]any, 0, len(a.pos))
	for _, x := range a.pos {
		v, err := ev.eval(x, f)
		if err != nil {
			return nil, nil, err
		}
		pos = append(pos, v)
	}
	if a.star != nil {
		v, err := ev.eval(a.star, f)
		if err != nil {
			return nil, nil, err
		}
		items, err := iterate(v)
		if err != nil {
			return nil, nil, err
		}
		pos = append(pos, items...)
	}
	kw := value.NewDict()
	for i, n := range a.kwNames {
		v, err := ev.eval(a.kwVals[i], f)
		if err != nil {
			return nil, nil, err
		}
		kw.Set(n, v)
	}
	if a.dstar != nil {
		v, err := ev.eval(a.dstar, f)
		if err != nil {
			return nil, nil, err
		}
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			kw.Set(k, x)
		}
	}
	return pos, kw, nil
}

func (ev *evaluator) evalCall(x *callExpr, f *frame) (any, error) {
	fn, err := ev.eval(x.fn, f)
	if err != nil {
		return nil, err
	}
	a, kw, err := ev.evalArgs(x.args, f)
	if err != nil {
		return nil, err
	}
	switch c := fn.(type) {
	case fnValue:
		return c(ev, a, kw)
	case *macro:
		return c.call(a, kw)
	case *boundMethod:
		res, err := callMethod(c.recv, c.name, a, kw)
		if err != nil {
			return nil, err
		}
		if m, ok := res.(mutated); ok {
			// list methods that change the list in place: store the new list where it came from.
			if g, ok := x.fn.(*getattrExpr); ok {
				if err := ev.storeBack(g.x, m.list, f); err != nil {
					return nil, err
				}
			}
			return m.ret, nil
		}
		return res, nil
	case *loopInfo:
		if c.recurse == nil {
			return nil, fmt.Errorf("Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.")
		}
		if len(a) != 1 {
			return nil, fmt.Errorf("loop() takes exactly one argument")
		}
		return c.recurse(a[0])
	case *undefined:
		return nil, c.err()
	}
	return nil, fmt.Errorf("'%s' object is not callable", typeName(fn))
}

// storeBack writes a list changed by append/extend/... back to the variable or container it was read from.
func (ev *evaluator) storeBack(target expr, v any, f *frame) error {
	switch t := target.(type) {
	case *nameExpr:
		if o := f.owner(t.name); o != nil {
			o.vars[t.name] = v
			return nil
		}
		ev.sess.overlay[t.name] = v
		return nil
	case *getattrExpr:
		obj, err := ev.eval(t.x, f)
		if err != nil {
			return err
		}
		return setInContainer(obj, t.attr, v)
	case *getitemExpr:
		obj, err := ev.eval(t.x, f)
		if err != nil {
			return err
		}
		k, err := ev.eval(t.index, f)
		if err != nil {
			return err
		}
		if i, ok := k.(int); ok {
			if l, ok := obj.([]any); ok && i >= -len(l) && i < len(l) {
				if i < 0 {
					i += len(l)
				}
				l[i] = v
				return nil
			}
		}
		return setInContainer(obj, keyString(k), v)
	}
	return nil
}

func setInContainer(obj any, k string, v any) error {
	switch o := obj.(type) {
	case *value.Dict:
		o.Set(k, v)
	case map[string]any:
		o[k] = v
	case *namespace:
		o.d.Set(k, v)
	}
	return nil
}
