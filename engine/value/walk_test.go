package value

import (
	"reflect"
	"strings"
	"testing"
)

func TestMapLeavesCopiesContainersAndMapsLeaves(t *testing.T) {
	inner := []any{"b", 2}
	in := DictOf("a", "x", "l", inner, "m", map[string]any{"k": "y"})
	out := MapLeaves(in, func(v any) any {
		if s, ok := v.(string); ok {
			return strings.ToUpper(s)
		}
		return v
	}).(*Dict)
	if got, _ := out.Get("a"); got != "X" {
		t.Errorf("a = %v, want X", got)
	}
	l, _ := out.Get("l")
	if !reflect.DeepEqual(l, []any{"B", 2}) {
		t.Errorf("l = %v, want [B 2]", l)
	}
	if m, _ := out.Get("m"); !reflect.DeepEqual(m, map[string]any{"k": "Y"}) {
		t.Errorf("m = %v, want map[k:Y]", m)
	}
	if !reflect.DeepEqual(out.Keys(), []string{"a", "l", "m"}) {
		t.Errorf("keys %v lost their order", out.Keys())
	}
	l.([]any)[0] = "changed"
	if inner[0] != "b" {
		t.Errorf("the copy shares its list with the original")
	}
}

func TestStrings(t *testing.T) {
	for _, c := range []struct {
		in   any
		want []string
	}{
		{"one", []string{"one"}},
		{[]any{"a", 1, "b"}, []string{"a", "b"}},
		{nil, nil},
		{DictOf("a", "b"), nil},
	} {
		if got := Strings(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Strings(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
