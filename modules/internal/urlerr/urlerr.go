// Package urlerr words the failures of curl, which gorun's URL modules run
// on the target, as Python's urllib words them in Ansible's modules
// (ansible.module_utils.urls.fetch_url: "Request failed: <urlopen error
// ...>"), so that results and messages read the same under both engines.
package urlerr

import (
	"strconv"
	"strings"
)

// FromCurl returns the text Ansible's fetch_url puts after "Request
// failed: " for a request curl ended with exit status rc and message
// stderr, and whether the failure is one urllib raises as URLError (the
// host cannot be resolved, the connection is refused). Other failures keep
// curl's own message.
func FromCurl(rc int, stderr string) (string, bool) {
	switch {
	case rc == 6:
		// getaddrinfo's EAI_NONAME, as the lab hosts' resolver answers.
		return "<urlopen error [Errno -2] Name or service not known>", true
	case rc == 7 && (strings.Contains(stderr, "Connection refused") || strings.Contains(stderr, "Couldn't connect to server")):
		return "<urlopen error [Errno 111] Connection refused>", true
	}
	return strings.TrimSpace(stderr), false
}

// FromCurlLine is FromCurl for a message of the form "curl: (RC) TEXT",
// as curl -sS prints it.
func FromCurlLine(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(msg), "curl: (")
	if !ok {
		return strings.TrimSpace(msg), false
	}
	code, _, _ := strings.Cut(rest, ")")
	rc, err := strconv.Atoi(code)
	if err != nil {
		return strings.TrimSpace(msg), false
	}
	return FromCurl(rc, msg)
}
