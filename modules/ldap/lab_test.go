package ldap_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// slapdSetup gives a lab host its own slapd: a dc=example,dc=org database
// whose admin is cn=admin (password "secret"), reached on ldapi:/// (where
// root's SASL EXTERNAL identity is the admin) and ldap://127.0.0.1.
const slapdSetup = `set -e
mkdir -p /var/lib/gorun-ldap /run/slapd /etc/gorun-ldap
cat > /etc/gorun-ldap/slapd.conf <<'CONF'
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile /run/slapd/slapd.pid
authz-regexp "gidNumber=0\\+uidNumber=0,cn=peercred,cn=external,cn=auth" "cn=admin,dc=example,dc=org"
database mdb
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw secret
directory /var/lib/gorun-ldap
CONF
printf 'dn: dc=example,dc=org\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n' | slapadd -f /etc/gorun-ldap/slapd.conf
slapd -f /etc/gorun-ldap/slapd.conf -h "ldapi:/// ldap://127.0.0.1:389/"
`

// TestLDAPModulesLab runs the LDAP modules against a real slapd on each of
// two lab hosts, with ansible-playbook (community.general's modules and
// python3-ldap on the target) on one and gorun on the other.
func TestLDAPModulesLab(t *testing.T) {
	l := labdiff.Setup(t)
	for _, h := range []string{l.Ansible, l.Mine} {
		if out, err := l.Exec(h, "sh", "-c", slapdSetup); err != nil {
			t.Fatalf("%s: starting slapd: %v\n%s", h, err, out)
		}
	}
	const admin = "server_uri: 'ldap://127.0.0.1/', bind_dn: 'cn=admin,dc=example,dc=org', bind_pw: secret"
	alice := "uid=alice,ou=people,dc=example,dc=org"
	keys := []string{"msg", "modlist", "results"}
	type step = labdiff.Step
	steps := []step{
		// Through ldapi:/// with SASL EXTERNAL, the modules' defaults.
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=people,dc=example,dc=org', objectClass: organizationalUnit}", Check: true, Keys: keys},
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=people,dc=example,dc=org', objectClass: organizationalUnit}", Keys: keys},
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=people,dc=example,dc=org', objectClass: [organizationalUnit]}", Keys: keys},
		// Through ldap://127.0.0.1 on the target with a simple bind.
		{Module: "community.general.ldap_entry", Args: "{dn: '" + alice + "', objectClass: [inetOrgPerson, posixAccount], attributes: {cn: Alice, sn: Liddell, uid: alice, uidNumber: 1001, gidNumber: 1001, homeDirectory: /home/alice, mail: [alice@example.org, al@example.org]}, " + admin + "}", Keys: keys},
		{Module: "community.general.ldap_entry", Args: "{dn: 'uid=bob,ou=people,dc=example,dc=org', objectClass: [account], attributes: {description: Bob}, " + admin + "}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {description: first}}", Check: true, Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {description: first}}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {description: [first, second]}}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {description: FIRST}}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {description: second}, state: absent}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {mail: [alice@example.org, a@example.org]}, state: exact, " + admin + "}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {mail: [a@example.org, alice@example.org]}, state: exact}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {title: [x, '{5}y']}, ordered: true, state: exact}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {title: [], sn: Pleasance, givenName: Alice}, state: exact}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: '" + alice + "', attributes: {title: []}, state: exact}", Keys: keys},
		{Module: "community.general.ldap_attrs", Args: "{dn: 'uid=nobody,ou=people,dc=example,dc=org', attributes: {description: x}}", Keys: keys},
		{Module: "community.general.ldap_search", Args: "{dn: '" + alice + "'}", Keys: keys},
		{Module: "community.general.ldap_search", Args: "{dn: 'ou=people,dc=example,dc=org', scope: onelevel, attrs: [uid, mail]}", Keys: keys},
		{Module: "community.general.ldap_search", Args: "{dn: 'dc=example,dc=org', scope: children, filter: '(objectClass=inetOrgPerson)', " + admin + "}", Keys: keys},
		{Module: "community.general.ldap_search", Args: "{dn: 'dc=example,dc=org', scope: subordinate, attrs: dn}", Keys: keys},
		{Module: "community.general.ldap_search", Args: "{dn: 'ou=people,dc=example,dc=org', scope: onelevel, schema: true}", Keys: keys},
		{Module: "community.general.ldap_search", Args: "{dn: 'ou=nowhere,dc=example,dc=org'}", Keys: keys},
		{Module: "community.general.ldap_passwd", Args: "{dn: '" + alice + "', passwd: wonderland}", Check: true, Keys: keys},
		{Module: "community.general.ldap_passwd", Args: "{dn: '" + alice + "', passwd: wonderland, " + admin + "}", Keys: keys},
		{Module: "community.general.ldap_passwd", Args: "{dn: '" + alice + "', passwd: wonderland}", Keys: keys},
		labdiff.Shell("ldapwhoami -x -H ldap://127.0.0.1 -D '" + alice + "' -w wonderland"),
		labdiff.Shell("ldapsearch -LLL -o ldif-wrap=no -x -H ldap://127.0.0.1 -b dc=example,dc=org '(!(objectClass=organization))' | grep -v '^userPassword'"),
		{Module: "community.general.ldap_entry", Args: "{dn: 'uid=bob,ou=people,dc=example,dc=org', state: absent}", Keys: keys},
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=people,dc=example,dc=org', state: absent}", Keys: []string{"changed"}},
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=people,dc=example,dc=org', state: absent, recursive: true}", Check: true, Keys: keys},
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=people,dc=example,dc=org', state: absent, recursive: true}", Keys: keys},
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=people,dc=example,dc=org', state: absent, recursive: true}", Keys: keys},
		{Module: "community.general.ldap_entry", Args: "{dn: 'ou=x,dc=example,dc=org', objectClass: organizationalUnit, bind_dn: 'cn=admin,dc=example,dc=org', bind_pw: wrong, server_uri: 'ldap://127.0.0.1/'}", Keys: []string{"msg"}},
		labdiff.Shell("ldapsearch -LLL -x -H ldap://127.0.0.1 -b dc=example,dc=org dn"),
	}
	got := l.DiffPlay(t, steps)
	if out, _ := got[26]["stdout"].(string); !strings.Contains(out, "mail: a@example.org") || !strings.Contains(out, "description: first") {
		t.Errorf("slapd does not answer with the entries the modules made:\n%s", out)
	}
}
