package facts

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// dateTimeFacts follows system/date_time.py from the output of date(1):
// facts.sh's one date reading three dates ("dates": now, noon on the 1st of
// January and of July), or, where date cannot read dates from stdin, its
// three dates ("date", "tz-jan", "tz-jul").
func dateTimeFacts(r *raw, f map[string]any) {
	var now, jan, jul string
	if out, ok := r.cmd("dates"); ok {
		if l := strings.Split(strings.TrimSpace(out), "\n"); len(l) == 3 {
			now, jan, jul = l[0], zoneOf(l[1]), zoneOf(l[2])
		}
	} else if out, ok := r.cmd("date"); ok {
		now = strings.TrimSpace(out)
		jan, _ = r.cmd("tz-jan")
		jul, _ = r.cmd("tz-jul")
	}
	p := strings.Split(now, "|")
	if len(p) < 13 {
		return
	}
	micro := p[12]
	if len(micro) < 6 || !isDigits(micro) { // busybox date has no %N
		micro = "000000"
	}
	micro = micro[:6]
	// utcnow() of the same instant, as date_time.py takes it from the epoch.
	epoch, err := strconv.ParseInt(p[9], 10, 64)
	if err != nil {
		return
	}
	utc := time.Unix(epoch, 0).UTC().Format("2006-01-02T15:04:05")
	dt := map[string]any{
		"year": p[0], "month": p[1], "weekday": p[2], "weekday_number": p[3], "weeknumber": p[4],
		"day": p[5], "hour": p[6], "minute": p[7], "second": p[8], "epoch": p[9], "epoch_int": p[9],
		"date":                p[0] + "-" + p[1] + "-" + p[5],
		"time":                p[6] + ":" + p[7] + ":" + p[8],
		"iso8601_micro":       utc + "." + micro + "Z",
		"iso8601":             utc + "Z",
		"iso8601_basic":       p[0] + p[1] + p[5] + "T" + p[6] + p[7] + p[8] + micro,
		"iso8601_basic_short": p[0] + p[1] + p[5] + "T" + p[6] + p[7] + p[8],
		"tz":                  p[10],
		"tz_offset":           p[11],
		"tz_dst":              tzDST(jan, jul, p[10]),
	}
	f["date_time"] = dt
}

// zoneOf is "%Z %z" out of a line of facts.sh's date format.
func zoneOf(line string) string {
	p := strings.Split(line, "|")
	if len(p) < 12 {
		return ""
	}
	return p[10] + " " + p[11]
}

// tzDST is Python's time.tzname[1]: CPython compares the zone in January and
// July ("NAME +HHMM" each) and calls the one with the larger UTC offset the
// DST name.
func tzDST(jan, jul, current string) string {
	janF, julF := strings.Fields(jan), strings.Fields(jul)
	if len(janF) < 2 || len(julF) < 2 {
		return current
	}
	if offsetMinutes(janF[1]) > offsetMinutes(julF[1]) {
		return janF[0]
	}
	return julF[0]
}

func offsetMinutes(z string) int {
	if len(z) != 5 {
		return 0
	}
	h, _ := strconv.Atoi(z[1:3])
	m, _ := strconv.Atoi(z[3:5])
	n := h*60 + m
	if z[0] == '-' {
		n = -n
	}
	return n
}

// envFacts is system/env.py: the target's environment.
func envFacts(r *raw, f map[string]any) {
	body := r.other["env"]
	env := map[string]any{}
	var entries []string
	if strings.Contains(body, "\x00") {
		entries = strings.Split(body, "\x00")
	} else {
		entries = strings.Split(body, "\n")
	}
	for _, e := range entries {
		if k, v, ok := strings.Cut(e, "="); ok && k != "" {
			env[k] = v
		}
	}
	f["env"] = env
}

