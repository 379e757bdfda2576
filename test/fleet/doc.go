// Package fleet tests the fleet's roles, playbooks and inventories
// (roles/, playbooks/, inventories/ at the repository's root) on lab hosts:
// playbooks/site.yml with the lab inventory's groups, under the real
// ansible-playbook and under gorun, and the services the roles set up.
// The tests need root (see test/README.md) and network access to Debian's
// package archive; `go test -short` skips them.
package fleet
