package output

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// DefaultOptions configure the default callback (its plugin options plus the
// Display settings).
type DefaultOptions struct {
	DisplayOptions
	// HideSkippedHosts is display_skipped_hosts=false.
	HideSkippedHosts bool
	// HideOKHosts is display_ok_hosts=false.
	HideOKHosts bool
	// DisplayFailedStderr sends failures to stderr (display_failed_stderr).
	DisplayFailedStderr bool
	// ShowCustomStats prints set_stats data in the recap (show_custom_stats).
	ShowCustomStats bool
	// ShowPerHostStart prints " [started TASK: name on HOST]" when a task
	// starts on a host (show_per_host_start; see HostStarter).
	ShowPerHostStart bool
	// CheckModeMarkers adds [CHECK MODE] and DRY RUN banners (check_mode_markers).
	CheckModeMarkers bool
	// ShowTaskPathOnFailure prints "task path:" before a failure below -vv.
	ShowTaskPathOnFailure bool
	// ResultFormat is "json" (the default, also for "") or "yaml".
	ResultFormat string
	// PrettyResults is pretty_results; nil when not set.
	PrettyResults *bool
	// DisplayArgsToStdout adds the task's arguments to its banner (display_args_to_stdout).
	DisplayArgsToStdout bool
	// Check is --check, for the DRY RUN banners.
	Check bool
	// DiffContext is the number of context lines in diffs; 0 means 3.
	DiffContext int
}

// Default is the default stdout callback of ansible-playbook.
type Default struct {
	d    *display
	dump dumper
	opts DefaultOptions

	play           *Play
	lastBannerUUID string
	// lastTaskName is the name of the task last started, nil under the free
	// strategies (where results name their own task).
	lastTaskName *string
	taskKinds    map[string]string
}

var _ Callback = (*Default)(nil)

// NewDefault returns the default callback writing to stdout and stderr.
func NewDefault(stdout, stderr io.Writer, opts DefaultOptions) (*Default, error) {
	if err := checkResultFormat(opts.ResultFormat); err != nil {
		return nil, err
	}
	if opts.DiffContext <= 0 {
		opts.DiffContext = DefaultDiffContext
	}
	d := newDisplay(stdout, stderr, opts.DisplayOptions)
	d.setResultFormat(opts.ResultFormat, opts.PrettyResults)
	return &Default{
		d:         d,
		dump:      dumper{verbosity: opts.Verbosity, pretty: opts.PrettyResults, yaml: opts.ResultFormat == "yaml"},
		opts:      opts,
		taskKinds: map[string]string{},
	}, nil
}

// checkResultFormat rejects result formats Ansible does not have.
func checkResultFormat(f string) error {
	switch f {
	case "", "json", "yaml":
		return nil
	}
	return fmt.Errorf("callback result_format %q is invalid: choose json or yaml", f)
}

var _ HostStarter = (*Default)(nil)

// HostStart prints " [started TASK: name on host]" with show_per_host_start.
func (c *Default) HostStart(t *Task, host string) {
	if c.opts.ShowPerHostStart {
		c.d.show(" [started "+taskRepr(t)+" on "+host+"]", c.d.colors.OK, false)
	}
}

// taskRepr is Task.__repr__: "TASK: name", or "TASK: meta (action)".
func taskRepr(t *Task) string {
	if t.Action == "meta" || t.Action == "ansible.builtin.meta" || t.Action == "ansible.legacy.meta" {
		if raw, ok := t.Args["_raw_params"]; ok {
			return "TASK: meta (" + pytext.Str(raw) + ")"
		}
	}
	return "TASK: " + t.Name
}

// Display shows an executor message at the given verbosity or above.
func (c *Default) Display(msg string, verbosity int) {
	if c.d.verbosity >= verbosity {
		c.d.show(msg, c.d.colors.Verbose, false)
	}
}

