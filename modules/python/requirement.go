package python

import (
	"regexp"
	"sort"
	"strings"

	pep440 "github.com/aquasecurity/go-pep440-version"
)

// requirement is a package of the pip module's name list, as Ansible's
// Package class wraps pkg_resources.Requirement: a PEP 508 requirement
// (name, extras, version specifiers, marker), or, when the text is not one
// (a path, a URL, a VCS link), the text itself.
type requirement struct {
	text    string // the text given, used as is when plain is false
	plain   bool   // the text parsed as a requirement
	name    string // the name as written
	extras  []string
	specs   []string // "op version", without blanks
	url     string
	marker  string
	checker pep440.Specifiers
}

var (
	// reqName is PEP 508's distribution name.
	reqName = regexp.MustCompile(`(?i)^\s*([a-z0-9][a-z0-9._-]*[a-z0-9]|[a-z0-9])\s*`)
	reqSpec = regexp.MustCompile(`^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;)]+)\s*$`)
	// canonical is what PEP 503 turns into one dash.
	canonical = regexp.MustCompile(`[-_.]+`)
)

// canonicalName is a project name as PEP 503 compares them.
func canonicalName(name string) string {
	return strings.ToLower(canonical.ReplaceAllString(name, "-"))
}

// parseRequirement reads text as Ansible's Package(name_string,
// version_string) does: a version starting with a digit is appended with
// "==", any other with a blank.
func parseRequirement(text, version string) requirement {
	if version != "" {
		version = strings.TrimLeft(version, " \t")
		sep := " "
		if version[0] >= '0' && version[0] <= '9' {
			sep = "=="
		}
		text = text + sep + version
	}
	r := requirement{text: text}
	m := reqName.FindStringSubmatchIndex(text)
	if m == nil {
		return r
	}
	r.name = text[m[2]:m[3]]
	rest := text[m[1]:]
	if strings.HasPrefix(rest, "[") {
		end := strings.Index(rest, "]")
		if end < 0 {
			return requirement{text: text}
		}
		for _, e := range strings.Split(rest[1:end], ",") {
			if e = strings.TrimSpace(e); e != "" {
				r.extras = append(r.extras, e)
			}
		}
		sort.Strings(r.extras)
		rest = strings.TrimSpace(rest[end+1:])
	}
	if i := strings.Index(rest, ";"); i >= 0 {
		r.marker = strings.TrimSpace(rest[i+1:])
		rest = strings.TrimSpace(rest[:i])
		if r.marker == "" {
			return requirement{text: text}
		}
	}
	switch {
	case strings.HasPrefix(rest, "@"):
		r.url = strings.TrimSpace(rest[1:])
		if r.url == "" || strings.ContainsAny(r.url, " \t") {
			return requirement{text: text}
		}
	case rest != "":
		if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
			rest = rest[1 : len(rest)-1]
		}
		for _, s := range strings.Split(rest, ",") {
			sm := reqSpec.FindStringSubmatch(s)
			if sm == nil {
				return requirement{text: text}
			}
			r.specs = append(r.specs, sm[1]+sm[2])
		}
		checker, err := pep440.NewSpecifiers(strings.Join(r.specs, ","), pep440.WithPreRelease(true))
		if err != nil {
			return requirement{text: text}
		}
		r.checker = checker
		sort.Strings(r.specs)
	}
	r.plain = true
	return r
}

// packageName is the canonical project name Ansible compares with pip's list.
func (r requirement) packageName() string {
	if !r.plain {
		return r.text
	}
	return canonicalName(r.name)
}

// hasVersionSpecifier is Package.has_version_specifier.
func (r requirement) hasVersionSpecifier() bool { return r.plain && len(r.specs) > 0 }

// satisfiedBy is Package.is_satisfied_by (pre-releases included).
func (r requirement) satisfiedBy(version string) bool {
	if !r.plain {
		return false
	}
	if len(r.specs) == 0 {
		return true
	}
	v, err := pep440.Parse(version)
	if err != nil {
		return false
	}
	return r.checker.Check(v)
}

// String is the requirement as pip is given it: str(Requirement), with
// extras and specifiers sorted, or the text as given.
func (r requirement) String() string {
	if !r.plain {
		return r.text
	}
	var b strings.Builder
	b.WriteString(r.name)
	if len(r.extras) > 0 {
		b.WriteString("[" + strings.Join(r.extras, ",") + "]")
	}
	b.WriteString(strings.Join(r.specs, ","))
	if r.url != "" {
		b.WriteString("@ " + r.url)
		if r.marker != "" {
			b.WriteString(" ")
		}
	}
	if r.marker != "" {
		b.WriteString("; " + r.marker)
	}
	return b.String()
}

// isPackageName is Ansible's _is_package_name: not a bare version specifier.
func isPackageName(s string) bool {
	s = strings.TrimLeft(s, " \t\n\r\f\v")
	for _, op := range []string{">=", "<=", ">", "<", "==", "!=", "~="} {
		if strings.HasPrefix(s, op) {
			return false
		}
	}
	return true
}

// recoverPackageNames is Ansible's _recover_package_name: the name list is
// split on commas and version specifiers that were split off their package
// are joined back to it ("django>1.11.1", "<1.11.3" is one package).
func recoverPackageNames(names []string) []string {
	var parts []string
	for _, n := range names {
		parts = append(parts, strings.Split(n, ",")...)
	}
	var out, cur []string
	inBrackets := false
	for _, n := range parts {
		if isPackageName(n) && !inBrackets {
			if len(cur) > 0 {
				out = append(out, strings.Join(cur, ","))
			}
			cur = nil
		}
		if strings.Contains(n, "[") {
			inBrackets = true
		}
		if inBrackets && strings.Contains(n, "]") {
			inBrackets = false
		}
		cur = append(cur, n)
	}
	return append(out, strings.Join(cur, ","))
}
