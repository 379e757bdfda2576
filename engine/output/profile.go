package output

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ProfileTasksOptions configure the profile_tasks callback, as
// ansible.posix.profile_tasks reads them.
type ProfileTasksOptions struct {
	// Limit is how many tasks the summary lists (output_limit,
	// PROFILE_TASKS_TASK_OUTPUT_LIMIT); 0 means 20, negative means all.
	Limit int
	// Order is descending (the default), ascending or none
	// (sort_order, PROFILE_TASKS_SORT_ORDER).
	Order string
	// Verbosity at 2 or more adds each task's path to the summary.
	Verbosity int
	// Columns is the display width; 0 means 79 as Ansible's off a terminal.
	Columns int
	// Now is the clock (time.Now when nil); tests pass a fake one.
	Now func() time.Time
}

// ProfileTasksOptionsFromEnv reads the options from the environment
// variables ansible.posix.profile_tasks documents.
func ProfileTasksOptionsFromEnv(lookup func(string) (string, bool)) (ProfileTasksOptions, error) {
	var o ProfileTasksOptions
	if v, ok := lookup("PROFILE_TASKS_TASK_OUTPUT_LIMIT"); ok {
		if v == "all" {
			o.Limit = -1
		} else if _, err := fmt.Sscan(v, &o.Limit); err != nil || o.Limit < 0 {
			return o, fmt.Errorf("PROFILE_TASKS_TASK_OUTPUT_LIMIT: %q is not a number of tasks or 'all'", v)
		} else if o.Limit == 0 {
			// Python slices [:0]: an empty summary.
			o.Limit = -2
		}
	}
	if v, ok := lookup("PROFILE_TASKS_SORT_ORDER"); ok {
		switch v {
		case "descending", "ascending", "none":
			o.Order = v
		default:
			return o, fmt.Errorf("PROFILE_TASKS_SORT_ORDER: %q is not one of descending, ascending, none", v)
		}
	}
	return o, nil
}

// ProfileTasks is ansible.posix.profile_tasks: a timestamp line after every
// task banner (wall clock, the previous task's duration, the run's elapsed
// time) and, after the recap, the tasks by time spent. It is how `--profile`
// shows where a run's time went.
type ProfileTasks struct {
	Null
	out     io.Writer
	opts    ProfileTasksOptions
	now     func() time.Time
	t0, tn  time.Time
	order   []string // task UUIDs in first-start order
	tasks   map[string]*taskTime
	current string
}

type taskTime struct {
	name, path string
	started    time.Time
	elapsed    time.Duration
}

// NewProfileTasks returns the callback writing to out (stdout).
func NewProfileTasks(out io.Writer, opts ProfileTasksOptions) *ProfileTasks {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if opts.Columns <= 0 {
		opts.Columns = 79
	}
	if opts.Order == "" {
		opts.Order = "descending"
	}
	t0 := now()
	return &ProfileTasks{out: out, opts: opts, now: now, t0: t0, tn: t0, tasks: map[string]*taskTime{}}
}

// TaskStart prints the timestamp line and starts the task's clock; a task
// met again (serial batches) adds to its time.
func (p *ProfileTasks) TaskStart(t *Task) {
	p.display(p.tasktime())
	p.stopCurrent()
	p.current = t.UUID
	tt, ok := p.tasks[t.UUID]
	if !ok {
		tt = &taskTime{name: t.Name}
		p.tasks[t.UUID] = tt
		p.order = append(p.order, t.UUID)
	}
	tt.started = p.now()
	if p.opts.Verbosity >= 2 {
		tt.path = t.Path
	}
}

// Stats prints the last timestamp and the summary.
func (p *ProfileTasks) Stats(*Stats) {
	p.display(p.tasktime())
	p.display(filled("", "="))
	p.stopCurrent()
	p.current = ""
	times := make([]*taskTime, len(p.order))
	for i, id := range p.order {
		times[i] = p.tasks[id]
	}
	switch p.opts.Order {
	case "descending":
		sort.SliceStable(times, func(i, j int) bool { return times[i].elapsed > times[j].elapsed })
	case "ascending":
		sort.SliceStable(times, func(i, j int) bool { return times[i].elapsed < times[j].elapsed })
	}
	switch limit := p.opts.Limit; {
	case limit == 0 && len(times) > 20:
		times = times[:20]
	case limit == -2:
		times = nil
	case limit > 0 && len(times) > limit:
		times = times[:limit]
	}
	for _, tt := range times {
		msg := padRight(tt.name+" ", p.opts.Columns-9, '-') +
			padLeft(fmt.Sprintf(" %.02fs", tt.elapsed.Seconds()), 9, '-')
		if tt.path != "" {
			msg += "\n" + padRight(tt.path+" ", p.opts.Columns, '-')
		}
		p.display(msg)
	}
}

func (p *ProfileTasks) stopCurrent() {
	if tt := p.tasks[p.current]; tt != nil {
		tt.elapsed += p.now().Sub(tt.started)
	}
}

// tasktime is the plugin's line: "Saturday 28 November 2026  11:30:01 +0000
// (0:00:00.123)       0:00:01.234 ****".
func (p *ProfileTasks) tasktime() string {
	now := p.now()
	line := fmt.Sprintf("%s (%s)%s%s", now.Format("Monday 02 January 2006  15:04:05 -0700"),
		secondsToStr(now.Sub(p.tn)), strings.Repeat(" ", 7), secondsToStr(now.Sub(p.t0)))
	p.tn = now
	return filled(line, "*")
}

func (p *ProfileTasks) display(msg string) { io.WriteString(p.out, msg+"\n") }

// secondsToStr is the plugin's H:MM:SS.mmm, milliseconds truncated.
func secondsToStr(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// filled pads msg with fill characters to 79 columns (at least three), as
// the plugin's filled(), which ignores the terminal width.
func filled(msg, fill string) string {
	width := 79
	if msg != "" {
		msg += " "
		width -= utf8.RuneCountInString(msg)
	}
	if width < 3 {
		width = 3
	}
	return msg + strings.Repeat(fill, width) + " "
}

// padRight and padLeft are Python's format alignment with a fill character
// ("{:-<70}", "{:->9}"), counting characters.
func padRight(s string, width int, fill rune) string {
	if n := utf8.RuneCountInString(s); n < width {
		s += strings.Repeat(string(fill), width-n)
	}
	return s
}

func padLeft(s string, width int, fill rune) string {
	if n := utf8.RuneCountInString(s); n < width {
		s = strings.Repeat(string(fill), width-n) + s
	}
	return s
}

// Timer is ansible.posix.timer: the run's duration after the recap.
type Timer struct {
	Null
	out   io.Writer
	now   func() time.Time
	start time.Time
}

// NewTimer returns the callback writing to out; now is the clock (nil: time.Now).
func NewTimer(out io.Writer, now func() time.Time) *Timer {
	if now == nil {
		now = time.Now
	}
	return &Timer{out: out, now: now, start: now()}
}

// Stats prints "Playbook run took 0 days, 0 hours, 0 minutes, 2 seconds".
func (t *Timer) Stats(*Stats) {
	s := int(t.now().Sub(t.start).Seconds())
	fmt.Fprintf(t.out, "Playbook run took %d days, %d hours, %d minutes, %d seconds\n",
		s/86400, s/3600%24, s/60%60, s%60)
}