// PlaybookStart prints the PLAYBOOK banner at -vv.
func (c *Default) PlaybookStart(file string) {
	if c.d.verbosity > 1 {
		c.d.banner("PLAYBOOK: "+filepath.Base(file), "")
	}
	if c.opts.Check && c.opts.CheckModeMarkers {
		c.d.banner("DRY RUN", "")
	}
}

// PlayStart prints the PLAY banner.
func (c *Default) PlayStart(p *Play) {
	name := strings.TrimSpace(playName(p))
	check := ""
	if p.Check && c.opts.CheckModeMarkers {
		check = " [CHECK MODE]"
	}
	c.play = p
	if name == "" {
		c.d.banner("PLAY"+check, "")
		return
	}
	c.d.banner("PLAY ["+name+"]"+check, "")
}

// playName is Play.get_name: the name, or the host patterns joined by commas.
func playName(p *Play) string {
	if p.Name != "" {
		return p.Name
	}
	return strings.Join(p.Hosts, ",")
}

// TaskStart prints the task banner, unless some results are hidden, in which
// case the banner waits for the first result shown.
func (c *Default) TaskStart(t *Task) {
	kind := t.Kind
	if kind == "" {
		kind = "TASK"
	}
	c.taskKinds[t.UUID] = kind
	if c.play != nil && isFreeStrategy(c.play.Strategy) {
		c.lastTaskName = nil
		return
	}
	name := strings.TrimSpace(t.Name)
	c.lastTaskName = &name
	if !c.opts.HideSkippedHosts && !c.opts.HideOKHosts {
		c.printTaskBanner(t)
	}
}

// isFreeStrategy reports whether tasks run out of lockstep under strategy s.
func isFreeStrategy(s string) bool {
	switch s {
	case "free", "host_pinned", "ansible.builtin.free", "ansible.builtin.host_pinned",
		"ansible.legacy.free", "ansible.legacy.host_pinned":
		return true
	}
	return false
}

func (c *Default) printTaskBanner(t *Task) {
	args := ""
	if !t.NoLog && c.opts.DisplayArgsToStdout {
		var parts []string
		for _, k := range value.Keys(t.Args) {
			parts = append(parts, k+"="+pytext.Str(t.Args[k]))
		}
		args = " " + strings.Join(parts, ", ")
	}
	kind := c.taskKinds[t.UUID]
	if kind == "" {
		kind = "TASK"
	}
	name := strings.TrimSpace(t.Name)
	if c.lastTaskName != nil {
		name = *c.lastTaskName
	}
	check := ""
	if t.Check && c.opts.CheckModeMarkers {
		check = " [CHECK MODE]"
	}
	c.d.banner(kind+" ["+name+args+"]"+check, "")
	if c.d.verbosity >= 2 {
		c.printTaskPath(t)
	}
	c.lastBannerUUID = t.UUID
}

func (c *Default) printTaskPath(t *Task) {
	if t.Path != "" {
		c.d.show("task path: "+t.Path, c.d.colors.Debug, false)
	}
}

// bannerFor prints the banner of r's task unless it was the last one printed.
func (c *Default) bannerFor(t *Task) {
	if c.lastBannerUUID != t.UUID {
		c.printTaskBanner(t)
	}
}

// hostLabel is CallbackBase.host_label: "host", or "host -> delegate" with
// the delegate's address when it differs from its name.
func hostLabel(r *Result) string {
	label := r.Host
	if r.Delegated != "" && r.Delegated != r.Host {
		label += " -> " + r.Delegated
		ahost := r.Delegated
		if h, ok := value.Lookup(r.Result["_ansible_delegated_vars"], "ansible_host"); ok {
			ahost = pytext.Str(h)
		}
		if ahost != r.Delegated {
			label += "(" + ahost + ")"
		}
	}
	return label
}