// userFacts is system/user.py.
func userFacts(r *raw, f map[string]any) {
	ids := strings.Split(strings.TrimSpace(r.other["user"]), "\n")
	if len(ids) < 5 {
		return
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }
	f["user_id"] = ids[0]
	if pw := strings.Split(strings.TrimSpace(strings.Split(r.other["passwd"], "\n")[0]), ":"); len(pw) >= 7 {
		f["user_uid"], f["user_gid"] = atoi(pw[2]), atoi(pw[3])
		f["user_gecos"], f["user_dir"], f["user_shell"] = pw[4], pw[5], pw[6]
	}
	f["effective_user_id"] = atoi(ids[1])
	f["real_user_id"] = atoi(ids[3])
	f["real_group_id"] = atoi(ids[4])
	// Ansible reports os.getgid() as the effective group id too.
	f["effective_group_id"] = atoi(ids[4])
}

// dnsFacts is system/dns.py.
func dnsFacts(r *raw, f map[string]any) {
	dns := map[string]any{}
	content, _ := r.file("/etc/resolv.conf")
	for _, line := range strings.Split(content, "\n") {
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") || strings.TrimSpace(line) == "" {
			continue
		}
		tokens := strings.Fields(line)
		switch tokens[0] {
		case "nameserver":
			ns, _ := dns["nameservers"].([]any)
			for _, t := range tokens[1:] {
				ns = append(ns, t)
			}
			dns["nameservers"] = ns
		case "domain":
			if len(tokens) > 1 {
				dns["domain"] = tokens[1]
			}
		case "search", "sortlist":
			key := map[string]string{"search": "search", "sortlist": "sortlist"}[tokens[0]]
			l := []any{}
			for _, t := range tokens[1:] {
				l = append(l, t)
			}
			dns[key] = l
		case "options":
			opts := map[string]any{}
			for _, o := range tokens[1:] {
				if k, v, ok := strings.Cut(o, ":"); ok && v != "" {
					opts[k] = v
				} else {
					opts[k] = true
				}
			}
			dns["options"] = opts
		}
	}
	f["dns"] = dns
}

// selinuxFacts reads SELinux state from selinuxfs, which is what Ansible's
// Python bindings read; the bindings are not needed, so selinux_python_present
// is always true.
func selinuxFacts(r *raw, f map[string]any) {
	f["selinux_python_present"] = true
	enforce, ok := r.file("/sys/fs/selinux/enforce")
	if !ok {
		f["selinux"] = map[string]any{"status": "disabled"}
		return
	}
	mode := map[string]string{"1": "enforcing", "0": "permissive"}
	s := map[string]any{"status": "enabled", "mode": "unknown", "config_mode": "unknown", "type": "unknown", "policyvers": "unknown"}
	if m, ok := mode[enforce]; ok {
		s["mode"] = m
	}
	if v, ok := r.file("/sys/fs/selinux/policyvers"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			s["policyvers"] = n
		}
	}
	cfg, _ := r.file("/etc/selinux/config")
	for _, line := range strings.Split(cfg, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), "=")
		switch k {
		case "SELINUX":
			if v == "enforcing" || v == "permissive" || v == "disabled" {
				s["config_mode"] = v
			}
		case "SELINUXTYPE":
			s["type"] = v
		}
	}
	f["selinux"] = s
}

