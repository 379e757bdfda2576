package remotefile

import (
	"bytes"
	"context"
	"crypto"
	_ "crypto/md5" // the hashes knownSum computes
	"crypto/rand"
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/shell"
)

// WriteRequest describes one atomic replacement of a file's content.
type WriteRequest struct {
	// Dest is the file to write (links already resolved by the caller when
	// it follows them: a link at Dest is replaced).
	Dest string
	// Content is the new content, sent on the command's stdin.
	Content io.Reader
	// RemoteSrc, when set instead of Content, is a file on the target whose
	// content is copied.
	RemoteSrc string
	// Existing is Dest's stat before the write (for the mode of a new file).
	Existing *Info
	// Change applies owner, group, mode to the new file before it replaces
	// Dest; without it the new file keeps Dest's owner, group and mode, or
	// gets 0666 minus the umask when Dest is new (as Ansible's atomic_move).
	Change Change
	// Validate is a command with "%s" for the temporary file, run before the
	// rename; a failure leaves Dest untouched.
	Validate string
	// Backup copies the old Dest to Ansible's timestamped backup name first.
	Backup bool
	// Checksum is the algorithm of the checksum in the returned Info (sha1 if empty).
	Checksum string
	// Flags adds lsattr's flags to the returned Info (see StatOptions.Flags).
	Flags bool
}

// WriteResult is what a write did.
type WriteResult struct {
	// BackupFile is the backup's path ("" if none was made).
	BackupFile string
	// Info is Dest's stat after the write.
	Info *Info
}

// ValidateError is a validate command that failed: Ansible's "failed to validate".
type ValidateError struct {
	ExitStatus     int
	Stdout, Stderr string
}

func (e *ValidateError) Error() string { return "failed to validate" }

// Script exit codes that name the step that failed.
const (
	exitNoDir    = 84
	exitTemp     = 85
	exitWrite    = 86
	exitBackup   = 87
	exitRename   = 88
	exitValidate = 90
)

// maxInline is the largest content Write puts inside its script: base64
// makes it a third larger, and the script is one argument of sh -c, which
// Linux limits to 128 KiB.
const maxInline = 48 << 10

// inlineBody is data as the lines of a here-document for base64 -d, ended
// by GORUN_EOF (which base64 cannot contain).
func inlineBody(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\nGORUN_EOF\n")
	return b.String()
}

// marker separates a validate command's output from the script's own.
const marker = "--gorun-remotefile--"

