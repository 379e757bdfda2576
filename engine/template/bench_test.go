package template

import (
	"os"
	"testing"
)

// BenchmarkExpression measures one task-argument style template against lazy vars.
func BenchmarkExpression(b *testing.B) {
	_, ctx := loadGolden(b)
	e := New(Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Template("{{ users | selectattr('active') | map(attribute='name') | join(',') }}-{{ nested_tpl }}", ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCondition measures a typical when: clause.
func BenchmarkCondition(b *testing.B) {
	_, ctx := loadGolden(b)
	e := New(Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.Condition("config.server.port in [8080, 8443] and flag", ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFile renders a config-file template as the template module does.
func BenchmarkFile(b *testing.B) {
	_, ctx := loadGolden(b)
	src, err := os.ReadFile("testdata/templates/users.j2")
	if err != nil {
		b.Fatal(err)
	}
	e := New(Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.File(string(src), ctx, DefaultFileOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
