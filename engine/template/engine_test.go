package template

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"gorun/engine/value"
)

func newCtx(vars map[string]any) *Context { return &Context{Vars: vars} }

func TestNativeTypesAndText(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"n": 5, "f": 1.5, "l": []any{1, "a"}, "d": value.DictOf("k", 1), "none": nil, "b": true})
	cases := []struct {
		src  string
		want string // canonical JSON of the result
	}{
		{"{{ n }}", "5"},         // a bare variable keeps its type
		{"{{ n + 1 }}", `"6"`},   // any expression renders to text
		{"{{ f }}", "1.5"},       // bare float variable
		{"{{ l }}", `[1, "a"]`},  // lists stay lists
		{"{{ d }}", `{"k": 1}`},  // dicts stay dicts
		{"{{ none }}", "null"},   // bare None stays None
		{"a{{ none }}b", `"ab"`}, // None prints as empty
		{"{{ b }}", "true"},      // bools
		{"{{ 'True' }}", "true"}, // text reading True becomes a bool
		{"{{ '[1,2]' }}", "[1, 2]"},
		{"x{{ l }}", `"x[1, 'a']"`}, // Python text form
		{"{{ (1, 'a') }}", `"(1, 'a')"`},
		{"no template", `"no template"`},
		{"{{ n | string }}", `"5"`},
		{"{{ l | to_json }}", `"[1, \"a\"]"`},
		{"trailing\n{{ n }}\n\n", `"trailing\n5\n\n"`},
	}
	for _, c := range cases {
		got, err := e.Template(c.src, ctx)
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if s := canonical(got); s != c.want {
			t.Errorf("%q: got %s, want %s", c.src, s, c.want)
		}
	}
}

func TestTemplateDeepAndUnsafe(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"name": "x"})
	in := value.DictOf("a", "{{ name }}", "b", []any{"{{ name }}!", value.Unsafe("{{ name }}")}, "c", 3)
	got, err := e.Template(in, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s := canonical(got); s != `{"a": "x", "b": ["x!", "{{ name }}"], "c": 3}` {
		t.Errorf("got %s", s)
	}
}

func TestLazyVarsAndRecursion(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{
		"a": "{{ b }}-a", "b": "{{ c | upper }}", "c": "deep",
		"loop1": "{{ loop2 }}", "loop2": "{{ loop1 }}",
		"broken": "{{ missing_var }}",
		"nested": value.DictOf("x", []any{"{{ c }}"}),
	})
	got, err := e.Template("{{ a }} {{ nested.x[0] }}", ctx)
	if err != nil || got != "DEEP-a deep" {
		t.Errorf("lazy: got %v, %v", got, err)
	}
	_, err = e.Template("{{ loop1 }}", ctx)
	if err == nil || !strings.Contains(err.Error(), "recursive loop detected in template string") {
		t.Errorf("recursion: got %v", err)
	}
	_, err = e.Template("{{ broken }}", ctx)
	var ue *UndefinedError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "'missing_var' is undefined") || ue.Name != "missing_var" {
		t.Errorf("undefined inside lazy var: got %v", err)
	}
	got, err = e.Template("{{ broken | default('ok') }}", ctx)
	if err != nil || got != "ok" {
		t.Errorf("default over a broken lazy var: %v %v", got, err)
	}
}

func TestUndefinedMessages(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"d": value.DictOf("a", 1)})
	for src, want := range map[string]string{
		"{{ foo }}":         "'foo' is undefined",
		"{{ d.bar }}":       "'dict object' has no attribute 'bar'",
		"{{ d['bar'] }}":    "'dict object' has no attribute 'bar'",
		"{{ foo.bar.baz }}": "'foo' is undefined",
		"{{ foo | upper }}": "'foo' is undefined",
	} {
		_, err := e.Template(src, ctx)
		var ue *UndefinedError
		if !errors.As(err, &ue) || err.Error() != want {
			t.Errorf("%s: got %v, want %q", src, err, want)
		}
	}
	_, err := e.Template("{{ x | no_such_filter }}", ctx)
	if err == nil || !strings.Contains(err.Error(), `Could not load "no_such_filter"`) {
		t.Errorf("unknown filter: %v", err)
	}
}

