package rhel

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// pkgRun is one run of the dnf or yum module: the package manager's
// command-line tool (dnf, or yum on targets where yum is not dnf) driven
// with the options the task gave, reporting what Ansible's dnf module
// reports (msg, results, rc, failures).
type pkgRun struct {
	t     *remotecmd.Target
	a     module.Args
	check bool
	// bin is the package manager's path on the target.
	bin string
	// dnf tells dnf (and yum 4) from yum 3, whose command line lacks a few options.
	dnf bool
}

// pkgSpecs are the task's names sorted into what the tools take differently.
type pkgSpecs struct {
	// packages are package specs (name, name-version, provides, globs).
	packages []string
	// groups are @group and @^environment specs (without the @).
	groups []string
	// files are local rpm paths and URLs.
	files []string
}

// classifySpecs is the modules' sorting of names: "@" starts a group, an
// .rpm path or URL is a file, anything else a package spec.
func classifySpecs(names []string) pkgSpecs {
	var s pkgSpecs
	for _, n := range names {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
		case strings.HasPrefix(n, "@"):
			s.groups = append(s.groups, strings.TrimPrefix(n, "@"))
		case strings.HasSuffix(n, ".rpm") || strings.Contains(n, "://"):
			s.files = append(s.files, n)
		default:
			s.packages = append(s.packages, n)
		}
	}
	return s
}

// runPackages is the modules' main: validate, refresh the cache, then
// install, upgrade or remove.
func runPackages(ctx context.Context, call *module.Call, tool string) (module.Result, error) {
	a := call.Args
	if a.Has("list") {
		return module.Failed(fmt.Sprintf("gorun's %s module does not support list yet: use ansible.builtin.package_facts or a command task", call.Module)), nil
	}
	if a.Bool("allow_downgrade") {
		return module.Failed(fmt.Sprintf("gorun's %s module does not support allow_downgrade yet", call.Module)), nil
	}
	t := remotecmd.New(ctx, call)
	r := &pkgRun{t: t, a: a, check: call.Check}
	if fail, err := r.findTool(tool); fail != nil || err != nil {
		return fail, err
	}
	names := a.Strings("name")
	state := a.String("state")
	if state == "" {
		state = "installed"
	}
	if a.Bool("update_cache") {
		o, err := t.Sh(nil, shell.Join(append(r.baseArgs(), "makecache")))
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Result{"failed": true, "msg": "Failed to synchronize repodata: " + strings.TrimSpace(o.Stderr), "rc": o.RC, "results": []any{}}, nil
		}
		if len(names) == 0 {
			return module.Result{"changed": false, "msg": "Cache updated", "results": []any{}, "rc": 0}, nil
		}
	}
	specs := classifySpecs(names)
	if len(names) == 0 {
		if !a.Bool("autoremove") {
			return module.Result{"changed": false, "msg": "Nothing to do", "results": []any{}, "rc": 0}, nil
		}
		// autoremove without names removes what nothing needs any more.
		state = "absent"
	}
	var cmds [][]string
	// Ansible's module reports every rpm file of present and latest as
	// installed, before what the transaction did.
	var fileResults []any
	switch state {
	case "present", "installed", "latest":
		for _, f := range specs.files {
			fileResults = append(fileResults, "Installed "+f)
		}
	}
	switch state {
	case "present", "installed":
		cmds = [][]string{r.install(specs)}
	case "latest":
		var err error
		if cmds, err = r.latest(specs); err != nil {
			return nil, err
		}
	case "absent", "removed":
		if len(specs.files) > 0 {
			return module.Result{"failed": true, "msg": "Cannot remove paths -- please specify package name.", "results": []any{}}, nil
		}
		cmds = r.remove(specs, len(names) == 0)
	}
	return r.transact(cmds, fileResults)
}

