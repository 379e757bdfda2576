package output

import (
	"io"
	"time"
)

// JSONOptions configure the json callback.
type JSONOptions struct {
	// Indent is json_indent; 0 means 4, a negative value one line.
	Indent int
	// ShowCustomStats adds set_stats data (show_custom_stats).
	ShowCustomStats bool
	// Now gives the times recorded as durations; nil means time.Now.
	Now func() time.Time
	DisplayOptions
}

// JSON is the json stdout callback (ansible.posix.json): the whole run as
// one JSON document printed at the end.
type JSON struct {
	d        *display
	opts     JSONOptions
	plays    []any
	play     map[string]any
	lockstep bool
	// byHostTask are the records of tasks started per host (free strategies).
	byHostTask map[string]map[string]any
}

var _ Callback = (*JSON)(nil)

// NewJSON returns the json callback.
func NewJSON(stdout, stderr io.Writer, o JSONOptions) *JSON {
	if o.Indent == 0 {
		o.Indent = 4
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &JSON{d: newDisplay(stdout, stderr, o.DisplayOptions), opts: o, plays: []any{},
		byHostTask: map[string]map[string]any{}}
}

// now is the callback's current_time(): UTC in isoformat with a Z.
func (j *JSON) now() string {
	t := j.opts.Now().UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05") + "Z"
	}
	return t.Format("2006-01-02T15:04:05.000000") + "Z"
}

func (*JSON) PlaybookStart(string) {}

var _ HostStarter = (*JSON)(nil)

// PlayStart opens a play record.
func (j *JSON) PlayStart(p *Play) {
	// Ansible's LOCKSTEP_CALLBACKS: tasks are recorded once at their start
	// under these strategies, per host otherwise.
	j.lockstep = p.Strategy == "" || p.Strategy == "linear" || p.Strategy == "debug"
	j.play = map[string]any{
		"play": map[string]any{
			"name": playName(p), "id": p.UUID, "path": p.Path,
			"duration": map[string]any{"start": j.now()},
		},
		"tasks": []any{},
	}
	j.plays = append(j.plays, j.play)
}

// TaskStart opens a task record under the lockstep strategies (handlers
// too; cleanup tasks are not recorded, as in Ansible).
func (j *JSON) TaskStart(t *Task) {
	if j.play == nil || t.Kind == "CLEANUP TASK" || !j.lockstep {
		return
	}
	j.newTask(t)
}

// HostStart opens a task record for one host under the free strategies.
func (j *JSON) HostStart(t *Task, host string) {
	if j.play == nil || j.lockstep {
		return
	}
	j.byHostTask[host+"\x00"+t.UUID] = j.newTask(t)
}

// newTask appends a task record to the play.
func (j *JSON) newTask(t *Task) map[string]any {
	task := map[string]any{
		"task": map[string]any{
			"name": t.Name, "id": t.UUID, "path": t.Path,
			"duration": map[string]any{"start": j.now()},
		},
		"hosts": map[string]any{},
	}
	j.play["tasks"] = append(j.play["tasks"].([]any), task)
	return task
}

// lastTask is the play's last task record, if any.
func (j *JSON) lastTask() map[string]any {
	if j.play == nil {
		return nil
	}
	tasks := j.play["tasks"].([]any)
	if len(tasks) == 0 {
		return nil
	}
	return tasks[len(tasks)-1].(map[string]any)
}

// HostResult records a host's result under its task.
func (j *JSON) HostResult(r *Result) {
	res := cleanCopy(r)
	switch r.Status {
	case Failed:
		res["failed"] = true
	case Skipped:
		res["skipped"] = true
	}
	res["action"] = r.Task.Action
	key := r.Host + "\x00" + r.Task.UUID
	task := j.byHostTask[key]
	delete(j.byHostTask, key)
	if task == nil {
		// Like Ansible, results without a record of their own go to the
		// last task.
		task = j.lastTask()
	}
	if task == nil {
		return
	}
	task["hosts"].(map[string]any)[r.Host] = res
	end := j.now()
	task["task"].(map[string]any)["duration"].(map[string]any)["end"] = end
	j.play["play"].(map[string]any)["duration"].(map[string]any)["end"] = end
}

func (*JSON) ItemResult(*Result)                   {}
func (*JSON) Retry(*Result)                        {}
func (*JSON) Included(string, []string, any, bool) {}
func (*JSON) NoHostsMatched()                      {}
func (*JSON) NoHostsRemaining()                    {}
func (*JSON) Notified(string, string)              {}

// Warning prints a [WARNING] on stderr.
func (j *JSON) Warning(msg string) { j.d.warning(msg) }

// Deprecation prints a [DEPRECATION WARNING] on stderr.
func (j *JSON) Deprecation(msg string) { j.d.deprecated(Deprecation{Msg: msg}) }

// Stats prints the document.
func (j *JSON) Stats(s *Stats) {
	summary := map[string]any{}
	for h, t := range s.Hosts {
		summary[h] = summarize(t)
	}
	custom, global := map[string]any{}, map[string]any{}
	if j.opts.ShowCustomStats && len(s.Custom) > 0 {
		for k, v := range s.Custom {
			if k == "_run" {
				if m, ok := v.(map[string]any); ok {
					global = m
				} else {
					for _, gk := range valueKeys(v) {
						global[gk] = lookup(v, gk)
					}
				}
				continue
			}
			custom[k] = v
		}
	}
	out := map[string]any{
		"plays": j.plays, "stats": summary,
		"custom_stats": custom, "global_custom_stats": global,
	}
	indent := j.opts.Indent
	if indent < 0 {
		indent = NoIndent
	}
	j.d.show(DumpsASCII(out, indent, true), "", false)
}

// summarize is AggregateStats.summarize: a host's counters by Ansible's names.
func summarize(t *HostStats) map[string]any {
	return map[string]any{
		"ok": t.OK, "changed": t.Changed, "unreachable": t.Unreachable, "failures": t.Failures,
		"skipped": t.Skipped, "rescued": t.Rescued, "ignored": t.Ignored,
	}
}
