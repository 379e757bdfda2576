package rhel

import (
	"fmt"
	"gorun/engine/pytext"
	"regexp"
	"sort"
	"strings"
)

// configFile is a .repo file as Python's configparser.RawConfigParser holds
// it, which yum_repository reads and writes: sections in file order, each
// with its options in order, keys lower-cased, multi-line values joined with
// newlines, comments dropped. Writing it back gives the bytes Ansible writes.
type configFile struct {
	defaults *configSection
	sections []*configSection
}

// configSection is one [section] with its options in order.
type configSection struct {
	name   string
	keys   []string
	values map[string]string
}

func newSection(name string) *configSection {
	return &configSection{name: name, values: map[string]string{}}
}

func (s *configSection) set(key, value string) {
	if _, ok := s.values[key]; !ok {
		s.keys = append(s.keys, key)
	}
	s.values[key] = value
}

// defaultSection is configparser's DEFAULT, whose options every section inherits.
const defaultSection = "DEFAULT"

var (
	sectionRE = regexp.MustCompile(`^\[(.+)\]`)
	optionRE  = regexp.MustCompile(`^(.*?)\s*([=:])\s*(.*)$`)
)

// parseConfig reads text as RawConfigParser.read does (strict, no
// interpolation, '#' and ';' comment lines, empty lines kept inside values);
// path names the file in errors.
func parseConfig(path, text string) (*configFile, error) {
	c := &configFile{defaults: newSection(defaultSection)}
	var cur *configSection
	var opt string
	var lines map[string][]string // the current section's values, line by line
	indent := -1
	flush := func() {
		if cur == nil {
			return
		}
		for k, v := range lines {
			cur.values[k] = strings.TrimRightFunc(strings.Join(v, "\n"), isPySpace)
		}
	}
	seen := map[string]bool{}
	for n, line := range pytext.SplitLines(text) {
		trimmed := strings.TrimFunc(line, isPySpace)
		comment := strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";")
		if comment || trimmed == "" {
			// An empty line (not a comment) continues the current value.
			if !comment && cur != nil && opt != "" {
				lines[opt] = append(lines[opt], "")
			}
			continue
		}
		lead := len(line) - len(strings.TrimLeftFunc(line, isPySpace))
		if cur != nil && opt != "" && lead > indent {
			lines[opt] = append(lines[opt], trimmed)
			continue
		}
		indent = lead
		if m := sectionRE.FindStringSubmatch(trimmed); m != nil {
			flush()
			if seen[m[1]] {
				return nil, fmt.Errorf("While reading from '%s' [line %2d]: section '%s' already exists", path, n+1, m[1])
			}
			seen[m[1]] = true
			if m[1] == defaultSection {
				cur = c.defaults
			} else {
				cur = newSection(m[1])
				c.sections = append(c.sections, cur)
			}
			lines, opt = map[string][]string{}, ""
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("File contains no section headers.\nfile: '%s', line: %d\n%q", path, n+1, line+"\n")
		}
		m := optionRE.FindStringSubmatch(trimmed)
		if m == nil || strings.TrimRightFunc(m[1], isPySpace) == "" {
			return nil, fmt.Errorf("Source contains parsing errors: '%s'\n\t[line %2d]: %q", path, n+1, line+"\n")
		}
		opt = strings.ToLower(strings.TrimRightFunc(m[1], isPySpace))
		if _, dup := lines[opt]; dup {
			return nil, fmt.Errorf("While reading from '%s' [line %2d]: option '%s' in section '%s' already exists", path, n+1, opt, cur.name)
		}
		cur.set(opt, "")
		lines[opt] = []string{strings.TrimFunc(m[3], isPySpace)}
	}
	flush()
	return c, nil
}

func isPySpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
}

// section returns the section called name, or nil.
func (c *configFile) section(name string) *configSection {
	for _, s := range c.sections {
		if s.name == name {
			return s
		}
	}
	return nil
}

// remove drops the section called name, reporting whether there was one.
func (c *configFile) remove(name string) bool {
	for i, s := range c.sections {
		if s.name == name {
			c.sections = append(c.sections[:i], c.sections[i+1:]...)
			return true
		}
	}
	return false
}

// add appends a new section (the caller removed any of the same name).
func (c *configFile) add(name string) *configSection {
	s := newSection(name)
	c.sections = append(c.sections, s)
	return s
}

// write renders the file as RawConfigParser.write does: DEFAULT first when
// it has options, "key = value" lines with continuation lines indented by a
// tab, and an empty line after every section.
func (c *configFile) write() string {
	var b strings.Builder
	emit := func(s *configSection) {
		fmt.Fprintf(&b, "[%s]\n", s.name)
		for _, k := range s.keys {
			fmt.Fprintf(&b, "%s = %s\n", k, strings.ReplaceAll(s.values[k], "\n", "\n\t"))
		}
		b.WriteString("\n")
	}
	if len(c.defaults.keys) > 0 {
		emit(c.defaults)
	}
	for _, s := range c.sections {
		emit(s)
	}
	return b.String()
}

// dump is yum_repository's YumRepo.dump, the text its diff and changed test
// compare: sections sorted by name, each with its options (DEFAULT's
// included) sorted by key as "key = value" lines.
func (c *configFile) dump() string {
	names := make([]string, len(c.sections))
	for i, s := range c.sections {
		names[i] = s.name
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		s := c.section(n)
		items := map[string]string{}
		for k, v := range c.defaults.values {
			items[k] = v
		}
		for k, v := range s.values {
			items[k] = v
		}
		keys := make([]string, 0, len(items))
		for k := range items {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "[%s]\n", n)
		for _, k := range keys {
			fmt.Fprintf(&b, "%s = %s\n", k, items[k])
		}
		b.WriteString("\n")
	}
	return b.String()
}
