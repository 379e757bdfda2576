package system

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// aptModule is ansible.builtin.apt. Package state comes from apt-cache policy
// and dpkg-query instead of python-apt; the apt-get command lines are the ones
// Ansible's module builds.
type aptModule struct{}

func init() { module.Register(aptModule{}) }

func (aptModule) Doc() *module.Doc { return aptDoc }

// aptEnv is the environment Ansible's apt module runs apt-get with.
var aptEnv = map[string]string{
	"DEBIAN_FRONTEND": "noninteractive", "DEBIAN_PRIORITY": "critical",
	"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C", "LC_CTYPE": "C",
}

// aptGetZero is in apt-get's output when it changed nothing.
const aptGetZero = "\n0 upgraded, 0 newly installed"

// aptRun carries one apt call's settings.
type aptRun struct {
	t     *target
	call  *module.Call
	a     module.Args
	check bool
	diff  bool
	// dpkgOpts are the -o Dpkg::Options::=--X words.
	dpkgOpts []string
}

func (aptModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	r := &aptRun{t: newTarget(ctx, call), call: call, a: a, check: call.Check, diff: call.Diff}
	for _, o := range strings.Split(a.String("dpkg_options"), ",") {
		r.dpkgOpts = append(r.dpkgOpts, "-o", "Dpkg::Options::=--"+strings.TrimSpace(o))
	}
	if p, err := r.t.Which("apt-get"); err != nil {
		return nil, err
	} else if p == "" {
		return module.Failed("Failed to find required executable \"apt-get\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), nil
	}
	res, err := r.main()
	if err != nil {
		return nil, err
	}
	return remotecmd.WithLines(res), nil
}

func (r *aptRun) main() (module.Result, error) {
	a := r.a
	if a.Bool("clean") {
		o, err := r.t.Run(aptEnv, "apt-get", "clean")
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Result{"failed": true, "msg": "apt-get clean failed: " + o.Stderr, "stdout": o.Stdout, "rc": o.RC}, nil
		}
		if !a.Has("name") && a.String("upgrade") == "no" && !a.Has("deb") {
			return module.Result{"changed": true, "msg": o.Stdout, "stdout": o.Stdout, "stderr": o.Stderr}, nil
		}
	}

	updated, updateTime, res, err := r.updateCache()
	if err != nil || res != nil {
		return res, err
	}
	if (a.Bool("update_cache") || a.Int("cache_valid_time") != 0) && !a.Has("name") && a.String("upgrade") == "no" && !a.Has("deb") {
		return module.Result{"changed": updated, "cache_updated": updated, "cache_update_time": updateTime}, nil
	}

	if up := a.String("upgrade"); up != "no" {
		return r.upgrade(up)
	}
	if a.Has("deb") {
		if a.String("state") != "present" {
			return module.Failed("deb only supports state=present"), nil
		}
		return r.installDeb(a.String("deb"))
	}

	var pkgs []string
	all := false
	for _, p := range a.Strings("name") {
		if p == "*" {
			all = true
			continue
		}
		pkgs = append(pkgs, strings.TrimSpace(p))
	}
	state := a.String("state")
	if state == "latest" && all {
		if len(pkgs) > 0 {
			return module.Failed("unable to install additional packages when upgrading all installed packages"), nil
		}
		return r.upgrade("yes")
	}
	for _, p := range pkgs {
		if strings.Count(p, "=") > 1 {
			return module.Failed("invalid package spec: " + p), nil
		}
		if name, _, _ := splitSpec(p); strings.ContainsAny(name, "*?[") {
			return module.Failed(fmt.Sprintf("gorun's apt module does not support package name wildcards yet: %s", p)), nil
		}
	}
	if len(pkgs) == 0 && a.Bool("autoclean") {
		if res, err := r.cleanup("autoclean"); err != nil || res.IsFailed() || !a.Bool("autoremove") {
			return res, err
		}
	}
	if len(pkgs) == 0 && a.Bool("autoremove") {
		return r.cleanup("autoremove")
	}

	var result module.Result
	switch state {
	case "absent":
		result, err = r.remove(pkgs)
	default:
		result, err = r.install(pkgs, state)
		if exit, ok := err.(failedExit); ok {
			return exit.result, nil
		}
		if result != nil {
			result["cache_updated"] = updated
			result["cache_update_time"] = updateTime
		}
	}
	return result, err
}

