package output

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorun/engine/pytext"
)

// JUnitOptions configure the junit callback. FromEnv reads them from the
// JUNIT_* variables as Ansible's junit callback does.
type JUnitOptions struct {
	// File is the report's path (gorun's --junit FILE). When empty the
	// report goes to OutputDir as PLAYBOOK-TIMESTAMP.xml, as Ansible names it.
	File string
	// OutputDir is JUNIT_OUTPUT_DIR (default ~/.ansible.log).
	OutputDir string
	// TaskClass is JUNIT_TASK_CLASS: one class per YAML file (the line
	// number dropped from the classname).
	TaskClass bool
	// TaskRelativePath is JUNIT_TASK_RELATIVE_PATH: classnames relative to it.
	TaskRelativePath string
	// ReplaceOutOfTreePath is JUNIT_REPLACE_OUT_OF_TREE_PATH: the directory
	// of a relative classname starting with ../ is replaced by it.
	ReplaceOutOfTreePath *string
	// FailOnChange is JUNIT_FAIL_ON_CHANGE: changed counts as a failure.
	FailOnChange bool
	// FailOnIgnore is JUNIT_FAIL_ON_IGNORE: ignored failures stay failures.
	FailOnIgnore bool
	// IncludeSetupTasks is JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT (default true).
	IncludeSetupTasks bool
	// HideTaskArguments is JUNIT_HIDE_TASK_ARGUMENTS: test names without args.
	HideTaskArguments bool
	// TestCasePrefix is JUNIT_TEST_CASE_PREFIX: only tasks whose name starts
	// with it are test cases (failures are always recorded).
	TestCasePrefix string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// JUnitOptionsFromEnv reads the JUNIT_* variables through lookup (os.LookupEnv
// in gorun), with Ansible's defaults. Booleans are true only when the value
// is "true" in any case, exactly as the Python callback compares them.
func JUnitOptionsFromEnv(lookup func(string) (string, bool)) JUnitOptions {
	env := func(name, def string) string {
		if v, ok := lookup(name); ok {
			return v
		}
		return def
	}
	isTrue := func(name, def string) bool { return strings.ToLower(env(name, def)) == "true" }
	o := JUnitOptions{
		OutputDir:         env("JUNIT_OUTPUT_DIR", "~/.ansible.log"),
		TaskClass:         isTrue("JUNIT_TASK_CLASS", "False"),
		TaskRelativePath:  env("JUNIT_TASK_RELATIVE_PATH", ""),
		FailOnChange:      isTrue("JUNIT_FAIL_ON_CHANGE", "False"),
		FailOnIgnore:      isTrue("JUNIT_FAIL_ON_IGNORE", "False"),
		IncludeSetupTasks: isTrue("JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT", "True"),
		HideTaskArguments: isTrue("JUNIT_HIDE_TASK_ARGUMENTS", "False"),
		TestCasePrefix:    env("JUNIT_TEST_CASE_PREFIX", ""),
	}
	if v, ok := lookup("JUNIT_REPLACE_OUT_OF_TREE_PATH"); ok {
		o.ReplaceOutOfTreePath = &v
	}
	return o
}

// JUnit is the junit callback (ansible.builtin.junit): one test case per
// task and host, written as a JUnit XML report when the run ends.
//
//	ok                                    pass (system-out holds the result)
//	failed, "EXPECTED FAILURE" in name    pass
//	"TOGGLE RESULT" in name               failed and ok swapped
//	failed with an exception              error
//	failed otherwise                      failure
//	skipped                               skipped
//
// Unreachable hosts are not recorded, as in Ansible (the run's exit code
// still fails). Task arguments are listed in sorted key order, since
// gorun's parsed arguments do not keep the order they were written in.
type JUnit struct {
	opts     JUnitOptions
	playbook string // the playbook's base name without extension
	play     string
	tasks    []*junitTask
	byUUID   map[string]*junitTask
	last     *junitTask
	// Err is the last error writing the report (also returned by Write).
	Err error
}

type junitTask struct {
	uuid, name, path, play, action string
	args                           map[string]any
	start                          time.Time
	hosts                          []*junitHost
}

type junitHost struct {
	name   string
	status string // ok, failed, skipped, included
	result map[string]any
	text   string // for included
	finish time.Time
}

var _ Callback = (*JUnit)(nil)

// NewJUnit returns the junit callback.
func NewJUnit(o JUnitOptions) *JUnit {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &JUnit{opts: o, byUUID: map[string]*junitTask{}}
}

// PlaybookStart names the suite after the playbook file.
func (j *JUnit) PlaybookStart(file string) {
	j.playbook = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
}

// PlayStart records the play's name for the test case names.
func (j *JUnit) PlayStart(p *Play) { j.play = playName(p) }

// TaskStart opens a task (handlers and cleanup tasks too).
func (j *JUnit) TaskStart(t *Task) {
	if jt, ok := j.byUUID[t.UUID]; ok {
		j.last = jt
		return
	}
	name := strings.TrimSpace(t.Name)
	if !t.NoLog && !j.opts.HideTaskArguments {
		if args := junitArgs(t.Args); args != "" {
			name += " " + args
		}
	}
	jt := &junitTask{uuid: t.UUID, name: name, path: t.Path, play: j.play, action: t.Action, args: t.Args, start: j.opts.Now()}
	j.tasks = append(j.tasks, jt)
	j.byUUID[t.UUID] = jt
	j.last = jt
}

// junitArgs is ', '.join('%s=%s' % a for a in task.args.items()).
func junitArgs(args map[string]any) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + pytext.Str(args[k])
	}
	return strings.Join(parts, ", ")
}

