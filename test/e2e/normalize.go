package e2e

import (
	"regexp"
	"sort"
	"strings"
)

// NormalizeTranscript rewrites the output of Ansible's default stdout
// callback (ansible-playbook, and gorun's imitation of it) into a form in
// which two runs that did the same thing compare equal:
//
//   - ANSI colour codes are removed and trailing blanks cut.
//   - Banners lose their row of asterisks, whose length depends on the
//     terminal width: "TASK [x] ****" becomes "TASK [x]".
//   - Within each banner's section, the per-host entries are put in host
//     order (a stable sort, so the items and retries of one host keep
//     their order). An entry is a status line such as "ok: [h1]",
//     "changed: [h1] => (item=a)", "fatal: [h2]: FAILED! => {...}",
//     "FAILED - RETRYING: [h1]: ..." or "included: f.yml for h1, h2",
//     together with the lines that follow it up to the next entry (the
//     indented result of a debug, "...ignoring") and the "An exception
//     occurred ..." line printed just before it. Hosts run in parallel,
//     so their order within a task is not part of the behaviour.
//   - Values that differ on every run are replaced: "delta", "start" and
//     "end" of command results by "<time>", Ansible's remote temporary
//     directories by "ansible-tmp-<id>".
//   - Recap lines have their padding collapsed to single spaces and are
//     sorted by host.
//   - Blank lines are dropped; sections are separated by one blank line.
//
// Everything else (task names, statuses, results, messages, warnings,
// the order of tasks and plays) is kept, so a difference there shows.
func NormalizeTranscript(out string) string {
	var sections []*section
	cur := &section{}
	// leading holds lines the callback prints before a host's status line
	// ("An exception occurred ..."): they belong to the entry that follows.
	var leading []string
	for _, line := range strings.Split(ansiCodes.ReplaceAllString(out, ""), "\n") {
		line = strings.TrimRight(line, " \t\r")
		line = volatile(line)
		if line == "" {
			continue
		}
		if m := banner.FindStringSubmatch(line); m != nil {
			// A leading line no status line followed stays where it was.
			cur.head, leading = append(cur.head, leading...), nil
			sections = append(sections, cur)
			cur = &section{banner: m[1], recap: m[1] == "PLAY RECAP"}
			continue
		}
		if cur.recap {
			if m := recapLine.FindStringSubmatch(line); m != nil {
				cur.entries = append(cur.entries, entry{host: m[1], lines: []string{m[1] + " : " + strings.Join(strings.Fields(m[2]), " ")}})
				continue
			}
		} else if host, ok := entryHost(line); ok {
			cur.entries = append(cur.entries, entry{host: host, lines: append(leading, line)})
			leading = nil
			continue
		} else if strings.HasPrefix(line, exceptionLine) {
			leading = append(leading, line)
			continue
		}
		if n := len(cur.entries); n > 0 {
			cur.entries[n-1].lines = append(cur.entries[n-1].lines, line)
		} else {
			cur.head = append(cur.head, line)
		}
	}
	cur.head = append(cur.head, leading...)
	sections = append(sections, cur)

	var b strings.Builder
	for _, s := range sections {
		if s.banner == "" && len(s.head) == 0 && len(s.entries) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		if s.banner != "" {
			b.WriteString(s.banner + "\n")
		}
		for _, l := range s.head {
			b.WriteString(l + "\n")
		}
		sort.SliceStable(s.entries, func(i, j int) bool { return s.entries[i].host < s.entries[j].host })
		for _, e := range s.entries {
			for _, l := range e.lines {
				b.WriteString(l + "\n")
			}
		}
	}
	return b.String()
}

// section is the part of a transcript under one banner.
type section struct {
	banner  string   // "TASK [x]", "" before the first banner
	recap   bool     // the PLAY RECAP section
	head    []string // lines before the first entry
	entries []entry
}

// entry is a host's status line and the lines that belong to it.
type entry struct {
	host  string
	lines []string
}

var (
	ansiCodes = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	// banner matches "PLAY [x] ****", "TASK [x] ****", "RUNNING HANDLER
	// [x] ****", "PLAY RECAP ****", "NO MORE HOSTS LEFT ****", ...
	banner    = regexp.MustCompile(`^([A-Z][A-Z ]*[A-Z](?: \[.*\])?) \*+$`)
	recapLine = regexp.MustCompile(`^(\S+)\s+:\s+(ok=.*)$`)
	// statusLine matches "ok: [h1]", "fatal: [h1 -> h2]: FAILED! ...",
	// "FAILED - RETRYING: [h1]: ..." and the like.
	statusLine = regexp.MustCompile(`^[a-zA-Z][a-zA-Z -]*: \[([^\]]+)\]`)
	included   = regexp.MustCompile(`^included: .* for (.+)$`)
	// includedHosts is the host list of an "included:" line, before any "=> (item=...)".
	includedHosts = regexp.MustCompile(`^included: .* for ([^=]+?)(?: => .*)?$`)
	// Values that change from run to run.
	timeFields = regexp.MustCompile(`"(delta|start|end)": "[^"]*"`)
	tmpDirs    = regexp.MustCompile(`ansible-tmp-[0-9.]+-[0-9]+-[0-9]+`)
	// asyncJIDs are async job ids (async_wrapper's "j" + random + "." + pid).
	asyncJIDs = regexp.MustCompile(`\bj[0-9]{6,}\.[0-9]+\b`)
)

// exceptionLine starts the line the default callback prints before a
// failed host's status line when the result carries an exception.
const exceptionLine = "An exception occurred during task execution."

// entryHost returns the host a status line is about.
func entryHost(line string) (string, bool) {
	if m := statusLine.FindStringSubmatch(line); m != nil {
		return m[1], true
	}
	if m := included.FindStringSubmatch(line); m != nil {
		return m[1], true
	}
	return "", false
}

// volatile replaces the parts of a line that differ on every run. The hosts
// of an "included: FILE for h3, h1" line come in the order their results
// arrived, so they are sorted.
func volatile(line string) string {
	if loc := includedHosts.FindStringSubmatchIndex(line); loc != nil {
		hosts := strings.Split(line[loc[2]:loc[3]], ", ")
		sort.Strings(hosts)
		line = line[:loc[2]] + strings.Join(hosts, ", ") + line[loc[3]:]
	}
	line = timeFields.ReplaceAllString(line, `"$1": "<time>"`)
	line = asyncJIDs.ReplaceAllString(line, "j<jid>")
	return tmpDirs.ReplaceAllString(line, "ansible-tmp-<id>")
}