// findTool finds the package manager: the module's own tool, or for yum
// the dnf that stands in for it on targets without yum.
func (r *pkgRun) findTool(tool string) (module.Result, error) {
	candidates := []string{tool}
	if tool == "yum" {
		switch r.a.String("use_backend") {
		case "dnf", "yum4":
			candidates = []string{"dnf"}
		case "auto", "":
			candidates = []string{"yum", "dnf"}
		}
	}
	for _, c := range candidates {
		p, err := r.t.Which(c)
		if err != nil {
			return nil, err
		}
		if p == "" {
			continue
		}
		r.bin = p
		// yum 4 is dnf under another name: it understands dnf's options.
		o, err := r.t.Sh(nil, shell.Quote(p)+" --version 2>/dev/null | head -n 1")
		if err != nil {
			return nil, err
		}
		r.dnf = c == "dnf" || strings.HasPrefix(strings.TrimSpace(o.Stdout), "4.") || strings.HasPrefix(strings.TrimSpace(o.Stdout), "5.")
		return nil, nil
	}
	return remotecmd.MissingBin(candidates[0], binSearchPath), nil
}

// baseArgs is the tool with the options every command of the task takes,
// in the order Ansible's module applies them (repositories disabled before
// others are enabled).
func (r *pkgRun) baseArgs() []string {
	a := r.a
	argv := []string{r.bin}
	if r.check {
		argv = append(argv, "--assumeno")
	} else {
		argv = append(argv, "-y")
	}
	if a.Has("conf_file") {
		argv = append(argv, "-c", a.String("conf_file"))
	}
	if root := a.String("installroot"); root != "" && root != "/" {
		argv = append(argv, "--installroot="+root)
	}
	if a.Has("releasever") {
		argv = append(argv, "--releasever="+a.String("releasever"))
	}
	for _, repo := range a.Strings("disablerepo") {
		argv = append(argv, "--disablerepo="+repo)
	}
	for _, repo := range a.Strings("enablerepo") {
		argv = append(argv, "--enablerepo="+repo)
	}
	for _, p := range a.Strings("disable_plugin") {
		argv = append(argv, "--disableplugin="+p)
	}
	for _, p := range a.Strings("enable_plugin") {
		argv = append(argv, "--enableplugin="+p)
	}
	for _, x := range a.Strings("exclude") {
		argv = append(argv, "--exclude="+x)
	}
	if a.Has("disable_excludes") {
		argv = append(argv, "--disableexcludes="+a.String("disable_excludes"))
	}
	if a.Bool("disable_gpg_check") {
		argv = append(argv, "--nogpgcheck")
	}
	if a.Bool("skip_broken") {
		argv = append(argv, "--skip-broken")
	}
	if a.Bool("cacheonly") {
		argv = append(argv, "--cacheonly")
	}
	if a.Has("sslverify") && !a.Bool("sslverify") {
		argv = append(argv, "--setopt=sslverify=False")
	}
	if a.Has("install_weak_deps") && !a.Bool("install_weak_deps") {
		argv = append(argv, "--setopt=install_weak_deps=False")
	}
	if r.dnf && a.Bool("nobest") {
		argv = append(argv, "--nobest")
	}
	if r.dnf && a.Bool("allowerasing") {
		argv = append(argv, "--allowerasing")
	}
	if a.Bool("security") {
		argv = append(argv, "--security")
	}
	if a.Bool("bugfix") {
		argv = append(argv, "--bugfix")
	}
	if a.Bool("download_only") {
		argv = append(argv, "--downloadonly")
		if a.Has("download_dir") {
			argv = append(argv, "--downloaddir="+a.String("download_dir"))
		}
	}
	return argv
}

// install is the command line for state present: packages, groups and
// rpm files together (dnf installs groups given as @name).
func (r *pkgRun) install(s pkgSpecs) []string {
	argv := append(r.baseArgs(), "install")
	argv = append(argv, s.packages...)
	for _, g := range s.groups {
		argv = append(argv, "@"+g)
	}
	return append(argv, s.files...)
}

// latest is the command lines for state latest: "*" upgrades everything;
// otherwise what is installed is upgraded and, unless update_only, what is
// not is installed, as Ansible's module marks each spec.
func (r *pkgRun) latest(s pkgSpecs) ([][]string, error) {
	if len(s.packages) == 1 && s.packages[0] == "*" && len(s.groups)+len(s.files) == 0 {
		return [][]string{append(r.baseArgs(), "upgrade")}, nil
	}
	installed, err := r.installedSpecs(s.packages)
	if err != nil {
		return nil, err
	}
	var missing, present []string
	for _, p := range s.packages {
		if installed[p] {
			present = append(present, p)
		} else {
			missing = append(missing, p)
		}
	}
	var cmds [][]string
	if !r.a.Bool("update_only") && len(missing)+len(s.groups)+len(s.files) > 0 {
		cmds = append(cmds, r.install(pkgSpecs{packages: missing, groups: s.groups, files: s.files}))
	}
	if len(present) > 0 {
		cmds = append(cmds, append(append(r.baseArgs(), "upgrade"), present...))
	}
	return cmds, nil
}