// failedExit is a failure apt.py reports with fail_json where it finds it,
// before main adds the cache keys to install's return values.
type failedExit struct{ result module.Result }

func (e failedExit) Error() string { return fmt.Sprint(e.result["msg"]) }

// cacheTime is Ansible's get_cache_mtime: the update-success stamp's mtime, or
// the lists directory's.
func (r *aptRun) cacheTime() (int64, error) {
	o, err := r.t.Sh(nil, "stat -c %Y /var/lib/apt/periodic/update-success-stamp 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0")
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(o.Stdout), 10, 64)
}

// updateCache runs apt-get update when update_cache or cache_valid_time ask
// for it and the cache is older than cache_valid_time.
func (r *aptRun) updateCache() (bool, int64, module.Result, error) {
	before, err := r.cacheTime()
	if err != nil {
		return false, 0, nil, err
	}
	a := r.a
	if !a.Bool("update_cache") && a.Int("cache_valid_time") == 0 {
		return false, before, nil, nil
	}
	if before+int64(a.Int("cache_valid_time")) >= time.Now().Unix() {
		return false, before, nil, nil
	}
	if r.check {
		return true, before, nil, nil
	}
	var o remotecmd.Output
	for try := 0; try < max(a.Int("update_cache_retries"), 1); try++ {
		o, err = r.t.Run(aptEnv, "apt-get", "update", "-o", fmt.Sprintf("DPkg::Lock::Timeout=%d", a.Int("lock_timeout")))
		if err != nil {
			return false, 0, nil, err
		}
		if o.RC == 0 && !strings.Contains(o.Stderr, "\nE: ") && !strings.HasPrefix(o.Stderr, "E: ") {
			break
		}
		delay := min(1<<try, a.Int("update_cache_retry_max_delay"))
		time.Sleep(time.Duration(delay) * time.Second)
		if try == max(a.Int("update_cache_retries"), 1)-1 {
			msg := strings.TrimSpace(o.Stderr)
			if msg == "" {
				msg = "unknown reason"
			}
			return false, 0, module.Failed("Failed to update apt cache: " + msg), nil
		}
	}
	after, err := r.cacheTime()
	if err != nil {
		return false, 0, nil, err
	}
	return after != before, after, nil, nil
}

// pkgStatus is what Ansible's package_status reports for one package.
type pkgStatus struct {
	known       bool   // apt knows the package
	installed   bool   // dpkg has it installed (any version)
	version     string // installed version
	candidate   string // apt's candidate version ("" for none)
	configFiles bool   // removed but not purged
}

var policyLine = regexp.MustCompile(`(?m)^\s+(Installed|Candidate): (.*)$`)

// status reads a package's state with apt-cache policy and dpkg-query.
func (r *aptRun) status(name, version string) (pkgStatus, error) {
	argv := []string{"apt-cache"}
	if rel := r.a.String("default_release"); rel != "" {
		argv = append(argv, "-o", "APT::Default-Release="+rel)
	}
	spec := name
	argv = append(argv, "policy", "--", spec)
	script := shell.Join(argv) + "; echo '--dpkg--'; dpkg-query -W -f='${db:Status-Abbrev} ${Version}\\n' -- " + shell.Quote(name) + " 2>/dev/null"
	o, err := r.t.Sh(aptEnv, script)
	if err != nil {
		return pkgStatus{}, err
	}
	policy, dpkg, _ := strings.Cut(o.Stdout, "--dpkg--\n")
	var s pkgStatus
	for _, m := range policyLine.FindAllStringSubmatch(policy, -1) {
		s.known = true
		if m[1] == "Candidate" && m[2] != "(none)" {
			s.candidate = m[2]
		}
	}
	if f := strings.Fields(dpkg); len(f) >= 1 {
		s.installed = strings.HasPrefix(f[0], "ii") || strings.HasPrefix(f[0], "hi")
		s.configFiles = len(f[0]) >= 2 && f[0][1] == 'c'
		if s.installed && len(f) >= 2 {
			s.version = f[1]
			s.known = true
		}
	}
	return s, nil
}

