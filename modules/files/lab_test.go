package files_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gorun/test/labenv"
)

// The differential tests run the same tasks under ansible-playbook and
// gorun on fresh, identical lab hosts and compare what both engines
// registered and the files they left; a third and fourth host run the tasks
// in check mode, where gorun must leave the host's overlay untouched.
//
// Hosts: h1 ansible, h2 gorun, h3 ansible --check, h4 gorun --check. All
// scenarios run in one engine run per host (see labBatch).

// scenario is one differential test.
type scenario struct {
	// tasks is a YAML list of tasks; each is registered and ignore_errors
	// is set, so failures are compared too.
	tasks string
	// files are controller files (path relative to the playbook: "files/x").
	files map[string]string
	// setup is a shell script run on every host before the tasks.
	setup string
	// root is the directory on the hosts whose tree is compared (default
	// /srv/t). The batch renames it ROOT-NAME in the scenario's setup,
	// tasks and files, so that each scenario has a root of its own.
	root string
	// extraArgs are added to both command lines (e.g. "--diff"; see
	// labBatch.scenarioArgs for those a batch takes).
	extraArgs []string
	// ignore are result keys not compared in this scenario.
	ignore []string
	// ignoreTasks are result keys not compared in one task (by index),
	// where the engines' messages come from different libraries.
	ignoreTasks map[int][]string
	// noCheck skips the check-mode half (for tasks whose check mode
	// depends on earlier tasks having changed the host).
	noCheck bool
}

// TestLab runs every module's differential scenarios on one lab.
func TestLab(t *testing.T) {
	l := labenv.ForTest(t, 4)
	b := newLabBatch(t, l)
	base := serveHTTP(t, l)
	pki := newLabPKI(t, l.Gateway)
	tlsURL := serveTLS(t, l, pki)
	urls := []string{"-e", "base_url=" + base, "-e", "tls_url=" + tlsURL}
	getURL, uri, unarchive, redirects, gssapi := getURLScenario, uriScenario, unarchiveScenario, redirectScenario, gssapiScenario
	for _, sc := range []*scenario{&getURL, &uri, &unarchive, &redirects, &gssapi} {
		sc.extraArgs = append(append([]string{}, sc.extraArgs...), urls...)
	}
	netrc := "printf 'machine %s login user password secret\n' " + l.Gateway + " > /srv/t/netrc; chmod 600 /srv/t/netrc\n"
	// get_url has no ca_path: the hosts trust the test CA.
	getURL.setup += pki.setup() + netrc + "cat /srv/t/pki/ca.crt >> /etc/ssl/certs/ca-certificates.crt\n" +
		"mkdir /srv/t/tmpd; echo x > /srv/t/data-file\n"
	uri.setup += pki.setup() + netrc + unixHTTPServer
	for _, sc := range []struct {
		name string
		sc   scenario
	}{
		{"copy", copyScenario},
		{"file", fileScenario},
		{"template", templateScenario},
		{"lineinfile", lineinfileScenario},
		{"blockinfile", blockinfileScenario},
		{"replace", replaceScenario},
		{"misc", miscScenario},
		{"ini_file", iniScenario},
		{"assemble", assembleScenario},
		{"unarchive", unarchive},
		{"unarchive_zip", zipScenario},
		{"unarchive_zip_diff", zipDiffScenario},
		{"get_url", getURL},
		{"uri", uri},
		{"redirects", redirects},
		{"gssapi", gssapi},
		{"extras", extrasScenario},
		{"archive", archiveScenario},
		{"synchronize", synchronizeScenario},
	} {
		b.scenario(t, sc.name, sc.sc)
	}
	for _, name := range []string{"lineinfile", "blockinfile", "replace"} {
		b.selfCheck(t, name)
	}
}

var (
	backupName  = regexp.MustCompile(`\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~`)
	fetchedHost = regexp.MustCompile(`/fetched/h\d\b`)
	// labAddr is a lab host's address (synchronize's cmd names it).
	labAddr    = regexp.MustCompile(`\b10\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
	ansibleTmp = regexp.MustCompile(`/\.ansible/tmp/|/ansible-local|/\.gorun-`)
)

// volatile are result keys whose values differ between any two runs.
var volatile = map[string]bool{
	"invocation": true, "atime": true, "mtime": true, "ctime": true, "inode": true, "dev": true,
	"_ansible_no_log": true, "warnings": true, "deprecations": true, "exception": true,
	"date": true, "elapsed": true, "start": true, "end": true, "delta": true,
}

// normalize drops what legitimately differs between the engines: run-time
// values, Ansible's remote temporary paths and backup names' pid and time.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range t {
			if volatile[k] {
				continue
			}
			if s, ok := x.(string); ok && ansibleTmp.MatchString(s) {
				continue
			}
			out[k] = normalize(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			// A temporary path in a list (a command line) stands for
			// itself: the engines name their temporary files differently.
			if s, ok := x.(string); ok && ansibleTmp.MatchString(s) {
				x = "TMPPATH"
			}
			out[i] = normalize(x)
		}
		return out
	case string:
		t = fetchedHost.ReplaceAllString(t, "/fetched/HOST")
		t = labAddr.ReplaceAllString(t, "LABHOST")
		return backupName.ReplaceAllString(t, ".BACKUP~")
	}
	return v
}

func mustJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// hostTree lists the files under root on host: type, mode, owner, size,
// link target and content hash of each.
func hostTree(t *testing.T, l *labenv.Lab, host, root string) string {
	t.Helper()
	out, err := l.Exec(host, "sh", "-c", `cd `+root+` 2>/dev/null || exit 0
find . -printf '%p %y %m %u %g %s %l\n' | sort
find . -type f | sort | xargs -r sha1sum`)
	if err != nil {
		t.Fatal(err)
	}
	return backupName.ReplaceAllString(string(out), ".BACKUP~")
}

// upperSnapshot records every entry of the host's overlay upper directory
// (what the host changed since it booted) with its mode, size, time and hash.
func upperSnapshot(t *testing.T, l *labenv.Lab, host string) map[string]string {
	t.Helper()
	h, err := l.Host(host)
	if err != nil {
		t.Fatal(err)
	}
	snap := map[string]string{}
	err = filepath.WalkDir(h.UpperDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(h.UpperDir, p)
		if ignoredUpper(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		desc := fmt.Sprintf("%v %d %d", st.Mode(), st.Size(), st.ModTime().UnixNano())
		if st.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha1.Sum(data)
			desc += " " + hex.EncodeToString(sum[:])
		}
		snap[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// ignoredUpper are paths that every SSH login changes (logs, sshd's run
// state), whatever the engine does.
func ignoredUpper(rel string) bool {
	for _, p := range []string{"var/log", "run", "var/run", "tmp/.gorun-lab"} {
		if rel == p || strings.HasPrefix(rel, p+"/") {
			return true
		}
	}
	return false
}

// snapshotDiff lists the entries that differ between two snapshots, of
// those that keep accepts.
func snapshotDiff(before, after map[string]string, keep func(rel string) bool) string {
	var lines []string
	for k, v := range after {
		if !keep(k) {
			continue
		}
		if b, ok := before[k]; !ok {
			lines = append(lines, "added   "+k)
		} else if b != v {
			lines = append(lines, "changed "+k+": "+b+" -> "+v)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && keep(k) {
			lines = append(lines, "removed "+k)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
