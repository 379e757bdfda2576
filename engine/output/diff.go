package output

import (
	"fmt"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// DefaultDiffContext is Ansible's DIFF_CONTEXT: lines of context around a change.
const DefaultDiffContext = 3

// formatDiff is CallbackBase._get_diff: the text shown for a result's "diff"
// (one mapping or a list of them): notes for binary or large files, a unified
// diff of before/after, and any "prepared" text.
func (d *display) formatDiff(diffs any, context int) string {
	list, ok := diffs.([]any)
	if !ok {
		list = []any{diffs}
	}
	var ret strings.Builder
	for _, diff := range list {
		if !value.IsMapping(diff) {
			continue
		}
		has := func(k string) bool { _, ok := value.Lookup(diff, k); return ok }
		if has("dst_binary") {
			ret.WriteString("diff skipped: destination file appears to be binary\n")
		}
		if has("src_binary") {
			ret.WriteString("diff skipped: source file appears to be binary\n")
		}
		if has("dst_larger") {
			fmt.Fprintf(&ret, "diff skipped: destination file size is greater than %d\n", intOf(lookup(diff, "dst_larger")))
		}
		if has("src_larger") {
			fmt.Fprintf(&ret, "diff skipped: source file size is greater than %d\n", intOf(lookup(diff, "src_larger")))
		}
		if has("before") && has("after") {
			beforeHeader, afterHeader := "before", "after"
			if has("before_header") {
				beforeHeader = "before: " + pytext.Str(lookup(diff, "before_header"))
			}
			if has("after_header") {
				afterHeader = "after: " + pytext.Str(lookup(diff, "after_header"))
			}
			lines := d.unifiedDiff(d.diffText(lookup(diff, "before")), d.diffText(lookup(diff, "after")), beforeHeader, afterHeader, context)
			for _, l := range lines {
				switch {
				case strings.HasPrefix(l, "+"):
					l = d.colorize(l, d.colors.DiffAdd)
				case strings.HasPrefix(l, "-"):
					l = d.colorize(l, d.colors.DiffRemove)
				case strings.HasPrefix(l, "@@"):
					l = d.colorize(l, d.colors.DiffLines)
				}
				ret.WriteString(l)
			}
			if len(lines) > 0 {
				ret.WriteString("\n")
			}
		}
		if has("prepared") {
			ret.WriteString(pytext.Str(lookup(diff, "prepared")))
		}
	}
	return ret.String()
}

// diffText is one side of a diff as text: mappings serialised as
// CallbackBase._serialize_diff does (ASCII-escaped JSON, or YAML with
// result_format=yaml), None as empty.
func (d *display) diffText(v any) string {
	switch {
	case v == nil:
		return ""
	case value.IsMapping(v) && d.yamlDiffs:
		return pyIndent(DumpYAML(v, 4, d.lossyDiffs), "    ") + "\n"
	case value.IsMapping(v):
		return DumpsASCII(v, 4, true) + "\n"
	}
	return pytext.Str(v)
}

// unifiedDiff returns the lines of difflib.unified_diff(before, after), each
// with its line ending, with Ansible's "\ No newline at end of file" markers.
func (d *display) unifiedDiff(before, after, fromFile, toFile string, context int) []string {
	a := pySplitLines(before)
	b := pySplitLines(after)
	markNoNewline(a)
	markNoNewline(b)
	m := difflib.NewMatcher(a, b)
	var out []string
	for i, g := range m.GetGroupedOpCodes(context) {
		if i == 0 {
			out = append(out, "--- "+fromFile+"\n", "+++ "+toFile+"\n")
		}
		first, last := g[0], g[len(g)-1]
		out = append(out, fmt.Sprintf("@@ -%s +%s @@\n", unifiedRange(first.I1, last.I2), unifiedRange(first.J1, last.J2)))
		for _, c := range g {
			if c.Tag == 'e' {
				for _, l := range a[c.I1:c.I2] {
					out = append(out, " "+l)
				}
				continue
			}
			if c.Tag == 'r' || c.Tag == 'd' {
				for _, l := range a[c.I1:c.I2] {
					out = append(out, "-"+l)
				}
			}
			if c.Tag == 'r' || c.Tag == 'i' {
				for _, l := range b[c.J1:c.J2] {
					out = append(out, "+"+l)
				}
			}
		}
	}
	return out
}

// markNoNewline appends the "no newline" note to a last line without one.
func markNoNewline(lines []string) {
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		lines[n-1] += "\n\\ No newline at end of file\n"
	}
}

// unifiedRange is difflib._format_range_unified.
func unifiedRange(start, stop int) string {
	beginning := start + 1
	length := stop - start
	if length == 1 {
		return fmt.Sprint(beginning)
	}
	if length == 0 {
		beginning--
	}
	return fmt.Sprintf("%d,%d", beginning, length)
}

// pySplitLines is Python's str.splitlines(keepends=True), which also breaks
// at \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029.
func pySplitLines(s string) []string {
	var lines []string
	rs := []rune(s)
	var cur strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		cur.WriteRune(r)
		switch r {
		case '\r':
			if i+1 < len(rs) && rs[i+1] == '\n' {
				cur.WriteRune('\n')
				i++
			}
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		default:
			continue
		}
		lines = append(lines, cur.String())
		cur.Reset()
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
