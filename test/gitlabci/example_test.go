// Package gitlabci runs the commands of the example GitLab pipeline
// (examples/gitlab-ci/.gitlab-ci.yml) as written, on lab hosts, through a
// merge request's life: lint, apply on the default branch, a quiet drift
// check, a change to a role that other roles depend on, the sharded
// check-and-diff plan of that merge request, and drift detected.
package gitlabci

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gorun/engine/value"
	"gorun/engine/yamlx"
	"gorun/test/e2e"
	"gorun/test/labenv"
)

// pipeline is the example .gitlab-ci.yml as the test reads it.
type pipeline struct {
	vars         map[string]string
	beforeScript []string
	jobs         map[string]job
}

type job struct {
	vars   map[string]string
	script []string
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		out = append(out, e.(string))
	}
	return out
}

func varsOf(v any) map[string]string {
	out := map[string]string{}
	if v == nil {
		return out
	}
	for _, k := range value.Keys(v) {
		x, _ := value.Lookup(v, k)
		out[k] = stringOf(x)
	}
	return out
}

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func readPipeline(t *testing.T, path string) pipeline {
	t.Helper()
	doc, _, err := yamlx.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := pipeline{jobs: map[string]job{}}
	p.vars = varsOf(lookup(doc, "variables"))
	p.beforeScript = strs(lookup(lookup(doc, "default"), "before_script"))
	for _, name := range value.Keys(doc) {
		j := lookup(doc, name)
		if !value.IsMapping(j) || lookup(j, "script") == nil {
			continue
		}
		p.jobs[name] = job{vars: varsOf(lookup(j, "variables")), script: strs(lookup(j, "script"))}
	}
	return p
}

func lookup(v any, k string) any {
	if v == nil || !value.IsMapping(v) {
		return nil
	}
	x, _ := value.Lookup(v, k)
	return x
}

// runner runs jobs of the pipeline in a checkout.
type runner struct {
	t    *testing.T
	p    pipeline
	dir  string
	path string // PATH with gorun first
	ci   map[string]string
}

// run runs job's before_script and script lines with bash, as a GitLab
// shell executor does, and returns the exit code of the first failing line
// (0 when all pass) and the output.
func (r *runner) run(name string, ci map[string]string) (int, string) {
	r.t.Helper()
	j, ok := r.p.jobs[name]
	if !ok {
		r.t.Fatalf("the pipeline has no job %q", name)
	}
	env := map[string]string{}
	for k, v := range r.ci {
		env[k] = v
	}
	for k, v := range ci {
		env[k] = v
	}
	// Pipeline then job variables, expanded against what is set, as GitLab does.
	for _, vars := range []map[string]string{r.p.vars, j.vars} {
		for k, v := range vars {
			env[k] = os.Expand(v, func(n string) string { return env[n] })
		}
	}
	list := e2e.Env(r.t, e2e.Options{})
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	list = append(list, "PATH="+r.path)
	var out strings.Builder
	for _, line := range append(append([]string{}, r.p.beforeScript...), j.script...) {
		cmd := exec.Command("bash", "-ec", line)
		cmd.Dir = r.dir
		cmd.Env = list
		b, err := cmd.CombinedOutput()
		out.WriteString("$ " + line + "\n" + string(b))
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				return ee.ExitCode(), out.String()
			}
			r.t.Fatalf("%s: %v", line, err)
		}
	}
	return 0, out.String()
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=ci", "-c", "user.email=ci@example.com"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func exampleDir(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "gitlab-ci")
}

