package template

import (
	"errors"
	"testing"

	"gorun/engine/value"
)

// FuzzTemplate checks that no template source, however broken, makes the
// engine panic: every failure must come back as an error.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"{{ x }}", "{{ '%s' % x }}", "{% for a in l %}{{ a }}{% endfor %}", "{{ d.items() | list }}",
		"{% macro m(a, b=1) %}{{ a ~ b }}{% endmacro %}{{ m(1) }}", "{{ [1, 2][5:1:-1] }}", "{{ 1 // 0 }}",
		"{% set ns = namespace(a=1) %}{% set ns.a = 2 %}{{ ns.a }}", "{{ x | regex_replace('(', '') }}",
		"{% raw %}{{{% endraw %}", "{{ '{:>{}}'.format(1) }}", "{{ l | batch(0) }}", "{% if %}", "{{ }}",
		"{{ 10 ** 10 ** 10 }}", "{{ range(10) | random(seed=1) }}", "{{ '1.2.3.4/33' | ipaddr }}",
		"#jinja2: trim_blocks: False\n{{ x }}", "{% extends 'x.j2' %}{% block a %}{{ super() }}{% endblock %}",
		"{% block a %}{% block b %}{{ self.a() }}{% endblock %}{% endblock %}", "{{ 'see www.x.com.' | urlize(3) }}",
		"{{ x | vault('pw', salt='s') | unvault('pw') }}", "{{ range(3) | string }}{{ d.items() | string }}",
		"{{ x | password_hash('bcrypt', salt='1234567890123456789012', rounds=4) }}",
		"{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% for a in [1] recursive %}{{ loop([1]) }}{% endfor %}", "{{ x | to_nice_yaml | from_yaml }}", "{{ {'a': [1, {'b': None}]} | to_json | from_json }}",
	} {
		f.Add(s)
	}
	e := New(Options{})
	ctx := &Context{Vars: map[string]any{
		"x": "value", "l": []any{1, "two", 3.5, nil}, "d": value.DictOf("a", 1, "b", []any{true}),
		"self_ref": "{{ self_ref }}",
	}}
	f.Fuzz(func(t *testing.T, src string) {
		// Template, Condition and File each recover panics into errors; a panic
		// escaping here fails the fuzz run.
		check := func(err error) {
			var ie *InternalError
			if errors.As(err, &ie) {
				t.Fatalf("panic on %q: %s\n%s", src, ie.Msg, ie.Stack)
			}
		}
		_, err := e.Template(src, ctx)
		check(err)
		_, err = e.Condition(src, ctx)
		check(err)
		_, err = e.File(src, ctx, DefaultFileOptions())
		check(err)
		_, err = e.Expr(src, ctx)
		check(err)
	})
}