// runIsVerbose is CallbackBase._run_is_verbose.
func (c *Default) runIsVerbose(res map[string]any, verbosity int) bool {
	always, _ := res["_ansible_verbose_always"].(bool)
	override, hasOverride := res["_ansible_verbose_override"]
	return (c.d.verbosity > verbosity || always) && (!hasOverride || override == false)
}

// HostResult prints a task's final result on one host.
func (c *Default) HostResult(r *Result) {
	res := cleanCopy(r)
	switch r.Status {
	case Failed:
		c.onFailed(r, res)
	case Unreachable:
		c.onUnreachable(r, res)
	case Skipped:
		c.onSkipped(r, res)
	default:
		if _, ok := res["diff"]; ok && r.Task.Diff {
			c.fileDiff(r, res)
		}
		c.onOK(r, res)
	}
}

func (c *Default) onFailed(r *Result, res map[string]any) {
	label := hostLabel(r)
	cleanResults(res, r.Task.Action)
	c.bannerFor(r.Task)
	handleException(c.d, res, c.opts.DisplayFailedStderr)
	handleWarnings(c.d, res)
	if _, ok := res["results"]; r.Task.Loop && ok {
		delete(res, "results")
	} else {
		if c.d.verbosity < 2 && c.opts.ShowTaskPathOnFailure {
			c.printTaskPath(r.Task)
		}
		c.d.show("fatal: ["+label+"]: FAILED! => "+c.dump.dump(res, NoIndent, true), c.d.colors.Error, c.opts.DisplayFailedStderr)
	}
	if r.Ignored {
		c.d.show("...ignoring", c.d.colors.Skip, false)
	}
}

func (c *Default) onOK(r *Result, res map[string]any) {
	label := hostLabel(r)
	var msg, color string
	switch {
	case includeActions[r.Task.Action]:
		c.bannerFor(r.Task)
		return
	case truthy(res["changed"]):
		c.bannerFor(r.Task)
		msg, color = "changed: ["+label+"]", c.d.colors.Changed
	default:
		if c.opts.HideOKHosts {
			return
		}
		c.bannerFor(r.Task)
		msg, color = "ok: ["+label+"]", c.d.colors.OK
	}
	handleWarnings(c.d, res)
	if _, ok := res["results"]; r.Task.Loop && ok {
		delete(res, "results")
		return
	}
	cleanResults(res, r.Task.Action)
	if c.runIsVerbose(res, 0) {
		msg += " => " + c.dump.dump(res, NoIndent, true)
	}
	c.d.show(msg, color, false)
}

func (c *Default) onSkipped(r *Result, res map[string]any) {
	if c.opts.HideSkippedHosts {
		return
	}
	cleanResults(res, r.Task.Action)
	c.bannerFor(r.Task)
	if _, ok := res["results"]; r.Task.Loop && ok {
		delete(res, "results")
	}
	msg := "skipping: [" + r.Host + "]"
	if c.runIsVerbose(res, 0) {
		msg += " => " + c.dump.dump(res, NoIndent, true)
	}
	c.d.show(msg, c.d.colors.Skip, false)
}

func (c *Default) onUnreachable(r *Result, res map[string]any) {
	c.bannerFor(r.Task)
	msg := "fatal: [" + hostLabel(r) + "]: UNREACHABLE! => " + c.dump.dump(res, NoIndent, true)
	c.d.show(msg, c.d.colors.Unreachable, c.opts.DisplayFailedStderr)
	if r.Ignored {
		c.d.show("...ignoring", c.d.colors.Skip, false)
	}
}

// fileDiff is v2_on_file_diff: the diffs of a changed result (or of each
// changed item of a loop).
func (c *Default) fileDiff(r *Result, res map[string]any) {
	show := func(item any) {
		diff := lookup(item, "diff")
		if !truthy(diff) || !truthy(lookup(item, "changed")) {
			return
		}
		if text := c.d.formatDiff(diff, c.opts.DiffContext); text != "" {
			c.bannerFor(r.Task)
			c.d.show(text, "", false)
		}
	}
	if items, ok := res["results"].([]any); r.Task.Loop && ok {
		for _, it := range items {
			show(it)
		}
		return
	}
	show(res)
}

