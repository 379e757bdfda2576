package files

import (
	"os/exec"
	"strings"
	"testing"

	"gorun/engine/value"
)

// TestPyJSONMatchesPython checks copy's content for lists and dicts against
// Python's json.dumps on the same data.
func TestPyJSONMatchesPython(t *testing.T) {
	data := `{"b": [1, 2.5, 123456789.123, 1e-07, true, null], "a": "é ☃ 😀 \"q\" \\ \t", "c": {}}`
	want, err := exec.Command("/usr/bin/python3", "-c", "import json, sys; sys.stdout.write(json.dumps(json.loads(sys.argv[1])))", data).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	v, err := value.FromJSON([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := pyJSON(v); got != string(want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := pyJSON([]any{value.Unsafe("u"), value.Vaulted{Ciphertext: "$ANSIBLE_VAULT"}}); !strings.Contains(got, `"u", "$ANSIBLE_VAULT"`) {
		t.Errorf("unsafe and vaulted values: got %s", got)
	}
}
