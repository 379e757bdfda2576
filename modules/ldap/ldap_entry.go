package ldap

import (
	"context"

	goldap "github.com/go-ldap/ldap/v3"

	"gorun/engine/module"
)

// entryModule is community.general.ldap_entry: an entry that exists (added
// with its attributes when missing, never modified) or does not (deleted,
// with its subtree when recursive).
type entryModule struct{}

func init() { module.Register(entryModule{}) }

func (entryModule) Doc() *module.Doc { return entryDoc }

func (entryModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	s, err := connect(ctx, call)
	if err != nil {
		return fail(err)
	}
	defer s.conn.Close()
	present, err := s.exists(s.dn)
	if err != nil {
		return fail(&failure{"Entry action failed.", err.Error()})
	}
	var action func() error
	switch {
	case call.Args.String("state") == "present" && !present:
		attrs, err := entryAttributes(call.Args)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		req := goldap.NewAddRequest(s.dn, nil)
		for _, attr := range attrs {
			req.Attribute(attr.Type, attr.Vals)
		}
		action = func() error { return s.conn.Add(req) }
	case call.Args.String("state") == "absent" && present:
		action = func() error { return s.conn.Del(goldap.NewDelRequest(s.dn, nil)) }
		if call.Args.Bool("recursive") {
			action = s.deleteTree
		}
	}
	if action != nil && !call.Check {
		if err := action(); err != nil {
			return fail(&failure{"Entry action failed.", err.Error()})
		}
	}
	return module.Result{"changed": action != nil}, nil
}

// entryAttributes are the attributes of a new entry, as ldap_entry's
// _load_attrs and addModlist make them, in the task's order: each value a
// list of strings, objectClass from its own option (last, unless the
// attributes name it too), attributes without values left out.
func entryAttributes(a module.Args) ([]goldap.Attribute, error) {
	names, vals, err := attributeList(a["attributes"])
	if err != nil {
		return nil, err
	}
	oc := []any{}
	for _, c := range a.Strings("objectClass") {
		oc = append(oc, c)
	}
	if _, ok := vals["objectClass"]; !ok {
		names = append(names, "objectClass")
	}
	vals["objectClass"] = oc
	var out []goldap.Attribute
	for _, n := range names {
		if v := normalizeValues(vals[n], false); len(v) > 0 {
			out = append(out, goldap.Attribute{Type: n, Vals: v})
		}
	}
	return out, nil
}

// deleteTree deletes the entry and everything below it, with the subtree
// delete control or, where the server refuses it, entry by entry from the
// leaves up, as _delete_recursive does.
func (s *session) deleteTree() error {
	req := goldap.NewDelRequest(s.dn, []goldap.Control{goldap.NewControlSubtreeDelete()})
	err := s.conn.Del(req)
	if !goldap.IsErrorWithCode(err, goldap.LDAPResultNotAllowedOnNonLeaf) {
		return err
	}
	res, err := s.conn.Search(goldap.NewSearchRequest(s.dn, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"dn"}, nil))
	if err != nil {
		return err
	}
	for i := len(res.Entries) - 1; i >= 0; i-- {
		if err := s.conn.Del(goldap.NewDelRequest(res.Entries[i].DN, nil)); err != nil {
			return err
		}
	}
	return nil
}

var entryDoc = &module.Doc{
	Name:  "ldap_entry",
	Names: []string{"community.general.ldap_entry"},
	Short: "Add or remove LDAP entries",
	Description: []string{
		"Add or remove LDAP entries. This module only asserts the existence or non-existence of an LDAP entry, not its attributes. To assert the attribute values of an entry, see community.general.ldap_attrs.",
		"gorun speaks LDAP from the controller through the host's SSH connection, reaching the server from the target as Ansible's module does; the target needs no python-ldap.",
	},
	Options: withCommon(
		module.Option{Name: "attributes", Type: "raw", Default: map[string]any{}, Description: "If state=present, attributes necessary to create an entry. Existing entries are never modified. To assert specific attribute values on an existing entry, use community.general.ldap_attrs instead. Each attribute value can be a string for single-valued attributes or a list of strings for multi-valued attributes."},
		module.Option{Name: "objectClass", Type: "list", Elements: "str", Description: "If state=present, value or list of values to use when creating the entry. It can either be a string or an actual list of strings."},
		module.Option{Name: "recursive", Type: "bool", Default: false, Description: "If state=delete, a flag indicating whether a single entry or the whole branch must be deleted."},
		module.Option{Name: "state", Default: "present", Choices: []any{"present", "absent"}, Description: "The target state of the entry."},
	),
	RequiredIf: []module.RequiredIf{{Key: "state", Value: "present", Requires: []string{"objectClass"}}},
	Check:      module.Full,
	Diff:       module.None,
	Examples: `- name: Make sure we have a parent entry for users
  community.general.ldap_entry:
    dn: ou=users,dc=example,dc=com
    objectClass: organizationalUnit

- name: Make sure we have an admin user
  community.general.ldap_entry:
    dn: cn=admin,dc=example,dc=com
    objectClass:
      - simpleSecurityObject
      - organizationalRole
    attributes:
      description: An LDAP administrator
      userPassword: "{SSHA}tabyipcHzhwESzRaGA7oQ/SDoBZQOGND"

- name: Set possible values for attributes elements
  community.general.ldap_entry:
    dn: cn=admin,dc=example,dc=com
    objectClass:
      - simpleSecurityObject
      - organizationalRole
    attributes:
      description: An LDAP Administrator
      roleOccupant:
      - cn=Chocs Puddington,ou=Information Technology,dc=example,dc=com
      - cn=Alice Stronginthebrain,ou=Information Technology,dc=example,dc=com
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

- name: Get rid of an old entry
  community.general.ldap_entry:
    dn: ou=stuff,dc=example,dc=com
    state: absent
    server_uri: ldap://localhost/
    bind_dn: cn=admin,dc=example,dc=com
    bind_pw: password

#
# The same as in the previous example but with the authentication details
# stored in the ldap_auth variable:
#
# ldap_auth:
#   server_uri: ldap://localhost/
#   bind_dn: cn=admin,dc=example,dc=com
#   bind_pw: password
#
# In the example below, 'args' is a task keyword, passed at the same level as the module
- name: Get rid of an old entry
  community.general.ldap_entry:
    dn: ou=stuff,dc=example,dc=com
    state: absent
  args: "{{ ldap_auth }}"`,
}