// splitSpec is Ansible's package_split: name, "=" or ">=", version.
func splitSpec(spec string) (name, cmp, version string) {
	if i := strings.Index(spec, ">="); i >= 0 && (strings.Index(spec, "=") == i+1) {
		return spec[:i], ">=", spec[i+2:]
	}
	if i := strings.Index(spec, "="); i >= 0 {
		return spec[:i], "=", spec[i+1:]
	}
	return spec, "", ""
}

// versionGE compares Debian versions with dpkg --compare-versions.
func (r *aptRun) versionGE(a, b string) (bool, error) {
	o, err := r.t.Run(nil, "dpkg", "--compare-versions", a, "ge", b)
	return err == nil && o.RC == 0, err
}

// install is Ansible's install(): decide per package from its status, then
// run one apt-get install for all that need it.
func (r *aptRun) install(pkgs []string, state string) (module.Result, error) {
	a := r.a
	upgrade, buildDep := state == "latest", state == "build-dep"
	var args, names []string
	for _, p := range pkgs {
		if buildDep {
			args = append(args, p)
			continue
		}
		name, cmp, version := splitSpec(p)
		names = append(names, name)
		st, err := r.status(name, version)
		if err != nil {
			return nil, err
		}
		if !st.known {
			// apt.py's package_status fails the module itself: the result
			// has no cache keys.
			return nil, failedExit{module.Failed(fmt.Sprintf("No package matching '%s' is available", name))}
		}
		best := st.candidate
		if cmp == "=" {
			// A pinned version: the best match is the version itself when apt has it.
			best = r.matchingVersion(name, version)
		}
		versionOK := st.installed
		installable := ""
		switch {
		case !st.installed:
			installable = best
		case cmp == "=":
			versionOK, _ = path.Match(version, st.version)
			if best != "" && best != st.version {
				installable = best
			}
		case cmp == ">=":
			ok, err := r.versionGE(st.version, version)
			if err != nil {
				return nil, err
			}
			versionOK = ok
			if best != "" && best != st.version {
				if ge, _ := r.versionGE(best, version); ge {
					installable = best
				}
			}
		default:
			if best != "" && best != st.version {
				installable = best
			}
		}
		if !st.installed && a.Bool("only_upgrade") {
			continue
		}
		if !versionOK && installable == "" {
			return module.Failed("no available installation candidate for " + p), nil
		}
		if installable != "" && (!st.installed && !a.Bool("only_upgrade") || upgrade || !versionOK) {
			if cmp != "" {
				args = append(args, name+"="+installable)
			} else {
				args = append(args, name)
			}
		}
	}
	if len(args) == 0 {
		if !buildDep && !r.check && len(names) > 0 {
			if res, err := r.markManual(names); res != nil || err != nil {
				return res, err
			}
		}
		return module.Result{"changed": false}, nil
	}
	argv := []string{"apt-get", "-y"}
	argv = append(argv, r.dpkgOpts...)
	flags := []struct {
		on   bool
		flag string
	}{
		{a.Bool("only_upgrade"), "--only-upgrade"},
		{state == "fixed", "--fix-broken"},
		{a.Bool("force"), "--force-yes"},
		{a.Bool("autoremove") && !buildDep, "--auto-remove"},
		{a.Bool("fail_on_autoremove"), "--no-remove"},
		{r.check, "--simulate"},
	}
	for _, f := range flags {
		if f.on {
			argv = append(argv, f.flag)
		}
	}
	if buildDep {
		argv = append(argv, "build-dep")
	} else {
		argv = append(argv, "install")
	}
	argv = append(argv, args...)
	argv = r.tail(argv)
	o, err := r.withPolicyRcD(argv)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Result{"failed": true, "msg": fmt.Sprintf("'%s' failed: %s", shell.Join(argv), o.Stderr), "stdout": o.Stdout, "stderr": o.Stderr, "rc": o.RC}, nil
	}
	changed := true
	if buildDep {
		changed = !strings.Contains(o.Stdout, aptGetZero)
	}
	res := module.Result{"changed": changed, "stdout": o.Stdout, "stderr": o.Stderr, "diff": r.parseDiff(o.Stdout)}
	if !buildDep && !r.check {
		if fail, err := r.markManual(names); fail != nil || err != nil {
			return fail, err
		}
	}
	return res, nil
}

