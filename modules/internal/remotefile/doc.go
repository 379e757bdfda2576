// Package remotefile is the remote file work shared by gorun's file modules
// (copy, template, file, lineinfile, ...): stat-and-checksum of a path in one
// round trip, atomic writes with validate and backup, owner/group/mode changes
// and Ansible's diff dicts. Everything runs as small POSIX shell scripts
// through connection.Conn.Exec, so it works over SSH and locally, with the
// task's become applied by the connection, and needs nothing on the target
// but a shell and GNU coreutils.
package remotefile
