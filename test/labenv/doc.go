// Package labenv builds throw-away lab hosts on this machine for gorun's
// integration tests: real OpenSSH servers, each in its own network, mount,
// pid, ipc and uts namespaces, with a private overlay of the machine's / as
// its root file system.
//
// A lab has a name. Its bridge, subnet, network namespaces and state
// directory (under StateRoot) derive from that name, so several labs can be
// up at once. The lab named "lab" always uses 10.77.0.0/24 with hosts h1..hN
// at 10.77.0.11 onwards, which makes a static inventory possible
// (inventories/lab/hosts.ini in the repository).
//
// Every host has:
//   - a veth pair, one end (eth0) in the host, the other on the lab bridge,
//     and a default route through the bridge, NATed to the outside so the
//     host can reach Debian's package registry;
//   - /run, /tmp, /dev, /proc and /sys mounted as on a booted host;
//   - a fresh /root (the files of /etc/skel), the lab key in root's
//     authorized_keys and its own generated host keys;
//   - a user "lab" with a password and sudo rights that ask for it;
//   - sshd -D listening on port 22 (or on many ports, see
//     Options.PortsPerHost, to stand in for many hosts in benchmarks).
//
// Exec runs a command inside a host without SSH; StopSSH, StartSSH,
// LinkDown, LinkUp, Delay and Throttle inject faults; AttachDisk gives a
// host a block device (a loop device of the machine).
//
// Up starts a lab, Load finds a running one, and Down (the method or the
// function for a stale lab) removes everything again. ForTest wraps Up for
// tests.
package labenv
