// Package system holds gorun's system modules: packages (apt, package),
// services (service, systemd), accounts (user, group, authorized_key, getent),
// and system settings (cron, sysctl, hostname, ...).
//
// Like every gorun module they run on the controller and drive the target only
// through call.Conn with the target's own tools (dpkg-query, apt-get, useradd,
// crontab, sysctl, ...), running the same commands Ansible's Python modules run,
// so that results and host state match ansible-playbook's.
package system
