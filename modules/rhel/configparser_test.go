package rhel

import (
	"os/exec"
	"strings"
	"testing"
)

// pythonConfigparser runs Python's configparser (the reference) on text:
// it prints RawConfigParser.write's output, a NUL, and yum_repository's
// dump of the same parser.
const pythonConfigparser = `
import configparser, sys
c = configparser.RawConfigParser()
c.read_string(sys.stdin.read())
c.write(sys.stdout)
sys.stdout.write("\0")
s = ""
for section in sorted(c.sections()):
    s += "[%s]\n" % section
    for key, value in sorted(c.items(section)):
        s += "%s = %s\n" % (key, value)
    s += "\n"
sys.stdout.write(s)
`

// TestConfigParserMatchesPython parses .repo texts with parseConfig and
// with Python's configparser and compares what both write and dump.
func TestConfigParserMatchesPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	texts := []string{
		"[epel]\nname = EPEL\nbaseurl = http://a/\n",
		"# comment\n[a]\nName=A\nBaseURL : http://x\n  http://y\n\n\tfile:///z\nenabled=1\n\n; other\n[b]\nname = B\n",
		"[DEFAULT]\ngpgcheck = 1\n[x]\nname = X\n[y]\nname = Y\ngpgcheck = 0\n",
		"[one]\nkey =\nother = a = b\n[two]\n  indented = yes\nlast = value   \n\n\n",
		"[s]\nmulti = first\n\n  second\n# not part of it\n  third\n",
	}
	for _, text := range texts {
		cmd := exec.Command(python, "-c", pythonConfigparser)
		cmd.Stdin = strings.NewReader(text)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("python configparser on %q: %v", text, err)
		}
		wantWrite, wantDump, _ := strings.Cut(string(out), "\x00")
		c, err := parseConfig("test.repo", text)
		if err != nil {
			t.Fatalf("parseConfig(%q): %v", text, err)
		}
		if got := c.write(); got != wantWrite {
			t.Errorf("write of %q:\n got %q\nwant %q", text, got, wantWrite)
		}
		if got := c.dump(); got != wantDump {
			t.Errorf("dump of %q:\n got %q\nwant %q", text, got, wantDump)
		}
	}
}

// TestConfigParserErrors checks that what Python's strict parser refuses,
// parseConfig refuses too.
func TestConfigParserErrors(t *testing.T) {
	for _, text := range []string{
		"key = value\n[s]\n",
		"[s]\na = 1\na = 2\n",
		"[s]\n[s]\n",
		"[s]\nno delimiter\n",
	} {
		if _, err := parseConfig("bad.repo", text); err == nil {
			t.Errorf("parseConfig(%q) accepted what configparser refuses", text)
		}
		cmd := exec.Command("python3", "-c", pythonConfigparser)
		cmd.Stdin = strings.NewReader(text)
		if err := cmd.Run(); err == nil {
			t.Errorf("python's configparser accepts %q: the test's premise is wrong", text)
		}
	}
}
