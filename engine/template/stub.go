package template

import "gorun/engine/value"

type Decrypter interface {
	Decrypt(data []byte) ([]byte, error)
}
type Options struct {
	Vault  Decrypter
	Config func(name string) (any, bool)
}
type Engine struct{}

func New(opts Options) *Engine { return &Engine{} }

type Context struct {
	Vars       map[string]any
	SearchPath []string
}
type Mapping interface {
	Get(key string) (any, bool)
	Keys() []string
}
type Lazy interface{ Resolve() (any, error) }

func (e *Engine) Template(v any, ctx *Context) (any, error) {
	if u, ok := v.(value.Unsafe); ok {
		return string(u), nil
	}
	return v, nil
}
func (e *Engine) RenderString(s string, ctx *Context) (string, error) { return s, nil }
func (e *Engine) Condition(cond any, ctx *Context) (bool, error)      { return true, nil }
func (e *Engine) Expr(expr string, ctx *Context) (any, error)         { return ctx.Vars[expr], nil }
func (e *Engine) Lookup(name string, terms []any, kwargs map[string]any, ctx *Context) ([]any, error) {
	return terms, nil
}

type FileOptions struct {
	TrimBlocks, LstripBlocks, KeepTrailingNewline                                    bool
	NewlineSequence                                                                  string
	VariableStart, VariableEnd, BlockStart, BlockEnd, CommentStart, CommentEnd, Path string
}

func DefaultFileOptions() FileOptions                                             { return FileOptions{} }
func (e *Engine) File(src string, ctx *Context, opts FileOptions) (string, error) { return src, nil }
func IsTemplate(s string) bool                                                    { return false }
func Omit() string                                                                { return "__omit_place_holder__" }
func ToText(v any) string                                                         { return "" }

type UndefinedError struct{ Name string }

func (e *UndefinedError) Error() string { return "'" + e.Name + "' is undefined" }
