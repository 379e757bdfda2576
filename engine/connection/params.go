package connection

import "time"

// Params are the connection settings of one host, resolved by the runner from
// the command line, ansible.cfg and the host's variables (ansible_host,
// ansible_port, ansible_user, ansible_password, ansible_ssh_private_key_file,
// ansible_ssh_common_args, ansible_ssh_extra_args, ansible_connection, ...).
type Params struct {
	Host       string // inventory hostname, for messages and caching
	Connection string // "ssh" (also for "paramiko", "smart") or "local"
	Address    string // ansible_host; defaults to Host
	Port       int    // 0: from ~/.ssh/config or 22
	User       string // "": from ~/.ssh/config or the local user
	Password   string // ansible_password / -k; never logged

	PrivateKeyFiles []string // ansible_ssh_private_key_file / --private-key

	// SSHArgs, SSHCommonArgs and SSHExtraArgs are OpenSSH command-line arguments as
	// Ansible passes them to ssh; the -o options gorun understands (ProxyJump,
	// ProxyCommand, StrictHostKeyChecking, UserKnownHostsFile, Port, User,
	// IdentityFile, ConnectTimeout, ServerAlive*) are honoured, any other option is
	// an error naming it.
	SSHArgs, SSHCommonArgs, SSHExtraArgs string

	HostKeyChecking bool          // host_key_checking; true by default
	Timeout         time.Duration // connect timeout (-T, timeout setting); 10s by default
}
