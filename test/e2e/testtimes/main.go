// Command testtimes reads `go test -json` on its standard input, prints the
// tests' output as go test would without -json, and ends with the slowest
// packages and tests, so that a CI log shows where the time went:
//
//	set -o pipefail; go test -json ./... | go run ./test/e2e/testtimes
//
// It exits 1 when a test or package failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

// event is one line of `go test -json` (cmd/test2json's TestEvent).
type event struct {
	Action  string
	Package string
	// ImportPath names the package of build-output and build-fail events.
	ImportPath string
	Test       string
	Elapsed    float64
	Output     string
}

// timing is a package's or test's elapsed time.
type timing struct {
	name    string
	seconds float64
}

// summary collects what the report needs.
type summary struct {
	packages, tests []timing
	failed          bool
}

func main() {
	s, err := relay(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testtimes:", err)
		os.Exit(2)
	}
	s.report(os.Stdout, 15)
	if s.failed {
		os.Exit(1)
	}
}

// relay copies the events' output to w and collects the timings. Lines
// that are not JSON (build errors) are copied as they are.
func relay(r io.Reader, w io.Writer) (*summary, error) {
	s := &summary{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			fmt.Fprintln(w, sc.Text())
			continue
		}
		switch e.Action {
		case "output", "build-output":
			fmt.Fprint(w, e.Output)
		case "build-fail":
			s.failed = true
		case "pass", "fail":
			t := timing{e.Package, e.Elapsed}
			if e.Test != "" {
				t.name += " " + e.Test
				s.tests = append(s.tests, t)
			} else {
				s.packages = append(s.packages, t)
			}
			if e.Action == "fail" {
				s.failed = true
			}
		}
	}
	return s, sc.Err()
}

// report prints the n slowest packages and top-level tests.
func (s *summary) report(w io.Writer, n int) {
	var top []timing
	for _, t := range s.tests {
		if !isSubtest(t.name) {
			top = append(top, t)
		}
	}
	for _, part := range []struct {
		title string
		list  []timing
	}{{"slowest packages", s.packages}, {"slowest tests", top}} {
		list := append([]timing(nil), part.list...)
		sort.SliceStable(list, func(i, j int) bool { return list[i].seconds > list[j].seconds })
		if len(list) > n {
			list = list[:n]
		}
		fmt.Fprintf(w, "--- %s:\n", part.title)
		for _, t := range list {
			fmt.Fprintf(w, "%8.1fs  %s\n", t.seconds, t.name)
		}
	}
}

// isSubtest tells "pkg TestA/sub" from "pkg TestA".
func isSubtest(name string) bool {
	for i := len(name) - 1; i >= 0 && name[i] != ' '; i-- {
		if name[i] == '/' {
			return true
		}
	}
	return false
}
