package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/google/shlex"

	"gorun/engine/config"
	"gorun/engine/vault"
)

// vaultEditor reads, decrypts, encrypts and writes vault files like
// Ansible's VaultEditor.
type vaultEditor struct {
	secrets *vault.Secrets
	cli     *vaultCLI
}

// encryptFiles is the "encrypt" action.
func (ed *vaultEditor) encryptFiles(o *vaultOptions, sec vault.Secret) error {
	c := ed.cli
	if len(o.args) == 0 && isTerminal(c.in) {
		fmt.Fprintln(c.err, "Reading plaintext input from stdin")
	}
	for _, f := range argsOrStdin(o.args) {
		f = realPath(f)
		pt, err := c.readData(f)
		if err != nil {
			return err
		}
		ct, err := encryptWith(pt, sec)
		if err != nil {
			return err
		}
		if err := c.writeData(ct, orDefault(o.output, f), true); err != nil {
			return err
		}
	}
	if isTerminal(c.out) {
		fmt.Fprintln(c.err, "Encryption successful")
	}
	return nil
}

// decryptFiles is the "decrypt" action.
func (ed *vaultEditor) decryptFiles(o *vaultOptions) error {
	c := ed.cli
	if len(o.args) == 0 && isTerminal(c.in) {
		fmt.Fprintln(c.err, "Reading ciphertext input from stdin")
	}
	for _, f := range argsOrStdin(o.args) {
		f = realPath(f)
		ct, err := c.readData(f)
		if err != nil {
			return err
		}
		pt, _, err := ed.decrypt(ct, f)
		if err != nil {
			return fmt.Errorf("%v for %s", err, f)
		}
		if err := c.writeData(pt, orDefault(o.output, f), false); err != nil {
			return err
		}
	}
	if isTerminal(c.out) {
		fmt.Fprintln(c.err, "Decryption successful")
	}
	return nil
}

// decrypt opens vault text, printing Ansible's warning for a format error.
func (ed *vaultEditor) decrypt(data []byte, name string) ([]byte, vault.Secret, error) {
	pt, sec, err := ed.secrets.DecryptNamed(data, name)
	var fe *vault.FormatError
	if errors.As(err, &fe) && vault.IsEncrypted(data) {
		if _, envErr := vault.ParseEnvelope(data, name); envErr == nil {
			in := ""
			if name != "" {
				in = " in " + name
			}
			fmt.Fprintf(ed.cli.err, "\n[WARNING]: \nThere was a vault format error%s: %s\n", in, err)
		}
	}
	return pt, sec, err
}

// plaintext is the "view" action for one file; the name is used as given.
func (ed *vaultEditor) plaintext(name string) ([]byte, error) {
	data, err := ed.cli.readData(name)
	if err != nil {
		return nil, err
	}
	pt, _, err := ed.decrypt(data, name)
	if err != nil {
		return nil, fmt.Errorf("%v for %s", err, name)
	}
	return pt, nil
}

// rekeyFile re-encrypts a file with a new secret, keeping its permissions.
func (ed *vaultEditor) rekeyFile(name string, newSecret vault.Secret) error {
	name = realPath(name)
	info, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("Unable to read source file (%s): %s", name, pyOSError(err))
	}
	data, err := ed.cli.readData(name)
	if err != nil {
		return err
	}
	pt, _, err := ed.decrypt(data, "") // VaultEditor.rekey_file passes no file name
	if err != nil {
		return fmt.Errorf("%v for %s", err, name)
	}
	ct, err := encryptWith(pt, newSecret)
	if err != nil {
		return err
	}
	if err := ed.cli.writeData(ct, name, true); err != nil {
		return err
	}
	return restoreOwner(name, info)
}

// createFile is the "create" action.
func (ed *vaultEditor) createFile(name string, sec vault.Secret) error {
	if dir := filepath.Dir(name); dir != "." {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			ed.cli.warn(dir + " does not exist, creating...")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
		}
	}
	if info, err := os.Stat(name); err == nil && info.Mode().IsRegular() {
		return fmt.Errorf("%s exists, please use 'edit' instead", name)
	}
	return ed.editHelper(name, sec, nil, sec.ID)
}

// editFile is the "edit" action for one file: decrypt, edit, and encrypt
// again with the secret that opened it and the vault id of its header.
func (ed *vaultEditor) editFile(name string) error {
	name = realPath(name)
	data, err := ed.cli.readData(name)
	if err != nil {
		return err
	}
	pt, sec, err := ed.decrypt(data, "") // VaultEditor.edit_file passes no file name
	if err != nil {
		return fmt.Errorf("%v for %s", err, name)
	}
	env, err := vault.ParseEnvelope(data, name)
	if err != nil {
		return err
	}
	return ed.editHelper(name, sec, pt, env.ID)
}