// tail appends the options Ansible adds after the package list.
func (r *aptRun) tail(argv []string) []string {
	a := r.a
	if rel := a.String("default_release"); rel != "" {
		argv = append(argv, "-t", rel)
	}
	if a.Has("install_recommends") {
		if a.Bool("install_recommends") {
			argv = append(argv, "-o", "APT::Install-Recommends=yes")
		} else {
			argv = append(argv, "-o", "APT::Install-Recommends=no")
		}
	}
	if a.Bool("allow_unauthenticated") {
		argv = append(argv, "--allow-unauthenticated")
	}
	if a.Bool("allow_downgrade") {
		argv = append(argv, "--allow-downgrades")
	}
	if a.Bool("allow_change_held_packages") {
		argv = append(argv, "--allow-change-held-packages")
	}
	return append(argv, "-o", fmt.Sprintf("DPkg::Lock::Timeout=%d", a.Int("lock_timeout")))
}

// matchingVersion returns the newest version apt offers that matches the
// version pattern (fnmatch, as Ansible's package_best_match checks), or "".
func (r *aptRun) matchingVersion(name, pattern string) string {
	o, err := r.t.Run(aptEnv, "apt-cache", "madison", name)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(o.Stdout, "\n") {
		f := strings.Split(line, "|")
		if len(f) < 2 {
			continue
		}
		v := strings.TrimSpace(f[1])
		if ok, _ := path.Match(pattern, v); ok {
			return v
		}
	}
	return ""
}

// markManual is Ansible's mark_installed_manually.
func (r *aptRun) markManual(names []string) (module.Result, error) {
	if p, err := r.t.Which("apt-mark"); err != nil || p == "" {
		if err == nil && r.call.Warn != nil {
			r.call.Warn("Could not find apt-mark binary, not marking package(s) as manually installed.")
		}
		return nil, err
	}
	argv := append([]string{"apt-mark", "manual"}, names...)
	o, err := r.t.Run(aptEnv, argv...)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return remotecmd.FailRun(fmt.Sprintf("'%s' failed: %s", strings.Join(argv, " "), o.Stderr), o), nil
	}
	return nil, nil
}

// remove is Ansible's remove().
func (r *aptRun) remove(pkgs []string) (module.Result, error) {
	purge := r.a.Bool("purge")
	var list []string
	for _, p := range pkgs {
		name, _, _ := splitSpec(p)
		st, err := r.status(name, "")
		if err != nil {
			return nil, err
		}
		if st.installed || st.configFiles && purge {
			list = append(list, p)
		}
	}
	if len(list) == 0 {
		return module.Result{"changed": false}, nil
	}
	argv := append([]string{"apt-get", "-q", "-y"}, r.dpkgOpts...)
	for _, f := range []struct {
		on   bool
		flag string
	}{{purge, "--purge"}, {r.a.Bool("force"), "--force-yes"}, {r.a.Bool("autoremove"), "--auto-remove"}, {r.check, "--simulate"}} {
		if f.on {
			argv = append(argv, f.flag)
		}
	}
	argv = append(append(argv, "remove"), list...)
	argv = append(argv, "-o", fmt.Sprintf("DPkg::Lock::Timeout=%d", r.a.Int("lock_timeout")))
	o, err := r.withPolicyRcD(argv)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Result{"failed": true, "msg": fmt.Sprintf("'apt-get remove %s' failed: %s", strings.Join(quoteEach(list), " "), o.Stderr), "stdout": o.Stdout, "stderr": o.Stderr, "rc": o.RC}, nil
	}
	return module.Result{"changed": true, "stdout": o.Stdout, "stderr": o.Stderr, "diff": r.parseDiff(o.Stdout)}, nil
}

func quoteEach(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "'" + s + "'"
	}
	return out
}