// ItemResult prints the result of one loop item.
func (c *Default) ItemResult(r *Result) {
	res := cleanCopy(r)
	switch r.Status {
	case Failed, Unreachable:
		c.bannerFor(r.Task)
		label := hostLabel(r)
		cleanResults(res, r.Task.Action)
		handleException(c.d, res, c.opts.DisplayFailedStderr)
		handleWarnings(c.d, res)
		c.d.show("failed: ["+label+"] (item="+itemLabel(res)+") => "+c.dump.dump(res, NoIndent, true),
			c.d.colors.Error, c.opts.DisplayFailedStderr)
	case Skipped:
		if c.opts.HideSkippedHosts {
			return
		}
		c.bannerFor(r.Task)
		cleanResults(res, r.Task.Action)
		msg := "skipping: [" + r.Host + "] => (item=" + itemLabel(res) + ") "
		if c.runIsVerbose(res, 0) {
			msg += " => " + c.dump.dump(res, NoIndent, true)
		}
		c.d.show(msg, c.d.colors.Skip, false)
	default:
		if r.Task.Diff {
			c.fileDiff(r, res)
		}
		c.itemOK(r, res)
	}
}

func (c *Default) itemOK(r *Result, res map[string]any) {
	label := hostLabel(r)
	var msg, color string
	switch {
	case includeActions[r.Task.Action]:
		return
	case truthy(res["changed"]):
		c.bannerFor(r.Task)
		msg, color = "changed", c.d.colors.Changed
	default:
		if c.opts.HideOKHosts {
			return
		}
		c.bannerFor(r.Task)
		msg, color = "ok", c.d.colors.OK
	}
	msg = msg + ": [" + label + "] => (item=" + itemLabel(res) + ")"
	cleanResults(res, r.Task.Action)
	if c.runIsVerbose(res, 0) {
		msg += " => " + c.dump.dump(res, NoIndent, true)
	}
	c.d.show(msg, color, false)
}

// Retry prints an until-loop attempt that will be retried.
func (c *Default) Retry(r *Result) {
	res := cleanCopy(r)
	name := r.Task.OwnName
	if name == "" {
		name = r.Task.Name
	}
	msg := fmt.Sprintf("FAILED - RETRYING: [%s]: %s (%d retries left).", hostLabel(r), name,
		intOf(res["retries"])-intOf(res["attempts"]))
	if c.runIsVerbose(res, 2) {
		msg += "Result was: " + c.dump.dump(res, NoIndent, true)
	}
	c.d.show(msg, c.d.colors.Debug, false)
}

// Included prints "included: FILE for HOSTS".
func (c *Default) Included(file string, hosts []string, item any, hasItem bool) {
	msg := "included: " + file + " for " + strings.Join(hosts, ", ")
	if hasItem && truthy(item) {
		msg += " => (item=" + pytext.Str(item) + ")"
	}
	c.d.show(msg, c.d.colors.Skip, false)
}

// NoHostsMatched prints "skipping: no hosts matched".
func (c *Default) NoHostsMatched() {
	c.d.show("skipping: no hosts matched", c.d.colors.Skip, false)
}

// NoHostsRemaining prints the NO MORE HOSTS LEFT banner.
func (c *Default) NoHostsRemaining() {
	c.d.banner("NO MORE HOSTS LEFT", "")
}

// Notified prints "NOTIFIED HANDLER h for host" at -vv.
func (c *Default) Notified(handler, host string) {
	if c.d.verbosity > 1 {
		c.d.show("NOTIFIED HANDLER "+handler+" for "+host, c.d.colors.Verbose, false)
	}
}

var _ AsyncReporter = (*Default)(nil)

