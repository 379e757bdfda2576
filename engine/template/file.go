package template

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gorun/engine/value"
)

// FileOptions are the template module's Jinja settings.
type FileOptions struct {
	TrimBlocks, LstripBlocks, KeepTrailingNewline bool
	NewlineSequence                               string
	VariableStart, VariableEnd                    string
	BlockStart, BlockEnd                          string
	CommentStart, CommentEnd                      string
	// Path is the template's file name, for errors and {% include %} relative lookups.
	Path string
}

// DefaultFileOptions are the template module's defaults: trim_blocks=True,
// lstrip_blocks=False, keep_trailing_newline=False, "\n", standard delimiters.
func DefaultFileOptions() FileOptions {
	return FileOptions{
		TrimBlocks: true, NewlineSequence: "\n",
		VariableStart: "{{", VariableEnd: "}}", BlockStart: "{%", BlockEnd: "%}", CommentStart: "{#", CommentEnd: "#}",
	}
}

func (o FileOptions) syntax() syntax {
	s := defaultSyntax()
	s.trimBlocks, s.lstripBlocks, s.keepTrailingNewline = o.TrimBlocks, o.LstripBlocks, o.KeepTrailingNewline
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&s.newline, o.NewlineSequence)
	set(&s.varStart, o.VariableStart)
	set(&s.varEnd, o.VariableEnd)
	set(&s.blockStart, o.BlockStart)
	set(&s.blockEnd, o.BlockEnd)
	set(&s.commentStart, o.CommentStart)
	set(&s.commentEnd, o.CommentEnd)
	return s
}

// File renders a template file's content as the template module does, plus
// the template_* variables the caller puts in ctx.Vars.
func (e *Engine) File(src string, ctx *Context, opts FileOptions) (out string, err error) {
	defer guard(&err)
	syn := opts.syntax()
	path := opts.Path
	if path == "" {
		path = "<template>"
	}
	out, err = e.renderText(src, e.newSession(ctx), syn, path)
	if err != nil {
		return "", &FileError{Path: opts.Path, Err: err}
	}
	return out, nil
}

// FileError is a failure rendering a template file: "PATH:LINE: message".
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string {
	var le *LocatedError
	if errors.As(e.Err, &le) {
		return fmt.Sprintf("%s:%d: %v", e.Path, le.Line, le.Err)
	}
	var se *TemplateSyntaxError
	if errors.As(e.Err, &se) && se.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, se.Line, se.Msg)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// findTemplate locates a template named by {% include %}/{% import %}.
func (ev *evaluator) findTemplate(name string) (string, error) {
	var dirs []string
	if ev.file != "" {
		dirs = append(dirs, filepath.Dir(ev.file))
	}
	for _, d := range ev.sess.ctx.SearchPath {
		dirs = append(dirs, filepath.Join(d, "templates"), d)
	}
	if filepath.IsAbs(name) {
		if _, err := os.Stat(name); err == nil {
			return name, nil
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("the template %s could not be found", name)
}

func (ev *evaluator) loadTemplate(x expr, f *frame) (string, []node, error) {
	v, err := ev.eval(x, f)
	if err != nil {
		return "", nil, err
	}
	names := []any{v}
	if l, ok := asList(v); ok {
		names = l
	}
	var lastErr error
	for _, n := range names {
		path, err := ev.findTemplate(ToText(n))
		if err != nil {
			lastErr = err
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return "", nil, err
		}
		syn := ev.syn
		src := string(data)
		if strings.HasPrefix(src, "#jinja2:") {
			if src, err = applyOverrides(src, &syn); err != nil {
				return "", nil, err
			}
		}
		body, err := ev.e.parseCached(src, syn)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", path, err)
		}
		return path, body, nil
	}
	return "", nil, lastErr
}

func (ev *evaluator) include(n *includeNode, f *frame, out *strings.Builder) error {
	path, body, err := ev.loadTemplate(n.tmpl, f)
	if err != nil {
		if n.ignoreMissing && strings.Contains(err.Error(), "could not be found") {
			return nil
		}
		return err
	}
	if ev.sess.nesting++; ev.sess.nesting > maxNesting {
		return fmt.Errorf("maximum recursion depth exceeded while including %s", path)
	}
	defer func() { ev.sess.nesting-- }()
	sub := &evaluator{e: ev.e, sess: ev.sess, file: path, syn: ev.syn}
	scope := newFrame(nil)
	if n.withContext {
		scope = newFrame(f)
	}
	return sub.renderRoot(body, scope, out)
}

// importedModule is what {% import 'x' as m %} binds: the template's macros and top-level sets.
type importedModule struct{ d *value.Dict }

func (ev *evaluator) importTemplate(n *importNode, f *frame) error {
	path, body, err := ev.loadTemplate(n.tmpl, f)
	if err != nil {
		return err
	}
	if ev.sess.nesting++; ev.sess.nesting > maxNesting {
		return fmt.Errorf("maximum recursion depth exceeded while importing %s", path)
	}
	defer func() { ev.sess.nesting-- }()
	sub := &evaluator{e: ev.e, sess: ev.sess, file: path, syn: ev.syn}
	scope := newFrame(nil)
	if n.withContext {
		scope = newFrame(f)
	}
	var discard strings.Builder
	if err := sub.renderNodes(body, scope, &discard); err != nil {
		return err
	}
	if n.alias != "" {
		d := value.NewDict()
		for k, v := range scope.vars {
			d.Set(k, v)
		}
		f.vars[n.alias] = &importedModule{d: d}
		return nil
	}
	for i, name := range n.names {
		v, ok := scope.vars[name]
		if !ok {
			return fmt.Errorf("the template %s does not export the requested name '%s'", path, name)
		}
		f.vars[n.aliases[i]] = v
	}
	return nil
}