// HostResult records a host's outcome.
func (j *JUnit) HostResult(r *Result) {
	status := ""
	switch r.Status {
	case OK, Changed:
		status = "ok"
	case Failed:
		status = "failed"
		if r.Ignored && !j.opts.FailOnIgnore {
			status = "ok"
		}
	case Skipped:
		status = "skipped"
	default:
		return
	}
	jt := j.byUUID[r.Task.UUID]
	if jt == nil {
		j.TaskStart(r.Task)
		jt = j.last
	}
	res := cleanCopy(r)
	if j.opts.FailOnChange && status == "ok" && truthy(res["changed"]) {
		status = "failed"
	}
	if status == "failed" && strings.Contains(jt.name, "EXPECTED FAILURE") {
		status = "ok"
	} else if strings.Contains(jt.name, "TOGGLE RESULT") {
		switch status {
		case "failed":
			status = "ok"
		case "ok":
			status = "failed"
		}
	}
	if !strings.HasPrefix(jt.name, j.opts.TestCasePrefix) && status != "failed" {
		return
	}
	for _, h := range jt.hosts {
		if h.name == r.Host && h.status != "included" {
			// Ansible raises "duplicate host callback"; keep the first.
			return
		}
	}
	jt.hosts = append(jt.hosts, &junitHost{name: r.Host, status: status, result: res, finish: j.opts.Now()})
}

// Included records an included file under the including task as the
// pseudo-host "include", items concatenated.
func (j *JUnit) Included(file string, hosts []string, item any, hasItem bool) {
	jt := j.last
	if jt == nil {
		return
	}
	vars := "{}"
	if hasItem {
		vars = "{'item': " + pytext.Repr(item) + "}"
	}
	if !hasItem {
		j.includeResults(jt, hosts)
	}
	text := fmt.Sprintf("%s (args={} vars=%s): [%s]", file, vars, strings.Join(hosts, ", "))
	for _, h := range jt.hosts {
		if h.name == "include" {
			h.text += "\n" + text
			h.finish = j.opts.Now()
			return
		}
	}
	jt.hosts = append(jt.hosts, &junitHost{name: "include", status: "included", text: text, finish: j.opts.Now()})
}

