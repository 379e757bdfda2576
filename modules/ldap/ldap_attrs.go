package ldap

import (
	"context"
	"regexp"
	"strconv"

	goldap "github.com/go-ldap/ldap/v3"

	"gorun/engine/module"
	"gorun/engine/pytext"
)

// attrsModule is community.general.ldap_attrs: attribute values of an
// existing entry added (present), removed (absent) or made exactly so (exact).
type attrsModule struct{}

func init() { module.Register(attrsModule{}) }

func (attrsModule) Doc() *module.Doc { return attrsDoc }

// LDAP modify operations, numbered as python-ldap's MOD_ADD, MOD_DELETE and
// MOD_REPLACE, which the modlist result shows.
const (
	modAdd     = 0
	modDelete  = 1
	modReplace = 2
)

// mod is one change of the modlist: an operation, an attribute, and one
// value (present, absent) or a list of values (exact; nil deletes them all).
type mod struct {
	op    int
	name  string
	value any
}

func (attrsModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	s, err := connect(ctx, call)
	if err != nil {
		return fail(err)
	}
	defer s.conn.Close()
	names, attrs, err := attributeList(call.Args["attributes"])
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	ordered := call.Args.Bool("ordered")
	var mods []mod
	for _, name := range names {
		vals := normalizeValues(attrs[name], ordered)
		switch call.Args.String("state") {
		case "present", "absent":
			want := call.Args.String("state") == "present"
			op := map[bool]int{true: modAdd, false: modDelete}[want]
			for _, v := range vals {
				has, err := s.hasValue(name, v)
				if err != nil {
					return fail(err)
				}
				if has != want {
					mods = append(mods, mod{op, name, v})
				}
			}
		case "exact":
			m, err := s.exactMod(name, vals)
			if err != nil {
				return fail(err)
			}
			if m != nil {
				mods = append(mods, *m)
			}
		}
	}
	if len(mods) > 0 && !call.Check {
		if err := s.conn.Modify(modifyRequest(s.dn, mods)); err != nil {
			return module.Result{"failed": true, "msg": "Attribute action failed.", "details": err.Error()}, nil
		}
	}
	modlist := make([]any, len(mods))
	for i, m := range mods {
		v := m.value
		if l, ok := v.([]string); ok {
			items := make([]any, len(l))
			for j, x := range l {
				items[j] = x
			}
			v = items
		}
		modlist[i] = []any{m.op, m.name, v}
	}
	return module.Result{"changed": len(mods) > 0, "modlist": modlist}, nil
}

// xorderedIndex is an X-ORDERED value's "{n}" prefix.
var xorderedIndex = regexp.MustCompile(`^\{\d+\}`)

// normalizeValues is _normalize_values: a list's values (renumbered
// "{0}", "{1}", ... when ordered), or the value alone, each as Python's
// str(). ldap_entry reads its attribute values with it too (unordered).
func normalizeValues(v any, ordered bool) []string {
	l, ok := v.([]any)
	if !ok {
		return []string{pytext.Str(v)}
	}
	out := make([]string, len(l))
	for i, x := range l {
		out[i] = pytext.Str(x)
		if ordered {
			out[i] = "{" + strconv.Itoa(i) + "}" + xorderedIndex.ReplaceAllString(out[i], "")
		}
	}
	return out
}

// hasValue is _is_value_present: a base search of the entry for name=value
// (the server's matching rule decides, so case may not matter).
func (s *session) hasValue(name, value string) (bool, error) {
	res, err := s.conn.Search(goldap.NewSearchRequest(s.dn, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
		"("+name+"="+escapeFilter(value)+")", nil, nil))
	if goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
		return false, nil
	}
	if err != nil {
		return false, &failure{"Attribute action failed.", err.Error()}
	}
	return len(res.Entries) == 1, nil
}

// exactMod is one attribute of exact: nothing when the entry's values are
// the wanted set already (compared byte for byte), else an add, a delete of
// all values, or a replace.
func (s *session) exactMod(name string, want []string) (*mod, error) {
	res, err := s.conn.Search(goldap.NewSearchRequest(s.dn, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{name}, nil))
	if err != nil {
		return nil, &failure{"Cannot search for attribute " + name, err.Error()}
	}
	var current []string
	if len(res.Entries) > 0 {
		for _, a := range res.Entries[0].Attributes {
			// python-ldap's result dict is keyed by the name the server returns.
			if a.Name == name {
				current = a.Values
			}
		}
	}
	if sameSet(want, current) {
		return nil, nil
	}
	switch {
	case len(current) == 0:
		return &mod{modAdd, name, want}, nil
	case len(want) == 0:
		return &mod{modDelete, name, nil}, nil
	}
	return &mod{modReplace, name, want}, nil
}