type fakeMapping map[string]any

func (m fakeMapping) Get(k string) (any, bool) { v, ok := m[k]; return v, ok }
func (m fakeMapping) Keys() []string           { return value.Keys(map[string]any(m)) }

type fakeLazy struct{ calls *int }

func (l fakeLazy) Resolve() (any, error) { *l.calls++; return []any{"computed"}, nil }

func TestMappingAndLazy(t *testing.T) {
	e := New(Options{})
	calls := 0
	ctx := newCtx(map[string]any{
		"hostvars": fakeMapping{"web1": value.DictOf("ip", "10.0.0.1")},
		"facts":    fakeLazy{&calls},
	})
	got, err := e.Template("{{ hostvars['web1'].ip }} {{ hostvars | list }} {{ facts[0] }} {{ 'web1' in hostvars }}", ctx)
	if err != nil || got != "10.0.0.1 ['web1'] computed True" {
		t.Errorf("got %v, %v", got, err)
	}
	if calls != 1 {
		t.Errorf("Lazy resolved %d times in one rendering, want 1", calls)
	}
}

type fakeVault struct{}

func (fakeVault) Decrypt(b []byte) ([]byte, error) {
	return []byte(strings.TrimPrefix(string(b), "$ANSIBLE_VAULT;1.1;AES256\n")), nil
}

func TestVaulted(t *testing.T) {
	e := New(Options{Vault: fakeVault{}})
	ctx := newCtx(map[string]any{"secret": value.Vaulted{Ciphertext: "$ANSIBLE_VAULT;1.1;AES256\nhunter2"}})
	got, err := e.Template("{{ secret | upper }}", ctx)
	if err != nil || got != "HUNTER2" {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := New(Options{}).Template("{{ secret }}", ctx); err == nil {
		t.Errorf("vaulted value without a Decrypter must fail")
	}
}

func TestConditionForms(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"n": 3, "s": "yes", "empty": ""})
	for cond, want := range map[any]bool{
		"n > 2": true, "n == 4": false, true: true, false: false, nil: true, "": true,
		"{{ n > 2 }}": true, "s | bool": true, "empty": false, "'a' in ['a']": true,
	} {
		got, err := e.Condition(cond, ctx)
		if err != nil || got != want {
			t.Errorf("%v: got %v, %v; want %v", cond, got, err, want)
		}
	}
	if _, err := e.Condition("undefined_name", ctx); err == nil {
		t.Errorf("undefined condition must fail")
	}
}

func TestFileOptionsAndIncludes(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "templates", "part.j2"), []byte("part {{ x }}\n"), 0o644)
	e := New(Options{})
	ctx := &Context{Vars: map[string]any{"x": 1, "items": []any{"a", "b"}}, SearchPath: []string{dir}}
	src := "{% for i in items %}\n  {{ i }}\n{% endfor %}\n{% include 'part.j2' %}end\n"
	got, err := e.File(src, ctx, DefaultFileOptions())
	// Jinja drops the included file's own trailing newline (keep_trailing_newline=False).
	if err != nil || got != "  a\n  b\npart 1end\n" {
		t.Errorf("trim_blocks/include: %q %v", got, err)
	}
	opts := DefaultFileOptions()
	opts.LstripBlocks = true
	got, err = e.File("  {% if x %}\nyes\n  {% endif %}\n", ctx, opts)
	if err != nil || got != "yes\n" {
		t.Errorf("lstrip_blocks: %q %v", got, err)
	}
	opts = DefaultFileOptions()
	opts.VariableStart, opts.VariableEnd = "[[", "]]"
	got, err = e.File("[[ x ]] {{ x }}", ctx, opts)
	if err != nil || got != "1 {{ x }}" {
		t.Errorf("custom delimiters: %q %v", got, err)
	}
	got, err = e.File("#jinja2: trim_blocks: False\n{% if x %}\nyes{% endif %}", ctx, DefaultFileOptions())
	if err != nil || got != "\nyes" {
		t.Errorf("#jinja2 override: %q %v", got, err)
	}
}