// includeResults records the ok result Ansible's task executor returns
// for an include on each host ({include, include_args}), for hosts the
// runner has not reported a result for. The include's file name is shown
// as written.
func (j *JUnit) includeResults(jt *junitTask, hosts []string) {
	short := strings.TrimPrefix(strings.TrimPrefix(jt.action, "ansible.builtin."), "ansible.legacy.")
	var res map[string]any
	switch short {
	case "include_tasks", "include":
		args := map[string]any{}
		for k, v := range jt.args {
			args[k] = v
		}
		file := args["_raw_params"]
		delete(args, "_raw_params")
		res = map[string]any{"changed": false, "include": file, "include_args": args}
	case "include_role":
		args := map[string]any{}
		for k, v := range jt.args {
			args[k] = v
		}
		res = map[string]any{"changed": false, "include_args": args}
	default:
		return
	}
	for _, h := range hosts {
		recorded := false
		for _, hd := range jt.hosts {
			recorded = recorded || hd.name == h
		}
		if !recorded && strings.HasPrefix(jt.name, j.opts.TestCasePrefix) {
			jt.hosts = append(jt.hosts, &junitHost{name: h, status: "ok", result: res, finish: j.opts.Now()})
		}
	}
}

func (*JUnit) ItemResult(*Result)      {}
func (*JUnit) Retry(*Result)           {}
func (*JUnit) NoHostsMatched()         {}
func (*JUnit) NoHostsRemaining()       {}
func (*JUnit) Notified(string, string) {}
func (*JUnit) Warning(string)          {}
func (*JUnit) Deprecation(string)      {}

// Stats writes the report.
func (j *JUnit) Stats(*Stats) {
	j.Err = j.Write()
}

// Write writes the report of everything recorded so far.
func (j *JUnit) Write() error {
	path := j.opts.File
	if path == "" {
		dir := expandHome(j.opts.OutputDir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("junit: %w", err)
		}
		now := float64(j.opts.Now().UnixNano()) / 1e9
		path = filepath.Join(dir, fmt.Sprintf("%s-%s.xml", j.playbook, pytext.JSONFloat(now)))
	} else if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("junit: %w", err)
		}
	}
	if err := os.WriteFile(path, []byte(j.Report()), 0o644); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

// setupActions is C._ACTION_SETUP.
var setupActions = actionSet("setup", "gather_facts")

// Report returns the XML report as Ansible's TestSuites.to_pretty_xml
// writes it (minidom's pretty printing, tab indented).
func (j *JUnit) Report() string {
	var cases []junitCase
	for _, jt := range j.tasks {
		if setupActions[jt.action] && !j.opts.IncludeSetupTasks {
			continue
		}
		for _, h := range jt.hosts {
			cases = append(cases, j.buildCase(jt, h))
		}
	}
	return renderJUnit(j.playbook, cases)
}

// junitCase is one <testcase>.
type junitCase struct {
	name, classname string
	time            float64
	skipped         string
	errMsg, errOut  *string // <error>
	failMsg         *string // <failure>
	failOut         string
	systemOut       string
}

var taskClassRE = regexp.MustCompile(`\.yml:[0-9]+$`)

func (j *JUnit) buildCase(jt *junitTask, h *junitHost) junitCase {
	c := junitCase{
		name: fmt.Sprintf("[%s] %s: %s", h.name, jt.play, jt.name),
		time: h.finish.Sub(jt.start).Seconds(),
	}
	c.classname = jt.path
	if j.opts.TaskRelativePath != "" && jt.path != "" {
		if rel, err := filepath.Rel(j.opts.TaskRelativePath, jt.path); err == nil {
			c.classname = rel
		}
	}
	if j.opts.ReplaceOutOfTreePath != nil && strings.HasPrefix(c.classname, "../") {
		c.classname = *j.opts.ReplaceOutOfTreePath + filepath.Base(c.classname)
	}
	if j.opts.TaskClass {
		c.classname = taskClassRE.ReplaceAllString(c.classname, "")
	}
	if h.status == "included" {
		c.systemOut = h.text
		return c
	}
	res := h.result
	dump := dumper{}.dump(res, 0, true)
	switch h.status {
	case "ok":
		c.systemOut = dump
	case "failed":
		if exc, ok := res["exception"]; ok {
			out := pytext.Str(exc)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			msg := lines[len(lines)-1]
			c.errMsg, c.errOut = &msg, &out
		} else if msg, ok := res["msg"]; ok {
			m := pytext.Str(msg)
			c.failMsg, c.failOut = &m, dump
		} else {
			rc, ok := res["rc"]
			if !ok {
				rc = 0
			}
			m := "rc=" + pytext.Str(rc)
			c.failMsg, c.failOut = &m, dump
		}
	case "skipped":
		c.skipped = "skipped"
		if reason, ok := res["skip_reason"]; ok {
			c.skipped = pytext.Str(reason)
		}
	}
	return c
}

