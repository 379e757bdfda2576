package files

import (
	"bytes"
	"os/exec"
	"testing"
)

// TestCodecsMatchPython encodes and decodes text with each codec name and
// compares the bytes with what the machine's Python writes.
func TestCodecsMatchPython(t *testing.T) {
	python, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Skip("no /usr/bin/python3 for the reference")
	}
	const text = "café über naïve\n"
	for _, name := range []string{"latin-1", "ISO-8859-1", "latin1", "iso8859-15", "cp1252", "utf-16", "UTF-16-LE", "utf-16-be", "utf-32", "utf-8-sig", "utf-8", "koi8-r"} {
		want, err := exec.Command(python, "-c", "import sys; sys.stdout.buffer.write(sys.argv[1].encode(sys.argv[2], 'replace'))", text, name).Output()
		if err != nil {
			t.Fatalf("%s: python: %v", name, err)
		}
		codec, err := lookupCodec(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "koi8-r" {
			// KOI8-R has no é: Python refuses it, and so must gorun.
			if _, err := codec.encode(text); err == nil {
				t.Errorf("koi8-r: encoding %q did not fail", text)
			}
			continue
		}
		got, err := codec.encode(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: encode = % x, Python wrote % x", name, got, want)
		}
		back, err := codec.decode(want)
		if err != nil || back != text {
			t.Errorf("%s: decode = %q, %v; want %q", name, back, err, text)
		}
	}
	if _, err := lookupCodec("no-such-codec"); err == nil {
		t.Error("an unknown codec was accepted")
	}
	ascii, _ := lookupCodec("ascii")
	if _, err := ascii.encode(text); err == nil {
		t.Error("ascii encoded é")
	}
}
