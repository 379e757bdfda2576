package files

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// redirectCases runs Ansible's RedirectHandlerFactory(policy).
// redirect_request on every code, method and follow_redirects value and
// prints, for each, whether it redirects and the new request's method,
// whether the body goes along and its header names.
const redirectCases = `
import json, urllib.error
from ansible.module_utils.urls import RedirectHandlerFactory, RequestWithMethod
out = []
for policy in ["all", "yes", "safe", "urllib2", "none", "no"]:
    handler = RedirectHandlerFactory(policy)()
    for code in [301, 302, 303, 307, 308]:
        for method in ["GET", "HEAD", "POST", "PUT", "DELETE"]:
            req = RequestWithMethod("http://h/a", method, b"x" if method in ("POST", "PUT") else None)
            req.add_header("Content-Type", "text/plain")
            req.add_header("X-Keep", "kept")
            key = "%s %d %s" % (policy, code, method)
            try:
                new = handler.redirect_request(req, None, code, "M", {}, "http://h/b")
            except urllib.error.HTTPError:
                out.append([key, False, "", False, []])
                continue
            out.append([key, True, new.get_method(), new.data is not None, sorted(k.lower() for k in new.headers)])
print(json.dumps(out))
`

// TestRedirectsMatchPython compares redirectTarget and redirectedRequest
// with Ansible's redirect handler on 150 cases (the lab scenario runs 18
// of them against a server).
func TestRedirectsMatchPython(t *testing.T) {
	out, err := exec.Command("/usr/bin/python3", "-c", redirectCases).Output()
	if err != nil {
		t.Skipf("python3 with ansible: %v", err)
	}
	var cases [][]any
	if err := json.Unmarshal(out, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) != 150 {
		t.Fatalf("%d cases from Python, want 150", len(cases))
	}
	for _, want := range cases {
		var policy, method string
		var code int
		fmt.Sscanf(want[0].(string), "%s %d %s", &policy, &code, &method)
		resp := &httpResponse{status: code, reason: "M", headers: map[string]string{"location": "/b"}}
		next, nextMethod, keepBody, _ := redirectTarget("http://h/a", method, resp, policy, map[string]int{})
		got := []any{want[0], next != "", "", false, []any{}}
		if next != "" {
			if next != "http://h/b" {
				t.Errorf("%s: next URL %q", want[0], next)
			}
			first := httpRequest{url: "http://h/a", headers: map[string]string{"Content-Type": "text/plain", "X-Keep": "kept"}}
			var names []string
			for k := range redirectedRequest(first, next, nextMethod, keepBody, nil, false).headers {
				names = append(names, strings.ToLower(k))
			}
			sort.Strings(names)
			list := []any{}
			for _, n := range names {
				list = append(list, n)
			}
			// keepBody keeps the body there is: only POST and PUT had one.
			got = []any{want[0], true, nextMethod, keepBody && (method == "POST" || method == "PUT"), list}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("redirect differs\npython: %v\ngorun:  %v", want, got)
		}
	}
}

// TestRedirectLimits checks urllib's loop limits and refused schemes.
func TestRedirectLimits(t *testing.T) {
	visited := map[string]int{}
	resp := &httpResponse{status: 302, reason: "Found", headers: map[string]string{"location": "/loop"}}
	for i := 0; i < maxRepeats; i++ {
		if next, _, _, _ := redirectTarget("http://h/loop", "GET", resp, "safe", visited); next != "http://h/loop" {
			t.Fatalf("redirect %d not followed: %q", i, next)
		}
	}
	if next, _, _, reason := redirectTarget("http://h/loop", "GET", resp, "safe", visited); next != "" || reason != loopMessage+"Found" {
		t.Errorf("5th redirect to one URL: next %q, reason %q", next, reason)
	}
	resp.headers["location"] = "file:///etc/passwd"
	if next, _, _, reason := redirectTarget("http://h/a", "GET", resp, "all", map[string]int{}); next != "" ||
		reason != "Found - Redirection to url 'file:///etc/passwd' is not allowed" {
		t.Errorf("file: redirect: next %q, reason %q", next, reason)
	}
	if got := quotePunctuation("/a b?c=\xe9"); got != "/a%20b?c=%E9" {
		t.Errorf("quotePunctuation: %q", got)
	}
}
