package remotefile

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gorun/engine/connection"
)

// TestWriteModes writes files on this machine (the local connection runs
// the same script as a host) and checks the mode each gets, as Ansible's
// atomic_move gives it: a new file 0666 minus the umask, a replaced file
// the old one's mode (also execute and set-id bits, which a new file cannot
// be created with), the mode of a Change when there is one. A directory
// with a default ACL, which overrides the umask for new files, must give
// the same modes.
func TestWriteModes(t *testing.T) {
	conn, err := connection.NewPool().Get(context.Background(), connection.Params{Host: "localhost", Connection: "local"})
	if err != nil {
		t.Fatal(err)
	}
	plain := t.TempDir()
	withACL := t.TempDir()
	if err := setDefaultACL(withACL); err != nil {
		t.Logf("no default ACL on %s (%v): that case is not tested", withACL, err)
		withACL = ""
	}
	mode := uint32(0o600)
	cases := []struct {
		name   string
		old    uint32 // 0: no old file
		change *uint32
		want   uint32 // 0: 0666 minus the umask
	}{
		{name: "new"},
		{name: "kept-0640", old: 0o640, want: 0o640},
		{name: "kept-0604", old: 0o604, want: 0o604},
		{name: "kept-0755", old: 0o755, want: 0o755},
		{name: "kept-4750", old: 0o4750, want: 0o4750},
		{name: "changed", old: 0o644, change: &mode, want: 0o600},
		{name: "new-changed", change: &mode, want: 0o600},
	}
	for _, dir := range []string{plain, withACL} {
		if dir == "" {
			continue
		}
		for _, c := range cases {
			p := filepath.Join(dir, c.name)
			if c.old != 0 {
				if err := os.WriteFile(p, []byte("old\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := syscall.Chmod(p, c.old); err != nil {
					t.Fatal(err)
				}
			}
			before, err := Stat(context.Background(), conn, p, StatOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if want == 0 {
				want = before.NewFileMode()
			}
			w, err := Write(context.Background(), conn, WriteRequest{Dest: p, Content: strings.NewReader("new\n"),
				Existing: before, Change: Change{Mode: c.change}})
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			got := uint32(fi.Sys().(*syscall.Stat_t).Mode) & 0o7777
			if got != want || w.Info.Perm() != want {
				t.Errorf("%s: mode %04o (reported %04o), want %04o", p, got, w.Info.Perm(), want)
			}
			if data, _ := os.ReadFile(p); string(data) != "new\n" {
				t.Errorf("%s: content %q", p, data)
			}
		}
	}
}

// setDefaultACL gives dir a default ACL of rw for owner, group and others
// (system.posix_acl_default in the kernel's format), so that new files in
// it are made 0666 whatever the umask.
func setDefaultACL(dir string) error {
	acl := binary.LittleEndian.AppendUint32(nil, 2)  // the format's version
	for _, tag := range []uint16{0x01, 0x04, 0x20} { // owner, group, others
		acl = binary.LittleEndian.AppendUint16(acl, tag)
		acl = binary.LittleEndian.AppendUint16(acl, 6) // rw
		acl = binary.LittleEndian.AppendUint32(acl, 0xffffffff)
	}
	return syscall.Setxattr(dir, "system.posix_acl_default", acl, 0)
}