// cleanup is Ansible's cleanup(): autoremove or autoclean with no packages named.
func (r *aptRun) cleanup(op string) (module.Result, error) {
	argv := append([]string{"apt-get", "-y"}, r.dpkgOpts...)
	if r.a.Bool("purge") {
		argv = append(argv, "--purge")
	}
	if r.a.Bool("force") {
		argv = append(argv, "--force-yes")
	}
	argv = append(argv, op)
	if r.check {
		argv = append(argv, "--simulate")
	}
	o, err := r.withPolicyRcD(argv)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Result{"failed": true, "msg": fmt.Sprintf("'apt-get %s' failed: %s", op, o.Stderr), "stdout": o.Stdout, "stderr": o.Stderr, "rc": o.RC}, nil
	}
	marker := map[string]string{"autoremove": "The following packages will be REMOVED", "autoclean": "Del "}[op]
	changed := strings.Contains(o.Stdout, marker)
	return module.Result{"changed": changed, "stdout": o.Stdout, "stderr": o.Stderr, "diff": r.parseDiff(o.Stdout)}, nil
}

// upgrade is Ansible's upgrade() on its apt-get path (force_apt_get, or no
// aptitude on the target).
func (r *aptRun) upgrade(mode string) (module.Result, error) {
	a := r.a
	if !a.Bool("force_apt_get") {
		if p, err := r.t.Which("aptitude"); err != nil {
			return nil, err
		} else if p != "" {
			return module.Failed("gorun's apt module does not drive aptitude yet; set force_apt_get: true to upgrade with apt-get"), nil
		}
	}
	argv := append([]string{"apt-get", "-y"}, r.dpkgOpts...)
	for _, f := range []struct {
		on   bool
		flag string
	}{{a.Bool("force"), "--force-yes"}, {a.Bool("fail_on_autoremove"), "--no-remove"}, {a.Bool("allow_unauthenticated"), "--allow-unauthenticated"}, {a.Bool("allow_downgrade"), "--allow-downgrades"}, {r.check, "--simulate"}} {
		if f.on {
			argv = append(argv, f.flag)
		}
	}
	if mode == "dist" || mode == "full" {
		argv = append(argv, "dist-upgrade")
	} else {
		argv = append(argv, "upgrade", "--with-new-pkgs")
	}
	if a.Bool("autoremove") {
		argv = append(argv, "--auto-remove")
	}
	if rel := a.String("default_release"); rel != "" {
		argv = append(argv, "-t", rel)
	}
	o, err := r.withPolicyRcD(argv)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Result{"failed": true, "msg": fmt.Sprintf("'apt-get %s' failed: %s", argv[len(argv)-1], o.Stderr), "stdout": o.Stdout, "rc": o.RC}, nil
	}
	if strings.Contains(o.Stdout, aptGetZero) {
		return module.Result{"changed": false, "msg": o.Stdout, "stdout": o.Stdout, "stderr": o.Stderr}, nil
	}
	return module.Result{"changed": true, "msg": o.Stdout, "stdout": o.Stdout, "stderr": o.Stderr, "diff": r.parseDiff(o.Stdout)}, nil
}

// installDeb is Ansible's install_deb for a .deb already on the target: it is
// installed with dpkg -i unless that package version is installed already.
// Missing dependencies are left to dpkg to report (Ansible installs them first).
func (r *aptRun) installDeb(deb string) (module.Result, error) {
	if strings.Contains(deb, "://") {
		return module.Failed("gorun's apt module does not download deb URLs yet: " + deb), nil
	}
	o, err := r.t.Run(nil, "dpkg", "--field", deb, "Package", "Version")
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return module.Result{"failed": true, "msg": fmt.Sprintf("dpkg --field %s Package failed", deb), "stdout": o.Stdout, "stderr": o.Stderr}, nil
	}
	fields := map[string]string{}
	for _, l := range strings.Split(o.Stdout, "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok {
			fields[k] = strings.TrimSpace(v)
		}
	}
	st, err := r.status(fields["Package"], "")
	if err != nil {
		return nil, err
	}
	if st.installed && st.version == fields["Version"] && !r.a.Bool("force") {
		return module.Result{"changed": false, "stdout": "", "stderr": "", "diff": ""}, nil
	}
	argv := []string{"dpkg"}
	for _, opt := range strings.Split(r.a.String("dpkg_options"), ",") {
		argv = append(argv, "--"+strings.TrimSpace(opt))
	}
	if r.check {
		argv = append(argv, "--simulate")
	}
	if r.a.Bool("force") {
		argv = append(argv, "--force-all")
	}
	argv = append(argv, "-i", deb)
	o, err = r.withPolicyRcD(argv)
	if err != nil {
		return nil, err
	}
	diff := any("")
	if r.diff {
		diff = r.parseDiff(o.Stdout)
	}
	if o.RC != 0 {
		return module.Result{"failed": true, "msg": fmt.Sprintf("%s failed", strings.Join(argv, " ")), "stdout": o.Stdout, "stderr": o.Stderr}, nil
	}
	return module.Result{"changed": true, "stdout": o.Stdout, "stderr": o.Stderr, "diff": diff}, nil
}

