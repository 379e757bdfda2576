package yamlx

import (
	"encoding/json"
	"testing"

	"gorun/engine/value"
)

func TestResolveScalarsAsPyYAML(t *testing.T) {
	cases := map[string]any{
		"yes": true, "No": false, "on": true, "OFF": false, "y": "y", "n": "n",
		"0755": 493, "1_000": 1000, "0x1F": 31, "-12": -12, "1.5": 1.5, "1e3": "1e3",
		"1.0e+3": 1000.0, "~": nil, "null": nil, "abc": "abc", "190:20:30": 685230, "08": "08",
	}
	for in, want := range cases {
		got := Resolve(in)
		if got != want {
			t.Errorf("Resolve(%q) = %#v, want %#v", in, got, want)
		}
	}
}

func TestOrderMergeUnsafeVault(t *testing.T) {
	src := `
base: &b {x: 1, y: 2}
z: 1
a: 2
m:
  <<: *b
  y: 3
u: !unsafe "{{ no }}"
v: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  3132
q: "yes"
z: 4
`
	v, warns, err := Load([]byte(src), "t.yml")
	if err != nil {
		t.Fatal(err)
	}
	d := v.(*value.Dict)
	keys, _ := json.Marshal(d.Keys())
	if string(keys) != `["base","z","a","m","u","v","q"]` {
		t.Errorf("keys %s", keys)
	}
	m, _ := d.Get("m")
	mj, _ := json.Marshal(m)
	if string(mj) != `{"y":3,"x":1}` {
		t.Errorf("merge %s", mj)
	}
	if u, _ := d.Get("u"); u != value.Unsafe("{{ no }}") {
		t.Errorf("unsafe %#v", u)
	}
	if vv, _ := d.Get("v"); vv.(value.Vaulted).Ciphertext != "$ANSIBLE_VAULT;1.1;AES256\n3132\n" {
		t.Errorf("vault %#v", vv)
	}
	if q, _ := d.Get("q"); q != "yes" {
		t.Errorf("quoted %#v", q)
	}
	if z, _ := d.Get("z"); z != 4 {
		t.Errorf("dup z %#v", z)
	}
	if len(warns) != 1 || warns[0].Line != 13 {
		t.Errorf("warnings %#v", warns)
	}
}

func TestSyntaxErrorHasPosition(t *testing.T) {
	_, _, err := Load([]byte("a: 1\n  b: 2\n"), "bad.yml")
	e, ok := err.(*Error)
	if !ok || e.Line != 2 || e.File != "bad.yml" {
		t.Fatalf("got %#v", err)
	}
}

func TestPlainScalarsResolveAsYAML11(t *testing.T) {
	v, _, err := Load([]byte("a: 1e+20\nb: 1.0e+20\nc: !!float 1.5\nd: 0o17\n"), "x.yml")
	if err != nil {
		t.Fatal(err)
	}
	d := v.(*value.Dict)
	for key, want := range map[string]any{"a": "1e+20", "b": 1.0e20, "c": 1.5, "d": "0o17"} {
		if got, _ := d.Get(key); got != want {
			t.Errorf("%s = %#v; want %#v", key, got, want)
		}
	}
}
