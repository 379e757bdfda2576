package output

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// junitDoc is the JUnit structure GitLab's parser reads.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Skipped   *struct {
				Text string `xml:",chardata"`
			} `xml:"skipped"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"error"`
			SystemOut *string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// tick is a clock advancing a quarter second per call.
func tick() func() time.Time {
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time { t = t.Add(250 * time.Millisecond); return t }
}

// runJUnitEvents feeds the callback a play with ok, changed, skipped,
// ignored-failed, failed, errored and setup tasks on two hosts.
func runJUnitEvents(o JUnitOptions) *JUnit {
	o.Now = tick()
	j := NewJUnit(o)
	j.PlaybookStart("/repo/site.yml")
	j.PlayStart(&Play{Name: "Web servers"})
	task := func(uuid, name, action string, args map[string]any, line string) *Task {
		t := &Task{UUID: uuid, Name: name, Action: action, Args: args, Path: "/repo/roles/web/tasks/main.yml:" + line, Kind: "TASK"}
		j.TaskStart(t)
		return t
	}
	res := func(t *Task, host string, st Status, r map[string]any) {
		j.HostResult(&Result{Task: t, Host: host, Status: st, Result: r})
	}
	setup := task("0", "Gathering Facts", "gather_facts", nil, "1")
	res(setup, "web1", OK, map[string]any{"ansible_facts": map[string]any{}})
	t1 := task("1", "ok task", "debug", map[string]any{"msg": "hi"}, "2")
	res(t1, "web1", OK, map[string]any{"msg": "hi", "changed": false, "_ansible_verbose_always": true})
	res(t1, "web2", OK, map[string]any{"msg": "hi", "changed": false, "_ansible_verbose_always": true})
	t2 := task("2", "changed task", "command", map[string]any{"_raw_params": "echo hi"}, "5")
	res(t2, "web1", Changed, map[string]any{"changed": true, "rc": 0, "stdout": "hi"})
	res(t2, "web2", OK, map[string]any{"changed": false, "rc": 0, "stdout": "hi"})
	t3 := task("3", "skipped task", "command", map[string]any{"_raw_params": "echo no"}, "8")
	res(t3, "web1", Skipped, map[string]any{"changed": false, "skip_reason": "Conditional result was False"})
	res(t3, "web2", Skipped, map[string]any{"changed": false})
	t4 := task("4", "ignored", "command", map[string]any{"_raw_params": "false"}, "11")
	j.HostResult(&Result{Task: t4, Host: "web1", Status: Failed, Ignored: true, Result: map[string]any{"changed": true, "rc": 1, "msg": "non-zero return code"}})
	t5 := task("5", "failed task", "fail", map[string]any{"msg": "boom <&>"}, "14")
	res(t5, "web1", Failed, map[string]any{"changed": false, "msg": "boom <&>"})
	res(t5, "web2", Failed, map[string]any{"changed": false, "rc": 3})
	t6 := task("6", "crashing task", "shell", map[string]any{"_raw_params": "x"}, "17")
	res(t6, "web2", Failed, map[string]any{"exception": "Traceback (most recent call last):\n  File x\nValueError: bad\n", "msg": "MODULE FAILURE"})
	t7 := task("7", "unreachable", "ping", nil, "20")
	res(t7, "web2", Unreachable, map[string]any{"msg": "no route"})
	j.Stats(&Stats{})
	return j
}

func parseJUnit(t *testing.T, report string) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal([]byte(report), &doc); err != nil {
		t.Fatalf("report does not parse: %v\n%s", err, report)
	}
	return doc
}