// withPolicyRcD runs argv, with /usr/sbin/policy-rc.d forcing policy_rc_d's
// exit code for the duration when the option is set (an existing one is
// moved aside and restored, as Ansible's PolicyRcD does).
func (r *aptRun) withPolicyRcD(argv []string) (remotecmd.Output, error) {
	if r.check && len(argv) > 0 && argv[0] == "apt-get" {
		// A simulation still writes the solver's log,
		// /var/log/apt/eipp.log.xz; check mode must leave the host as it was.
		argv = append([]string{"apt-get", "-o", "Dir::Log::Planner=/dev/null"}, argv[1:]...)
	}
	if !r.a.Has("policy_rc_d") {
		return r.t.Run(aptEnv, argv...)
	}
	script := fmt.Sprintf(`p=/usr/sbin/policy-rc.d
b=$(mktemp -d)
test -e $p && mv $p "$b/"
printf '#!/bin/sh\nexit %d\n' > $p && chmod 0755 $p
%s
rc=$?
rm -f $p
test -e "$b/policy-rc.d" && mv "$b/policy-rc.d" $p
rmdir "$b"
exit $rc`, r.a.Int("policy_rc_d"), shell.Join(argv))
	return r.t.Sh(aptEnv, script)
}

// parseDiff is Ansible's parse_diff: apt-get's plan between "Reading state
// information..." and the "N upgraded" line. Without diff mode it is {}.
func (r *aptRun) parseDiff(out string) any {
	if !r.diff {
		return map[string]any{}
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	start := -1
	for i, l := range lines {
		if l == "Reading state information..." {
			start = i
			break
		}
	}
	end := len(lines)
	upgraded := regexp.MustCompile(`^[0-9]+ (packages )?upgraded`)
	for i, l := range lines {
		if upgraded.MatchString(l) {
			end = i
			break
		}
	}
	start++
	end++
	if end > len(lines) {
		end = len(lines)
	}
	if start > end {
		start = end
	}
	return map[string]any{"prepared": strings.Join(lines[start:end], "\n")}
}

var aptDoc = &module.Doc{
	Name:  "apt",
	Names: []string{"ansible.builtin.apt"},
	Short: "Manages apt-packages",
	Description: []string{
		"Manages apt packages (such as for Debian/Ubuntu).",
	},
	Options: []module.Option{
		{Name: "allow_change_held_packages", Type: "bool", Default: false, Description: "Allows changing the version of a package which is on the apt hold list"},
		{Name: "allow_downgrade", Type: "bool", Aliases: []string{"allow-downgrade", "allow_downgrades", "allow-downgrades"}, Default: false, Description: "Corresponds to the --allow-downgrades option for apt. This option enables the named package and version to replace an already installed higher version of that package. Note that setting allow_downgrade=true can make this module behave in a non-idempotent way. (The task could end up with a set of packages that does not match the complete list of specified packages to install)."},
		{Name: "allow_unauthenticated", Type: "bool", Aliases: []string{"allow-unauthenticated"}, Default: false, Description: "Ignore if packages cannot be authenticated. This is useful for bootstrapping environments that manage their own apt-key setup. allow_unauthenticated is only supported with state: install/present"},
		{Name: "autoclean", Type: "bool", Default: false, Description: "If true, cleans the local repository of retrieved package files that can no longer be downloaded."},
		{Name: "autoremove", Type: "bool", Default: false, Description: "If true, remove unused dependency packages for all module states except build-dep. It can also be used as the only option. Previous to version 2.4, autoclean was also an alias for autoremove, now it is its own separate command. See documentation for further information."},
		{Name: "cache_valid_time", Type: "int", Default: 0, Description: "Update the apt cache if it is older than the cache_valid_time. This option is set in seconds. As of Ansible 2.4, if explicitly set, this sets update_cache=yes."},
		{Name: "clean", Type: "bool", Default: false, Description: "Run the equivalent of apt-get clean to clear out the local repository of retrieved package files. It removes everything but the lock file from /var/cache/apt/archives/ and /var/cache/apt/archives/partial/. Can be run as part of the package installation (clean runs before install) or as a separate step."},
		{Name: "deb", Type: "path", Description: "Path to a .deb package on the remote machine. If :// in the path, ansible will attempt to download deb before installing. (Version added 2.1) Requires the xz-utils package to extract the control file of the deb package to install."},
		{Name: "default_release", Aliases: []string{"default-release"}, Description: "Corresponds to the -t option for apt and sets pin priorities"},
		{Name: "dpkg_options", Default: "force-confdef,force-confold", Description: "Add dpkg options to apt command. Defaults to '-o \"Dpkg::Options::=--force-confdef\" -o \"Dpkg::Options::=--force-confold\"' Options should be supplied as comma separated list"},
		{Name: "fail_on_autoremove", Type: "bool", Default: false, Description: "Corresponds to the --no-remove option for apt. If true, it is ensured that no packages will be removed or the task will fail. fail_on_autoremove is only supported with state except absent"},
		{Name: "force", Type: "bool", Default: false, Description: "Corresponds to the --force-yes to apt-get and implies allow_unauthenticated: yes and allow_downgrade: yes This option will disable checking both the packages' signatures and the certificates of the web servers they are downloaded from. This option *is not* the equivalent of passing the -f flag to apt-get on the command line **This is a destructive operation with the potential to destroy your system, and it should almost never be used.** Please also see man apt-get for more information."},
		{Name: "force_apt_get", Type: "bool", Default: false, Description: "Force usage of apt-get instead of aptitude"},
		{Name: "install_recommends", Type: "bool", Aliases: []string{"install-recommends"}, Description: "Corresponds to the --no-install-recommends option for apt. true installs recommended packages.  false does not install recommended packages. By default, Ansible will use the same defaults as the operating system. Suggested packages are never installed."},
		{Name: "lock_timeout", Type: "int", Default: 60, Description: "How many seconds will this action wait to acquire a lock on the apt db. Sometimes there is a transitory lock and this will retry at least until timeout is hit."},
		{Name: "name", Type: "list", Elements: "str", Aliases: []string{"package", "pkg"}, Description: "A list of package names, like foo, or package specifier with version, like foo=1.0 or foo>=1.0. Name wildcards (fnmatch) like apt* and version wildcards like foo=1.0* are also supported."},
		{Name: "only_upgrade", Type: "bool", Default: false, Description: "Only upgrade a package if it is already installed."},
		{Name: "policy_rc_d", Type: "int", Description: "Force the exit code of /usr/sbin/policy-rc.d. For example, if policy_rc_d=101 the installed package will not trigger a service start. If /usr/sbin/policy-rc.d already exists, it is backed up and restored after the package installation. If null, the /usr/sbin/policy-rc.d isn't created/changed."},
		{Name: "purge", Type: "bool", Default: false, Description: "Will force purging of configuration files if the module state is set to absent."},
		{Name: "state", Default: "present", Choices: []any{"absent", "build-dep", "latest", "present", "fixed"}, Description: "Indicates the desired package state. latest ensures that the latest version is installed. build-dep ensures the package build dependencies are installed. fixed attempt to correct a system with broken dependencies in place."},
		{Name: "update_cache", Type: "bool", Aliases: []string{"update-cache"}, Description: "Run the equivalent of apt-get update before the operation. Can be run as part of the package installation or as a separate step. Default is not to update the cache."},
		{Name: "update_cache_retries", Type: "int", Default: 5, Description: "Amount of retries if the cache update fails. Also see update_cache_retry_max_delay."},
		{Name: "update_cache_retry_max_delay", Type: "int", Default: 12, Description: "Use an exponential backoff delay for each retry (see update_cache_retries) up to this max delay in seconds."},
		{Name: "upgrade", Default: "no", Choices: []any{"dist", "full", "no", "safe", "yes"}, Description: "If yes or safe, performs an aptitude safe-upgrade. If full, performs an aptitude full-upgrade. If dist, performs an apt-get dist-upgrade. Note: This does not upgrade a specific package, use state=latest for that. Note: Since 2.4, apt-get is used as a fall-back if aptitude is not present."},
	},
	MutuallyExclusive: [][]string{{"deb", "name", "upgrade"}},
	RequiredOneOf:     [][]string{{"autoremove", "deb", "name", "update_cache", "upgrade"}},
	Check:             module.Full,
	Diff:              module.Full,
	Notes: []string{
		"gorun reads package state with apt-cache policy and dpkg-query on the target; it needs no python3-apt there.",
		"The lock wait (lock_timeout) is apt-get's own DPkg::Lock::Timeout.",
		"Not supported yet (a clear error): package name wildcards, deb URLs, upgrades through aptitude (use force_apt_get).",
	},
	Examples: `- name: Install apache httpd  (state=present is optional)
  ansible.builtin.apt:
    name: apache2
    state: present

- name: Update repositories cache and install "foo" package
  ansible.builtin.apt:
    name: foo
    update_cache: yes

- name: Remove "foo" package
  ansible.builtin.apt:
    name: foo
    state: absent

- name: Install the package "foo"
  ansible.builtin.apt:
    name: foo

- name: Install a list of packages
  ansible.builtin.apt:
    pkg:
    - foo
    - foo-tools

- name: Install the version '1.00' of package "foo"
  ansible.builtin.apt:
    name: foo=1.00

- name: Update the repository cache and update package "nginx" to latest version using default release squeeze-backport
  ansible.builtin.apt:
    name: nginx
    state: latest
    default_release: squeeze-backports
    update_cache: yes

- name: Install the version '1.18.0' of package "nginx" and allow potential downgrades
  ansible.builtin.apt:
    name: nginx=1.18.0
    state: present
    allow_downgrade: yes

- name: Install zfsutils-linux with ensuring conflicted packages (e.g. zfs-fuse) will not be removed.
  ansible.builtin.apt:
    name: zfsutils-linux
    state: latest
    fail_on_autoremove: yes

- name: Install latest version of "openjdk-6-jdk" ignoring "install-recommends"
  ansible.builtin.apt:
    name: openjdk-6-jdk
    state: latest
    install_recommends: no

- name: Update all packages to their latest version
  ansible.builtin.apt:
    name: "*"
    state: latest

- name: Upgrade the OS (apt-get dist-upgrade)
  ansible.builtin.apt:
    upgrade: dist

- name: Run the equivalent of "apt-get update" as a separate step
  ansible.builtin.apt:
    update_cache: yes

- name: Only run "update_cache=yes" if the last one is more than 3600 seconds ago
  ansible.builtin.apt:
    update_cache: yes
    cache_valid_time: 3600

- name: Pass options to dpkg on run
  ansible.builtin.apt:
    upgrade: dist
    update_cache: yes
    dpkg_options: 'force-confold,force-confdef'

- name: Install a .deb package
  ansible.builtin.apt:
    deb: /tmp/mypackage.deb

- name: Install the build dependencies for package "foo"
  ansible.builtin.apt:
    pkg: foo
    state: build-dep

- name: Install a .deb package from the internet
  ansible.builtin.apt:
    deb: https://example.com/python-ppq_0.1-1_all.deb

- name: Remove useless packages from the cache
  ansible.builtin.apt:
    autoclean: yes

- name: Remove dependencies that are no longer required
  ansible.builtin.apt:
    autoremove: yes

- name: Run the equivalent of "apt-get clean" as a separate step
  apt:
    clean: yes`,
	Returns: []module.Return{
		{Name: "cache_update_time", Description: "time of the last cache update (0 if unknown)", Returned: "success, in some cases", Type: "int"},
		{Name: "cache_updated", Description: "if the cache was updated or not", Returned: "success, in some cases", Type: "bool"},
		{Name: "stderr", Description: "error output from apt", Returned: "success, when needed", Type: "str"},
		{Name: "stdout", Description: "output from apt", Returned: "success, when needed", Type: "str"},
	},
}