func TestLookupAPI(t *testing.T) {
	e := New(Options{Config: func(name string) (any, bool) {
		if name == "DEFAULT_FORKS" {
			return 5, true
		}
		return nil, false
	}})
	ctx := newCtx(map[string]any{})
	got, err := e.Lookup("sequence", []any{"start=1 end=3"}, nil, ctx)
	if err != nil || canonical(got) != `["1", "2", "3"]` {
		t.Errorf("sequence: %v %v", canonical(got), err)
	}
	got, err = e.Lookup("ansible.builtin.config", []any{"DEFAULT_FORKS"}, nil, ctx)
	if err != nil || canonical(got) != `[5]` {
		t.Errorf("config: %v %v", got, err)
	}
	if _, err := e.Lookup("no_such_lookup", nil, nil, ctx); err == nil {
		t.Errorf("unknown lookup must fail")
	}
}

func TestToText(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{[]any{"a", 1, nil, true, 1.0}, "['a', 1, None, True, 1.0]"},
		{value.DictOf("b", 1, "a", "it's"), `{'b': 1, 'a': "it's"}`},
		{1e16, "1e+16"}, {1e-5, "1e-05"}, {0.1, "0.1"}, {123456.789, "123456.789"},
		{"plain", "plain"}, {nil, "None"},
	} {
		if got := ToText(c.v); got != c.want {
			t.Errorf("ToText(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}

func TestIsTemplateAndOmit(t *testing.T) {
	if !IsTemplate("a {{ b }}") || IsTemplate("plain") || !IsTemplate("{% if %}") {
		t.Error("IsTemplate")
	}
	got, _ := New(Options{}).Template("{{ omit }}", newCtx(nil))
	if got != Omit() {
		t.Errorf("omit: %v", got)
	}
}

func TestPasswordLookupFile(t *testing.T) {
	dir := t.TempDir()
	e := New(Options{})
	ctx := &Context{Vars: map[string]any{}, SearchPath: []string{dir}}
	first, err := e.Lookup("password", []any{"creds/db length=12 chars=ascii_lowercase"}, nil, ctx)
	if err != nil {
		t.Fatal(err)
	}
	pw := first[0].(string)
	if len(pw) != 12 || strings.Trim(pw, "abcdefghijklmnopqrstuvwxyz") != "" {
		t.Errorf("generated password %q", pw)
	}
	st, err := os.Stat(filepath.Join(dir, "creds", "db"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v %v", st, err)
	}
	again, err := e.Lookup("password", []any{"creds/db length=12"}, nil, ctx)
	if err != nil || again[0] != pw {
		t.Errorf("second lookup must reuse the stored password: %v %v", again, err)
	}
	// a stored salt is kept, so the hash is stable across runs (value from Python crypt.crypt)
	os.WriteFile(filepath.Join(dir, "creds", "h"), []byte("secret salt=abcdefgh\n"), 0o600)
	h, err := e.Lookup("password", []any{"creds/h encrypt=md5_crypt"}, nil, ctx)
	if err != nil || h[0] != "$1$abcdefgh$cHJi5PXp/ki/ktXzqlk6I1" {
		t.Errorf("encrypted: %v %v", h, err)
	}
}

func TestFileErrorsNameFileAndLine(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"d": value.DictOf("a", 1)})
	opts := DefaultFileOptions()
	opts.Path = "roles/web/templates/site.conf.j2"
	_, err := e.File("line one\n{% if true %}\nvalue={{ d.missing }}\n{% endif %}\n", ctx, opts)
	var ue *UndefinedError
	if err == nil || err.Error() != "roles/web/templates/site.conf.j2:3: 'dict object' has no attribute 'missing'" || !errors.As(err, &ue) {
		t.Errorf("runtime error: %v", err)
	}
	_, err = e.File("ok\n{% for x in %}\n", ctx, opts)
	if err == nil || !strings.HasPrefix(err.Error(), "roles/web/templates/site.conf.j2:2: ") {
		t.Errorf("syntax error: %v", err)
	}
}

func TestPasswordHashBcrypt(t *testing.T) {
	got, err := New(Options{}).Template("{{ 'secret' | password_hash('blowfish') }}", newCtx(nil))
	if err != nil {
		t.Fatal(err)
	}
	h := got.(string)
	if !strings.HasPrefix(h, "$2b$12$") || bcrypt.CompareHashAndPassword([]byte(strings.Replace(h, "$2b$", "$2a$", 1)), []byte("secret")) != nil {
		t.Errorf("bcrypt hash %q does not verify", h)
	}
}

func TestLookupResultsAreTainted(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"x": "{{ 1 }}"})
	_, tainted, err := e.TemplateTainted("{{ lookup('pipe', 'echo \"{{ x }}\"') }}", ctx)
	if err != nil || !tainted {
		t.Errorf("lookup output must be tainted: %v %v", tainted, err)
	}
	_, tainted, _ = e.TemplateTainted("{{ x }}", ctx)
	if tainted {
		t.Errorf("no lookup, no taint")
	}
	_, tainted, err = e.TemplateTainted("{{ lookup('pipe', 'echo hi', allow_unsafe=True) }}", ctx)
	if err != nil || tainted {
		t.Errorf("allow_unsafe=True must leave the result safe: %v %v", tainted, err)
	}
	allow := New(Options{Config: func(name string) (any, bool) { return true, name == "DEFAULT_ALLOW_UNSAFE_LOOKUPS" }})
	if _, tainted, err = allow.TemplateTainted("{{ lookup('pipe', 'echo hi') }}", ctx); err != nil || tainted {
		t.Errorf("allow_unsafe_lookups must leave the result safe: %v %v", tainted, err)
	}
	ctx.Vars["u"] = value.Unsafe("{{ x }}")
	if _, tainted, _ = e.TemplateTainted("{{ u ~ '!' }}", ctx); !tainted {
		t.Errorf("a template reading an unsafe value must be tainted")
	}
}

