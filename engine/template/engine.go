package template

import (
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"

	"gorun/engine/value"
)

// Decrypter decrypts Ansible Vault data (for !vault values, the vault/unvault filters, the unvault lookup). May be nil.
type Decrypter interface {
	Decrypt(data []byte) ([]byte, error)
}

// Options configure an Engine.
type Options struct {
	Vault Decrypter
	// Config returns an Ansible config setting for lookup('config', NAME); may be nil.
	Config func(name string) (any, bool)
}

// Engine renders templates. It is safe for concurrent use.
type Engine struct {
	opts  Options
	mu    sync.Mutex
	cache map[cacheKey][]node
}

type cacheKey struct {
	src string
	syn syntax
}

// New returns an Engine.
func New(opts Options) *Engine {
	return &Engine{opts: opts, cache: map[cacheKey][]node{}}
}

// Context is what one rendering sees.
type Context struct {
	// Vars are the top-level variables (already merged by precedence). Values are the
	// shared data model (gorun/engine/value) and may also be a Mapping or a Lazy.
	Vars map[string]any
	// SearchPath lists directories for file-based lookups and includes, in order
	// (role dir, then playbook dir).
	SearchPath []string
	// FromYAML reports whether the top-level variable name was read from
	// YAML, where Ansible's strings are AnsibleUnicode rather than str. Only
	// type_debug, method reprs and missing-attribute messages show the class,
	// so it is asked only there, never on the way to a value. May be nil (no
	// variable came from YAML).
	FromYAML func(name string) bool
}

// Mapping is a read-only mapping whose values are computed on access (hostvars,
// the `vars` magic var). Templates treat it like a dict. Get must return final
// values: the engine does not template what a Mapping returns, because only the
// implementation knows which variables (which host) a value must be templated
// with (hostvars['web1'].x is rendered with web1's variables).
type Mapping interface {
	Get(key string) (any, bool)
	Keys() []string
}

// Lazy is a value computed on first access. What Resolve returns is templated
// like any other variable value.
type Lazy interface {
	Resolve() (any, error)
}

// omitPlaceholder is the value of `omit`, as Ansible builds it.
const omitPlaceholder = "__omit_place_holder__0d3f6ef8ab6e4f8b4a1b3d6c1c11f2f1b8b9a2e3"

// Omit is the placeholder `{{ omit }}` evaluates to; callers drop options equal to it.
func Omit() string { return omitPlaceholder }

// session is the state of one top-level call: variables already templated and
// the ones being templated (to detect recursion).
type session struct {
	ctx       *Context
	cache     map[string]any
	resolving map[string]bool
	overlay   map[string]any
	depth     int
	// tainted is set when a lookup returned data: Ansible marks such results
	// unsafe so they are never templated again.
	tainted bool
	// nesting counts the includes and extends being rendered inside one another.
	nesting int
}

func (e *Engine) newSession(ctx *Context) *session {
	if ctx == nil {
		ctx = &Context{}
	}
	return &session{ctx: ctx, cache: map[string]any{}, resolving: map[string]bool{}, overlay: map[string]any{}}
}

// InternalError is a bug in the engine (a recovered panic), never a template error.
type InternalError struct {
	Msg, Stack string
}

func (e *InternalError) Error() string { return "template engine internal error: " + e.Msg }

// guard turns a panic into an error so that no input can crash the caller.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = &InternalError{Msg: fmt.Sprintf("%v", r), Stack: string(debug.Stack())}
	}
}

// Template renders v deeply (strings inside lists and dicts too) with Ansible's
// semantics: a string that is exactly one `{{ expr }}` keeps the native type of
// expr; other strings with template syntax render to a string (or to a list,
// dict or bool when the text reads as one, as Ansible's literal_eval does);
// value.Unsafe is never rendered; value.Vaulted is decrypted.
func (e *Engine) Template(v any, ctx *Context) (res any, err error) {
	defer guard(&err)
	res, err = e.templateValue(v, e.newSession(ctx))
	return exportValue(res), err
}

