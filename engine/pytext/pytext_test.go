package pytext

import (
	"encoding/json"
	"os/exec"
	"testing"

	"gorun/engine/value"
)

// textCases are values written as JSON, so that Python can show the same
// data with repr, str and json.dumps.
var textCases = []string{
	`null`, `true`, `12`, `-0.0`, `1.5`, `1e-05`, `0.0001`, `1e16`, `123456789.123`, `2.5e-300`,
	`"plain"`, `"it's"`, `"both ' and \""`, `"tab\tnl\nbs\\ bell\u0007 del\u007f"`,
	`"é ☃ 日本 😀 nbsp\u00a0 nel\u0085 ls\u2028 bom\ufeff"`,
	`[]`, `{}`, `[1, "a", [null, false], {"k": 2.0}]`,
	`{"z": 1, "a": {"y": [1, 2], "b": "x"}, "é": "ü"}`,
}

func TestTextMatchesPython(t *testing.T) {
	cases, _ := json.Marshal(textCases)
	prog := `
import json, sys
out = []
for c in json.loads(sys.argv[1]):
    v = json.loads(c)
    out.append([repr(v), str(v),
        json.dumps(v), json.dumps(v, ensure_ascii=False),
        json.dumps(v, indent=4, sort_keys=True, ensure_ascii=False),
        json.dumps(v, indent=0, sort_keys=True), json.dumps(v, indent=2)])
sys.stdout.write(json.dumps(out))
`
	raw, err := exec.Command("/usr/bin/python3", "-c", prog, string(cases)).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want [][]string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	settings := []JSON{
		{Indent: NoIndent, ASCII: true}, {Indent: NoIndent},
		{Indent: 4, SortKeys: true}, {Indent: 0, SortKeys: true, ASCII: true}, {Indent: 2, ASCII: true},
	}
	for i, c := range textCases {
		v, err := value.FromJSON([]byte(c))
		if err != nil {
			t.Fatal(err)
		}
		got := []string{Repr(v), Str(v)}
		for _, s := range settings {
			d, err := s.Dumps(v)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, d)
		}
		for j := range got {
			if got[j] != want[i][j] {
				t.Errorf("%s, form %d:\n got %q\nwant %q", c, j, got[j], want[i][j])
			}
		}
	}
}

func TestDumpsAnsibleForms(t *testing.T) {
	v := []any{value.Unsafe("u"), value.Vaulted{Ciphertext: "$ANSIBLE_VAULT"}}
	for _, c := range []struct {
		o    JSON
		want string
	}{
		{JSON{Indent: NoIndent}, `["u", {"__ansible_vault": "$ANSIBLE_VAULT"}]`},
		{JSON{Indent: NoIndent, TagUnsafe: true, VaultText: true}, `[{"__ansible_unsafe": "u"}, "$ANSIBLE_VAULT"]`},
	} {
		if got, _ := c.o.Dumps(v); got != c.want {
			t.Errorf("%+v: got %s, want %s", c.o, got, c.want)
		}
	}
	if _, err := (JSON{}).Dumps(struct{}{}); err == nil || err.Error() != "Object of type struct {} is not JSON serializable" {
		t.Errorf("a struct: got error %v", err)
	}
}
