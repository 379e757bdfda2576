package vault

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"gorun/engine/value"
)

// ReaderPrompt returns a prompt function for LoadSecrets and Loader that
// behaves like Python's getpass on the given streams: the text goes to out;
// when in is a terminal the password is read without echo, otherwise one
// line is read from in (Ansible reads piped passwords the same way). Lines
// are read a byte at a time so that nothing after them is consumed.
func ReaderPrompt(in io.Reader, out io.Writer) func(text string) ([]byte, error) {
	return func(text string) ([]byte, error) {
		fmt.Fprint(out, text)
		defer fmt.Fprintln(out)
		if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			return term.ReadPassword(int(f.Fd()))
		}
		return ReadLine(in)
	}
}

// ReadLine reads one line from r a byte at a time and returns it without
// its line break; io.EOF when r is exhausted before any byte.
func ReadLine(r io.Reader) ([]byte, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line = append(line, b[0])
		}
		if err == io.EOF {
			if len(line) == 0 {
				return nil, io.EOF
			}
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return bytes.TrimSuffix(line, []byte("\r")), nil
}

// DecryptVaulted decrypts an inline !vault value to text, as Ansible's
// AnsibleVaultEncryptedUnicode does when the value is used.
func (s *Secrets) DecryptVaulted(v value.Vaulted) (string, error) {
	pt, err := s.Decrypt([]byte(v.Ciphertext))
	return string(pt), err
}
