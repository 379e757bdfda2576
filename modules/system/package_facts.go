package system

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
)

// packageFactsModule is ansible.builtin.package_facts: installed packages as
// the fact "packages", read with dpkg-query and apt-cache policy (for the
// origin python3-apt reports) or rpm -qa.
type packageFactsModule struct{}

func init() { module.Register(packageFactsModule{}) }

func (packageFactsModule) Doc() *module.Doc { return packageFactsDoc }

// pkgManagers are the managers auto tries, in order. (Ansible's order comes
// from a Python set and varies from run to run; gorun tries apt first.)
var pkgManagers = []string{"apt", "rpm", "pacman", "pkg", "portage", "apk", "pkg_info"}

// pkgLister lists one manager's packages; available is false when the
// manager is not usable on the target. explicit is whether the task named
// the manager (rather than auto).
type pkgLister func(t *target, explicit bool) (pkgs map[string][]any, available bool, err error)

// pkgManagerCLI are the tools of the managers gorun cannot read yet.
var pkgManagerCLI = map[string]string{"pacman": "pacman", "pkg": "pkg", "portage": "qlist", "apk": "apk", "pkg_info": "pkg_info"}

var pkgListers = map[string]pkgLister{"apt": aptPackages, "rpm": rpmPackages}

func (packageFactsModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	requested := call.Args.Strings("manager")
	var managers []string
	for _, m := range requested {
		managers = append(managers, strings.ToLower(m))
	}
	if i := slices.Index(managers, "auto"); i >= 0 {
		managers = append(slices.Delete(managers, i, i+1), pkgManagers...)
	}
	var unknown []string
	for _, m := range managers {
		if !slices.Contains(pkgManagers, m) {
			unknown = append(unknown, m)
		}
	}
	if len(unknown) > 0 {
		if slices.Contains(requested, "auto") {
			return module.Failed("Could not auto detect a usable package manager, check warnings for details."), nil
		}
		return module.Failed("Unsupported package managers requested: " + strings.Join(unknown, ", ")), nil
	}
	packages := map[string]any{}
	found := 0
	seen := map[string]bool{}
	for _, m := range managers {
		if found > 0 && call.Args.String("strategy") == "first" {
			break
		}
		if seen[m] {
			continue
		}
		seen[m] = true
		list := pkgListers[m]
		if list == nil {
			// Managers gorun cannot read yet: fail only where their tool exists.
			p, err := t.Which(pkgManagerCLI[m])
			if err != nil {
				return nil, err
			}
			if p != "" {
				return module.Failed(fmt.Sprintf("gorun's package_facts does not support the package manager %s yet", m)), nil
			}
			continue
		}
		pkgs, ok, err := list(t, slices.Contains(requested, m))
		if err != nil {
			if slices.Contains(requested, m) && call.Warn != nil {
				call.Warn(fmt.Sprintf("Failed to retrieve packages with %s: %v", m, err))
			}
			continue
		}
		if ok {
			found++
			for name, v := range pkgs {
				packages[name] = v
			}
		}
	}
	if found == 0 {
		return module.Failed(fmt.Sprintf("Could not detect a supported package manager from the following list: %s, or the required Python library is not installed. Check warnings for details.", pyListRepr(managers))), nil
	}
	return module.Result{"changed": false, "ansible_facts": map[string]any{"packages": packages}}, nil
}

