package connection

import (
	"bytes"
	"crypto/rand"
	"io/fs"
	"strings"
	"testing"
)

// checkPutGet writes a file with Put, checks its mode and owner on the host
// with stat, and reads it back with Get.
func checkPutGet(t *testing.T, c Conn, path string, perm fs.FileMode, opts ExecOptions, wantOwner string) {
	t.Helper()
	data := make([]byte, 1<<20+123)
	rand.Read(data)
	if err := c.Put(t.Context(), bytes.NewReader(data), path, perm, opts); err != nil {
		t.Fatalf("Put %s: %v", path, err)
	}
	// Putting again truncates: a shorter file must not keep the old tail.
	short := []byte("short\n")
	if err := c.Put(t.Context(), bytes.NewReader(short), path+".2", perm, opts); err != nil {
		t.Fatalf("Put %s.2: %v", path, err)
	}
	if err := c.Put(t.Context(), bytes.NewReader(data), path+".2", perm, opts); err != nil {
		t.Fatalf("Put %s.2: %v", path, err)
	}
	if err := c.Put(t.Context(), bytes.NewReader(short), path+".2", perm, opts); err != nil {
		t.Fatalf("Put %s.2: %v", path, err)
	}
	stat := output(t, c, "stat -c '%a %U %s' "+path+" "+path+".2", ExecOptions{Become: opts.Become})
	lines := strings.Split(strings.TrimSpace(stat), "\n")
	wantMode := strings.TrimLeft(fmtOctal(perm), "0")
	if len(lines) != 2 || lines[0] != wantMode+" "+wantOwner+" 1048699" || lines[1] != wantMode+" "+wantOwner+" 6" {
		t.Errorf("stat after Put: %q, want mode %s, owner %s, sizes 1048699 and 6", lines, wantMode, wantOwner)
	}
	var got bytes.Buffer
	if err := c.Get(t.Context(), path, &got, opts); err != nil {
		t.Fatalf("Get %s: %v", path, err)
	}
	if !bytes.Equal(got.Bytes(), data) {
		t.Errorf("Get %s returned %d bytes that differ from the %d put", path, got.Len(), len(data))
	}
	if err := c.Get(t.Context(), path+".missing", &got, opts); err == nil || !strings.Contains(err.Error(), path+".missing") {
		t.Errorf("Get of a missing file: error %v, want one naming it", err)
	}
}

func fmtOctal(m fs.FileMode) string {
	const digits = "01234567"
	p := uint32(m.Perm())
	return string([]byte{digits[p>>6&7], digits[p>>3&7], digits[p&7]})
}

func TestPutGetSFTP(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "lab"))
	checkPutGet(t, c, "/tmp/putget-sftp", 0o640, ExecOptions{}, "lab")
	// SFTP runs as the login user: a root-only directory is refused, with
	// an error that names the path.
	err := c.Put(t.Context(), strings.NewReader("x"), "/root/nope", 0o644, ExecOptions{})
	if err == nil || !strings.Contains(err.Error(), "/root/nope") {
		t.Errorf("Put into /root as lab: error %v, want a permission error naming the path", err)
	}
}

func TestPutGetWithSudo(t *testing.T) {
	c, password := labUser(t)
	opts := ExecOptions{Become: &Become{Enabled: true, User: "root", Password: password}}
	checkPutGet(t, c, "/root/putget-sudo", 0o600, opts, "root")
}

func TestPutGetWithSu(t *testing.T) {
	c := dial(t, hostParams(t, "h1", "root"))
	opts := ExecOptions{Become: &Become{Enabled: true, Method: "su", User: "nobody", Flags: "-s /bin/sh"}}
	checkPutGet(t, c, "/tmp/putget-su", 0o644, opts, "nobody")
}