// AsyncPoll prints "ASYNC POLL on HOST: jid=J started=S finished=F".
func (c *Default) AsyncPoll(host, jid string, started, finished any) {
	c.d.show(fmt.Sprintf("ASYNC POLL on %s: jid=%s started=%v finished=%v", host, jid, started, finished), c.d.colors.Debug, false)
}

// AsyncDone prints "ASYNC OK on HOST: jid=J" or "ASYNC FAILED on HOST: jid=J".
func (c *Default) AsyncDone(host, jid string, failed bool) {
	word := "OK"
	if failed {
		word = "FAILED"
	}
	c.d.show(fmt.Sprintf("ASYNC %s on %s: jid=%s", word, host, jid), c.d.colors.Debug, false)
}

// Warning prints a [WARNING] on stderr.
func (c *Default) Warning(msg string) { c.d.warning(msg) }

// Deprecation prints a [DEPRECATION WARNING] on stderr for msg, with no
// version or date.
func (c *Default) Deprecation(msg string) { c.d.deprecated(Deprecation{Msg: msg}) }

// Stats prints the PLAY RECAP and, when asked, custom stats and DRY RUN.
func (c *Default) Stats(s *Stats) {
	c.d.banner("PLAY RECAP", "")
	for _, h := range sortedHosts(s) {
		t := s.Hosts[h]
		c.d.show(fmt.Sprintf("%s : %s %s %s %s %s %s %s",
			c.hostColor(h, t),
			c.countColor("ok", t.OK, c.d.colors.OK),
			c.countColor("changed", t.Changed, c.d.colors.Changed),
			c.countColor("unreachable", t.Unreachable, c.d.colors.Unreachable),
			c.countColor("failed", t.Failures, c.d.colors.Error),
			c.countColor("skipped", t.Skipped, c.d.colors.Skip),
			c.countColor("rescued", t.Rescued, c.d.colors.OK),
			c.countColor("ignored", t.Ignored, c.d.colors.Warn),
		), "", false)
	}
	c.d.show("", "", false)

	if len(s.Custom) > 0 && c.opts.ShowCustomStats {
		c.d.banner("CUSTOM STATS: ", "")
		for _, k := range value.Keys(s.Custom) {
			if k == "_run" {
				continue
			}
			c.d.show("\t"+k+": "+strings.ReplaceAll(c.dump.dump(s.Custom[k], 1, true), "\n", ""), "", false)
		}
		if run, ok := s.Custom["_run"]; ok {
			c.d.show("", "", false)
			c.d.show("\tRUN: "+strings.ReplaceAll(c.dump.dump(run, 1, true), "\n", ""), "", false)
		}
		c.d.show("", "", false)
	}
	if (c.opts.Check || s.Check) && c.opts.CheckModeMarkers {
		c.d.banner("DRY RUN", "")
	}
}

// sortedHosts are the recap's hosts in order.
func sortedHosts(s *Stats) []string {
	m := make(map[string]any, len(s.Hosts))
	for h := range s.Hosts {
		m[h] = nil
	}
	return value.Keys(m)
}

// hostColor is utils.color.hostcolor: the host name padded to 26 columns,
// coloured by its worst outcome.
func (c *Default) hostColor(h string, t *HostStats) string {
	if !c.d.color {
		return fmt.Sprintf("%-26s", h)
	}
	color := c.d.colors.OK
	switch {
	case t.Failures != 0 || t.Unreachable != 0:
		color = c.d.colors.Error
	case t.Changed != 0:
		color = c.d.colors.Changed
	}
	return fmt.Sprintf("%-37s", stringc(h, color))
}

// countColor is utils.color.colorize: "name=N" padded, coloured when not zero.
func (c *Default) countColor(name string, n int, color string) string {
	s := fmt.Sprintf("%s=%-4d", name, n)
	if n != 0 && c.d.color {
		s = stringc(s, color)
	}
	return s
}
