package files

import (
	"context"
	"os/exec"
	"regexp"
	"testing"

	"gorun/engine/value"
)

// TestMultipartMatchesPython compares form-multipart bodies with Ansible's
// prepare_multipart run by the machine's Python (boundaries aside).
func TestMultipartMatchesPython(t *testing.T) {
	python, err := exec.LookPath("/usr/bin/python3")
	if err != nil {
		t.Skip("no /usr/bin/python3 for the reference")
	}
	script := `from ansible.module_utils.urls import prepare_multipart
import sys
ct, body = prepare_multipart({"text": "plain välue", "b": {"content": "inline", "filename": "x.txt", "mime_type": "text/plain"}, "c": {"content": "no type"}, "d": {"content": "json", "filename": "d.json"}})
sys.stdout.buffer.write(ct.encode() + b"\n" + body)`
	out, err := exec.Command(python, "-c", script).Output()
	if err != nil {
		t.Skipf("ansible's module_utils not importable: %v", err)
	}
	body := value.DictOf("text", "plain välue",
		"b", value.DictOf("content", "inline", "filename", "x.txt", "mime_type", "text/plain"),
		"c", value.DictOf("content", "no type"),
		"d", value.DictOf("content", "json", "filename", "d.json"))
	ctype, data, failed, err := multipartBody(context.Background(), nil, body)
	if err != nil || failed != nil {
		t.Fatalf("multipartBody: %v %v", failed, err)
	}
	boundary := regexp.MustCompile(`={15}\d{19}==`)
	want := boundary.ReplaceAllString(string(out), "BOUNDARY")
	got := boundary.ReplaceAllString(ctype+"\n"+data, "BOUNDARY")
	if got != want {
		t.Errorf("body differs\ngorun:  %q\npython: %q", got, want)
	}
	if _, _, failed, _ := multipartBody(context.Background(), nil, []any{"a"}); failed == nil {
		t.Error("a list body was accepted")
	}
}
