package main

import (
	"strings"
	"testing"
)

func TestRelayAndReport(t *testing.T) {
	in := `{"Action":"start","Package":"p/a"}
{"Action":"output","Package":"p/a","Test":"TestX","Output":"=== RUN   TestX\n"}
{"Action":"pass","Package":"p/a","Test":"TestX/sub","Elapsed":9}
{"Action":"pass","Package":"p/a","Test":"TestX","Elapsed":10}
{"Action":"fail","Package":"p/a","Test":"TestY","Elapsed":2.5}
{"Action":"fail","Package":"p/a","Elapsed":12.6}
# p/b [build failed]
{"ImportPath":"p/c","Action":"build-output","Output":"c.go:1: syntax error\n"}
{"ImportPath":"p/c","Action":"build-fail"}
{"Action":"pass","Package":"p/b","Elapsed":30}
`
	var out strings.Builder
	s, err := relay(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	if !s.failed {
		t.Error("a failed test was not noticed")
	}
	s.report(&out, 15)
	want := "=== RUN   TestX\n# p/b [build failed]\nc.go:1: syntax error\n--- slowest packages:\n    30.0s  p/b\n    12.6s  p/a\n--- slowest tests:\n    10.0s  p/a TestX\n     2.5s  p/a TestY\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}
