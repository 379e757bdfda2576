package connection

import (
	"errors"
	"os/exec"
	"sync"
)

// ErrNoSSHPass is Ansible's ssh connection plugin's error for a login
// password (ansible_password, -k) on a controller without sshpass: OpenSSH
// cannot be handed a password any other way, so ansible-playbook fails every
// task that reaches the host. gorun's own client could log in with the
// password, but then the same inventory would work under one tool and fail
// under the other. The paramiko connection takes passwords itself, and so
// does gorun for it.
var ErrNoSSHPass = errors.New("to use the 'ssh' connection type with passwords or pkcs11_provider, you must install the sshpass program")

var sshpass struct {
	once  sync.Once
	found bool
}

// sshpassAvailable reports whether sshpass can be started from the PATH,
// looked up once per run as Ansible's _sshpass_available does.
func sshpassAvailable() bool {
	sshpass.once.Do(func() {
		_, err := exec.LookPath("sshpass")
		sshpass.found = err == nil
	})
	return sshpass.found
}

// checkPassword returns ErrNoSSHPass when params log in over ssh with a
// password that Ansible would hand to sshpass and sshpass is missing.
func checkPassword(params Params) error {
	if params.Connection == "ssh" && (params.Password != "" || params.PasswordSet) && !sshpassAvailable() {
		return ErrNoSSHPass
	}
	return nil
}
