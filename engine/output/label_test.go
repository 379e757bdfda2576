package output

import "testing"

func TestHostLabel(t *testing.T) {
	cases := []struct {
		host, delegated string
		result          map[string]any
		want            string
	}{
		{"web1", "", nil, "web1"},
		{"web1", "web1", nil, "web1"},
		{"web1", "db1", nil, "web1 -> db1"},
		{"web1", "db1", map[string]any{"_ansible_delegated_vars": map[string]any{"ansible_host": "db1"}}, "web1 -> db1"},
		{"web1", "db1", map[string]any{"_ansible_delegated_vars": map[string]any{"ansible_host": "10.0.0.5"}}, "web1 -> db1(10.0.0.5)"},
	}
	for _, c := range cases {
		got := hostLabel(&Result{Host: c.host, Delegated: c.delegated, Result: c.result})
		if got != c.want {
			t.Errorf("hostLabel(%s, %s) = %q, want %q", c.host, c.delegated, got, c.want)
		}
	}
}
