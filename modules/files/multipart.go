package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
	"mime"
	"os"
	"path"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/value"
	"gorun/modules/internal/remotefile"
)

// multipartBody is uri's body_format=form-multipart: Ansible's
// prepare_multipart (module_utils/urls.py) as the email package writes it.
// Fields are sorted by name; a string is a text/plain field; a mapping has
// filename, content and mime_type. A file named without content is read
// from the controller (the uri action plugin transfers it), or from the
// target with remote_src, and sent base64-encoded. It returns the
// Content-Type header and the body, or a failed result.
func multipartBody(ctx context.Context, c *module.Call, body any) (string, string, module.Result, error) {
	if body == nil || !isMapping(body) {
		// The action plugin refuses anything but a mapping.
		return "", "", module.Failed(fmt.Sprintf("body must be mapping, cannot be type %s", pyTypeName(body))), nil
	}
	boundary := multipartBoundary()
	names := value.Keys(body)
	sort.Strings(names)
	var b bytes.Buffer
	for _, name := range names {
		field, _ := value.Lookup(body, name)
		var ctype, filename, cte string
		var content []byte
		switch f := field.(type) {
		case string:
			ctype, content = "text/plain", []byte(f)
		default:
			if !isMapping(f) {
				return "", "", module.Failed(fmt.Sprintf("failed to parse body as form-multipart: value must be a string, or mapping, cannot be type %s", pyTypeName(f))), nil
			}
			filename = mappingString(f, "filename")
			text := mappingString(f, "content")
			if filename == "" && text == "" {
				return "", "", module.Failed("failed to parse body as form-multipart: at least one of filename or content must be provided"), nil
			}
			ctype = mappingString(f, "mime_type")
			if ctype == "" {
				ctype = guessMIME(filename)
			}
			content = []byte(text)
			if text == "" {
				data, failed, err := multipartFile(ctx, c, filename)
				if failed != nil || err != nil {
					return "", "", failed, err
				}
				content, cte = []byte(mimeBase64(data)), "base64"
			}
		}
		fmt.Fprintf(&b, "--%s\r\n", boundary)
		if cte != "" {
			fmt.Fprintf(&b, "Content-Transfer-Encoding: %s\r\n", cte)
		}
		fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Disposition: form-data; name=%q", ctype, name)
		if filename != "" {
			fmt.Fprintf(&b, "; filename=%q", path.Base(filename))
		}
		b.WriteString("\r\n\r\n")
		b.Write(content)
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return fmt.Sprintf("multipart/form-data; boundary=%q", boundary), b.String(), nil, nil
}

// multipartBoundary is the email package's boundary: fifteen equals signs,
// a random number of up to 19 digits, and two more.
func multipartBoundary() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return fmt.Sprintf("===============%019d==", n)
}

// mimeBase64 is base64 in lines of 76 characters, each ended with CRLF,
// as email.encoders writes an attachment under the HTTP policy.
func mimeBase64(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}

// guessMIME is mimetypes.guess_type(filename)[0] or
// application/octet-stream.
func guessMIME(filename string) string {
	if t := mime.TypeByExtension(path.Ext(filename)); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	return "application/octet-stream"
}

// multipartFile reads a file field's content: from the controller's files/
// (the action plugin's _find_needle), or from the target with remote_src.
func multipartFile(ctx context.Context, c *module.Call, name string) ([]byte, module.Result, error) {
	if !c.Args.Bool("remote_src") {
		local, err := c.Files.Find("files", name)
		if err != nil {
			return nil, module.Failed(err.Error()), nil
		}
		data, err := os.ReadFile(local)
		if err != nil {
			return nil, module.Failed(err.Error()), nil
		}
		return data, nil, nil
	}
	out, err := remotefile.Run(ctx, c.Conn, "base64 -w0 < "+remotefile.Path(name), nil)
	if err != nil {
		if _, ok := err.(*remotefile.ScriptError); ok {
			return nil, module.Failed(fmt.Sprintf("failed to parse body as form-multipart: [Errno 2] No such file or directory: '%s'", name)), nil
		}
		return nil, nil, err
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
	return data, nil, err
}

func isMapping(v any) bool {
	switch v.(type) {
	case map[string]any, *value.Dict:
		return true
	}
	return false
}

// mappingString is a mapping's key as a string ("" when missing or null).
func mappingString(m any, key string) string {
	v, ok := value.Lookup(m, key)
	if !ok || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// pyTypeName is Python's class name of a value from YAML.
func pyTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case string:
		return "str"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	case []any:
		return "list"
	}
	return "dict"
}