// pyListRepr is str() of a Python list of strings.
func pyListRepr(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = "'" + s + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

var (
	policyFileRE    = regexp.MustCompile(`^\s*-?\d+\s+(.*\S)\s*$`)
	policyReleaseRE = regexp.MustCompile(`^\s+release\s+(.*)$`)
)

// aptPackages lists the installed packages as python3-apt's cache shows
// them: name (with :arch for foreign architectures), version, arch,
// category (the section) and origin (the Origin of the first package file
// that has the installed version, "" for dpkg's status file alone).
func aptPackages(t *target, _ bool) (map[string][]any, bool, error) {
	o, err := t.Sh(map[string]string{"LC_ALL": "C"}, `command -v dpkg-query >/dev/null && command -v apt-cache >/dev/null || exit 3
dpkg --print-architecture
dpkg-query -W -f '${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\t${Section}\n'
echo ---
apt-cache policy
echo ---
dpkg-query -W -f '${db:Status-Status} ${Package}:${Architecture}\n' | awk '$1 != "not-installed" && $1 != "config-files" {print $2}' | xargs -r apt-cache policy`)
	if err != nil {
		return nil, false, err
	}
	if o.RC == 3 {
		return nil, false, nil
	}
	if o.RC != 0 {
		return nil, false, fmt.Errorf("listing packages: %s", strings.TrimSpace(o.Stderr))
	}
	parts := strings.SplitN(o.Stdout, "\n---\n", 3)
	if len(parts) != 3 {
		return nil, false, fmt.Errorf("listing packages: unexpected output")
	}
	lines := strings.Split(parts[0], "\n")
	native := strings.TrimSpace(lines[0])
	origins := aptOrigins(parts[1])
	firstFile := aptInstalledFiles(parts[2])
	type installed struct{ name, version, arch, section string }
	var list []installed
	var specs []string
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 5 || f[0] == "not-installed" || f[0] == "config-files" {
			continue
		}
		name := f[1]
		if f[3] != native && f[3] != "all" {
			name += ":" + f[3]
		}
		list = append(list, installed{name, f[2], f[3], f[4]})
		specs = append(specs, name+"="+f[2])
	}
	// The section apt reports is that of the version's first record,
	// usually the archive's rather than dpkg's.
	sections := map[string]string{}
	if len(specs) > 0 {
		o, err := t.Sh(map[string]string{"LC_ALL": "C"}, shell.Join(append([]string{"apt-cache", "show"}, specs...))+" | grep -E '^(Package|Architecture|Section):'")
		if err != nil {
			return nil, false, err
		}
		var pkg, arch, section string
		flush := func() {
			if pkg == "" {
				return
			}
			if arch != native && arch != "all" {
				pkg += ":" + arch
			}
			if _, seen := sections[pkg]; !seen {
				sections[pkg] = section
			}
		}
		for _, l := range strings.Split(o.Stdout, "\n") {
			k, v, _ := strings.Cut(l, ": ")
			switch k {
			case "Package":
				flush()
				pkg, arch, section = v, "", ""
			case "Architecture":
				arch = v
			case "Section":
				section = v
			}
		}
		flush()
	}
	pkgs := map[string][]any{}
	for _, p := range list {
		section, ok := sections[p.name]
		if !ok {
			section = p.section
		}
		var category any = section
		if section == "" {
			category = nil
		}
		origin := origins[firstFile[p.name]]
		pkgs[p.name] = append(pkgs[p.name], map[string]any{"name": p.name, "version": p.version, "arch": p.arch, "category": category, "origin": origin, "source": "apt"})
	}
	return pkgs, true, nil
}

// aptOrigins maps each package file of apt-cache policy's list to the
// o= of its release line.
func aptOrigins(policy string) map[string]string {
	out := map[string]string{}
	file := ""
	for _, l := range strings.Split(policy, "\n") {
		if m := policyReleaseRE.FindStringSubmatch(l); m != nil && file != "" {
			for _, kv := range strings.Split(m[1], ",") {
				if v, ok := strings.CutPrefix(kv, "o="); ok {
					out[file] = v
				}
			}
			continue
		}
		if m := policyFileRE.FindStringSubmatch(l); m != nil {
			file = m[1]
		}
	}
	return out
}

