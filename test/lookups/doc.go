// Package lookups compares lookup plugins that talk to the outside world
// (the url lookup) under gorun and ansible-playbook: both run one playbook
// of lookup calls against servers the test starts on the controller, and
// every call must give the same value or the same error.
//
// TestURLLookupGSSAPI does so for use_gssapi against a real MIT KDC and
// SPNEGO servers (gorun/test/krbtest, Debian packages krb5-kdc,
// krb5-admin-server, krb5-user, python3-gssapi): Ansible's handler uses
// python-gssapi and MIT's library, gorun's gokrb5.
//
//	go test -run TestURLLookup ./test/lookups/
package lookups