func TestJUnitReportStructure(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.xml")
	j := runJUnitEvents(JUnitOptions{File: file, IncludeSetupTasks: true})
	if j.Err != nil {
		t.Fatal(j.Err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	report := string(data)
	if !strings.HasPrefix(report, "<?xml version=\"1.0\" ?>\n<testsuites ") {
		t.Errorf("report does not start as minidom writes it:\n%s", report)
	}
	validateXSD(t, file)
	doc := parseJUnit(t, report)
	if len(doc.Suites) != 1 || doc.Suites[0].Name != "site" {
		t.Fatalf("want one suite named site, got %+v", doc.Suites)
	}
	s := doc.Suites[0]
	// setup 1 + ok 2 + changed 2 + skipped 2 + ignored 1 + failed 2 + error 1; unreachable not recorded.
	if s.Tests != 11 || len(s.Cases) != 11 || doc.Tests != 11 {
		t.Errorf("tests = %d (%d cases, %d total), want 11", s.Tests, len(s.Cases), doc.Tests)
	}
	if s.Failures != 2 || s.Errors != 1 || s.Skipped != 2 || doc.Failures != 2 || doc.Errors != 1 {
		t.Errorf("failures/errors/skipped = %d/%d/%d, want 2/1/2", s.Failures, s.Errors, s.Skipped)
	}
	byName := map[string]int{}
	for i, c := range s.Cases {
		byName[c.Name] = i
		if c.Time == "" || c.Classname == "" {
			t.Errorf("case %q lacks time or classname", c.Name)
		}
	}
	get := func(name string) int {
		i, ok := byName[name]
		if !ok {
			t.Fatalf("no test case %q; have %v", name, byName)
		}
		return i
	}
	c := s.Cases[get("[web1] Web servers: failed task msg=boom <&>")]
	if c.Failure == nil || c.Failure.Message != "boom <&>" || c.Failure.Type != "failure" || !strings.Contains(c.Failure.Text, `"msg": "boom <&>"`) {
		t.Errorf("failed case: %+v", c.Failure)
	}
	if c.Classname != "/repo/roles/web/tasks/main.yml:14" {
		t.Errorf("classname = %q", c.Classname)
	}
	if c := s.Cases[get("[web2] Web servers: failed task msg=boom <&>")]; c.Failure == nil || c.Failure.Message != "rc=3" {
		t.Errorf("failure without msg should say rc=3: %+v", c.Failure)
	}
	if c := s.Cases[get("[web2] Web servers: crashing task _raw_params=x")]; c.Error == nil || c.Error.Message != "ValueError: bad" || c.Failure != nil {
		t.Errorf("exception should be an error with its last line: %+v", c.Error)
	}
	if c := s.Cases[get("[web1] Web servers: skipped task _raw_params=echo no")]; c.Skipped == nil || c.Skipped.Text != "Conditional result was False" {
		t.Errorf("skipped case: %+v", c.Skipped)
	}
	if c := s.Cases[get("[web2] Web servers: skipped task _raw_params=echo no")]; c.Skipped == nil || c.Skipped.Text != "skipped" {
		t.Errorf("skipped without reason: %+v", c.Skipped)
	}
	if c := s.Cases[get("[web1] Web servers: ignored _raw_params=false")]; c.Failure != nil || c.SystemOut == nil {
		t.Errorf("an ignored failure passes by default: %+v", c)
	}
	if c := s.Cases[get("[web1] Web servers: changed task _raw_params=echo hi")]; c.Failure != nil || c.SystemOut == nil || !strings.Contains(*c.SystemOut, "\"changed\": true,\n\"rc\": 0") {
		t.Errorf("changed case should pass with its result at indent 0: %+v", c)
	}
	if c := s.Cases[get("[web1] Web servers: ok task msg=hi")]; c.SystemOut == nil || !strings.Contains(*c.SystemOut, "{\n    \"changed\": false,") {
		t.Errorf("verbose-always result is indented by 4: %+v", c.SystemOut)
	}
	if strings.Contains(report, "unreachable") {
		t.Errorf("unreachable results are not recorded by Ansible's junit callback")
	}
}

func TestJUnitOptions(t *testing.T) {
	env := map[string]string{
		"JUNIT_FAIL_ON_CHANGE":                "True",
		"JUNIT_FAIL_ON_IGNORE":                "true",
		"JUNIT_HIDE_TASK_ARGUMENTS":           "TRUE",
		"JUNIT_TASK_CLASS":                    "true",
		"JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT": "false",
		"JUNIT_TASK_RELATIVE_PATH":            "/repo/roles/other",
		"JUNIT_REPLACE_OUT_OF_TREE_PATH":      "ext/",
	}
	o := JUnitOptionsFromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	j := runJUnitEvents(o)
	doc := parseJUnit(t, j.Report())
	s := doc.Suites[0]
	names := map[string]bool{}
	for _, c := range s.Cases {
		names[c.Name] = true
		if c.Classname != "ext/main" {
			t.Errorf("classname = %q, want ext/main (relative, out of tree replaced, class per file)", c.Classname)
		}
		if c.Name == "[web1] Web servers: changed task" && c.Failure == nil {
			t.Errorf("JUNIT_FAIL_ON_CHANGE: changed task should fail")
		}
		if c.Name == "[web2] Web servers: changed task" && c.Failure != nil {
			t.Errorf("an unchanged ok result still passes")
		}
		if c.Name == "[web1] Web servers: ignored" && c.Failure == nil {
			t.Errorf("JUNIT_FAIL_ON_IGNORE: ignored failure should fail")
		}
	}
	if names["[web1] Web servers: Gathering Facts"] {
		t.Errorf("setup task reported although JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT=false")
	}
	if !names["[web1] Web servers: failed task"] {
		t.Errorf("JUNIT_HIDE_TASK_ARGUMENTS: names should have no args: %v", names)
	}
	// 2 fail-on-change + 1 fail-on-ignore + 2 failed.
	if s.Failures != 4 || s.Tests != 10 {
		t.Errorf("failures = %d, tests = %d; want 4, 10", s.Failures, s.Tests)
	}
}

func TestJUnitDefaultFileName(t *testing.T) {
	dir := t.TempDir()
	o := JUnitOptionsFromEnv(func(k string) (string, bool) {
		if k == "JUNIT_OUTPUT_DIR" {
			return filepath.Join(dir, "new"), true
		}
		return "", false
	})
	if !o.IncludeSetupTasks || o.FailOnChange || o.ReplaceOutOfTreePath != nil {
		t.Errorf("defaults: %+v", o)
	}
	j := runJUnitEvents(o)
	if j.Err != nil {
		t.Fatal(j.Err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "new", "site-*.xml"))
	if len(files) != 1 {
		t.Fatalf("want one site-TIME.xml in JUNIT_OUTPUT_DIR, got %v", files)
	}
}

func TestPyDecimal(t *testing.T) {
	for f, want := range map[float64]string{0: "0", 6: "6", 10: "10", 0.5: "0.5", 0.1: "0.1000000000000000055511151231257827021181583404541015625"} {
		if got := pyDecimal(f); got != want {
			t.Errorf("pyDecimal(%v) = %q, want %q", f, got, want)
		}
	}
}

// validateXSD validates file against the JUnit schema with xmllint
// (libxml2), when it is installed.
func validateXSD(t *testing.T, file string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Log("xmllint is not installed: XSD validation skipped; structure checked only")
		return
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit", "jenkins-junit.xsd"), file).CombinedOutput()
	if err != nil {
		t.Errorf("report does not validate against the JUnit schema: %v\n%s", err, out)
	}
}
