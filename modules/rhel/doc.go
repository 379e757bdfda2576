// Package rhel holds gorun's modules for the Red Hat family of targets:
// packages (yum, dnf), repositories (yum_repository, rpm_key), the firewall
// (ansible.posix.firewalld) and SELinux (ansible.posix.selinux,
// ansible.posix.seboolean).
//
// Like every gorun module they run on the controller and drive the target
// only through call.Conn with the target's own tools (rpm, yum, dnf,
// firewall-cmd, getenforce, setsebool, semanage), building the same command
// lines Ansible's Python modules build, so that no Python is needed on the
// target. README.md says which paths are tested against real tools and which
// only by unit tests of their command lines.
package rhel
