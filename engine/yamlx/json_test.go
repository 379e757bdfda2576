package yamlx

import (
	"testing"

	"gorun/engine/value"
)

// TestJSONDocumentAsJSONLoads checks a file that is valid JSON is read as
// json.loads and AnsibleJSONDecoder read it, and YAML is not taken for it.
func TestJSONDocumentAsJSONLoads(t *testing.T) {
	src := `{"big": 1e3, "f": 1.5, "i": 7, "dup": 1, "dup": 2, "yes": "yes", "n": null, "b": true,
		"v": {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n3132"},
		"u": {"__ansible_unsafe": ["{{ x }}", {"k": "{{ y }}"}]}}`
	doc, err := Parse([]byte(src), "v.json")
	if err != nil {
		t.Fatal(err)
	}
	if !doc.JSON {
		t.Fatal("a JSON document is not marked JSON")
	}
	v, err := doc.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Warnings) != 0 {
		t.Errorf("json.loads warns of nothing, got %v", doc.Warnings)
	}
	d := v.(*value.Dict)
	want := map[string]any{"big": 1000.0, "f": 1.5, "i": 7, "dup": 2, "yes": "yes", "n": nil, "b": true}
	for k, w := range want {
		if g, _ := d.Get(k); g != w {
			t.Errorf("%s = %#v, want %#v", k, g, w)
		}
	}
	if g, _ := d.Get("v"); g != (value.Vaulted{Ciphertext: "$ANSIBLE_VAULT;1.1;AES256\n3132"}) {
		t.Errorf("__ansible_vault gave %#v", g)
	}
	u, _ := d.Get("u")
	l, ok := u.([]any)
	if !ok || len(l) != 2 || l[0] != value.Unsafe("{{ x }}") {
		t.Fatalf("__ansible_unsafe gave %#v", u)
	}
	if k, _ := l[1].(*value.Dict).Get("k"); k != value.Unsafe("{{ y }}") {
		t.Errorf("__ansible_unsafe inside gave %#v", k)
	}

	yamlDoc, err := Parse([]byte("big: 1e3\ndup: 1\ndup: 2\n"), "v.yml")
	if err != nil {
		t.Fatal(err)
	}
	yv, err := yamlDoc.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if yamlDoc.JSON || len(yamlDoc.Warnings) != 1 {
		t.Errorf("YAML read as JSON (JSON=%v, warnings %v)", yamlDoc.JSON, yamlDoc.Warnings)
	}
	if big, _ := yv.(*value.Dict).Get("big"); big != "1e3" {
		t.Errorf("YAML 1.1's 1e3 is a string, got %#v", big)
	}
}