// editHelper puts existing (nil when creating) into a private temporary
// file, runs $EDITOR on it, and encrypts the result into name if it changed.
// The plaintext file is in a 0700 directory, is 0600, and is removed
// whatever happens.
func (ed *vaultEditor) editHelper(name string, sec vault.Secret, existing []byte, id string) error {
	dir, err := os.MkdirTemp("", "gorun-vault-")
	if err != nil {
		return fmt.Errorf("Problem creating temporary vault file: %v", err)
	}
	tmp := filepath.Join(dir, "edit"+filepath.Ext(name))
	defer func() {
		shred(tmp)
		os.RemoveAll(dir)
	}()
	if err := os.WriteFile(tmp, existing, 0o600); err != nil {
		return fmt.Errorf("Unable to write to temporary vault file: %v", err)
	}
	editor := os.Getenv("EDITOR")
	if editor == "" {
		editor = "vi"
	}
	argv, err := shlex.Split(editor)
	if err != nil || len(argv) == 0 {
		return fmt.Errorf("Unable to execute the command \"%s %s\": invalid EDITOR", editor, tmp)
	}
	argv = append(argv, tmp)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The editor owns the terminal: a ctrl-c or hangup meant for it must not
	// kill gorun before the plaintext file is removed.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	err = cmd.Run()
	signal.Stop(sigs)
	// Like Ansible, the editor's exit status is not checked; only failing
	// to start it is an error.
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return fmt.Errorf("Unable to execute the command \"%s\": %v", strings.Join(argv, " "), err)
	}
	select {
	case <-sigs:
		return &vaultError{code: 99, msg: "User interrupted execution"}
	default:
	}
	edited, err := ed.cli.readData(tmp)
	if err != nil {
		return err
	}
	if existing != nil && string(existing) == string(edited) {
		return nil
	}
	ct, err := encryptWith(edited, vault.Secret{ID: id, Password: sec.Password})
	if err != nil {
		return err
	}
	return replaceFile(name, ct)
}

// replaceFile atomically replaces name with data, keeping the mode and owner
// of the file it replaces (0600 for a new file).
func replaceFile(name string, data []byte) error {
	prev, statErr := os.Stat(name)
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".")
	if err != nil {
		return fmt.Errorf("Problem creating temporary vault file: %v", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("Unable to write to temporary vault file: %v", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	if statErr == nil {
		if err := restoreOwner(f.Name(), prev); err != nil {
			return err
		}
	}
	return os.Rename(f.Name(), name)
}

// restoreOwner gives name the mode, owner and group recorded in info.
func restoreOwner(name string, info os.FileInfo) error {
	if err := os.Chmod(name, info.Mode().Perm()); err != nil {
		return err
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		if err := os.Lchown(name, int(st.Uid), int(st.Gid)); err != nil && !errors.Is(err, fs.ErrPermission) {
			return err
		}
	}
	return nil
}

// encryptWith encrypts plaintext with one secret under its vault id.
func encryptWith(plaintext []byte, sec vault.Secret) ([]byte, error) {
	return vault.NewSecrets(sec).Encrypt(plaintext, sec.ID)
}

// readData reads a file, or stdin for "-".
func (c *vaultCLI) readData(name string) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(c.in)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("Unable to read source file (%s): %s", name, pyOSError(err))
	}
	return data, nil
}

// writeData writes to stdout for "-", otherwise replaces the file with a new
// 0600 file (shredding the old one first when asked), as write_data does.
func (c *vaultCLI) writeData(data []byte, name string, shredOld bool) error {
	if name == "-" {
		_, err := c.out.Write(data)
		return err
	}
	if info, err := os.Stat(name); err == nil && info.Mode().IsRegular() {
		if shredOld {
			shred(name)
		}
		os.Remove(name)
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("Vault file got recreated while we were operating on it: %s", pyOSError(err))
	}
	if err != nil {
		return fmt.Errorf("Problem creating temporary vault file: %s", pyOSError(err))
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("Unable to write to temporary vault file: %s", pyOSError(err))
	}
	return f.Close()
}

// shred overwrites a file with random bytes before it is removed, so the
// plaintext does not linger on disk; best effort, like Ansible's fallback.
func shred(name string) {
	info, err := os.Stat(name)
	if err != nil || !info.Mode().IsRegular() || info.Size() == 0 {
		return
	}
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	buf := make([]byte, min(info.Size(), 1<<20))
	for off := int64(0); off < info.Size(); off += int64(len(buf)) {
		rand.Read(buf)
		f.WriteAt(buf[:min(int64(len(buf)), info.Size()-off)], off)
	}
	f.Sync()
}

// pager shows decrypted text: through $PAGER or less on a terminal, as is
// otherwise, with a final newline added as Display.display does.
func (c *vaultCLI) pager(text []byte) {
	if isTerminal(c.out) {
		pager := os.Getenv("PAGER")
		if pager == "" {
			if _, err := exec.LookPath("less"); err == nil {
				pager = "less"
			}
		}
		if pager != "" {
			cmd := exec.Command("/bin/sh", "-c", pager)
			cmd.Stdin = strings.NewReader(string(text))
			cmd.Stdout, cmd.Stderr = c.out, c.err
			if os.Getenv("LESS") == "" {
				cmd.Env = append(os.Environ(), "LESS=FRSX")
			}
			cmd.Run()
			return
		}
	}
	c.out.Write(text)
	if len(text) == 0 || text[len(text)-1] != '\n' {
		fmt.Fprintln(c.out)
	}
}

// argsOrStdin returns the file arguments, or "-" (stdin) when there are none.
func argsOrStdin(args []string) []string {
	if len(args) == 0 {
		return []string{"-"}
	}
	return args
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// realPath resolves symlinks like os.path.realpath; "-" is left alone.
func realPath(name string) string {
	if name == "-" {
		return name
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return name
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// unfrackPath expands ~ and $VARS, makes a path absolute and resolves
// symlinks, like Ansible's unfrack_path() for command-line paths.
func unfrackPath(p string) string {
	return realPath(config.Unfrack(p, ""))
}

// pyOSError renders a file error as Python's OSError prints it:
// "[Errno 2] No such file or directory: 'name'".
func pyOSError(err error) string {
	var pe *fs.PathError
	var errno syscall.Errno
	if errors.As(err, &pe) && errors.As(pe.Err, &errno) {
		msg := errno.Error()
		if msg != "" {
			msg = strings.ToUpper(msg[:1]) + msg[1:]
		}
		return fmt.Sprintf("[Errno %d] %s: '%s'", int(errno), msg, pe.Path)
	}
	return err.Error()
}