// aptInstalledFiles maps each package (named as apt-cache policy heads it,
// with :arch only for foreign architectures) to the first package file it
// lists under the installed (***) version.
func aptInstalledFiles(policy string) map[string]string {
	out := map[string]string{}
	var pkg string
	inInstalled := false
	for _, l := range strings.Split(policy, "\n") {
		switch {
		case l != "" && l[0] != ' ' && strings.HasSuffix(l, ":"):
			pkg, inInstalled = strings.TrimSuffix(l, ":"), false
		case strings.HasPrefix(l, " *** "):
			inInstalled = true
		case strings.HasPrefix(l, "     ") && len(l) > 5 && l[5] != ' ' && !strings.HasPrefix(strings.TrimSpace(l), "***"):
			// another version of the table
			inInstalled = false
		case inInstalled:
			if m := policyFileRE.FindStringSubmatch(l); m != nil {
				if _, set := out[pkg]; !set {
					out[pkg] = m[1]
				}
			}
		}
	}
	return out
}

// rpmPackages is the RPM manager through the rpm command; for auto it is
// not available where rpm's database is empty.
func rpmPackages(t *target, explicit bool) (map[string][]any, bool, error) {
	o, err := t.Sh(map[string]string{"LC_ALL": "C"}, `command -v rpm >/dev/null || exit 3
rpm -qa --qf '%{NAME}\t%{VERSION}\t%{RELEASE}\t%{EPOCH}\t%{ARCH}\n'`)
	if err != nil {
		return nil, false, err
	}
	if o.RC == 3 {
		return nil, false, nil
	}
	if o.RC != 0 {
		return nil, false, fmt.Errorf("rpm -qa: %s", strings.TrimSpace(o.Stderr))
	}
	if strings.TrimSpace(o.Stdout) == "" && !explicit {
		// An empty database is rpm installed as a tool on another
		// distribution (Debian's rpm package): auto moves on to the
		// distribution's own manager.
		return nil, false, nil
	}
	pkgs := map[string][]any{}
	for _, l := range strings.Split(o.Stdout, "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 5 {
			continue
		}
		var epoch any
		if n, err := strconv.Atoi(f[3]); err == nil {
			epoch = n
		}
		pkgs[f[0]] = append(pkgs[f[0]], map[string]any{"name": f[0], "version": f[1], "release": f[2], "epoch": epoch, "arch": f[4], "source": "rpm"})
	}
	return pkgs, true, nil
}

var packageFactsDoc = &module.Doc{
	Name:  "package_facts",
	Names: []string{"ansible.builtin.package_facts"},
	Short: "Package information as facts",
	Description: []string{
		"Return information about installed packages as facts.",
	},
	Options: []module.Option{
		{Name: "manager", Type: "list", Elements: "str", Default: []any{"auto"}, Choices: []any{"auto", "rpm", "apt", "portage", "pkg", "pacman", "apk", "pkg_info"}, Description: "The package manager used by the system so we can query the package information. Since 2.8 this is a list and can support multiple package managers per system. The 'portage' and 'pkg' options were added in version 2.8. The 'apk' option was added in version 2.11. The 'pkg_info' option was added in version 2.13."},
		{Name: "strategy", Default: "first", Choices: []any{"first", "all"}, Description: "This option controls how the module queries the package managers on the system. C(first) means it will return only information for the first supported package manager available. C(all) will return information for all supported and available package managers on the system."},
	},
	Examples: `- name: Gather the package facts
  ansible.builtin.package_facts:
    manager: auto

- name: Print the package facts
  ansible.builtin.debug:
    var: ansible_facts.packages

- name: Check whether a package called foobar is installed
  ansible.builtin.debug:
    msg: "{{ ansible_facts.packages['foobar'] | length }} versions of foobar are installed!"
  when: "'foobar' in ansible_facts.packages"`,
	Returns: []module.Return{
		{Name: "ansible_facts", Description: "Facts to add to ansible_facts.", Returned: "always", Type: "complex"},
	},
	Check: module.Full,
	Diff:  module.None,
}
