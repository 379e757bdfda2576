package connection

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// defaultKeys are the private keys OpenSSH tries when none is configured.
var defaultKeys = []string{"id_ed25519", "id_ecdsa", "id_rsa"}

// authMethods returns the ways to log in, in OpenSSH's order: public keys
// (from ssh-agent, then the key files), then the password, also answered to
// keyboard-interactive prompts. The closer releases the agent connection.
func authMethods(s *settings) ([]ssh.AuthMethod, func(), error) {
	var signers []ssh.Signer
	closer := func() {}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" && !s.identitiesOnly {
		if conn, err := net.Dial("unix", sock); err == nil {
			closer = func() { conn.Close() }
			if agentSigners, err := agent.NewClient(conn).Signers(); err == nil {
				signers = append(signers, agentSigners...)
			}
		}
	}
	files := s.identityFiles
	if len(files) == 0 {
		for _, k := range defaultKeys {
			files = append(files, keyFile{filepath.Join(homeDir(), ".ssh", k), false})
		}
	}
	for _, f := range files {
		signer, err := loadKey(f)
		if err != nil {
			closer()
			return nil, nil, err
		}
		if signer != nil {
			signers = append(signers, signer)
		}
	}
	var methods []ssh.AuthMethod
	if len(signers) > 0 {
		methods = append(methods, ssh.PublicKeys(signers...))
	}
	if s.password != "" {
		password := s.password
		methods = append(methods, ssh.Password(password),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i, q := range questions {
					if !strings.Contains(strings.ToLower(q), "password") {
						return nil, fmt.Errorf("cannot answer keyboard-interactive prompt %q", q)
					}
					answers[i] = password
				}
				return answers, nil
			}))
	}
	return methods, closer, nil
}

// loadKey reads a private key file. A key that is not required is skipped
// when missing or protected by a passphrase; a required one is then an error
// (gorun cannot prompt for passphrases; load such keys into ssh-agent).
func loadKey(f keyFile) (ssh.Signer, error) {
	path := f.path
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) && !f.required {
			return nil, nil
		}
		return nil, fmt.Errorf("private key %s: %v", path, err)
	}
	signer, err := ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if !f.required {
			return nil, nil
		}
		return nil, fmt.Errorf("private key %s is protected by a passphrase; add it to ssh-agent (ssh-add %s)", path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("private key %s: %v", path, err)
	}
	return signer, nil
}