// installedSpecs asks rpm which of the specs an installed package
// matches, by name or by what it provides.
func (r *pkgRun) installedSpecs(specs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(specs) == 0 {
		return out, nil
	}
	var script strings.Builder
	for _, s := range specs {
		q := shell.Quote(s)
		fmt.Fprintf(&script, "if %[1]s -q %[2]s >/dev/null 2>&1 || %[1]s -q --whatprovides %[2]s >/dev/null 2>&1; then echo y; else echo n; fi\n", r.rpmArgs(), q)
	}
	o, err := r.t.Sh(nil, script.String())
	if err != nil {
		return nil, err
	}
	answers := strings.Fields(o.Stdout)
	for i, s := range specs {
		out[s] = i < len(answers) && answers[i] == "y"
	}
	return out, nil
}

// rpmArgs is the rpm command line for the task's installroot.
func (r *pkgRun) rpmArgs() string {
	if root := r.a.String("installroot"); root != "" && root != "/" {
		return "rpm --root=" + shell.Quote(root)
	}
	return "rpm"
}

// remove is the command lines for state absent. dnf's command line removes
// unneeded dependencies by default; Ansible's module only with autoremove.
func (r *pkgRun) remove(s pkgSpecs, noNames bool) [][]string {
	autoremove := r.a.Bool("autoremove")
	if noNames {
		return [][]string{append(r.baseArgs(), "autoremove")}
	}
	clean := "--setopt=clean_requirements_on_remove=False"
	if autoremove {
		clean = "--setopt=clean_requirements_on_remove=True"
	}
	var cmds [][]string
	if len(s.packages) > 0 {
		cmds = append(cmds, append(append(r.baseArgs(), clean, "remove"), s.packages...))
	}
	if len(s.groups) > 0 {
		cmds = append(cmds, append(append(r.baseArgs(), clean, "group", "remove"), s.groups...))
	}
	return cmds
}

// pkgQueryFormat prints installed packages as dnf names them: name,
// epoch only when there is one, version, release and architecture.
const pkgQueryFormat = `%{NAME}-%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}.%{ARCH}\n`

// transact runs the commands in one round trip between two listings of
// the installed packages, whose difference is the result; in check mode
// the commands run with --assumeno and their transaction tables say what
// would change.
func (r *pkgRun) transact(cmds [][]string, results []any) (module.Result, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "f=$(mktemp -d) || exit 1\nq() { %s -qa --qf %s | sort; }\nq > \"$f/before\"\nrc=0\n", r.rpmArgs(), shell.Quote(pkgQueryFormat))
	for _, c := range cmds {
		fmt.Fprintf(&b, "if [ $rc -eq 0 ]; then LANG=C %s >>\"$f/out\" 2>\"$f/e\"; rc=$?; cat \"$f/e\" >>\"$f/err\"\n", shell.Join(c))
		if contains(c, "upgrade") {
			// dnf's command line refuses to upgrade without an enabled
			// repository, where Ansible's module finds nothing to do.
			b.WriteString("  if [ $rc -ne 0 ] && grep -q 'There are no enabled repositories' \"$f/e\"; then rc=0; fi\n")
		}
		b.WriteString("fi\n")
	}
	b.WriteString(`q > "$f/after"
echo "$rc"
comm -13 "$f/before" "$f/after" | sed 's/^/Installed: /'
comm -23 "$f/before" "$f/after" | sed 's/^/Removed: /'
echo --gorun-out--; cat "$f/out" 2>/dev/null
echo --gorun-err--; cat "$f/err" 2>/dev/null
rm -rf "$f"
`)
	o, err := r.t.Sh(nil, b.String())
	if err != nil {
		return nil, err
	}
	head, rest, _ := strings.Cut(o.Stdout, "--gorun-out--\n")
	out, errText, _ := strings.Cut(rest, "--gorun-err--\n")
	lines := pytext.SplitLines(head)
	if len(lines) == 0 {
		return module.Failed("running the package manager: " + strings.TrimSpace(o.Stderr)), nil
	}
	rc := 0
	fmt.Sscanf(lines[0], "%d", &rc)
	changes := lines[1:]
	sort.Strings(changes)
	if r.check {
		return r.checkResult(rc, out, errText, results)
	}
	if rc != 0 {
		return r.failure(rc, out, errText), nil
	}
	results = append([]any{}, results...)
	for _, c := range changes {
		results = append(results, c)
	}
	if len(changes) == 0 {
		return module.Result{"changed": false, "msg": "Nothing to do", "results": results, "rc": 0}, nil
	}
	return module.Result{"changed": true, "msg": "", "results": results, "rc": 0}, nil
}

