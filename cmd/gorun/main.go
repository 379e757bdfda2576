// Command gorun runs Ansible playbooks, roles and inventories over SSH with built-in Go modules.
package main

func main() {}
