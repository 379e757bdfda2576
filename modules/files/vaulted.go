package files

import (
	"fmt"
	"os"

	"gorun/engine/module"
	"gorun/engine/vault"
)

// readController reads a controller file as Ansible's DataLoader.get_real_file
// does: a vault-encrypted file is decrypted (when decrypt is set) with the
// run's vault secrets. It reports whether the file was decrypted.
func readController(c *module.Call, path string, decrypt bool) ([]byte, bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, err
	}
	if !decrypt || !vault.IsEncrypted(data) {
		return data, false, nil
	}
	if c.Decrypt == nil {
		return nil, false, noSecrets(path)
	}
	plain, err := c.Decrypt(data)
	if err != nil {
		// The engine's loaders say "Attempting to decrypt but no vault
		// secrets found"; for a module source Ansible names the file.
		if err.Error() == "Attempting to decrypt but no vault secrets found" {
			return nil, false, noSecrets(path)
		}
		return nil, false, fmt.Errorf("%v on %s", err, path)
	}
	return plain, true, nil
}

func noSecrets(path string) error {
	return fmt.Errorf("A vault password or secret must be specified to decrypt %s", path)
}
