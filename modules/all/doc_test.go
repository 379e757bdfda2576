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
	// The argument spec keeps params only to fail with a clear message.
	"yum_repository": {"params"},
	// community.libvirt releases after the one Debian ships (1.2.0) added
	// these; issue 7 asks for them.
	"virt": {"flags", "force", "mutate_flags"},
}

// extraChoices are choices beyond ansible-doc's, from the same later
// community.libvirt releases.
var extraChoices = map[string][]string{
	"virt.command": {"get_interfaces", "uuid"},
}

// deviations are options whose declaration differs from ansible-doc on
// purpose; the reason says why. Anything not listed here must match.
var deviations = map[string]string{
	"assert.fail_msg":                             "the action accepts a string or a list of strings",
	"assert.success_msg":                          "the action accepts a string or a list of strings",
	"debug.msg":                                   "the action prints any value, not only strings",
	"copy.content":                                "the action JSON-encodes dict and list content",
	"package.name":                                "passed through to apt/yum, which take a string or a list",
	"set_fact.key_value":                          "a pseudo-option: set_fact takes any variable names",
	"include_role.apply":                          "ansible-doc says str, but Ansible refuses anything but a dict",
	"include_tasks.apply":                         "ansible-doc says str, but Ansible refuses anything but a dict",
	"dnf.name":                                    "ansible-doc says required, but the argument spec requires one of name, list and update_cache",
	"ldap_entry.attributes":                       "raw, so that the attributes keep the task's order; the module converts the dict itself",
	"ldap_attrs.attributes":                       "raw, so that the attributes keep the task's order; the module converts the dict itself",
	"getent.key":                                  "the argument spec has no default; ansible-doc shows ''",
	"user.ssh_key_comment":                        "the default names the target's host name, filled in at run time",
	"lineinfile.insertafter":                      "EOF and BOF are documentation: the argument spec has no default or choices",
	"lineinfile.insertbefore":                     "EOF and BOF are documentation: the argument spec has no default or choices",
	"blockinfile.insertafter":                     "EOF and BOF are documentation: the argument spec has no default or choices",
	"blockinfile.insertbefore":                    "EOF and BOF are documentation: the argument spec has no default or choices",
	"yum_repository.bandwidth":                    yumRepoDefault,
	"yum_repository.cost":                         yumRepoDefault,
	"yum_repository.deltarpm_metadata_percentage": yumRepoDefault,
	"yum_repository.deltarpm_percentage":          yumRepoDefault,
	"yum_repository.failovermethod":               yumRepoDefault,
	"yum_repository.http_caching":                 yumRepoDefault,
	"yum_repository.ip_resolve":                   yumRepoDefault,
	"yum_repository.keepalive":                    yumRepoDefault,
	"yum_repository.keepcache":                    yumRepoDefault,
	"yum_repository.metadata_expire":              yumRepoDefault,
	"yum_repository.metadata_expire_filter":       yumRepoDefault,
	"yum_repository.mirrorlist_expire":            yumRepoDefault,
	"yum_repository.priority":                     yumRepoDefault,
	"yum_repository.protect":                      yumRepoDefault,
	"yum_repository.repo_gpgcheck":                yumRepoDefault,
	"yum_repository.retries":                      yumRepoDefault,
	"yum_repository.s3_enabled":                   yumRepoDefault,
	"yum_repository.skip_if_unavailable":          yumRepoDefault,
	"yum_repository.ssl_check_cert_permissions":   yumRepoDefault,
	"yum_repository.sslverify":                    yumRepoDefault,
	"yum_repository.timeout":                      yumRepoDefault,
	"yum_repository.ui_repoid_vars":               yumRepoDefault,
	"package.state":                               "the action hands its arguments to the backend unchecked (apt and yum default to present), as Ansible's package action does",
	"validate_argument_spec.argument_spec":        "ansible-doc gives no type; the action plugin takes a dict as it is",
	"validate_argument_spec.provided_arguments":   "ansible-doc gives no type; the action plugin takes a dict as it is",
}

// yumRepoDefault is why yum_repository's options have no defaults: the
// defaults ansible-doc shows are yum's, documentation only; the argument spec
// has none, and a default would be written into every .repo file.
const yumRepoDefault = "yum's default, documented; the argument spec has none"

// TestDocsMatchAnsibleDoc compares every registered module's options with
// what `ansible-doc -j` says of the same module: names, types, element
// types, defaults, choices, aliases and required.
func TestDocsMatchAnsibleDoc(t *testing.T) {
	if _, err := exec.LookPath("ansible-doc"); err != nil {
		t.Skip("ansible-doc is not installed")
	}
	var names, fqcns []string
	for _, name := range module.Names() {
		m, _ := module.Lookup(name)
		// gorun's own modules (gorun.kvm.*) have no ansible-doc to match.
		if !strings.HasPrefix(m.Doc().Names[0], "gorun.") {
			names = append(names, name)
			fqcns = append(fqcns, m.Doc().Names[0])
		}
	}
	if len(names) == 0 {
		t.Fatal("no modules registered")
	}
	// Asked by FQCN: ansible-doc finds a collection's module by its short
	// name only when ansible-core redirects that name (ldap_search it does not).
	out, err := exec.Command("ansible-doc", append([]string{"-j"}, fqcns...)...).Output()
	if err != nil {
		t.Fatalf("ansible-doc: %v", err)
	}
	var docs map[string]struct {
		Doc struct {
			Collection string
			Options    map[string]struct {
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
		ref, ok := docs[d.Names[0]]
		if !ok {
			t.Errorf("ansible-doc knows no module %s", d.Names[0])
			continue
		}
		if d.Names[0] != ref.Doc.Collection+"."+name {
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
			if deviations[name+"."+o.Name] != "" {
				continue
			}
			want := fmt.Sprint(typeOr(r.Type), " ", r.Elements, " ", norm(r.Type, r.Default), " ", sortedAny(r.Choices, extraChoices[name+"."+o.Name]), " ", sorted(r.Aliases), " ", r.Required)
			got := fmt.Sprint(typeOr(o.Type), " ", o.Elements, " ", norm(o.Type, o.Default), " ", sortedAny(o.Choices, nil), " ", sorted(o.Aliases), " ", o.Required)
			if got != want {
				t.Errorf("%s: option %s is %s, ansible-doc says %s", name, o.Name, got, want)
			}
		}
		for opt, r := range ref.Doc.Options {
			switch {
			case seen[opt]:
			case opt == "free_form" || opt == "free-form":
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
// element as that element (gather_subset: all), an empty list as ”, and
// booleans as YAML's yes and no.
func norm(typ string, v any) string {
	if l, ok := v.([]any); ok && len(l) == 1 {
		v = l[0]
	}
	if l, ok := v.([]any); ok && len(l) == 0 {
		return "[]"
	}
	if typ == "list" && v == "" {
		return "[]"
	}
	if typ == "bool" {
		switch v {
		case "yes", "true", "True":
			v = true
		case "no", "false", "False":
			v = false
		}
	}
	b, _ := json.Marshal(v)
	return strings.Trim(string(b), `"`)
}

// sortedAny is a choice list in sorted order with extra choices added:
// the order of choices carries no meaning.
func sortedAny(choices []any, extra []string) []string {
	var s []string
	for _, c := range choices {
		s = append(s, fmt.Sprint(c))
	}
	s = append(s, extra...)
	sort.Strings(s)
	return s
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