// Write replaces r.Dest atomically in one round trip: the content goes to a
// temporary file in Dest's directory, which gets its owner, group and mode,
// is validated, and is renamed over Dest after an optional backup.
//
// A write cut short (connection lost, controller interrupted, disk full)
// leaves Dest as it was and removes the temporary file: the content's size
// is checked before the rename, and the signals a lost session brings
// (HUP, PIPE) exit through the EXIT trap, which dash skips on a signal.
func Write(ctx context.Context, conn connection.Conn, r WriteRequest) (*WriteResult, error) {
	var b strings.Builder
	fill, heredoc, stdin, data, err := contentFill(r)
	if err != nil {
		return nil, err
	}
	born, modeKnown := r.tempMode()
	refMode := `chmod --reference="$d" -- "$t"; `
	newMode := fmt.Sprintf("else chmod %o \"$t\"; ", r.Existing.NewFileMode())
	if modeKnown {
		refMode, newMode = "", ""
	}
	fmt.Fprintf(&b, "d=%s\n", Path(r.Dest))
	// The directory, the temporary file and its owner are had with the
	// shell's own means where they give the same answer as dirname, mktemp
	// and chown --reference: every process started costs the host about
	// as much as a round trip. dirname's answer differs from ${d%%/*} only
	// for names with a doubled or trailing slash. The temporary file is
	// made as mktemp makes it (O_EXCL, mode 0600) under a random name; its
	// owner is changed only when it is not already the old file's.
	fmt.Fprintf(&b, `case $d in *//*|*/) dir=$(dirname -- "$d");; */*) dir=${d%%/*}; dir=${dir:-/};; *) dir=.;; esac
[ -d "$dir" ] || { printf 'Destination directory %%s does not exist\n' "$dir" >&2; exit %d; }
t=$dir/.gorun_tmp.%s
(umask %03o; set -C; : > "$t") || exit %d
trap 'rm -f -- "$t"' EXIT
trap 'exit 129' HUP INT TERM PIPE
%s || exit %d
%sif [ -e "$d" ]; then %s{ [ -O "$d" ] && [ -G "$d" ] && [ -O "$t" ] && [ -G "$t" ]; } || chown --reference="$d" -- "$t" 2>/dev/null; %sfi
`, exitNoDir, tempSuffix(), 0o777&^born, exitTemp, fill, exitWrite, heredoc, refMode, newMode)
	// chattr waits for the rename: an immutable or append-only file cannot be renamed.
	b.WriteString(r.Change.ownerModeScript("t"))
	if r.Validate != "" {
		cmd := strings.ReplaceAll(r.Validate, "%s", `"$t"`)
		fmt.Fprintf(&b, "( %s ) </dev/null\nrc=$?\n[ $rc -eq 0 ] || { echo \"$rc\" >&2; exit %d; }\n", cmd, exitValidate)
	}
	fmt.Fprintf(&b, "echo %s\n", marker)
	if r.Backup {
		fmt.Fprintf(&b, `if [ -e "$d" ]; then %sb="$d.$gorun_pid.$(date +%%Y-%%m-%%d@%%H:%%M:%%S~)"; cp -p -- "$d" "$b" || exit %d; printf 'backup %%s\n' "$b"; fi
`, OwnPID, exitBackup)
	}
	fmt.Fprintf(&b, "mv -f -- \"$t\" \"$d\" || exit %d\ntrap - EXIT\n", exitRename)
	b.WriteString(chattrScript("d", r.Change.wantAttrs))
	alg := r.Checksum
	if alg == "" {
		alg = "sha1"
	}
	// The content sent inside the script is what Dest now holds: its
	// checksum is known without reading the file back.
	statOpts := StatOptions{Checksum: alg, KnownSum: knownSum(alg, data), Flags: r.Flags}
	b.WriteString(statScript(r.Dest, statOpts))
	out, err := run(ctx, conn, b.String(), stdin)
	if err != nil {
		return nil, writeError(r.Dest, err)
	}
	_, after, _ := strings.Cut(out, marker+"\n")
	res := &WriteResult{}
	var statOut strings.Builder
	for _, line := range strings.SplitAfter(after, "\n") {
		if s, ok := strings.CutPrefix(line, "backup "); ok {
			res.BackupFile = strings.TrimSuffix(s, "\n")
			continue
		}
		statOut.WriteString(line)
	}
	if res.Info, err = parseStat(r.Dest, statOut.String()); err != nil {
		return nil, err
	}
	if modeKnown && r.Change.Mode == nil && res.Info.Exists && res.Info.Perm() != born {
		// The directory's default ACL, not the umask, gave the new file
		// its mode: it gets the mode chmod would have given it.
		if res.Info, err = RunThenStat(ctx, conn, fmt.Sprintf("chmod %o -- %s", born, Path(r.Dest)), r.Dest, statOpts); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// tempMode is the mode the temporary file is created with, and whether it
// is the mode the file must have (or the one Change gives it anyway): then
// no chmod is needed before the rename, which saves the host a process.
// That is so for a new file (0666 minus the umask) and for a regular file
// whose mode has no bits a creation cannot give (execute, set-id, sticky)
// and that belongs to the user writing it, so the content is never open to
// more than it will be. Otherwise the file is made private (0600) and
// given its mode by chmod.
func (r WriteRequest) tempMode() (mode uint32, known bool) {
	e := r.Existing
	switch {
	case r.Change.UID != nil || r.Change.GID != nil:
		return 0o600, false
	case r.Change.Mode != nil:
		return 0o600, true
	case !e.Exists:
		return e.NewFileMode(), true
	case e.IsReg() && e.UID == e.UserUID && e.GID == e.UserGID && e.Perm()&^0o666 == 0:
		return e.Perm(), true
	}
	return 0o600, false
}

// contentFill returns the command that fills the temporary file "$t" with
// r's content, the lines of its here-document (if any), the input the
// script needs (nil when the content is inside the script) and, when the
// content is inside the script, the content.
func contentFill(r WriteRequest) (fill, heredoc string, stdin io.Reader, data []byte, err error) {
	if r.RemoteSrc != "" {
		return "cat -- " + Path(r.RemoteSrc) + ` > "$t"`, "", nil, nil, nil
	}
	n, ok := r.Content.(interface{ Len() int })
	if !ok {
		return `cat > "$t"`, "", r.Content, nil, nil
	}
	size := n.Len()
	// A connection that drops mid-transfer ends cat's input early without
	// an error: only the size tells a short copy apart.
	sizeCheck := fmt.Sprintf(` && [ "$(wc -c < "$t")" -eq %d ]`, size)
	if size > maxInline || r.Validate != "" {
		return `cat > "$t"` + sizeCheck, "", r.Content, nil, nil
	}
	// Small content goes inside the script, which then needs no input and
	// runs in the host's kept shell (see run).
	if data, err = io.ReadAll(r.Content); err != nil {
		return "", "", nil, nil, err
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// A shell word cannot hold a NUL byte.
		return `base64 -d > "$t" <<'GORUN_EOF'` + sizeCheck, inlineBody(data), nil, data, nil
	}
	// printf is the shell's own: no process, and the script arrived whole,
	// so no size check. It reports a failed write (a full disk) only as
	// "I/O error": cat, run on failure, says why.
	return "gorun_c=" + shell.Quote(string(data)) + "\n" +
		`{ printf %s "$gorun_c" > "$t"; } 2>/dev/null || printf %s "$gorun_c" | cat > "$t"`, "", nil, data, nil
}

// knownSum is data's checksum with alg as the coreutils tool ALGsum prints
// it; "" when data is nil or alg is not one of those tools.
func knownSum(alg string, data []byte) string {
	h, ok := map[string]crypto.Hash{"md5": crypto.MD5, "sha1": crypto.SHA1, "sha224": crypto.SHA224,
		"sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}[alg]
	if data == nil || !ok || !h.Available() {
		return ""
	}
	d := h.New()
	d.Write(data)
	return hex.EncodeToString(d.Sum(nil))
}

// tempSuffix is eight random letters and digits, as mktemp's XXXXXXXX.
func tempSuffix() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}

func writeError(dest string, err error) error {
	se, ok := err.(*ScriptError)
	if !ok {
		return err
	}
	details := strings.TrimSpace(se.Stderr)
	switch se.Code {
	case exitValidate:
		status := 0
		lines := strings.Split(strings.TrimRight(se.Stderr, "\n"), "\n")
		fmt.Sscan(lines[len(lines)-1], &status)
		return &ValidateError{ExitStatus: status, Stdout: se.Stdout, Stderr: strings.Join(lines[:len(lines)-1], "\n")}
	case exitNoDir:
		return fmt.Errorf("%s", details)
	case exitTemp, exitWrite:
		return fmt.Errorf("Unable to make a temporary file beside %s: %s", dest, details)
	case exitBackup:
		return fmt.Errorf("Could not make a backup of %s: %s", dest, details)
	case exitRename:
		return fmt.Errorf("Unable to rename file to %s: %s", dest, details)
	}
	return attrError(err)
}