// TemplateTainted is Template that also reports whether the result contains
// lookup output, which Ansible marks unsafe (never to be templated again): a
// caller storing the result as a variable (set_fact, register) should keep it
// as value.Unsafe when tainted is true.
func (e *Engine) TemplateTainted(v any, ctx *Context) (res any, tainted bool, err error) {
	defer guard(&err)
	sess := e.newSession(ctx)
	res, err = e.templateValue(v, sess)
	return exportValue(res), sess.tainted, err
}

// MarkUnsafe is Ansible's wrap_var: every string in v (inside lists and
// dicts too) becomes value.Unsafe, so it is never templated again. Callers
// storing a TemplateTainted result that was tainted (set_fact) apply it, and
// so do those storing module results (register), as Ansible wraps them.
// Containers keep their Go types.
func MarkUnsafe(v any) any {
	return value.MapLeaves(v, func(leaf any) any {
		if s, ok := leaf.(string); ok {
			return value.Unsafe(s)
		}
		return leaf
	})
}

// RenderString renders s and always returns a string (for messages, names).
func (e *Engine) RenderString(s string, ctx *Context) (res string, err error) {
	defer guard(&err)
	if !IsTemplate(s) {
		return s, nil
	}
	return e.renderText(s, e.newSession(ctx), stringSyntax(), "")
}

// Expr evaluates a bare Jinja expression as Ansible's convert_bare does for
// debug's `var:`: it is templated as "{{ expr }}", so a bare variable keeps its
// type and list/dict/bool results are native, while other results are text
// (as in ansible-playbook, `{{ 1 + 1 }}` gives "2").
func (e *Engine) Expr(expr string, ctx *Context) (res any, err error) {
	defer guard(&err)
	if !strings.Contains(expr, "{{") && !strings.Contains(expr, "{%") {
		expr = "{{" + expr + "}}"
	}
	res, err = e.templateValue(expr, e.newSession(ctx))
	return exportValue(res), err
}

// Condition evaluates a conditional as Ansible does for when/changed_when/
// failed_when/until/assert.that: a bare expression, a bool, or a string that is
// itself a template; it returns Python truthiness.
func (e *Engine) Condition(cond any, ctx *Context) (ok bool, err error) {
	defer guard(&err)
	switch c := cond.(type) {
	case nil:
		return true, nil
	case bool:
		return c, nil
	case value.Unsafe:
		return false, fmt.Errorf("Conditional is marked as unsafe, and cannot be evaluated.")
	case string:
		if c == "" {
			return true, nil
		}
	}
	sess := e.newSession(ctx)
	first, err := e.templateValue(cond, sess)
	if err != nil {
		return false, err
	}
	s, isStr := first.(string)
	if !isStr || s == "" {
		return truthy(first)
	}
	presented := "{% if " + s + " %} True {% else %} False {% endif %}"
	out, err := e.renderText(presented, sess, stringSyntax(), "")
	if err != nil {
		return false, err
	}
	switch strings.TrimSpace(out) {
	case "True":
		return true, nil
	case "False":
		return false, nil
	}
	return false, fmt.Errorf("unable to evaluate conditional: %s", s)
}

