// Package galaxy installs roles from a requirements file as ansible-galaxy
// does, for roles given as git repositories (go-git: file://, http(s)://
// with CI job tokens, ssh:// and scp-like addresses with deploy keys) and
// as archives by URL. Galaxy server names and collections are not
// supported and are an error naming them.
package galaxy

import (
	"fmt"
	"strings"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// Requirement is one role to install (RoleRequirement.role_yaml_parse).
type Requirement struct {
	Name    string
	Src     string
	SCM     string // "git", or "" for an archive URL
	Version string // tag, branch or commit; "" for the default branch
}

// ReadRequirements reads a requirements file: a list of roles, or a
// mapping with roles: (and collections:, which gorun rejects).
func ReadRequirements(path string) ([]Requirement, error) {
	doc, _, err := yamlx.LoadFile(path)
	if err != nil {
		return nil, err
	}
	var list []any
	switch x := doc.(type) {
	case []any:
		list = x
	case nil:
		return nil, nil
	default:
		if !value.IsMapping(x) {
			return nil, fmt.Errorf("%s: expected a list of roles or a mapping with roles:", path)
		}
		if c, ok := value.Lookup(x, "collections"); ok && c != nil {
			return nil, fmt.Errorf("%s: installing collections is not supported by gorun (only roles from git or archive URLs)", path)
		}
		r, _ := value.Lookup(x, "roles")
		list, _ = r.([]any)
	}
	var out []Requirement
	for i, e := range list {
		req, err := parseRequirement(e)
		if err != nil {
			return nil, fmt.Errorf("%s: role %d: %w", path, i+1, err)
		}
		out = append(out, req)
	}
	return out, nil
}

// ParseRequirement reads one role given on the command line
// ("git+URL[,version[,name]]" or an archive URL).
func ParseRequirement(s string) (Requirement, error) { return parseRequirement(s) }

// parseRequirement is role_yaml_parse for one entry.
func parseRequirement(e any) (Requirement, error) {
	var r Requirement
	if s, ok := e.(string); ok {
		parts := strings.Split(strings.TrimSpace(s), ",")
		switch len(parts) {
		case 1:
			r.Src = parts[0]
		case 2:
			r.Src, r.Version = parts[0], parts[1]
		case 3:
			r.Src, r.Version, r.Name = parts[0], parts[1], parts[2]
		default:
			return r, fmt.Errorf("invalid role line (%s): the format is 'src[,version[,name]]'", s)
		}
		if r.Name == "" {
			r.Name = RoleName(r.Src)
		}
		if scm, src, ok := strings.Cut(r.Src, "+"); ok {
			r.SCM, r.Src = scm, src
		}
		return r, r.check()
	}
	if !value.IsMapping(e) {
		return r, fmt.Errorf("expected a string or a mapping, got %v", e)
	}
	get := func(k string) string {
		v, _ := value.Lookup(e, k)
		if v == nil {
			return ""
		}
		return fmt.Sprint(v)
	}
	r.Name, r.Src, r.SCM, r.Version = get("name"), get("src"), get("scm"), get("version")
	if role := get("role"); role != "" {
		r.Name = role
	}
	if strings.Contains(r.Src, "github.com") && strings.Contains(r.Src, "http") && !strings.Contains(r.Src, "+") && !strings.HasSuffix(r.Src, ".tar.gz") {
		r.Src = "git+" + r.Src
	}
	if scm, src, ok := strings.Cut(r.Src, "+"); ok && !strings.Contains(scm, "/") {
		r.SCM, r.Src = scm, src
	}
	if r.Name == "" {
		r.Name = RoleName(r.Src)
	}
	return r, r.check()
}

// check rejects what gorun cannot install, loudly.
func (r Requirement) check() error {
	switch {
	case r.Src == "":
		return fmt.Errorf("role %q has no src: Galaxy server roles are not supported by gorun; give a git URL or an archive URL", r.Name)
	case r.SCM != "" && r.SCM != "git":
		return fmt.Errorf("role %q: scm %q is not supported by gorun (only git)", r.Name, r.SCM)
	case r.SCM == "" && !strings.Contains(r.Src, "://"):
		return fmt.Errorf("role %q: %q looks like a Galaxy server role, which gorun does not support; give a git URL (git+https://...) or an archive URL", r.Name, r.Src)
	}
	return nil
}

// RoleName is repo_url_to_role_name: the last path element without .git
// or .tar.gz.
func RoleName(src string) string {
	if !strings.Contains(src, "://") && !strings.Contains(src, "@") {
		return src
	}
	parts := strings.Split(src, "/")
	name := parts[len(parts)-1]
	name = strings.TrimSuffix(name, ".git")
	name = strings.TrimSuffix(name, ".tar.gz")
	name, _, _ = strings.Cut(name, ",")
	return name
}
