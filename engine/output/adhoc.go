package output

import (
	"io"
	"strings"

	"gorun/engine/pytext"
)

// AdHocOptions configure the minimal and oneline callbacks.
type AdHocOptions struct {
	DisplayOptions
	// DiffContext is the number of context lines in diffs; 0 means 3.
	DiffContext int
	// PrettyResults is pretty_results; nil when not set.
	PrettyResults *bool
	// ResultFormat is json (also for "") or yaml; minimal honours it,
	// oneline (which has no such option in Ansible) always uses json.
	ResultFormat string
}

// adhocBase holds what minimal and oneline share: they show only final host
// results (the ad-hoc command sends no banners), plus warnings.
type adhocBase struct {
	d       *display
	dump    dumper
	context int
}

func newAdhocBase(stdout, stderr io.Writer, o AdHocOptions) adhocBase {
	if o.DiffContext <= 0 {
		o.DiffContext = DefaultDiffContext
	}
	return adhocBase{
		d:       newDisplay(stdout, stderr, o.DisplayOptions),
		dump:    dumper{verbosity: o.Verbosity, pretty: o.PrettyResults},
		context: o.DiffContext,
	}
}

func (adhocBase) PlaybookStart(string)                 {}
func (adhocBase) PlayStart(*Play)                      {}
func (adhocBase) TaskStart(*Task)                      {}
func (adhocBase) ItemResult(*Result)                   {}
func (adhocBase) Retry(*Result)                        {}
func (adhocBase) Included(string, []string, any, bool) {}
func (adhocBase) NoHostsMatched()                      {}
func (adhocBase) NoHostsRemaining()                    {}
func (adhocBase) Notified(string, string)              {}
func (adhocBase) Stats(*Stats)                         {}

// Warning prints a [WARNING] on stderr, as Ansible's Display does whatever
// the callback.
func (b adhocBase) Warning(msg string) { b.d.warning(msg) }

// Deprecation prints a [DEPRECATION WARNING] on stderr.
func (b adhocBase) Deprecation(msg string) { b.d.deprecated(Deprecation{Msg: msg}) }

// isChanged is result.get('changed', False).
func isChanged(res map[string]any) bool { return truthy(res["changed"]) }

// Minimal is the minimal callback, the default of the ad-hoc `ansible` command:
// "host | SUCCESS => {...}", or a command's raw output.
type Minimal struct{ adhocBase }

var _ Callback = (*Minimal)(nil)

// NewMinimal returns the minimal callback.
func NewMinimal(stdout, stderr io.Writer, o AdHocOptions) (*Minimal, error) {
	if err := checkResultFormat(o.ResultFormat); err != nil {
		return nil, err
	}
	m := &Minimal{newAdhocBase(stdout, stderr, o)}
	m.dump.yaml = o.ResultFormat == "yaml"
	m.d.setResultFormat(o.ResultFormat, o.PrettyResults)
	return m, nil
}

// commandMsg is minimal's _command_generic_msg: a header line, then stdout,
// stderr and msg as they are.
func commandMsg(host string, res map[string]any, caption string) string {
	rc := any(-1)
	if v, ok := res["rc"]; ok {
		rc = v
	}
	text := func(k string) string {
		if v, ok := res[k]; ok {
			return pytext.Str(v)
		}
		return ""
	}
	return host + " | " + caption + " | rc=" + pytext.Str(rc) + " >>\n" + text("stdout") + text("stderr") + text("msg") + "\n"
}