// IsTemplate reports whether s contains template syntax.
func IsTemplate(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%") || strings.Contains(s, "{#")
}

// stringSyntax is the environment Ansible uses for strings in playbooks:
// trim_blocks on, backslashes in {{ }} string literals kept.
func stringSyntax() syntax {
	s := defaultSyntax()
	s.trimBlocks = true
	s.rawStrings = true
	return s
}

// stringFilters are Ansible's STRING_TYPE_FILTERS: their text is never converted back.
var stringFilters = map[string]bool{"string": true, "to_json": true, "to_nice_json": true, "to_yaml": true, "to_nice_yaml": true, "ppretty": true, "json": true}

var singleVar = regexp.MustCompile(`^\{\{\s*(\w*)\s*\}\}$`)

// templateValue is Ansible's Templar.template with convert_data=True.
func (e *Engine) templateValue(v any, sess *session) (any, error) {
	switch x := v.(type) {
	case value.Unsafe:
		// Like Ansible's AnsibleContext, a template that reads an unsafe
		// value gives an unsafe result.
		sess.tainted = true
		return string(x), nil
	case value.Vaulted:
		return e.decryptVaulted(x)
	case string:
		if !IsTemplate(x) {
			return x, nil
		}
		if m := singleVar.FindStringSubmatch(x); m != nil {
			if raw, ok := sess.ctx.Vars[m[1]]; ok {
				switch raw.(type) {
				case nil, bool, int, float64:
					return raw, nil
				}
			}
		}
		return e.doTemplate(x, sess)
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			r, err := e.templateValue(it, sess)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case *value.Dict, map[string]any:
		d := value.NewDict(mapLen(x))
		for _, k := range mapKeys(x) {
			it, _ := mapGet(x, k)
			r, err := e.templateValue(it, sess)
			if err != nil {
				return nil, err
			}
			d.Set(k, r)
		}
		return d, nil
	case Lazy:
		r, err := x.Resolve()
		if err != nil {
			return nil, err
		}
		return e.templateValue(r, sess)
	}
	return v, nil
}

func (e *Engine) decryptVaulted(v value.Vaulted) (any, error) {
	if e.opts.Vault == nil {
		return nil, fmt.Errorf("Attempting to decrypt but no vault secrets found")
	}
	b, err := e.opts.Vault.Decrypt([]byte(v.Ciphertext))
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// parseCached parses src with syn, remembering the result.
func (e *Engine) parseCached(src string, syn syntax) ([]node, error) {
	k := cacheKey{src, syn}
	e.mu.Lock()
	body, ok := e.cache[k]
	e.mu.Unlock()
	if ok {
		return body, nil
	}
	body, err := parse(src, syn)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if len(e.cache) > 10000 {
		e.cache = map[cacheKey][]node{}
	}
	e.cache[k] = body
	e.mu.Unlock()
	return body, nil
}

// templateError wraps a syntax error as Ansible reports it.
func templateError(err error, src string) error {
	var se *TemplateSyntaxError
	if errors.As(err, &se) {
		return &wrappedError{msg: fmt.Sprintf("template error while templating string: %s. String: %s", se.Msg, src), err: err}
	}
	return err
}

// wrappedError rewords an error while keeping it reachable with errors.As.
type wrappedError struct {
	msg string
	err error
}

func (e *wrappedError) Error() string { return e.msg }
func (e *wrappedError) Unwrap() error { return e.err }

// doTemplate renders a string and converts the text as ansible_eval_concat does.
func (e *Engine) doTemplate(src string, sess *session) (any, error) {
	syn := stringSyntax()
	body, src2, err := e.prepare(src, &syn)
	if err != nil {
		return nil, err
	}
	ev := &evaluator{e: e, sess: sess, syn: syn}
	root := newFrame(nil)
	if o, ok := soleOutput(body); ok {
		// The template yields one value (its other statements only assign):
		// Jinja's concat gets that value itself.
		for _, n := range body {
			if n != node(o) {
				if err := ev.renderNode(n, root, nil); err != nil {
					return nil, err
				}
			}
		}
		{
			v, err := ev.evalRaw(o.x, root)
			if err != nil {
				return nil, err
			}
			if s, ok := v.(nativeText); ok {
				// NativeJinjaText is never literal_eval'd.
				return restoreNewlines(string(s), src2, syn), nil
			}
			v = plainValue(v) // Ansible's finalize unrolls iterables
			switch x := v.(type) {
			case []any, *value.Dict, map[string]any:
				if u := findUndefined(x); u != nil {
					return nil, u.err()
				}
				return x, nil
			}
			s, err := outputText(v)
			if err != nil {
				return nil, err
			}
			return e.finishText(s, src2, syn), nil
		}
	}
	var b strings.Builder
	if err := ev.renderRoot(body, root, &b); err != nil {
		return nil, err
	}
	return e.finishText(b.String(), src2, syn), nil
}

// soleOutput returns the one output statement of body when every other
// statement only assigns (set, macro) and so yields nothing.
func soleOutput(body []node) (*outputNode, bool) {
	var out *outputNode
	for _, n := range body {
		if l, ok := n.(*lineNode); ok {
			n = l.n
		}
		switch n := n.(type) {
		case *outputNode:
			if out != nil {
				return nil, false
			}
			out = n
		case *setNode, *macroNode, *importNode:
		default:
			return nil, false
		}
	}
	return out, out != nil
}

// finishText restores trailing newlines and applies Ansible's literal_eval of list/dict/bool text.
func (e *Engine) finishText(out, src string, syn syntax) any {
	out = restoreNewlines(out, src, syn)
	if strings.HasPrefix(out, "{") || strings.HasPrefix(out, "[") || out == "True" || out == "False" {
		if v, ok := literalEval(out); ok {
			return v
		}
	}
	return out
}

func restoreNewlines(out, src string, syn syntax) string {
	want := countTrailingNewlines(src)
	have := countTrailingNewlines(out)
	if want > have {
		out += strings.Repeat(syn.newline, want-have)
	}
	return out
}

func countTrailingNewlines(s string) int {
	n := 0
	for i := len(s) - 1; i >= 0 && s[i] == '\n'; i-- {
		n++
	}
	return n
}

// prepare applies `#jinja2:` overrides and parses.
func (e *Engine) prepare(src string, syn *syntax) ([]node, string, error) {
	if strings.HasPrefix(src, "#jinja2:") {
		var err error
		if src, err = applyOverrides(src, syn); err != nil {
			return nil, src, err
		}
	}
	body, err := e.parseCached(src, *syn)
	if err != nil {
		return nil, src, templateError(err, src)
	}
	return body, src, nil
}

// renderText renders src to a string without any conversion.
func (e *Engine) renderText(src string, sess *session, syn syntax, file string) (string, error) {
	body, src2, err := e.prepare(src, &syn)
	if err != nil {
		return "", err
	}
	ev := &evaluator{e: e, sess: sess, syn: syn, file: file}
	var b strings.Builder
	if err := ev.renderRoot(body, newFrame(nil), &b); err != nil {
		return "", err
	}
	return restoreNewlines(b.String(), src2, syn), nil
}

// lookupName resolves a variable: template locals, then the context's vars
// (templated lazily), then globals.
func (ev *evaluator) lookupName(name string, f *frame) (any, error) {
	if v, ok := f.lookup(name); ok {
		return ev.resolveValue(v)
	}
	s := ev.sess
	if v, ok := s.overlay[name]; ok {
		return v, nil
	}
	if v, ok := s.cache[name]; ok {
		return v, nil
	}
	if raw, ok := s.ctx.Vars[name]; ok {
		if s.resolving[name] {
			return nil, fmt.Errorf("recursive loop detected in template string: %s", ToText(raw))
		}
		s.resolving[name] = true
		s.depth++
		if s.depth > 200 {
			return nil, fmt.Errorf("recursive loop detected in template string: %s", ToText(raw))
		}
		v, err := ev.e.templateValue(raw, s)
		s.depth--
		delete(s.resolving, name)
		if err != nil {
			var ue *UndefinedError
			if errors.As(err, &ue) {
				// Ansible's inner do_template raises the error again with
				// itself as orig_exc, so its message is "E. E".
				return &undefined{name: name, hint: ToText(raw) + ": " + ue.Msg + ". " + ue.Msg, origin: ue.Name}, nil
			}
			return nil, err
		}
		s.cache[name] = v
		return v, nil
	}
	if g, ok := globals[name]; ok {
		return g, nil
	}
	return &undefined{name: name}, nil
}

// exportValue converts internal values (tuples) to the shared data model.
func exportValue(v any) any {
	switch x := v.(type) {
	case tuple:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = exportValue(it)
		}
		return out
	case []any:
		changed := false
		for _, it := range x {
			switch it.(type) {
			case tuple, []any, *value.Dict:
				changed = true
			}
		}
		if !changed {
			return x
		}
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = exportValue(it)
		}
		return out
	case *value.Dict:
		d := value.NewDict(x.Len())
		for _, k := range x.Keys() {
			it, _ := x.Get(k)
			d.Set(k, exportValue(it))
		}
		return d
	case *undefined:
		return nil
	}
	return v
}

// findUndefined returns the first undefined value nested in v.
func findUndefined(v any) *undefined {
	switch x := v.(type) {
	case *undefined:
		return x
	case []any:
		for _, it := range x {
			if u := findUndefined(it); u != nil {
				return u
			}
		}
	case tuple:
		return findUndefined([]any(x))
	case *value.Dict:
		for _, k := range x.Keys() {
			it, _ := x.Get(k)
			if u := findUndefined(it); u != nil {
				return u
			}
		}
	}
	return nil
}