// lsbFacts is system/lsb.py.
func lsbFacts(r *raw, f map[string]any) {
	l := map[string]string{}
	if out, ok := r.cmd("lsb_release"); ok {
		for _, line := range strings.Split(out, "\n") {
			if !strings.Contains(line, ":") {
				continue
			}
			_, v, _ := strings.Cut(line, ":")
			v = strings.TrimSpace(v)
			switch {
			case strings.Contains(line, "LSB Version:"), strings.Contains(line, "Release:"):
				l["release"] = v
			case strings.Contains(line, "Distributor ID:"):
				l["id"] = v
			case strings.Contains(line, "Description:"):
				l["description"] = v
			case strings.Contains(line, "Codename:"):
				l["codename"] = v
			}
		}
	}
	if len(l) == 0 {
		for _, line := range r.fileLines("/etc/lsb-release") {
			_, v, _ := strings.Cut(line, "=")
			v = strings.TrimSpace(v)
			switch {
			case strings.Contains(line, "DISTRIB_ID"):
				l["id"] = v
			case strings.Contains(line, "DISTRIB_RELEASE"):
				l["release"] = v
			case strings.Contains(line, "DISTRIB_DESCRIPTION"):
				l["description"] = v
			case strings.Contains(line, "DISTRIB_CODENAME"):
				l["codename"] = v
			}
		}
	}
	if rel, ok := l["release"]; ok {
		l["major_release"] = strings.Split(rel, ".")[0]
	}
	out := map[string]any{}
	for k, v := range l {
		out[k] = strings.Trim(v, `'"\`)
	}
	f["lsb"] = out
}

// chrootFacts is system/chroot.py. facts.sh compares / with /proc/1/root/.
// ("roots": same or differ), or, where the second cannot be read, stats /
// ("stat-roots") and the file system type of / tells which inode a real
// root has. (An older facts.sh stat'ed both roots, a line each.)
func chrootFacts(r *raw, f map[string]any) {
	if strings.TrimSpace(r.other["chroot-env"]) != "" {
		f["is_chroot"] = true
		return
	}
	switch strings.TrimSpace(r.other["roots"]) {
	case "same":
		f["is_chroot"] = false
		return
	case "differ":
		f["is_chroot"] = true
		return
	}
	roots := lines(r.cmds["stat-roots"])
	if len(roots) == 0 {
		return
	}
	if _, ok := r.cmd("stat-roots"); ok && len(roots) == 2 {
		f["is_chroot"] = strings.TrimSpace(roots[0]) != strings.TrimSpace(roots[1])
		return
	}
	fsRootIno := "2"
	if t, ok := r.cmd("statfs-root"); ok {
		switch {
		case strings.Contains(t, "btrfs"):
			fsRootIno = "256"
		case strings.Contains(t, "xfs"):
			fsRootIno = "128"
		}
	}
	fields := strings.Fields(roots[0])
	f["is_chroot"] = len(fields) == 2 && fields[1] != fsRootIno
}

// cmdlineFacts is system/cmdline.py.
func cmdlineFacts(r *raw, f map[string]any) {
	data, ok := r.file("/proc/cmdline")
	if !ok || data == "" {
		return
	}
	cmdline, proc := map[string]any{}, map[string]any{}
	for _, piece := range splitNonPOSIX(data) {
		k, v, hasValue := strings.Cut(piece, "=")
		if !hasValue {
			cmdline[k], proc[k] = true, true
			continue
		}
		cmdline[k] = v
		switch old := proc[k].(type) {
		case []any:
			proc[k] = append(old, v)
		case nil:
			proc[k] = v
		default:
			proc[k] = []any{old, v}
		}
	}
	f["cmdline"], f["proc_cmdline"] = cmdline, proc
}

// splitNonPOSIX is Python's shlex.split(s, posix=False): blank-separated
// words; a word that starts with a quote runs to the closing quote and keeps
// both quotes. An unclosed quote makes the whole split fail (nil).
func splitNonPOSIX(s string) []string {
	var words []string
	var w strings.Builder
	var quote rune
	inWord := false
	for _, c := range s {
		switch {
		case quote != 0:
			w.WriteRune(c)
			if c == quote {
				words = append(words, w.String())
				w.Reset()
				quote, inWord = 0, false
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case !inWord && (c == '"' || c == '\''):
			quote = c
			w.WriteRune(c)
		default:
			w.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// pkgMgrs is PKG_MGRS from system/pkg_mgr.py, in order: the last one present wins.
var pkgMgrs = []struct{ path, name string }{
	{"/usr/bin/rpm-ostree", "atomic_container"}, {"/usr/bin/yum", "yum"}, {"/usr/bin/dnf", "dnf"},
	{"/usr/bin/apt-get", "apt"}, {"/usr/bin/zypper", "zypper"}, {"/usr/sbin/urpmi", "urpmi"},
	{"/usr/bin/pacman", "pacman"}, {"/bin/opkg", "opkg"}, {"/usr/pkg/bin/pkgin", "pkgin"},
	{"/opt/local/bin/pkgin", "pkgin"}, {"/opt/tools/bin/pkgin", "pkgin"}, {"/opt/local/bin/port", "macports"},
	{"/usr/local/bin/brew", "homebrew"}, {"/opt/homebrew/bin/brew", "homebrew"}, {"/sbin/apk", "apk"},
	{"/usr/sbin/pkg", "pkgng"}, {"/usr/sbin/swlist", "swdepot"}, {"/usr/bin/emerge", "portage"},
	{"/usr/sbin/pkgadd", "svr4pkg"}, {"/usr/bin/pkg", "pkg5"}, {"/usr/bin/xbps-install", "xbps"},
	{"/usr/local/sbin/pkg", "pkgng"}, {"/usr/bin/swupd", "swupd"}, {"/usr/sbin/sorcery", "sorcery"},
	{"/usr/bin/installp", "installp"}, {"/QOpenSys/pkgs/bin/yum", "yum"},
}

// pkgMgrFacts is system/pkg_mgr.py (PkgMgrFactCollector).
func pkgMgrFacts(r *raw, f map[string]any) {
	family, _ := f["os_family"].(string)
	dist, _ := f["distribution"].(string)
	major, _ := f["distribution_major_version"].(string)
	exists := func(name string) bool {
		for _, p := range pkgMgrs {
			if p.name == name && r.exists[p.path] {
				return true
			}
		}
		return false
	}
	name := "unknown"
	for _, p := range pkgMgrs {
		if family == "Altlinux" && p.path == "/usr/bin/pkg" {
			continue
		}
		if r.exists[p.path] {
			name = p.name
		}
	}
	switch family {
	case "RedHat":
		n, err := strconv.Atoi(major)
		switch {
		case r.exists["/run/ostree-booted"]:
			name = "atomic_container"
		case dist == "Fedora" || dist == "Amazon":
			limit := map[string]int{"Fedora": 23, "Amazon": 2022}[dist]
			if err != nil {
				name = "dnf"
			} else if n < limit && exists("yum") {
				name = "yum"
			} else if n >= limit && exists("dnf") {
				name = "dnf"
			}
		case err != nil:
			return // int() raises in Ansible: the collector fails, no pkg_mgr fact
		case n < 8:
			name = "yum"
		default:
			name = "dnf"
		}
	case "Debian":
		name = "apt"
	case "Altlinux":
		if name == "apt" {
			name = "apt_rpm"
		}
	}
	if name == "apt" && r.exists["/usr/bin/rpm"] {
		if _, ok := r.cmd("rpm-apt"); ok {
			name = "apt_rpm"
		}
	}
	f["pkg_mgr"] = name
}

// serviceMgrFacts is system/service_mgr.py for Linux.
func serviceMgrFacts(r *raw, f map[string]any) {
	proc1, ok := r.file("/proc/1/comm")
	var have bool
	if ok {
		have = true
	} else if out, ok := r.cmds["ps1"]; ok {
		trimmed := strings.TrimSpace(out)
		have = r.rcs["ps1"] == 0 && trimmed != "" && !regexpLeadingPID.MatchString(out) && out != "COMMAND\n"
		proc1 = out
	}
	if !have {
		if l, ok := r.links["/sbin/init"]; ok {
			proc1, have = l, true
		}
	}
	if have {
		proc1 = strings.TrimSpace(path.Base(strings.TrimRight(proc1, "\n")))
		if proc1 == "init" || strings.HasSuffix(proc1, "sh") {
			have = false
		}
	}
	name := ""
	system, _ := f["system"].(string)
	switch {
	case have:
		name = map[string]string{"procd": "openwrt_init", "runit-init": "runit", "svscan": "svc", "openrc-init": "openrc"}[proc1]
		if name == "" {
			name = proc1
		}
	case f["distribution"] == "OpenWrt":
		name = "openwrt_init"
	case system == "Linux":
		switch {
		case r.bins["systemctl"] && (r.exists["/run/systemd/system/"] || r.exists["/dev/.run/systemd/"] || r.exists["/dev/.systemd/"]):
			name = "systemd"
		case r.bins["initctl"] && r.exists["/etc/init/"]:
			name = "upstart"
		case r.exists["/sbin/openrc"]:
			name = "openrc"
		case r.bins["systemctl"] && path.Base(r.links["/sbin/init"]) == "systemd":
			name = "systemd"
		case r.exists["/etc/init.d/"]:
			name = "sysvinit"
		}
	}
	if name == "" {
		name = "service"
	}
	f["service_mgr"] = name
}

// capsFacts is system/caps.py.
func capsFacts(r *raw, f map[string]any) {
	f["system_capabilities_enforced"], f["system_capabilities"] = "N/A", "N/A"
	out, ok := r.cmd("capsh")
	if !ok {
		return
	}
	enforced, caps := "NA", []any{}
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "Current:") {
			continue
		}
		if strings.TrimSpace(strings.Split(line, ":")[1]) == "=ep" {
			enforced = "False"
		} else {
			enforced = "True"
			if _, after, ok := strings.Cut(line, "="); ok {
				for _, c := range strings.Split(strings.Split(after, "=")[0], ",") {
					caps = append(caps, strings.TrimSpace(c))
				}
			}
		}
	}
	f["system_capabilities_enforced"], f["system_capabilities"] = enforced, caps
}

// sshPubKeyFacts is system/ssh_pub_keys.py.
func sshPubKeyFacts(r *raw, f map[string]any) {
	found := map[string]bool{}
	for _, dir := range []string{"/etc/ssh", "/etc/openssh", "/etc"} {
		for _, algo := range []string{"dsa", "rsa", "ecdsa", "ed25519"} {
			name := "ssh_host_key_" + algo + "_public"
			if found[name] {
				return
			}
			data, ok := r.file(fmt.Sprintf("%s/ssh_host_%s_key.pub", dir, algo))
			if fields := strings.Fields(data); ok && len(fields) >= 2 {
				f[name], f[name+"_keytype"] = fields[1], fields[0]
				found[name] = true
			}
		}
	}
}

// loadavgFacts is system/loadavg.py.
func loadavgFacts(r *raw, f map[string]any) {
	fields := strings.Fields(r.files["/proc/loadavg"])
	if len(fields) < 3 {
		return
	}
	l := map[string]any{}
	for i, k := range []string{"1m", "5m", "15m"} {
		v, _ := strconv.ParseFloat(fields[i], 64)
		l[k] = v
	}
	f["loadavg"] = l
}

// fipsFacts is system/fips.py.
func fipsFacts(r *raw, f map[string]any) {
	data, _ := r.file("/proc/sys/crypto/fips_enabled")
	f["fips"] = data == "1"
}

// apparmorFacts is system/apparmor.py.
func apparmorFacts(r *raw, f map[string]any) {
	status := "disabled"
	if r.exists["/sys/kernel/security/apparmor"] {
		status = "enabled"
	}
	f["apparmor"] = map[string]any{"status": status}
}

// fcWWNFacts, iscsiFacts and nvmeFacts are network/fc_wwn.py, iscsi.py and nvme.py for Linux.
func fcWWNFacts(r *raw, f map[string]any) {
	wwns := []any{}
	var paths []string
	for p := range r.files {
		if strings.HasPrefix(p, "/sys/class/fc_host/") && strings.HasSuffix(p, "/port_name") {
			paths = append(paths, p)
		}
	}
	sortStrings(paths)
	for _, p := range paths {
		if l := r.fileLines(p); len(l) > 0 && len(strings.TrimRight(l[0], " \n")) > 2 {
			wwns = append(wwns, strings.TrimRight(l[0], " \n")[2:])
		}
	}
	f["fibre_channel_wwn"] = wwns
}

func iscsiFacts(r *raw, f map[string]any) {
	f["iscsi_iqn"] = ""
	data, _ := r.file("/etc/iscsi/initiatorname.iscsi")
	for _, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") || strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "InitiatorName=") {
			_, v, _ := strings.Cut(line, "=")
			f["iscsi_iqn"] = strings.TrimRight(v, " \t\r\n")
			break
		}
	}
}

func nvmeFacts(r *raw, f map[string]any) {
	f["hostnqn"] = ""
	data, _ := r.file("/etc/nvme/hostnqn")
	for _, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(line, "nqn.") {
			f["hostnqn"] = line
			break
		}
	}
}

var regexpLeadingPID = regexp.MustCompile(`^ *[0-9]+ `)

func sortStrings(s []string) { sort.Strings(s) }
