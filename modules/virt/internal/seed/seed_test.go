package seed

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestBuildRead(t *testing.T) {
	files := map[string][]byte{
		"user-data":      []byte("#cloud-config\nhostname: web1\n"),
		"meta-data":      []byte("instance-id: web1\nlocal-hostname: web1\n"),
		"network-config": []byte("version: 2\n"),
	}
	img, err := Build(files)
	if err != nil {
		t.Fatal(err)
	}
	label, got, err := Read(img)
	if err != nil {
		t.Fatal(err)
	}
	if label != Label {
		t.Errorf("label %q", label)
	}
	for name, want := range files {
		if !bytes.Equal(got[name], want) {
			t.Errorf("%s: got %q, want %q", name, got[name], want)
		}
	}
	if len(got) != len(files) {
		t.Errorf("files %v", got)
	}
	// blkid, as cloud-init's ds-identify uses it, must see the label.
	if _, err := exec.LookPath("blkid"); err == nil {
		p := filepath.Join(t.TempDir(), "seed.iso")
		os.WriteFile(p, img, 0o644)
		out, err := exec.Command("blkid", "-o", "value", "-s", "LABEL", p).Output()
		if err != nil || string(bytes.TrimSpace(out)) != Label {
			t.Errorf("blkid label %q, %v", out, err)
		}
	}
}

// TestIsoinfo checks the image with another ISO implementation (genisoimage's
// isoinfo), as cloud-init's kernel mount would read it: Rock Ridge names.
func TestIsoinfo(t *testing.T) {
	if _, err := exec.LookPath("isoinfo"); err != nil {
		t.Skip("isoinfo is not installed (apt-get install genisoimage)")
	}
	img, err := Build(map[string][]byte{"user-data": []byte("#cloud-config\n"), "meta-data": []byte("instance-id: x\n")})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "seed.iso")
	os.WriteFile(p, img, 0o644)
	out, err := exec.Command("isoinfo", "-R", "-x", "/user-data", "-i", p).Output()
	if err != nil || string(out) != "#cloud-config\n" {
		t.Errorf("isoinfo read %q, %v", out, err)
	}
	out, err = exec.Command("isoinfo", "-d", "-i", p).Output()
	if err != nil || !bytes.Contains(out, []byte("Volume id: cidata")) || !bytes.Contains(out, []byte("Rock Ridge")) {
		t.Errorf("isoinfo -d: %s, %v", out, err)
	}
}
