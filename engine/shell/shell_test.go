package shell

import (
	"os/exec"
	"reflect"
	"testing"
)

// hostile are arguments a careless quoting would let the shell interpret.
var hostile = []string{
	"", "plain", "with space", "it's", `"double"`, "$(touch /tmp/pwned)", "`id`",
	"a;b", "line1\nline2", "$HOME", "*", "back\\slash", "tab\there", "'", "''", "-n",
	"ü unicode", "~", "a&b|c>d<e", "!bang", "{a,b}",
}

// TestJoinRoundTrip runs the quoted command line through a real /bin/sh and
// checks that the shell hands back exactly the original arguments.
func TestJoinRoundTrip(t *testing.T) {
	line := "printf '%s\\0' " + Join(hostile)
	out, err := exec.Command("/bin/sh", "-c", line).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", line, err)
	}
	var got []string
	start := 0
	for i, b := range out {
		if b == 0 {
			got = append(got, string(out[start:i]))
			start = i + 1
		}
	}
	if !reflect.DeepEqual(got, hostile) {
		t.Fatalf("round trip through sh changed the arguments:\n got %q\nwant %q", got, hostile)
	}
}

func TestQuoteLeavesSafeWordsAlone(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/env": "/usr/bin/env",
		"a b":          "'a b'",
		"":             "''",
		"it's":         `'it'"'"'s'`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}