func TestExamplePipelineOnLabHosts(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	lab := labenv.ForTest(t, 3)
	// The job scripts call `gorun` by name; e2e's shared binary has its
	// source hash in its name, so a link named gorun goes first in PATH.
	bin := t.TempDir()
	if err := os.Symlink(e2e.Gorun(t), filepath.Join(bin, "gorun")); err != nil {
		t.Fatal(err)
	}

	repo := t.TempDir()
	copyTree(t, exampleDir(t), repo)
	if err := lab.WriteInventory(filepath.Join(repo, "inventory", "hosts"), "ini"); err != nil {
		t.Fatal(err)
	}
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-qm", "fleet")
	base := git(t, repo, "rev-parse", "HEAD")

	r := &runner{t: t, p: readPipeline(t, filepath.Join(repo, ".gitlab-ci.yml")), dir: repo,
		path: bin + ":" + os.Getenv("PATH"),
		ci:   map[string]string{"CI": "true", "CI_DEFAULT_BRANCH": "main", "SSH_PRIVATE_KEY": lab.KeyFile}}
	hosts := []string{}
	for _, h := range lab.Targets() {
		hosts = append(hosts, h.Name)
	}

	// lint: clean, with an empty Code Quality report.
	if code, out := r.run("lint", nil); code != 0 {
		t.Fatalf("lint failed (%d):\n%s", code, out)
	}
	if cq, _ := os.ReadFile(filepath.Join(repo, "gl-code-quality-report.json")); strings.TrimSpace(string(cq)) != "[]" {
		t.Errorf("code quality report of a clean repository: %s", cq)
	}

	// apply on the default branch configures every host.
	push := map[string]string{"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"}
	if code, out := r.run("apply", push); code != 0 {
		t.Fatalf("apply failed (%d):\n%s", code, out)
	}
	for _, h := range hosts {
		out, err := lab.Exec(h, "cat", "/etc/gorun-example/motd", "/etc/gorun-example/web.conf")
		if err != nil || string(out) != h+" is managed by gorun; owner: ops\nlisten 8080\n" {
			t.Errorf("%s after apply: %q %v", h, out, err)
		}
	}
	checkJUnit(t, filepath.Join(repo, "junit.xml"), 0)

	// A scheduled drift check right after is quiet.
	schedule := map[string]string{"CI_PIPELINE_SOURCE": "schedule"}
	if code, out := r.run("drift", schedule); code != 0 {
		t.Fatalf("drift after apply failed (%d):\n%s", code, out)
	}

	// The merge request changes base's template (web depends on base).
	write(t, filepath.Join(repo, "roles/base/templates/motd.j2"), "{{ inventory_hostname }}: managed by gorun ({{ motd_owner }})\n")
	git(t, repo, "commit", "-qam", "motd wording")

	seen := map[string]int{}
	for _, shard := range []string{"1", "2"} {
		mr := map[string]string{"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
			"CI_NODE_INDEX": shard, "CI_NODE_TOTAL": "2"}
		code, out := r.run("plan", mr)
		if code != 0 {
			t.Fatalf("plan shard %s failed (%d):\n%s", shard, code, out)
		}
		if !strings.Contains(out, "roles: base, web") {
			t.Errorf("plan shard %s does not name the affected roles:\n%s", shard, out)
		}
		plan := read(t, filepath.Join(repo, "plan-"+shard+".md"))
		// The template renders per host, so each host has its own change.
		inPlan := 0
		for _, h := range hosts {
			if strings.Contains(plan, "| "+h+" | 1 |") {
				seen[h]++
				inPlan++
			}
		}
		if n := strings.Count(plan, "**base : Message of the day**"); inPlan == 0 || n != inPlan {
			t.Errorf("plan-%s.md lists the template change %d times for %d hosts:\n%s", shard, n, inPlan, plan)
		}
		if !strings.Contains(plan, "(check mode)") || !strings.Contains(plan, "<details>") {
			t.Errorf("plan-%s.md is not a check-mode plan with diffs:\n%s", shard, plan)
		}
		t.Logf("plan-%s.md:\n%s", shard, plan)
		checkJUnit(t, filepath.Join(repo, "junit-"+shard+".xml"), 0)
	}
	for _, h := range hosts {
		if seen[h] != 1 {
			t.Errorf("%s appears in %d shard plans, want exactly 1", h, seen[h])
		}
	}
	for _, h := range hosts {
		if out, _ := lab.Exec(h, "cat", "/etc/gorun-example/motd"); !strings.Contains(string(out), "is managed by gorun") {
			t.Errorf("check mode changed %s: %q", h, out)
		}
	}

	// Until it is applied, the scheduled drift check fails.
	if code, out := r.run("drift", schedule); code == 0 {
		t.Errorf("drift check passed although the hosts differ from the playbook:\n%s", out)
	}
	if drift := read(t, filepath.Join(repo, "drift.md")); !strings.Contains(drift, "3 of 3 hosts would change") {
		t.Errorf("drift.md:\n%s", drift)
	}

	// A merge request that touches no role, play or variable checks no host.
	write(t, filepath.Join(repo, "README.md"), "docs\n")
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-qm", "docs")
	head := git(t, repo, "rev-parse", "HEAD~1")
	code, out := r.run("plan", map[string]string{"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA": head, "CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"})
	if code != 0 || !strings.Contains(out, "No hosts are affected") {
		t.Errorf("docs-only merge request (%d):\n%s", code, out)
	}
	checkJUnit(t, filepath.Join(repo, "junit-1.xml"), -1)
}

// checkJUnit parses a JUnit report and checks its failure count (-1: any).
func checkJUnit(t *testing.T, path string, failures int) {
	t.Helper()
	var doc struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(read(t, path)), &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if failures >= 0 && doc.Failures != failures {
		t.Errorf("%s: %d failures, want %d", path, doc.Failures, failures)
	}
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
