package connection

import "time"

// Params are the connection settings of one host, resolved by the runner from
// the command line, ansible.cfg and the host's variables (ansible_host,
// ansible_port, ansible_user, ansible_password, ansible_ssh_private_key_file,
// ansible_ssh_common_args, ansible_ssh_extra_args, ansible_connection, ...).
type Params struct {
	Host       string // inventory hostname, for messages and caching
	Connection string // "ssh" (also for "smart"), "paramiko" or "local"
	Address    string // ansible_host; defaults to Host
	Port       int    // 0: from ~/.ssh/config or 22
	User       string // "": from ~/.ssh/config or the local user
	Password   string // ansible_password / -k; never logged
	// PasswordSet reports a password variable whose value before
	// templating is not empty even if it renders empty: Ansible's
	// PlayContext takes the raw value, and the ssh connection then wants
	// sshpass all the same.
	PasswordSet bool

	PrivateKeyFiles []string // ansible_ssh_private_key_file / --private-key

	// SSHArgs, SSHCommonArgs and SSHExtraArgs are OpenSSH command-line arguments as
	// Ansible passes them to ssh (shell-quoted strings). Honoured: -o ProxyJump,
	// ProxyCommand, StrictHostKeyChecking, UserKnownHostsFile, GlobalKnownHostsFile,
	// HostKeyAlias, HashKnownHosts, HostName, Port, User, IdentityFile,
	// IdentitiesOnly, ConnectTimeout, ServerAliveInterval, ServerAliveCountMax,
	// AddressFamily, and -J -i -p -l -F -4 -6. Options that only tune OpenSSH's own
	// multiplexing, logging or prompting (ControlMaster, ControlPersist,
	// ControlPath, PreferredAuthentications, PasswordAuthentication, LogLevel,
	// Compression, -C, -q, -v, ...) are ignored; any other option is an error
	// naming it.
	SSHArgs, SSHCommonArgs, SSHExtraArgs string

	// HostKeyChecking is host_key_checking (Ansible's default is true, so set it):
	// false accepts and records unknown keys, as StrictHostKeyChecking=no. A
	// changed key is refused either way.
	HostKeyChecking bool
	// Timeout is the connect timeout (--timeout, the timeout setting), also
	// used to wait for a become prompt; 10s when zero.
	Timeout time.Duration
}
