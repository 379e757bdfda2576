package files_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorun/engine/value"
	"gorun/engine/yamlx"
	"gorun/test/e2e"
	"gorun/test/labenv"
)

// The differential tests run the same tasks under ansible-playbook and
// gorun on fresh, identical lab hosts and compare what both engines
// registered and the files they left; a third and fourth host run the tasks
// in check mode, where gorun must leave the host's overlay untouched.
//
// Hosts: h1 ansible, h2 gorun, h3 ansible --check, h4 gorun --check.

// scenario is one differential test.
type scenario struct {
	// tasks is a YAML list of tasks; each is registered and ignore_errors
	// is set, so failures are compared too.
	tasks string
	// files are controller files (path relative to the playbook: "files/x").
	files map[string]string
	// setup is a shell script run on every host before the tasks.
	setup string
	// root is the directory on the hosts whose tree is compared (default /srv/t).
	root string
	// extraArgs are added to both command lines (e.g. "--diff").
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
		t.Run(sc.name, func(t *testing.T) { sc.sc.run(t, l) })
	}
	for _, name := range []string{"lineinfile", "blockinfile", "replace"} {
		t.Run("selfcheck/"+name, func(t *testing.T) { selfCheck(t, l, name) })
	}
}

// run runs sc and compares both engines.
func (sc scenario) run(t *testing.T, l *labenv.Lab) {
	t.Helper()
	root := sc.root
	if root == "" {
		root = "/srv/t"
	}
	dir := t.TempDir()
	for name, content := range sc.files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	inv := filepath.Join(dir, "hosts")
	if err := l.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	n := writePlaybook(t, dir, sc.tasks)
	for _, h := range []string{"h1", "h2", "h3", "h4"} {
		script := "rm -rf " + root + " && mkdir -p " + root + "\n" + sc.setup
		if out, err := l.Exec(h, "sh", "-ec", script); err != nil {
			t.Fatalf("setup on %s: %v\n%s", h, err, out)
		}
	}

	// The four runs (each engine, with and without --check) use hosts of
	// their own, so they run at once: the package's wall time is bounded
	// by the slowest ansible-playbook run, not the sum of four.
	type engineRun struct {
		host, dump string
		check      bool
		res        e2e.Result
	}
	var runs []*engineRun
	for _, check := range []bool{false, true} {
		if check && sc.noCheck {
			continue
		}
		ah, gh := "h1", "h2"
		if check {
			ah, gh = "h3", "h4"
		}
		runs = append(runs, &engineRun{host: ah, check: check, dump: filepath.Join(dir, ah+".json")},
			&engineRun{host: gh, check: check, dump: filepath.Join(dir, gh+".json")})
	}
	var before map[string]string
	if !sc.noCheck {
		before = upperSnapshot(t, l, "h4")
	}
	gorun := e2e.Gorun(t)
	var wg sync.WaitGroup
	for i, r := range runs {
		args := []string{"-i", inv, "-l", r.host, "site.yml", "-e", "dump=" + r.dump}
		if r.check {
			args = append(args, "--check")
		}
		args = append(args, sc.extraArgs...)
		opts := e2e.Options{Dir: dir}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				r.res = e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
			} else {
				r.res = e2e.Run(t, gorun, args, opts)
			}
		}()
	}
	wg.Wait()
	for i := 0; i < len(runs); i += 2 {
		a, g := runs[i], runs[i+1]
		if a.res.ExitCode != 0 {
			t.Fatalf("ansible-playbook failed (%d):\n%s\n%s", a.res.ExitCode, a.res.Stdout, a.res.Stderr)
		}
		if g.res.ExitCode != 0 {
			t.Fatalf("gorun failed (%d):\n%s\n%s", g.res.ExitCode, g.res.Stdout, g.res.Stderr)
		}
		want, got := loadResults(t, a.dump), loadResults(t, g.dump)
		if len(want) != n || len(got) != n {
			t.Fatalf("want %d results, ansible gave %d, gorun %d", n, len(want), len(got))
		}
		mode := "run"
		if a.check {
			mode = "check mode"
		}
		for i := range want {
			w, g := normalize(want[i]), normalize(got[i])
			for _, k := range append(append([]string{}, sc.ignore...), sc.ignoreTasks[i]...) {
				delete(w.(map[string]any), k)
				delete(g.(map[string]any), k)
			}
			if !reflect.DeepEqual(w, g) {
				t.Errorf("%s, task %d: results differ\nansible: %s\ngorun:   %s", mode, i, mustJSON(w), mustJSON(g))
			}
		}
		at, gt := hostTree(t, l, a.host, root), hostTree(t, l, g.host, root)
		if at != gt {
			t.Errorf("%s: files left under %s differ\nansible (%s):\n%s\ngorun (%s):\n%s", mode, root, a.host, at, g.host, gt)
		}
		if a.check {
			after := upperSnapshot(t, l, g.host)
			if d := snapshotDiff(before, after); d != "" {
				t.Errorf("gorun --check changed the host's overlay:\n%s", d)
			}
		}
	}
}

// writePlaybook writes site.yml: the tasks, each registered as r<i> with
// ignore_errors, then a dump of all results to {{ dump }} on the controller.
// It returns the number of tasks.
func writePlaybook(t *testing.T, dir, tasks string) int {
	t.Helper()
	v, _, err := yamlx.Load([]byte(tasks), "tasks")
	if err != nil {
		t.Fatal(err)
	}
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("tasks are not a list: %T", v)
	}
	var names []string
	for i, task := range list {
		d := task.(*value.Dict)
		d.Set("register", fmt.Sprintf("r%d", i))
		d.Set("ignore_errors", true)
		names = append(names, fmt.Sprintf("r%d", i))
	}
	dump := value.DictOf(
		"copy", value.DictOf("content", "{{ ["+strings.Join(names, ", ")+"] | to_json }}", "dest", "{{ dump }}"),
		"delegate_to", "localhost", "check_mode", false, "diff", false)
	list = append(list, dump)
	play := value.DictOf("hosts", "all", "gather_facts", false, "tasks", list)
	data, err := json.MarshalIndent([]any{play}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.yml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return len(names)
}

func loadResults(t *testing.T, path string) []any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
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

func snapshotDiff(before, after map[string]string) string {
	var lines []string
	for k, v := range after {
		if b, ok := before[k]; !ok {
			lines = append(lines, "added   "+k)
		} else if b != v {
			lines = append(lines, "changed "+k+": "+b+" -> "+v)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			lines = append(lines, "removed "+k)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
