// Package ldap holds the community.general LDAP modules.
package ldap
