package template

import "gorun/engine/value"

// Text that Ansible read from YAML is AnsibleUnicode, a str subclass; text
// computed by a template is str. Only three things show the difference:
// type_debug, the repr of a bound method ("<built-in method upper of
// AnsibleUnicode object at ...>") and Jinja's missing-attribute message.
// Tracking the class on every string would cost every lookup, so it is
// worked out only there, from the expression the string came from.

// yamlTextClass is Jinja's name of AnsibleUnicode in messages.
const yamlTextClass = "ansible.parsing.yaml.objects.AnsibleUnicode"

// fromYAML reports whether the string x evaluates to is AnsibleUnicode in
// Ansible: x is a variable, or a path of constant attributes and
// subscripts into one, that the context says was read from YAML, and the
// text found there is not itself a template (rendering one gives str).
func (ev *evaluator) fromYAML(x expr, f *frame) bool {
	isYAML := ev.sess.ctx.FromYAML
	if isYAML == nil {
		return false
	}
	name, v, ok := ev.stored(x, f)
	if !ok || !isYAML(name) {
		return false
	}
	s, ok := v.(string)
	return ok && !IsTemplate(s)
}

// fromUnsafe reports whether the string x evaluates to is
// AnsibleUnsafeText in Ansible: stored as value.Unsafe (a !unsafe string,
// a registered result's text, a set_fact value computed from one).
func (ev *evaluator) fromUnsafe(x expr, f *frame) bool {
	_, v, ok := ev.stored(x, f)
	if !ok {
		return false
	}
	_, unsafe := v.(value.Unsafe)
	return unsafe
}

// stored finds the value x stands for as the variables store it, before
// templating, when x is a variable of the context, or a path of constant
// attributes and subscripts into one; name is the variable.
func (ev *evaluator) stored(x expr, f *frame) (name string, v any, ok bool) {
	var path []any // innermost step first
	for {
		switch n := x.(type) {
		case *getattrExpr:
			path = append(path, n.attr)
			x = n.x
			continue
		case *getitemExpr:
			c, isConst := n.index.(*constExpr)
			if !isConst {
				return "", nil, false
			}
			path = append(path, c.v)
			x = n.x
			continue
		case *nameExpr:
			if _, local := f.lookup(n.name); local {
				return "", nil, false
			}
			if _, set := ev.sess.overlay[n.name]; set {
				return "", nil, false
			}
			v, ok := ev.sess.ctx.Vars[n.name]
			if !ok {
				return "", nil, false
			}
			for i := len(path) - 1; i >= 0; i-- {
				if v, ok = rawChild(v, path[i]); !ok {
					return "", nil, false
				}
			}
			return n.name, v, true
		}
		return "", nil, false
	}
}

// rawChild is the value under key in v as stored, before any templating.
func rawChild(v any, key any) (any, bool) {
	switch c := v.(type) {
	case *value.Dict:
		if k, ok := key.(string); ok {
			return c.Get(k)
		}
	case map[string]any:
		if k, ok := key.(string); ok {
			x, found := c[k]
			return x, found
		}
	case []any:
		if i, ok := key.(int); ok {
			if i < 0 {
				i += len(c)
			}
			if i >= 0 && i < len(c) {
				return c[i], true
			}
		}
	}
	return nil, false
}

// withTextClass names the receiver's class in what an attribute or subscript
// lookup on the string recv (the value of x) returned: a bound method or a
// missing attribute.
func (ev *evaluator) withTextClass(res any, recv any, x expr, f *frame) any {
	if _, isStr := recv.(string); !isStr {
		return res
	}
	switch r := res.(type) {
	case *boundMethod:
		if ev.fromYAML(x, f) {
			r.class = "AnsibleUnicode"
		}
	case *undefined:
		if r.hasO && ev.fromYAML(x, f) {
			r.class = yamlTextClass
		}
	}
	return res
}
