package template

import (
	"strings"
	"testing"

	"gorun/engine/value"
)

// TestTextFromYAMLIsAnsibleUnicode checks where text read from YAML shows
// Ansible's AnsibleUnicode class and where computed text is str.
func TestTextFromYAMLIsAnsibleUnicode(t *testing.T) {
	e := New(Options{})
	yamlVars := map[string]bool{"name": true, "user": true, "greeting": true}
	ctx := &Context{
		Vars: map[string]any{
			"name":     "Alice",
			"user":     value.DictOf("login", "al", "groups", []any{"adm"}),
			"greeting": "Hi {{ name }}",
			"plain":    "Bob", // not from YAML (an INI inventory value, say)
		},
		FromYAML: func(n string) bool { return yamlVars[n] },
	}
	cases := []struct{ src, want string }{
		{"{{ name | type_debug }}", "AnsibleUnicode"},
		{"{{ user.login | type_debug }}", "AnsibleUnicode"},
		{"{{ user['groups'][0] | type_debug }}", "AnsibleUnicode"},
		{"{{ greeting | type_debug }}", "str"}, // rendered from a template
		{"{{ plain | type_debug }}", "str"},
		{"{{ (name ~ '') | type_debug }}", "str"},
		{"{{ name.upper() | type_debug }}", "str"},
		{"{{ name.upper }}", "<built-in method upper of AnsibleUnicode object at 0xADDRESS>"},
		{"{{ user.login['upper'] }}", "<built-in method upper of AnsibleUnicode object at 0xADDRESS>"},
		{"{{ plain.upper }}", "<built-in method upper of str object at 0xADDRESS>"},
		{"{% set name = 'x' %}{{ name.upper }}", "<built-in method upper of str object at 0xADDRESS>"},
	}
	for _, c := range cases {
		got, err := e.Template(c.src, ctx)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if s := objectAddress.ReplaceAllString(ToText(got), " at 0xADDRESS>"); s != c.want {
			t.Errorf("%s = %q, want %q", c.src, s, c.want)
		}
	}
	_, err := e.Template("{{ name.nope }}", ctx)
	if err == nil || !strings.Contains(err.Error(), "'ansible.parsing.yaml.objects.AnsibleUnicode object' has no attribute 'nope'") {
		t.Errorf("missing attribute on YAML text: %v", err)
	}
	_, err = e.Template("{{ plain.nope }}", ctx)
	if err == nil || !strings.Contains(err.Error(), "'str object' has no attribute 'nope'") {
		t.Errorf("missing attribute on str: %v", err)
	}
}

// TestVaultEncryptedNone: the vault filter's wrapped object has no vault, so
// Ansible's vault_encrypted is None for it (falsy, printed as nothing), while
// vaulted text is encrypted.
func TestVaultEncryptedNone(t *testing.T) {
	e := New(Options{})
	ctx := newCtx(map[string]any{"s": "secret"})
	cases := []struct {
		src  string
		want any
	}{
		{`{{ s | vault("pw", wrap_object=True) is vault_encrypted }}`, ""},
		{`{{ s | vault("pw", wrap_object=True) is not vault_encrypted }}`, true},
		{`{{ [s | vault("pw", wrap_object=True)] | select("vault_encrypted") | list }}`, []any{}},
		{`{{ s | vault("pw") is vault_encrypted }}`, true},
	}
	for _, c := range cases {
		got, err := e.Template(c.src, ctx)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if canonical(got) != canonical(c.want) {
			t.Errorf("%s = %s, want %s", c.src, canonical(got), canonical(c.want))
		}
	}
	ok, err := e.Condition(`s | vault("pw", wrap_object=True) is vault_encrypted`, ctx)
	if err != nil || ok {
		t.Errorf("condition = %v, %v; want false", ok, err)
	}
}