// failure is the failed result, worded as Ansible's module words the
// common failures (a package that no repository has).
func (r *pkgRun) failure(rc int, out, errText string) module.Result {
	var failures []any
	for _, m := range noMatchRE.FindAllStringSubmatch(out+errText, -1) {
		failures = append(failures, fmt.Sprintf("No package %s available.", m[1]))
	}
	msg := "Failed to install some of the specified packages"
	if len(failures) == 0 {
		failures = []any{strings.TrimSpace(errText)}
		msg = "Unknown Error occurred: " + strings.TrimSpace(errText)
	}
	return module.Result{"failed": true, "msg": msg, "failures": failures, "results": []any{}, "rc": 1}
}

// noMatchRE finds dnf's report of a spec no repository provides.
var noMatchRE = regexp.MustCompile(`(?m)^No match for argument: (.+)$`)

// checkResult reads the transaction tables that --assumeno printed: the
// packages each section would install or remove.
func (r *pkgRun) checkResult(rc int, out, errText string, results []any) (module.Result, error) {
	changes, replaced := transactionTable(out)
	if len(replaced) > 0 {
		// The versions an upgrade or downgrade replaces are removed, as
		// Ansible's results list them.
		o, err := r.t.Sh(nil, r.rpmArgs()+" -q --qf "+shell.Quote(pkgQueryFormat)+" "+shell.Join(replaced))
		if err != nil {
			return nil, err
		}
		for _, nevra := range pytext.SplitLines(o.Stdout) {
			changes = append(changes, "Removed: "+nevra)
		}
		sort.Strings(changes)
	}
	if len(changes) == 0 {
		if rc != 0 && !strings.Contains(out+errText, "Operation aborted") {
			return r.failure(rc, out, errText), nil
		}
		return module.Result{"changed": false, "msg": "Nothing to do", "results": append([]any{}, results...), "rc": 0}, nil
	}
	results = append([]any{}, results...)
	for _, c := range changes {
		results = append(results, c)
	}
	return module.Result{"changed": true, "msg": "Check mode: No changes made, but would have if not in check mode", "results": results, "rc": 0}, nil
}

// tableLineRE is a package line of dnf's transaction table: name, arch,
// version (with epoch), repository and size.
var tableLineRE = regexp.MustCompile(`^ (\S+)\s+(\S+)\s+(\S+)\s+\S+\s+\S+`)

// transactionTable lists the packages of dnf's transaction table as
// "Installed: name-version.arch" or "Removed: ...", sorted, and the names
// of the packages that an upgrade or downgrade replaces.
func transactionTable(out string) (changes, replaced []string) {
	action, replacing := "", false
	for _, line := range pytext.SplitLines(out) {
		switch {
		case strings.HasPrefix(line, "Upgrading") || strings.HasPrefix(line, "Downgrading"):
			action, replacing = "Installed", true
		case strings.HasPrefix(line, "Installing") || strings.HasPrefix(line, "Reinstalling"):
			action, replacing = "Installed", false
		case strings.HasPrefix(line, "Removing"):
			action, replacing = "Removed", false
		case strings.HasPrefix(line, "Transaction Summary"), line == "":
			action = ""
		case action != "":
			if m := tableLineRE.FindStringSubmatch(line); m != nil {
				changes = append(changes, fmt.Sprintf("%s: %s-%s.%s", action, m[1], m[3], m[2]))
				if replacing {
					replaced = append(replaced, m[1])
				}
			}
		}
	}
	sort.Strings(changes)
	return changes, replaced
}

// contains reports whether argv has the word w.
func contains(argv []string, w string) bool {
	for _, a := range argv {
		if a == w {
			return true
		}
	}
	return false
}
