package output

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gorun/engine/pytext"
)

// PlanOptions configure the plan callback.
type PlanOptions struct {
	// File is where the Markdown goes (gorun's --plan FILE.md).
	File string
	// MaxDiffLines cuts each diff after this many lines (0 means 200), so
	// the plan stays small enough for a merge-request comment.
	MaxDiffLines int
	// MaxBytes cuts the whole plan near this size (0 means 400000 bytes;
	// GitLab accepts notes up to 1,000,000 characters).
	MaxBytes int
	// BaseDir makes task paths relative to it (the playbook's directory).
	BaseDir string
}

// Plan is the plan callback: a Markdown summary of what a run changed, or
// what a --check --diff run would change, for a merge-request comment.
// A host table gives the counts; each change follows once, with the hosts
// it applies to, and its diff folded in <details>. The same change (same
// task, same diff) on many hosts is shown once with all of them.
type Plan struct {
	opts     PlanOptions
	d        *display
	playbook string
	check    bool
	hosts    map[string]*planHost
	changes  []*planChange
	byKey    map[string]*planChange
	// Err is the error writing the file, if any.
	Err error
}

type planHost struct {
	changed, failed, unreachable int
}

// planChange is one change of one task, and the hosts it applies to.
type planChange struct {
	task, path, diff string
	hosts            []string
	failed           bool // a failure, listed so reviewers see it
	msg              string
}

var _ Callback = (*Plan)(nil)

// NewPlan returns the plan callback.
func NewPlan(o PlanOptions) *Plan {
	if o.MaxDiffLines <= 0 {
		o.MaxDiffLines = 200
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 400000
	}
	return &Plan{opts: o, d: newDisplay(io.Discard, io.Discard, DisplayOptions{NoColor: true}),
		hosts: map[string]*planHost{}, byKey: map[string]*planChange{}}
}

// PlaybookStart records the playbook's name for the title.
func (p *Plan) PlaybookStart(file string) {
	if p.playbook == "" {
		p.playbook = filepath.Base(file)
	} else if !strings.Contains(p.playbook, filepath.Base(file)) {
		p.playbook += ", " + filepath.Base(file)
	}
}

// PlayStart notes check mode.
func (p *Plan) PlayStart(pl *Play) {
	if pl.Check {
		p.check = true
	}
}

func (p *Plan) host(name string) *planHost {
	h := p.hosts[name]
	if h == nil {
		h = &planHost{}
		p.hosts[name] = h
	}
	return h
}

// HostResult records a change (with its diff) or a failure.
func (p *Plan) HostResult(r *Result) {
	h := p.host(r.Host)
	res := cleanCopy(r)
	switch {
	case r.Status == Changed:
		h.changed++
		p.add(r, p.diffOf(r, res), false, "")
	case r.Status == Failed && !r.Ignored:
		h.failed++
		p.add(r, "", true, pytext.Str(res["msg"]))
	case r.Status == Unreachable && !r.Ignored:
		h.unreachable++
		p.add(r, "", true, "unreachable: "+pytext.Str(res["msg"]))
	}
}

// diffOf is the text of a result's diffs (each changed item's for a loop).
func (p *Plan) diffOf(r *Result, res map[string]any) string {
	if items, ok := res["results"].([]any); r.Task.Loop && ok {
		var b strings.Builder
		for _, it := range items {
			if truthy(lookup(it, "changed")) && truthy(lookup(it, "diff")) {
				b.WriteString(p.d.formatDiff(lookup(it, "diff"), DefaultDiffContext))
			}
		}
		return b.String()
	}
	if truthy(res["diff"]) {
		return p.d.formatDiff(res["diff"], DefaultDiffContext)
	}
	return ""
}

// add files a change under its task and diff, once however many hosts share it.
func (p *Plan) add(r *Result, diff string, failed bool, msg string) {
	key := strings.Join([]string{r.Task.UUID, diff, fmt.Sprint(failed), msg}, "\x00")
	c := p.byKey[key]
	if c == nil {
		c = &planChange{task: r.Task.Name, path: r.Task.Path, diff: diff, failed: failed, msg: msg}
		if r.Task.Kind == "RUNNING HANDLER" {
			c.task = "handler: " + c.task
		}
		p.byKey[key] = c
		p.changes = append(p.changes, c)
	}
	host := r.Host
	if r.Delegated != "" {
		host += " -> " + r.Delegated
	}
	for _, h := range c.hosts {
		if h == host {
			return
		}
	}
	c.hosts = append(c.hosts, host)
}

