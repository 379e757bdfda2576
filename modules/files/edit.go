package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

// textFile is a file that lineinfile, blockinfile and replace edit: read
// whole in one round trip with its stat, written back atomically.
type textFile struct {
	path string
	info *remotefile.Info
	// real is where writes go: the path with links resolved (os.path.realpath).
	real string
}

// readText stats and reads path (following links) with the ids of the
// task's owner and group names resolved.
func readText(ctx context.Context, c *module.Call, p string) (*textFile, error) {
	info, err := statFor(ctx, c, p, remotefile.StatOptions{Follow: true, Read: true})
	if err != nil {
		return nil, err
	}
	real := p
	if info.LinkSource != "" {
		real = info.LinkSource
	}
	return &textFile{path: p, info: info, real: real}, nil
}

// content is the file's bytes ("" when it does not exist).
func (f *textFile) content() []byte { return f.info.Content }

// write replaces the file with data: backup first when asked (and the file
// exists), parent directories made when create is set, validate run on the
// temporary file. It returns the backup's path.
func (f *textFile) write(ctx context.Context, c *module.Call, data []byte, backup bool) (string, error) {
	if !f.info.Exists {
		dir := path.Dir(f.real)
		if _, err := remotefile.Run(ctx, c.Conn, "mkdir -p -- "+remotefile.Path(dir), nil); err != nil {
			return "", fmt.Errorf("Error creating %s (%v)", dir, err)
		}
	}
	w, err := remotefile.Write(ctx, c.Conn, remotefile.WriteRequest{
		Dest: f.real, Content: bytes.NewReader(data), Existing: f.info,
		Validate: c.Args.String("validate"), Backup: backup && f.info.Exists,
		Flags: c.Args.Has("attributes"),
	})
	var ve *remotefile.ValidateError
	if errors.As(err, &ve) {
		return "", fmt.Errorf("failed to validate: rc:%d error:%s", ve.ExitStatus, ve.Stderr)
	}
	if err != nil {
		return "", err
	}
	w.Info.ResolvedUID, w.Info.ResolvedGID = f.info.ResolvedUID, f.info.ResolvedGID
	w.Info.Umask = f.info.Umask
	f.info = w.Info
	return w.BackupFile, nil
}

// fileAttrs is check_file_attrs: it applies owner, group and mode to the
// file as it now is, appends Ansible's message when they changed, and
// fills diff (nil for none).
func (f *textFile) fileAttrs(ctx context.Context, c *module.Call, changed bool, msg string, diff *remotefile.Diff) (bool, string, error) {
	info := f.info
	if !info.Exists {
		// Check mode on a file that is not there yet.
		return changed, msg, nil
	}
	change, err := remotefile.AttrsFromArgs(c.Args).Plan(info, false, diff)
	if err != nil {
		return changed, msg, err
	}
	if change.Empty() {
		return changed, msg, nil
	}
	if !c.Check {
		if err := change.Apply(ctx, c.Conn, f.real); err != nil {
			return changed, msg, err
		}
	}
	if changed {
		msg += " and "
	}
	return true, msg + "ownership, perms or SE linux context changed", nil
}

// attrDiff is the "(file attributes)" half of lineinfile's and
// blockinfile's diff list: only headers when nothing changes.
func attrDiff(p string, d *remotefile.Diff) map[string]any {
	m := map[string]any{"before_header": p + " (file attributes)", "after_header": p + " (file attributes)"}
	if b, ok := d.Before.(map[string]any); ok && len(b) > 0 {
		m["before"], m["after"] = d.Before, d.After
	}
	return m
}

// newAttrDiff is an attribute diff that starts empty.
func newAttrDiff() *remotefile.Diff {
	return &remotefile.Diff{Before: map[string]any{}, After: map[string]any{}}
}

// splitLines is Python's bytes.splitlines(keepends=True).
func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			out = append(out, b)
			break
		}
		end := i + 1
		if b[i] == '\r' && end < len(b) && b[end] == '\n' {
			end++
		}
		out = append(out, b[:end])
		b = b[end:]
	}
	return out
}

// readLines is Python's file.readlines() in binary mode: split after "\n".
func readLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}
