package output

import (
	"fmt"
	"io"
	"strings"
)

// Multi sends every event to each callback in turn (the stdout callback
// plus any enabled notification callbacks).
type Multi []Callback

var _ Callback = Multi(nil)

func (m Multi) PlaybookStart(file string) {
	for _, c := range m {
		c.PlaybookStart(file)
	}
}

func (m Multi) PlayStart(p *Play) {
	for _, c := range m {
		c.PlayStart(p)
	}
}

func (m Multi) TaskStart(t *Task) {
	for _, c := range m {
		c.TaskStart(t)
	}
}

var _ HostStarter = Multi(nil)

// HostStart forwards to the callbacks that implement HostStarter.
func (m Multi) HostStart(t *Task, host string) {
	for _, c := range m {
		if hs, ok := c.(HostStarter); ok {
			hs.HostStart(t, host)
		}
	}
}

var _ Displayer = Multi(nil)

// Display forwards to the callbacks that implement Displayer.
func (m Multi) Display(msg string, verbosity int) {
	for _, c := range m {
		if d, ok := c.(Displayer); ok {
			d.Display(msg, verbosity)
		}
	}
}

var _ AsyncReporter = Multi(nil)

// AsyncPoll forwards to the callbacks that implement AsyncReporter.
func (m Multi) AsyncPoll(host, jid string, started, finished any) {
	for _, c := range m {
		if ar, ok := c.(AsyncReporter); ok {
			ar.AsyncPoll(host, jid, started, finished)
		}
	}
}

// AsyncDone forwards to the callbacks that implement AsyncReporter.
func (m Multi) AsyncDone(host, jid string, failed bool) {
	for _, c := range m {
		if ar, ok := c.(AsyncReporter); ok {
			ar.AsyncDone(host, jid, failed)
		}
	}
}

func (m Multi) HostResult(r *Result) {
	for _, c := range m {
		c.HostResult(r)
	}
}

func (m Multi) ItemResult(r *Result) {
	for _, c := range m {
		c.ItemResult(r)
	}
}

func (m Multi) Retry(r *Result) {
	for _, c := range m {
		c.Retry(r)
	}
}

func (m Multi) Included(file string, hosts []string, item any, hasItem bool) {
	for _, c := range m {
		c.Included(file, hosts, item, hasItem)
	}
}

func (m Multi) NoHostsMatched() {
	for _, c := range m {
		c.NoHostsMatched()
	}
}

func (m Multi) NoHostsRemaining() {
	for _, c := range m {
		c.NoHostsRemaining()
	}
}

func (m Multi) Notified(handler, host string) {
	for _, c := range m {
		c.Notified(handler, host)
	}
}

func (m Multi) Warning(msg string) {
	for _, c := range m {
		c.Warning(msg)
	}
}

func (m Multi) Deprecation(msg string) {
	for _, c := range m {
		c.Deprecation(msg)
	}
}

func (m Multi) Stats(s *Stats) {
	for _, c := range m {
		c.Stats(s)
	}
}

// Null ignores every event.
type Null struct{}

var _ Callback = Null{}

func (Null) PlaybookStart(string)                 {}
func (Null) PlayStart(*Play)                      {}
func (Null) TaskStart(*Task)                      {}
func (Null) HostResult(*Result)                   {}
func (Null) ItemResult(*Result)                   {}
func (Null) Retry(*Result)                        {}
func (Null) Included(string, []string, any, bool) {}
func (Null) NoHostsMatched()                      {}
func (Null) NoHostsRemaining()                    {}
func (Null) Notified(string, string)              {}
func (Null) Warning(string)                       {}
func (Null) Deprecation(string)                   {}
func (Null) Stats(*Stats)                         {}

// StdoutCallbacks are the stdout_callback names ByName knows.
var StdoutCallbacks = []string{"default", "minimal", "oneline", "json"}

// ByName returns the stdout callback called name (stdout_callback in
// ansible.cfg, ANSIBLE_STDOUT_CALLBACK; short or fully qualified name),
// configured from opts. Callbacks gorun does not have are an error.
func ByName(name string, stdout, stderr io.Writer, opts DefaultOptions) (Callback, error) {
	short := name
	for _, prefix := range []string{"ansible.builtin.", "ansible.legacy."} {
		short = strings.TrimPrefix(short, prefix)
	}
	if name == "ansible.posix.json" || name == "community.general.json" {
		short = "json"
	} else if strings.Contains(short, ".") {
		short = ""
	}
	adhoc := AdHocOptions{DisplayOptions: opts.DisplayOptions, DiffContext: opts.DiffContext,
		PrettyResults: opts.PrettyResults, ResultFormat: opts.ResultFormat}
	switch short {
	case "default":
		return NewDefault(stdout, stderr, opts)
	case "minimal":
		return NewMinimal(stdout, stderr, adhoc)
	case "oneline":
		return NewOneline(stdout, stderr, adhoc), nil
	case "json":
		return NewJSON(stdout, stderr, JSONOptions{ShowCustomStats: opts.ShowCustomStats, DisplayOptions: opts.DisplayOptions}), nil
	}
	return nil, fmt.Errorf("stdout callback %q is not supported by gorun (supported: %s)", name, strings.Join(StdoutCallbacks, ", "))
}