// TestMarkedLookupOutputIsNotTemplatedAgain stores lookup output as set_fact
// does (MarkUnsafe of a tainted result) and reads it back: the braces the
// command printed stay text.
func TestMarkedLookupOutputIsNotTemplatedAgain(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"x": "expanded"})
	got, tainted, err := e.TemplateTainted("{{ lookup('pipe', 'echo \"{{ x }}\"') }}", ctx)
	if err != nil || !tainted {
		t.Fatalf("%v %v", tainted, err)
	}
	ctx.Vars["fact"] = MarkUnsafe(got)
	ctx.Vars["facts"] = MarkUnsafe(value.DictOf("l", []any{got}))
	for tpl, want := range map[string]string{"{{ fact }}": "{{ x }}", "{{ facts.l[0] }}": "{{ x }}", "{{ fact ~ '' }}": "{{ x }}"} {
		if v, err := e.Template(tpl, ctx); err != nil || v != want {
			t.Errorf("%s = %#v, %v; want %q", tpl, v, err, want)
		}
	}
	// Without the mark, the stored text is a template again.
	ctx.Vars["plain"] = got
	if v, _ := e.Template("{{ plain }}", ctx); v != "expanded" {
		t.Errorf("unmarked text: %#v", v)
	}
}

func TestConcurrentUse(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"l": []any{3, 1, 2}, "name": "{{ 'x' | upper }}"})
	done := make(chan error)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 50; j++ {
				got, err := e.Template("{% for x in l | sort %}{{ x }}{% endfor %}{{ name }}", ctx)
				if err == nil && got != "123X" {
					err = errors.New("got " + ToText(got))
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestEndlessRecursionFails checks that templates recursing without end
// (through macros, blocks, recursive loops or includes) fail with an error:
// Go cannot recover from a stack overflow, so each needs a bound.
func TestEndlessRecursionFails(t *testing.T) {
	dir := t.TempDir()
	self := filepath.Join(dir, "self.j2")
	if err := os.WriteFile(self, []byte("{% include 'self.j2' %}"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := New(Options{})
	ctx := &Context{SearchPath: []string{dir}}
	for _, src := range []string{
		"{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
		"{% block a %}{% block b %}{{ self.a() }}{% endblock %}{% endblock %}",
		"{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
		"{% include 'self.j2' %}",
		"{% extends 'self.j2' %}",
	} {
		_, err := e.Template(src, ctx)
		if err == nil || !strings.Contains(err.Error(), "recursion") {
			t.Errorf("%s: want a recursion error, got %v", src, err)
		}
	}
}
