package remotefile

import (
	"os/exec"
	"strings"
	"testing"
)

// TestKnownSumAsCoreutils compares knownSum with the coreutils tools whose
// output it stands for.
func TestKnownSumAsCoreutils(t *testing.T) {
	data := []byte("bench app\n\x01\xff")
	for _, alg := range []string{"md5", "sha1", "sha224", "sha256", "sha384", "sha512"} {
		cmd := exec.Command(alg + "sum")
		cmd.Stdin = strings.NewReader(string(data))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%ssum: %v", alg, err)
		}
		want, _, _ := strings.Cut(string(out), " ")
		if got := knownSum(alg, data); got != want {
			t.Errorf("knownSum(%s) = %s, %ssum says %s", alg, got, alg, want)
		}
	}
	if got := knownSum("sha1", nil); got != "" {
		t.Errorf("knownSum of unknown content = %q", got)
	}
}
