// Package ldap holds the community.general LDAP modules (ldap_entry,
// ldap_attrs, ldap_search, ldap_passwd). They speak LDAP with
// github.com/go-ldap/ldap/v3 from the controller, through the host's SSH
// connection: the server is reached from the target, as Ansible's modules
// reach it running on the target (ldapi:// through a streamlocal channel,
// ldap:// and ldaps:// through a direct-tcpip channel), so nothing but the
// LDAP server is needed on the target.
package ldap