// HostResult prints one host's result.
func (m *Minimal) HostResult(r *Result) {
	res := cleanCopy(r)
	switch r.Status {
	case Failed:
		handleException(m.d, res, false)
		handleWarnings(m.d, res)
		if _, stderr := res["module_stderr"]; noJSONActions[r.Task.Action] && !stderr {
			m.d.show(commandMsg(r.Host, res, "FAILED"), m.d.colors.Error, false)
			return
		}
		m.d.show(r.Host+" | FAILED! => "+m.dump.dump(res, 4, true), m.d.colors.Error, false)
	case Unreachable:
		m.d.show(r.Host+" | UNREACHABLE! => "+m.dump.dump(res, 4, true), m.d.colors.Unreachable, false)
	case Skipped:
		m.d.show(r.Host+" | SKIPPED", m.d.colors.Skip, false)
	default:
		if r.Task.Diff && truthy(res["diff"]) {
			m.d.show(m.d.formatDiff(res["diff"], m.context), "", false)
		}
		cleanResults(res, r.Task.Action)
		handleWarnings(m.d, res)
		state, color := "SUCCESS", m.d.colors.OK
		if isChanged(res) {
			state, color = "CHANGED", m.d.colors.Changed
		}
		if _, job := res["ansible_job_id"]; noJSONActions[r.Task.Action] && !job {
			m.d.show(commandMsg(r.Host, res, state), color, false)
			return
		}
		m.d.show(r.Host+" | "+state+" => "+m.dump.dump(res, 4, true), color, false)
	}
}

// Oneline is the oneline callback (`ansible -o`): one line per host.
type Oneline struct{ adhocBase }

var _ Callback = (*Oneline)(nil)

// NewOneline returns the oneline callback.
func NewOneline(stdout, stderr io.Writer, o AdHocOptions) *Oneline {
	return &Oneline{newAdhocBase(stdout, stderr, o)}
}

// escapeLines writes newlines and carriage returns as \n and \r.
func escapeLines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\n", `\n`), "\r", `\r`)
}

// onelineCommandMsg is oneline's _command_generic_msg.
func onelineCommandMsg(host string, res map[string]any, caption string) string {
	rc := any(-1)
	if v, ok := res["rc"]; ok {
		rc = v
	}
	stdout := ""
	if v, ok := res["stdout"]; ok {
		stdout = escapeLines(pytext.Str(v))
	}
	msg := host + " | " + caption + " | rc=" + pytext.Str(rc) + " | (stdout) " + stdout
	if truthy(res["stderr"]) {
		msg += " (stderr) " + escapeLines(pytext.Str(res["stderr"]))
	}
	return msg
}

// oneLine is a result dumped without line breaks.
func (o *Oneline) oneLine(res map[string]any) string {
	return strings.ReplaceAll(o.dump.dump(res, 0, true), "\n", "")
}

// HostResult prints one host's result on one line.
func (o *Oneline) HostResult(r *Result) {
	res := cleanCopy(r)
	switch r.Status {
	case Failed:
		if exc, ok := res["exception"]; ok {
			text := pytext.Str(exc)
			var msg string
			if o.d.verbosity < 3 {
				lines := strings.Split(strings.TrimSpace(text), "\n")
				msg = "An exception occurred during task execution. To see the full traceback, use -vvv. The error was: " + lines[len(lines)-1]
			} else {
				msg = "An exception occurred during task execution. The full traceback is:\n" + strings.ReplaceAll(text, "\n", "")
			}
			if _, stderr := res["module_stderr"]; noJSONActions[r.Task.Action] && !stderr {
				o.d.show(onelineCommandMsg(r.Host, res, "FAILED"), o.d.colors.Error, false)
			} else {
				o.d.show(msg, o.d.colors.Error, false)
			}
		}
		o.d.show(r.Host+" | FAILED! => "+o.oneLine(res), o.d.colors.Error, false)
	case Unreachable:
		msg := ""
		if v, ok := res["msg"]; ok {
			msg = pytext.Str(v)
		}
		o.d.show(r.Host+" | UNREACHABLE!: "+msg, o.d.colors.Unreachable, false)
	case Skipped:
		o.d.show(r.Host+" | SKIPPED", o.d.colors.Skip, false)
	default:
		state, color := "SUCCESS", o.d.colors.OK
		if isChanged(res) {
			state, color = "CHANGED", o.d.colors.Changed
		}
		if _, job := res["ansible_job_id"]; noJSONActions[r.Task.Action] && !job {
			o.d.show(onelineCommandMsg(r.Host, res, state), color, false)
			return
		}
		o.d.show(r.Host+" | "+state+" => "+o.oneLine(res), color, false)
	}
}