// sameSet compares two lists as Python's frozensets.
func sameSet(a, b []string) bool {
	set := func(l []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range l {
			m[x] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) != len(sb) {
		return false
	}
	for x := range sa {
		if !sb[x] {
			return false
		}
	}
	return true
}

// modifyRequest is python-ldap's modify_s of the modlist.
func modifyRequest(dn string, mods []mod) *goldap.ModifyRequest {
	req := goldap.NewModifyRequest(dn, nil)
	for _, m := range mods {
		var vals []string
		switch v := m.value.(type) {
		case string:
			vals = []string{v}
		case []string:
			vals = v
		}
		switch m.op {
		case modAdd:
			req.Add(m.name, vals)
		case modDelete:
			req.Delete(m.name, vals)
		case modReplace:
			req.Replace(m.name, vals)
		}
	}
	return req
}

var attrsDoc = &module.Doc{
	Name:  "ldap_attrs",
	Names: []string{"community.general.ldap_attrs"},
	Short: "Add or remove multiple LDAP attribute values",
	Description: []string{
		"Add or remove multiple LDAP attribute values.",
		"gorun speaks LDAP from the controller through the host's SSH connection, reaching the server from the target as Ansible's module does; the target needs no python-ldap.",
	},
	Options: withCommon(
		module.Option{Name: "attributes", Type: "raw", Required: true, Description: "The attribute(s) and value(s) to add or remove. Each attribute value can be a string for single-valued attributes or a list of strings for multi-valued attributes. If you specify values for this option in YAML, please note that you can improve readability for long string values by using YAML block modifiers as seen in the examples for this module. Note that when using values that YAML/ansible-core interprets as other types, like yes, no (booleans), or 2.10 (float), make sure to quote them if these are meant to be strings. Otherwise the wrong values may be sent to LDAP."},
		module.Option{Name: "ordered", Type: "bool", Default: false, Description: "If true, prepend list values with X-ORDERED index numbers in all attributes specified in the current task. This is useful mostly with olcAccess attribute to easily manage LDAP Access Control Lists."},
		module.Option{Name: "state", Default: "present", Choices: []any{"present", "absent", "exact"}, Description: "The state of the attribute values. If present, all given attribute values will be added if they're missing. If absent, all given attribute values will be removed if present. If exact, the set of attribute values will be forced to exactly those provided and no others. If state=exact and the attribute value is empty, all values for this attribute will be removed."},
	),
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Configure directory number 1 for example.com
  community.general.ldap_attrs:
    dn: olcDatabase={1}hdb,cn=config
    attributes:
        olcSuffix: dc=example,dc=com
    state: exact

# The complex argument format is required here to pass a list of ACL strings.
- name: Set up the ACL
  community.general.ldap_attrs:
    dn: olcDatabase={1}hdb,cn=config
    attributes:
        olcAccess:
          - >-
            {0}to attrs=userPassword,shadowLastChange
            by self write
            by anonymous auth
            by dn="cn=admin,dc=example,dc=com" write
            by * none'
          - >-
            {1}to dn.base="dc=example,dc=com"
            by dn="cn=admin,dc=example,dc=com" write
            by * read
    state: exact

# An alternative approach with automatic X-ORDERED numbering
- name: Set up the ACL
  community.general.ldap_attrs:
    dn: olcDatabase={1}hdb,cn=config
    attributes:
        olcAccess:
          - >-
            to attrs=userPassword,shadowLastChange
            by self write
            by anonymous auth
            by dn="cn=admin,dc=example,dc=com" write
            by * none'
          - >-
            to dn.base="dc=example,dc=com"
            by dn="cn=admin,dc=example,dc=com" write
            by * read
    ordered: true
    state: exact

- name: Declare some indexes
  community.general.ldap_attrs:
    dn: olcDatabase={1}hdb,cn=config
    attributes:
        olcDbIndex:
            - objectClass eq
            - uid eq

- name: Set up a root user, which we can use later to bootstrap the directory
  community.general.ldap_attrs:
    dn: olcDatabase={1}hdb,cn=config
    attributes:
        olcRootDN: cn=root,dc=example,dc=com
        olcRootPW: "{SSHA}tabyipcHzhwESzRaGA7oQ/SDoBZQOGND"
    state: exact

- name: Remove an attribute with a specific value
  community.general.ldap_attrs:
    dn: uid=jdoe,ou=people,dc=example,dc=com
    attributes:
        description: "An example user account"
    state: absent
    server_uri: ldap://localhost/
    bind_dn: cn=admin,dc=example,dc=com
    bind_pw: password

- name: Remove specified attribute(s) from an entry
  community.general.ldap_attrs:
    dn: uid=jdoe,ou=people,dc=example,dc=com
    attributes:
        description: []
    state: exact
    server_uri: ldap://localhost/
    bind_dn: cn=admin,dc=example,dc=com
    bind_pw: password`,
	Returns: []module.Return{
		{Name: "modlist", Description: "list of modified parameters", Returned: "success", Type: "list", Sample: []any{[]any{2, "olcRootDN", []any{"cn=root,dc=example,dc=com"}}}},
	},
}
