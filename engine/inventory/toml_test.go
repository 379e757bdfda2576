package inventory

import (
	"reflect"
	"testing"
)

func TestDecodeTOMLKeepsOrderAndRendersDates(t *testing.T) {
	d, err := decodeTOML(`
z = 1
a = 2
[m]
y = 1979-05-27
x = 1979-05-27T07:32:00.5
w = 1979-05-27T07:32:00Z
v = 07:32:01
u = 1979-05-27T07:32:00-07:00
[[arr]]
k = 1
[[arr]]
k = 2
`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Keys(), []string{"z", "a", "m", "arr"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %q; want %q", got, want)
	}
	m, _ := d.Get("m")
	want := map[string]string{ // Python's isoformat() of the same values
		"y": "1979-05-27", "x": "1979-05-27T07:32:00.500000", "w": "1979-05-27T07:32:00+00:00",
		"v": "07:32:01", "u": "1979-05-27T07:32:00-07:00",
	}
	for k, w := range want {
		if got, _ := m.(interface{ Get(string) (any, bool) }).Get(k); got != w {
			t.Errorf("%s = %v; want %s", k, got, w)
		}
	}
	arr, _ := d.Get("arr")
	if list, ok := arr.([]any); !ok || len(list) != 2 {
		t.Errorf("arr = %v", arr)
	}
}
