package ldap

import (
	"context"

	goldap "github.com/go-ldap/ldap/v3"

	"gorun/engine/module"
)

// passwdModule is community.general.ldap_passwd: an entry's password, set
// with the password modify extended operation unless a bind with it
// already succeeds.
type passwdModule struct{}

func init() { module.Register(passwdModule{}) }

func (passwdModule) Doc() *module.Doc { return passwdDoc }

func (passwdModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	s, err := connect(ctx, call)
	if err != nil {
		return fail(err)
	}
	defer s.conn.Close()
	passwd := call.Args.String("passwd")
	changed, err := passwdDiffers(ctx, call, s.dn, passwd)
	if err != nil {
		return fail(err)
	}
	if changed && !call.Check {
		if _, err := s.conn.PasswordModify(goldap.NewPasswordModifyRequest(s.dn, "", passwd)); err != nil {
			return fail(&failure{"Unable to set password", err.Error()})
		}
	}
	return module.Result{"changed": changed}, nil
}

// passwdDiffers is passwd_check: a fresh connection binds as dn with the
// password, and only invalid credentials mean it must change.
func passwdDiffers(ctx context.Context, call *module.Call, dn, passwd string) (bool, error) {
	tlsConf, err := tlsConfig(ctx, call)
	if err != nil {
		return false, err
	}
	l, err := dial(ctx, call.Conn, call.Args.String("server_uri"), tlsConf)
	if err != nil {
		return false, err
	}
	defer l.Close()
	if call.Args.Bool("start_tls") {
		if err := l.StartTLS(tlsConf); err != nil {
			return false, &failure{"Cannot start TLS.", err.Error()}
		}
	}
	if passwd == "" {
		err = l.UnauthenticatedBind(dn)
	} else {
		err = l.Bind(dn, passwd)
	}
	if goldap.IsErrorWithCode(err, goldap.LDAPResultInvalidCredentials) {
		return true, nil
	}
	if err != nil {
		return false, &failure{"Cannot bind to the server.", err.Error()}
	}
	return false, nil
}

var passwdDoc = &module.Doc{
	Name:  "ldap_passwd",
	Names: []string{"community.general.ldap_passwd"},
	Short: "Set passwords in LDAP",
	Description: []string{
		"Set a password for an LDAP entry.  This module only asserts that a given password is valid for a given entry.  To assert the existence of an entry, see community.general.ldap_entry.",
		"gorun speaks LDAP from the controller through the host's SSH connection, reaching the server from the target as Ansible's module does; the target needs no python-ldap.",
	},
	Options: withCommon(
		module.Option{Name: "passwd", NoLog: true, Description: "The (plaintext) password to be set for dn."},
	),
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Set a password for the admin user
  community.general.ldap_passwd:
    dn: cn=admin,dc=example,dc=com
    passwd: "{{ vault_secret }}"

- name: Setting passwords in bulk
  community.general.ldap_passwd:
    dn: "{{ item.key }}"
    passwd: "{{ item.value }}"
  with_dict:
    alice: alice123123
    bob:   "|30b!"
    admin: "{{ vault_secret }}"`,
}