func (*Plan) TaskStart(*Task)                      {}
func (*Plan) ItemResult(*Result)                   {}
func (*Plan) Retry(*Result)                        {}
func (*Plan) Included(string, []string, any, bool) {}
func (*Plan) NoHostsMatched()                      {}
func (*Plan) NoHostsRemaining()                    {}
func (*Plan) Notified(string, string)              {}
func (*Plan) Warning(string)                       {}
func (*Plan) Deprecation(string)                   {}

// Stats writes the plan file, with every host of the recap in its table.
func (p *Plan) Stats(s *Stats) {
	for name := range s.Hosts {
		p.host(name)
	}
	if s.Check {
		p.check = true
	}
	if p.opts.File == "" {
		return
	}
	if err := os.WriteFile(p.opts.File, []byte(p.Markdown()), 0o644); err != nil {
		p.Err = fmt.Errorf("plan: %w", err)
	}
}

// Markdown returns the plan.
func (p *Plan) Markdown() string {
	var b strings.Builder
	verb := "changed"
	if p.check {
		verb = "would change"
	}
	names := make([]string, 0, len(p.hosts))
	changing, failing := 0, 0
	for n, h := range p.hosts {
		names = append(names, n)
		if h.changed > 0 {
			changing++
		}
		if h.failed+h.unreachable > 0 {
			failing++
		}
	}
	sort.Strings(names)
	title := "gorun"
	if p.playbook != "" {
		title += ": " + p.playbook
	}
	if p.check {
		title += " (check mode)"
	}
	fmt.Fprintf(&b, "### %s\n\n", mdEscape(title))
	fmt.Fprintf(&b, "%d of %d hosts %s", changing, len(names), verb)
	if failing > 0 {
		fmt.Fprintf(&b, ", %d failed", failing)
	}
	b.WriteString(".\n\n")
	if len(names) > 0 {
		fmt.Fprintf(&b, "| host | %s | failed | unreachable |\n|---|---:|---:|---:|\n", verb)
		for _, n := range names {
			h := p.hosts[n]
			fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", mdEscape(n), h.changed, h.failed, h.unreachable)
		}
		b.WriteString("\n")
	}
	omitted := 0
	for _, c := range p.changes {
		if b.Len() > p.opts.MaxBytes {
			omitted++
			continue
		}
		p.writeChange(&b, c)
	}
	if omitted > 0 {
		fmt.Fprintf(&b, "\n_%d more changes omitted to keep this plan small; see the job log._\n", omitted)
	}
	return b.String()
}

func (p *Plan) writeChange(b *strings.Builder, c *planChange) {
	mark := "~"
	if c.failed {
		mark = "✗"
	}
	hosts := append([]string(nil), c.hosts...)
	sort.Strings(hosts)
	fmt.Fprintf(b, "- %s **%s** on %s", mark, mdEscape(c.task), mdEscape(strings.Join(hosts, ", ")))
	if path := c.path; path != "" {
		if p.opts.BaseDir != "" {
			if rel, err := filepath.Rel(p.opts.BaseDir, path); err == nil && !strings.HasPrefix(rel, "..") {
				path = rel
			}
		}
		fmt.Fprintf(b, " (`%s`)", strings.ReplaceAll(path, "`", "'"))
	}
	b.WriteString("\n")
	if c.failed {
		fmt.Fprintf(b, "  > %s\n", mdEscape(firstLine(c.msg)))
		return
	}
	if c.diff == "" {
		return
	}
	lines := strings.SplitAfter(strings.TrimRight(c.diff, "\n"), "\n")
	if p.opts.BaseDir != "" {
		// Controller paths in the headers are shown relative to the repository.
		for i, l := range lines {
			if strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "+++ ") {
				lines[i] = strings.ReplaceAll(l, p.opts.BaseDir+string(filepath.Separator), "")
			}
		}
	}
	summary := fmt.Sprintf("diff (%d lines)", len(lines))
	if len(lines) > p.opts.MaxDiffLines {
		lines = append(lines[:p.opts.MaxDiffLines:p.opts.MaxDiffLines], fmt.Sprintf("\n... %d more lines", len(lines)-p.opts.MaxDiffLines))
	}
	text := strings.Join(lines, "")
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "\n  <details><summary>%s</summary>\n\n  %sdiff\n%s\n  %s\n\n  </details>\n\n", summary, fence, indentLines(text, "  "), fence)
}

// mdEscape keeps names from being read as Markdown or HTML.
func mdEscape(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "`", "\\`", "|", "\\|", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]")
	return r.Replace(s)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func indentLines(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
