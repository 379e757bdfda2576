package all

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"gorun/engine/module"
)

// extraOptions are options a module accepts beyond what ansible-doc lists,
// because Ansible's argument_spec has them too (shell is command underneath).
var extraOptions = map[string][]string{
	"command": {"executable"},
	"shell":   {"argv", "strip_empty_ends"},
}

// TestDocsMatchAnsibleDoc compares every registered module's options with
// what `ansible-doc -j` says of the same module: names, types, element
// types, defaults, choices, aliases and required.
func TestDocsMatchAnsibleDoc(t *testing.T) {
	if _, err := exec.LookPath("ansible-doc"); err != nil {
		t.Skip("ansible-doc is not installed")
	}
	names := module.Names()
	if len(names) == 0 {
		t.Fatal("no modules registered")
	}
	out, err := exec.Command("ansible-doc", append([]string{"-j"}, names...)...).Output()
	if err != nil {
		t.Fatalf("ansible-doc: %v", err)
	}
	var docs map[string]struct {
		Doc struct {
			Options map[string]struct {
				Type     string
				Elements string
				Default  any
				Choices  []any
				Aliases  []string
				Required bool
			}
		}
	}
	if err := json.Unmarshal(out, &docs); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		m, _ := module.Lookup(name)
		d := m.Doc()
		ref, ok := docs[name]
		if !ok {
			t.Errorf("ansible-doc knows no module %s", name)
			continue
		}
		if d.Names[0] != "ansible.builtin."+name {
			t.Errorf("%s: first of Names is %q, want its FQCN", name, d.Names[0])
		}
		seen := map[string]bool{}
		for _, o := range d.Options {
			seen[o.Name] = true
			r, ok := ref.Doc.Options[o.Name]
			if !ok {
				if !contains(extraOptions[name], o.Name) {
					t.Errorf("%s: option %s is not in ansible-doc", name, o.Name)
				}
				continue
			}
			want := fmt.Sprint(typeOr(r.Type), r.Elements, norm(r.Default), r.Choices, sorted(r.Aliases), r.Required)
			got := fmt.Sprint(typeOr(o.Type), o.Elements, norm(o.Default), o.Choices, sorted(o.Aliases), o.Required)
			if got != want {
				t.Errorf("%s: option %s is %s, ansible-doc says %s", name, o.Name, got, want)
			}
		}
		for opt, r := range ref.Doc.Options {
			switch {
			case seen[opt]:
			case opt == "free_form":
				if !d.FreeForm {
					t.Errorf("%s: ansible-doc lists free_form but the module is not FreeForm", name)
				}
			default:
				t.Errorf("%s: option %s (%s) of ansible-doc is missing", name, opt, r.Type)
			}
		}
	}
}

func typeOr(t string) string {
	if t == "" {
		return "str"
	}
	return t
}

// norm makes a default comparable: ansible-doc shows a list default of one
// element as that element (gather_subset: all).
func norm(v any) string {
	if l, ok := v.([]any); ok && len(l) == 1 {
		v = l[0]
	}
	if l, ok := v.([]any); ok && len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

func sorted(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
