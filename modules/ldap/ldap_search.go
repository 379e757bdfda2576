package ldap

import (
	"context"

	goldap "github.com/go-ldap/ldap/v3"

	"gorun/engine/module"
)

// searchModule is community.general.ldap_search: the entries a search
// returns, each a dict of its DN and attributes.
type searchModule struct{}

func init() { module.Register(searchModule{}) }

func (searchModule) Doc() *module.Doc { return searchDoc }

// searchScopes maps the scope option to LDAP's scopes as ldap_search does:
// "children" is a whole-subtree search, "subordinate" OpenLDAP's children scope.
var searchScopes = map[string]int{
	"base":        goldap.ScopeBaseObject,
	"onelevel":    goldap.ScopeSingleLevel,
	"subordinate": goldap.ScopeChildren,
	"children":    goldap.ScopeWholeSubtree,
}

func (searchModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	s, err := connect(ctx, call)
	if err != nil {
		return fail(err)
	}
	defer s.conn.Close()
	schema := a.Bool("schema")
	attrs := a.Strings("attrs")
	res, err := s.conn.Search(goldap.NewSearchRequest(s.dn, searchScopes[a.String("scope")], goldap.NeverDerefAliases, 0, 0,
		schema, a.String("filter"), attrs, nil))
	if goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
		return module.Failed("Base not found: " + s.dn), nil
	}
	if err != nil {
		return module.Result{"failed": true, "msg": "Attribute action failed.", "details": err.Error()}, nil
	}
	results := []any{}
	for _, e := range res.Entries {
		if schema {
			names := []any{}
			for _, at := range e.Attributes {
				names = append(names, at.Name)
			}
			results = append(results, map[string]any{"dn": e.DN, "attrs": names})
			continue
		}
		results = append(results, extractEntry(e))
	}
	return module.Result{"changed": false, "results": results}, nil
}

// extractEntry is _extract_entry: the DN, and each attribute's value alone
// when it has one, else the list of its values.
func extractEntry(e *goldap.Entry) map[string]any {
	out := map[string]any{"dn": e.DN}
	for _, at := range e.Attributes {
		if len(at.Values) == 1 {
			out[at.Name] = at.Values[0]
			continue
		}
		vals := make([]any, len(at.Values))
		for i, v := range at.Values {
			vals[i] = v
		}
		out[at.Name] = vals
	}
	return out
}

var searchDoc = &module.Doc{
	Name:  "ldap_search",
	Names: []string{"community.general.ldap_search"},
	Short: "Search for entries in a LDAP server",
	Description: []string{
		"Return the results of an LDAP search.",
		"gorun speaks LDAP from the controller through the host's SSH connection, reaching the server from the target as Ansible's module does; the target needs no python-ldap.",
	},
	Options: withCommon(
		module.Option{Name: "attrs", Type: "list", Elements: "str", Description: "A list of attributes for limiting the result. Use an actual list or a comma-separated string."},
		module.Option{Name: "filter", Default: "(objectClass=*)", Description: "Used for filtering the LDAP search result."},
		module.Option{Name: "schema", Type: "bool", Default: false, Description: "Set to true to return the full attribute schema of entries, not their attribute values. Overrides attrs when provided."},
		module.Option{Name: "scope", Default: "base", Choices: []any{"base", "onelevel", "subordinate", "children"}, Description: "The LDAP scope to use."},
	),
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Return all entries within the 'groups' organizational unit.
  community.general.ldap_search:
    dn: "ou=groups,dc=example,dc=com"
  register: ldap_groups

- name: Return GIDs for all groups
  community.general.ldap_search:
    dn: "ou=groups,dc=example,dc=com"
    scope: "onelevel"
    attrs:
      - "gidNumber"
  register: ldap_group_gids`,
	Returns: []module.Return{
		{Name: "results", Description: "The entries found: each a dict with its dn and its attributes (a single value alone, several as a list), or with schema=true its dn and the names of its attributes.", Returned: "success", Type: "list"},
	},
}
