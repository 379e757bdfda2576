// Package python holds the modules that drive Python tools on the target:
// ansible.builtin.pip, which runs pip (and creates virtualenvs) with the
// command lines of Ansible's module. The module itself is Go on the
// controller; only pip needs Python on the host.
package python
