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
// Connections are cached per host connection and URI for the whole run, so
// all tasks on a host share one libvirt connection.
package libvirt