// renderJUnit writes <testsuites> with one <testsuite> as minidom's
// toprettyxml(): tabs, an element with a single text child on one line,
// attribute values and text escaped for & < " >.
func renderJUnit(suite string, cases []junitCase) string {
	var failures, errs, skipped int
	var total float64
	for _, c := range cases {
		if c.failMsg != nil {
			failures++
		}
		if c.errMsg != nil {
			errs++
		}
		if c.skipped != "" {
			skipped++
		}
		total += c.time
	}
	t := pyDecimal(total)
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" ?>\n")
	fmt.Fprintf(&b, "<testsuites disabled=\"0\" errors=\"%d\" failures=\"%d\" tests=\"%d\" time=\"%s\"", errs, failures, len(cases), t)
	b.WriteString(">\n")
	fmt.Fprintf(&b, "\t<testsuite disabled=\"0\" errors=\"%d\" failures=\"%d\" name=\"%s\" skipped=\"%d\" tests=\"%d\" time=\"%s\"",
		errs, failures, xmlEscape(suite), skipped, len(cases), t)
	if len(cases) == 0 {
		b.WriteString("/>\n</testsuites>\n")
		return b.String()
	}
	b.WriteString(">\n")
	for _, c := range cases {
		fmt.Fprintf(&b, "\t\t<testcase classname=\"%s\" name=\"%s\" time=\"%s\"", xmlEscape(c.classname), xmlEscape(c.name), pytext.JSONFloat(c.time))
		var children []string
		if c.skipped != "" {
			children = append(children, xmlElement("skipped", "", c.skipped))
		}
		if c.errMsg != nil {
			children = append(children, xmlElement("error", fmt.Sprintf(" message=\"%s\" type=\"error\"", xmlEscape(*c.errMsg)), *c.errOut))
		}
		if c.failMsg != nil {
			children = append(children, xmlElement("failure", fmt.Sprintf(" message=\"%s\" type=\"failure\"", xmlEscape(*c.failMsg)), c.failOut))
		}
		if c.systemOut != "" {
			children = append(children, xmlElement("system-out", "", c.systemOut))
		}
		if len(children) == 0 {
			b.WriteString("/>\n")
			continue
		}
		b.WriteString(">\n")
		for _, ch := range children {
			b.WriteString("\t\t\t" + ch + "\n")
		}
		b.WriteString("\t\t</testcase>\n")
	}
	b.WriteString("\t</testsuite>\n</testsuites>\n")
	return b.String()
}

// xmlElement is <tag attrs>text</tag>, or <tag attrs/> without text.
func xmlElement(tag, attrs, text string) string {
	if text == "" {
		return "<" + tag + attrs + "/>"
	}
	return "<" + tag + attrs + ">" + xmlEscape(text) + "</" + tag + ">"
}

// xmlEscape escapes as minidom's _write_data, and replaces characters XML
// 1.0 cannot hold (control characters, invalid UTF-8) with U+FFFD so the
// report always parses (Ansible's _cleanse_string does so for surrogates).
func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pyDecimal is str(decimal.Decimal(f)): the exact decimal value of the
// binary float, as the suite's time attribute shows it.
func pyDecimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1100, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
