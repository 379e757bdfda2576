package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"gorun/engine/pytext"
)

// iniFile is ansible.cfg parsed as Python's configparser.ConfigParser reads
// it with Ansible's options (inline comments start with " ;"): "key = value"
// or "key: value", keys lower-cased, values stripped, continuation lines
// indented deeper than the key, "#" and ";" comment lines, a [DEFAULT]
// section whose keys every section inherits.
type iniFile struct {
	sections map[string]map[string]string
	defaults map[string]string
}

var (
	sectionRe = regexp.MustCompile(`^\[(.+)\]`)
	optionRe  = regexp.MustCompile(`^(.*?)\s*([=:])\s*(.*)$`)
)

// parseINI parses text with configparser's rules and error messages
// (strict mode: duplicate sections and keys are errors).
func parseINI(text string) (*iniFile, error) {
	f := &iniFile{sections: map[string]map[string]string{}, defaults: map[string]string{}}
	type multi struct {
		sect map[string]string
		key  string
		val  []string
	}
	var (
		cur      map[string]string
		sectName string
		opt      *multi
		indent   int
		seen     = map[string]bool{}
		errs     []string
		pending  []*multi
	)
	lines := strings.SplitAfter(text, "\n")
	for i, line := range lines {
		lineno := i + 1
		if line == "" {
			continue
		}
		commentStart := -1
		for idx := strings.Index(line, ";"); idx >= 0; {
			if idx == 0 || unicode.IsSpace(rune(line[idx-1])) {
				commentStart = idx
				break
			}
			next := strings.Index(line[idx+1:], ";")
			if next < 0 {
				break
			}
			idx += 1 + next
		}
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";") {
			commentStart = 0
		}
		val := line
		if commentStart >= 0 {
			val = line[:commentStart]
		}
		val = strings.TrimSpace(val)
		if val == "" {
			// Blank lines (not comment lines) belong to a multi-line value.
			if commentStart < 0 && opt != nil {
				opt.val = append(opt.val, "")
			}
			continue
		}
		curIndent := len(line) - len(strings.TrimLeftFunc(line, unicode.IsSpace))
		if cur != nil && opt != nil && curIndent > indent {
			opt.val = append(opt.val, val)
			continue
		}
		indent = curIndent
		if m := sectionRe.FindStringSubmatch(val); m != nil {
			sectName = m[1]
			switch {
			case seen[sectName]:
				return nil, fmt.Errorf("While reading from '<string>' [line %2d]: section %s already exists", lineno, pytext.ReprString(sectName))
			case sectName == "DEFAULT":
				cur = f.defaults
			case f.sections[sectName] != nil:
				cur = f.sections[sectName]
			default:
				cur = map[string]string{}
				f.sections[sectName] = cur
			}
			if sectName != "DEFAULT" {
				seen[sectName] = true
			}
			opt = nil
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("File contains no section headers.\nfile: '<string>', line: %d\n%s", lineno, pytext.ReprString(line))
		}
		m := optionRe.FindStringSubmatch(val)
		if m == nil || m[1] == "" {
			errs = append(errs, fmt.Sprintf("\n\t[line %2d]: %s", lineno, pytext.ReprString(line)))
			opt = nil
			continue
		}
		key := strings.ToLower(strings.TrimRightFunc(m[1], unicode.IsSpace))
		if seen[sectName+"\x00"+key] {
			return nil, fmt.Errorf("While reading from '<string>' [line %2d]: option %s in section %s already exists", lineno, pytext.ReprString(key), pytext.ReprString(sectName))
		}
		seen[sectName+"\x00"+key] = true
		opt = &multi{sect: cur, key: key, val: []string{strings.TrimSpace(m[3])}}
		pending = append(pending, opt)
	}
	for _, p := range pending {
		p.sect[p.key] = strings.TrimRightFunc(strings.Join(p.val, "\n"), unicode.IsSpace)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("Source contains parsing errors: '<string>'%s", strings.Join(errs, ""))
	}
	return f, nil
}

// get returns the value of key in section, falling back to [DEFAULT] like
// ConfigParser.get; a section that does not exist has no keys.
func (f *iniFile) get(section, key string) (string, bool) {
	if f == nil {
		return "", false
	}
	key = strings.ToLower(key) // ConfigParser.optionxform
	sect, ok := f.sections[section]
	if !ok && section != "DEFAULT" {
		return "", false
	}
	if v, ok := sect[key]; ok {
		return v, true
	}
	v, ok := f.defaults[key]
	return v, ok
}
