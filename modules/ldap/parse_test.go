package ldap

import (
	"strings"
	"testing"
)

func TestExplodeDN(t *testing.T) {
	cases := map[string]string{
		"uid=alice,ou=people,dc=example,dc=org": "uid=alice|ou=people|dc=example|dc=org",
		`cn=Smith\, John, ou=people`:            `cn=Smith\, John|ou=people`,
		"olcDatabase={1}mdb,cn=config":          "olcDatabase={1}mdb|cn=config",
		"dc=org":                                "dc=org",
	}
	for dn, want := range cases {
		if got := strings.Join(explodeDN(dn), "|"); got != want {
			t.Errorf("explodeDN(%q) = %q, want %q", dn, got, want)
		}
	}
}

func TestEscapeFilterAsPythonLDAP(t *testing.T) {
	// python-ldap's escape_filter_chars (mode 0) escapes only these five.
	if got := escapeFilter(`a*b(c)d\e` + "\x00é"); got != `a\2ab\28c\29d\5ce\00é` {
		t.Errorf("escapeFilter = %q", got)
	}
}

func TestNormalizeValues(t *testing.T) {
	got := normalizeValues([]any{"to * by self write", "{7}to attrs=x by * read", 3}, true)
	want := "{0}to * by self write|{1}to attrs=x by * read|{2}3"
	if strings.Join(got, "|") != want {
		t.Errorf("ordered = %q", got)
	}
	if got := normalizeValues(true, false); len(got) != 1 || got[0] != "True" {
		t.Errorf("a bool is str()'d as Python does: %q", got)
	}
	if !sameSet([]string{"a", "b", "a"}, []string{"b", "a"}) || sameSet([]string{"a"}, []string{"A"}) {
		t.Error("sameSet must compare as frozensets of exact values")
	}
}

func TestXorderRE(t *testing.T) {
	for dn, want := range map[string]bool{"olcDatabase={1}mdb,cn=config": true, "olcDatabase=mdb,cn=config": false, "cn=x": false} {
		if xorderRE.MatchString(dn) != want {
			t.Errorf("_xorder_dn(%q) != %v", dn, want)
		}
	}
}
