// Package libvirt opens libvirt connections on target hosts for the KVM
// modules: go-libvirt (github.com/digitalocean/go-libvirt) speaks libvirt's RPC
// protocol over the daemon's unix socket, reached through the host's gorun
// connection (an SSH direct-streamlocal channel, or the socket itself for a
// local connection). A KVM host therefore needs libvirtd and sshd, nothing else:
// no Python bindings, no virsh.
//
// A module names the driver with a libvirt URI as community.libvirt does
// (qemu:///system, qemu:///session, test:///default; a transport such as
// qemu+unix:///system and a ?socket= parameter are honoured). The socket is
// found as libvirt's remote driver finds it: the monolithic daemon's
// libvirt-sock (also served by virtproxyd), then the modular daemon of the
// driver (virtqemud-sock, ...), and the read-only sockets when only reading
// and the read-write ones are refused.
//
// With become the socket is opened as the become user: a bridge command
// (socat, else Perl from perl-base) runs on the host under the task's become
// method and carries the protocol on its standard input and output.
//
// Connections are cached per host connection, URI and become user for the
// whole run, so all tasks on a host share one libvirt connection.
package libvirt
