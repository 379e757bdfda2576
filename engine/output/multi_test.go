package output

import (
	"bytes"
	"strings"
	"testing"
)

func TestByName(t *testing.T) {
	for _, c := range []struct {
		name string
		want any
	}{
		{"default", &Default{}}, {"ansible.builtin.default", &Default{}},
		{"minimal", &Minimal{}}, {"ansible.legacy.minimal", &Minimal{}},
		{"oneline", &Oneline{}}, {"json", &JSON{}}, {"ansible.posix.json", &JSON{}},
	} {
		cb, err := ByName(c.name, &bytes.Buffer{}, &bytes.Buffer{}, DefaultOptions{})
		if err != nil {
			t.Fatalf("ByName(%q): %v", c.name, err)
		}
		if got, want := typeName(cb), typeName(c.want); got != want {
			t.Errorf("ByName(%q) is a %s, want %s", c.name, got, want)
		}
	}
	for _, name := range []string{"yaml", "community.general.yaml", "debug", "ansible.builtin.junit", ""} {
		_, err := ByName(name, &bytes.Buffer{}, &bytes.Buffer{}, DefaultOptions{})
		if err == nil || !strings.Contains(err.Error(), `"`+name+`"`) {
			t.Errorf("ByName(%q) error = %v, want one naming the callback", name, err)
		}
	}
	if _, err := ByName("default", &bytes.Buffer{}, &bytes.Buffer{}, DefaultOptions{ResultFormat: "xml"}); err == nil {
		t.Error("result_format xml accepted")
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *Default:
		return "Default"
	case *Minimal:
		return "Minimal"
	case *Oneline:
		return "Oneline"
	case *JSON:
		return "JSON"
	}
	return "unknown"
}

// TestMultiFansOut checks that every callback of a Multi sees every event:
// two default callbacks print the same bytes as one.
func TestMultiFansOut(t *testing.T) {
	var one, a, b, errs bytes.Buffer
	single, _ := NewDefault(&one, &errs, DefaultOptions{})
	first, _ := NewDefault(&a, &errs, DefaultOptions{})
	second, _ := NewDefault(&b, &errs, DefaultOptions{})
	basicEvents(single)
	m := Multi{first, Null{}, second}
	basicEvents(m)
	m.HostStart(&Task{Name: "x"}, "h")
	if one.Len() == 0 || a.String() != one.String() || b.String() != one.String() {
		t.Fatalf("Multi output differs from a single callback's:\n%s\n---\n%s\n---\n%s", one.String(), a.String(), b.String())
	}
}
