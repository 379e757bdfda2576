package vault

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
)

// header is the magic every vault text starts with.
const header = "$ANSIBLE_VAULT"

// DefaultID is the vault id Ansible gives secrets and vault texts that have
// none (C.DEFAULT_VAULT_IDENTITY).
const DefaultID = "default"

// lineWidth is the column at which the hex body of a vault text is wrapped.
const lineWidth = 80

// Envelope is the parsed header of a vault text and its unwrapped body.
type Envelope struct {
	Version string // "1.1" or "1.2"
	Cipher  string // "AES256"
	ID      string // vault id from a 1.2 header, DefaultID otherwise
	Body    []byte // the hex body with the line breaks removed
}

// IsEncrypted reports whether data is vault text: pure ASCII that starts
// with "$ANSIBLE_VAULT", exactly the test ansible.parsing.vault.is_encrypted makes.
func IsEncrypted(data []byte) bool {
	for _, b := range data {
		if b >= 0x80 {
			return false
		}
	}
	return bytes.HasPrefix(data, []byte(header))
}

// ParseEnvelope splits vault text into its header fields and body, the way
// parse_vaulttext_envelope does. name, if not empty, is the file the text came
// from and only appears in error messages.
func ParseEnvelope(data []byte, name string) (*Envelope, error) {
	lines := splitLines(data)
	var fields [][]byte
	if len(lines) > 0 {
		fields = bytes.Split(bytes.TrimSpace(lines[0]), []byte(";"))
	}
	if len(fields) < 3 {
		msg := "Vault envelope format error"
		if name != "" {
			msg += " in " + name
		}
		return nil, &FormatError{msg + ": list index out of range"}
	}
	env := &Envelope{
		Version: string(bytes.TrimSpace(fields[1])),
		Cipher:  string(bytes.TrimSpace(fields[2])),
		ID:      DefaultID,
	}
	if len(fields) >= 4 {
		env.ID = string(bytes.TrimSpace(fields[3]))
	}
	env.Body = bytes.Join(lines[1:], nil)
	return env, nil
}

// splitLines splits like Python's bytes.splitlines: on "\n", "\r\n" and "\r",
// without a trailing empty line.
func splitLines(data []byte) [][]byte {
	var lines [][]byte
	for len(data) > 0 {
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			lines = append(lines, data)
			break
		}
		lines = append(lines, data[:i])
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	return lines
}

// formatEnvelope adds the header to a hex body and wraps it at 80 columns,
// as format_vaulttext_envelope does: format 1.2 when id names a vault id
// other than "default", 1.1 otherwise.
func formatEnvelope(body []byte, id string) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	if id != "" && id != DefaultID {
		b.WriteString(";1.2;AES256;" + id)
	} else {
		b.WriteString(";1.1;AES256")
	}
	b.WriteByte('\n')
	for i := 0; i < len(body); i += lineWidth {
		b.Write(body[i:min(i+lineWidth, len(body))])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// unhexlify decodes hex as Python's binascii.unhexlify does, with its messages.
func unhexlify(s []byte) ([]byte, error) {
	if len(s)%2 != 0 {
		return nil, &FormatError{"Vault format unhexlify error: Odd-length string"}
	}
	out := make([]byte, len(s)/2)
	if _, err := hex.Decode(out, s); err != nil {
		return nil, &FormatError{"Vault format unhexlify error: Non-hexadecimal digit found"}
	}
	return out, nil
}

// payload is the decoded body of a vault text.
type payload struct {
	salt, hmac, ciphertext []byte
}

// parsePayload decodes the body: hex of "hex(salt)\nhex(hmac)\nhex(ciphertext)".
// The HMAC stays hex here; like Ansible it is decoded only when verified.
func parsePayload(body []byte) (*payload, error) {
	inner, err := unhexlify(body)
	if err != nil {
		return nil, err
	}
	parts := bytes.SplitN(inner, []byte("\n"), 3)
	if len(parts) < 3 {
		return nil, &FormatError{fmt.Sprintf("Vault vaulttext format error: not enough values to unpack (expected 3, got %d)", len(parts))}
	}
	salt, err := unhexlify(parts[0])
	if err != nil {
		return nil, err
	}
	ct, err := unhexlify(parts[2])
	if err != nil {
		return nil, err
	}
	return &payload{salt: salt, hmac: parts[1], ciphertext: ct}, nil
}

// FormatError reports vault text that is malformed, as opposed to vault text
// that no secret opens. Ansible stops at a format error instead of trying the
// next secret.
type FormatError struct{ Msg string }

func (e *FormatError) Error() string { return e.Msg }

// quoteList formats ids as Python prints a list of strings: ['a', 'b'].
func quoteList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = "'" + id + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
