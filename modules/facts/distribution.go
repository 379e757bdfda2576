package facts

import (
	"regexp"
	"sort"
	"strings"

	"gorun/engine/shell"
)

// distFile is one entry of Ansible's DistributionFiles.OSDIST_LIST, in order.
type distFile struct {
	path, name string
	allowEmpty bool
}

var osDistList = []distFile{
	{"/etc/altlinux-release", "Altlinux", false},
	{"/etc/oracle-release", "OracleLinux", false},
	{"/etc/slackware-version", "Slackware", false},
	{"/etc/centos-release", "CentOS", false},
	{"/etc/redhat-release", "RedHat", false},
	{"/etc/vmware-release", "VMwareESX", true},
	{"/etc/openwrt_release", "OpenWrt", false},
	{"/etc/os-release", "Amazon", false},
	{"/etc/system-release", "Amazon", false},
	{"/etc/alpine-release", "Alpine", false},
	{"/etc/arch-release", "Archlinux", true},
	{"/etc/os-release", "Archlinux", false},
	{"/etc/os-release", "SUSE", false},
	{"/etc/SuSE-release", "SUSE", false},
	{"/etc/gentoo-release", "Gentoo", false},
	{"/etc/os-release", "Debian", false},
	{"/etc/lsb-release", "Debian", false},
	{"/etc/lsb-release", "Mandriva", false},
	{"/etc/sourcemage-release", "SMGL", false},
	{"/usr/lib/os-release", "ClearLinux", false},
	{"/etc/coreos/update.conf", "Coreos", false},
	{"/etc/os-release", "Flatcar", false},
	{"/etc/os-release", "NA", false},
}

var distSearchString = map[string]string{
	"OracleLinux": "Oracle Linux",
	"RedHat":      "Red Hat",
	"Altlinux":    "ALT",
	"SMGL":        "Source Mage GNU/Linux",
}

// osFamily is Distribution.OS_FAMILY_MAP inverted: distribution -> family.
var osFamily = func() map[string]string {
	m := map[string]string{}
	for family, names := range map[string][]string{
		"RedHat": {"RedHat", "RHEL", "Fedora", "CentOS", "Scientific", "SLC", "Ascendos", "CloudLinux", "PSBM",
			"OracleLinux", "OVS", "OEL", "Amazon", "Virtuozzo", "XenServer", "Alibaba", "EulerOS", "openEuler",
			"AlmaLinux", "Rocky", "TencentOS", "EuroLinux", "Kylin Linux Advanced Server"},
		"Debian": {"Debian", "Ubuntu", "Raspbian", "Neon", "KDE neon", "Linux Mint", "SteamOS", "Devuan", "Kali",
			"Cumulus Linux", "Pop!_OS", "Parrot", "Pardus GNU/Linux", "Uos", "Deepin", "OSMC"},
		"Suse":       {"SuSE", "SLES", "SLED", "openSUSE", "openSUSE Tumbleweed", "SLES_SAP", "SUSE_LINUX", "openSUSE Leap"},
		"Archlinux":  {"Archlinux", "Antergos", "Manjaro"},
		"Mandrake":   {"Mandrake", "Mandriva"},
		"Solaris":    {"Solaris", "Nexenta", "OmniOS", "OpenIndiana", "SmartOS"},
		"Slackware":  {"Slackware"},
		"Altlinux":   {"Altlinux"},
		"SGML":       {"SGML"},
		"Gentoo":     {"Gentoo", "Funtoo"},
		"Alpine":     {"Alpine"},
		"AIX":        {"AIX"},
		"HP-UX":      {"HPUX"},
		"Darwin":     {"MacOSX"},
		"FreeBSD":    {"FreeBSD", "TrueOS"},
		"ClearLinux": {"Clear Linux OS", "Clear Linux Mix"},
		"DragonFly":  {"DragonflyBSD", "DragonFlyBSD", "Gentoo/DragonflyBSD", "Gentoo/DragonFlyBSD"},
		"NetBSD":     {"NetBSD"},
	} {
		for _, n := range names {
			m[n] = family
		}
	}
	return m
}()

// distributionFacts follows system/distribution.py for Linux: a first guess
// from the distro library's view of os-release, then the first distribution
// file of OSDIST_LIST that parses.
func distributionFacts(r *raw, f map[string]any) {
	system := r.uname().system
	d := map[string]any{}
	if system == "Linux" {
		for k, v := range guessDistribution(r) {
			d[k] = v
		}
		for _, df := range osDistList {
			content, ok := r.files[df.path]
			if !ok || (!df.allowEmpty && content == "") {
				continue
			}
			if df.allowEmpty {
				d["distribution"], d["distribution_file_path"], d["distribution_file_variety"] = df.name, df.path, df.name
				break
			}
			parsed, pf := parseDistFile(r, df.name, strings.TrimSpace(content), df.path, d)
			if parsed {
				d["distribution"], d["distribution_file_path"], d["distribution_file_variety"] = df.name, df.path, df.name
				d["distribution_file_parsed"] = true
				for k, v := range pf {
					d[k] = v
				}
				break
			}
		}
	} else {
		// Ansible uses platform.release() and version() for other systems.
		d["distribution"] = system
	}
	for k, v := range d {
		f[k] = v
	}
	dist, _ := d["distribution"].(string)
	if fam, ok := osFamily[dist]; ok {
		f["os_family"] = fam
	} else {
		f["os_family"] = dist
	}
}

var (
	reDebianRelease = regexp.MustCompile(`PRETTY_NAME=[^(]+ \(?([^)]+?)\)`)
	reMajorMinor    = regexp.MustCompile(`(\d+)\.(\d+)`)
	reQuotedVersion = regexp.MustCompile(`VERSION_ID="(.*)"`)
	reSUSEName      = regexp.MustCompile(`^NAME=(.*)`)
	reSUSEVersion   = regexp.MustCompile(`^VERSION_ID="?([0-9]+\.?[0-9]*)"?`)
	reSUSERelease   = regexp.MustCompile(`^VERSION_ID="?[0-9]+\.?([0-9]*)"?`)
)

// parseDistFile is DistributionFiles._parse_dist_file and its parse_distribution_file_* methods.
func parseDistFile(r *raw, name, data, path string, collected map[string]any) (bool, map[string]any) {
	out := map[string]any{}
	data = strings.Trim(data, `'"\`)
	if s, ok := distSearchString[name]; ok {
		if strings.Contains(data, s) {
			out["distribution"] = name
			out["distribution_file_search_string"] = s
		} else if fields := strings.Fields(data); len(fields) > 0 {
			out["distribution"] = fields[0]
		}
		return true, out
	}
	search := func(re string) []string {
		return regexp.MustCompile(re).FindStringSubmatch(data)
	}
	switch name {
	case "Archlinux":
		if strings.Contains(data, "Arch Linux") {
			out["distribution"] = name
			return true, out
		}
		return false, out
	case "Slackware":
		if !strings.Contains(data, "Slackware") {
			return false, out
		}
		out["distribution"] = name
		if v := regexp.MustCompile(`\w+[.]\w+\+?`).FindString(data); v != "" {
			out["distribution_version"] = v
		}
		return true, out
	case "Amazon":
		if !strings.Contains(data, "Amazon") {
			return false, out
		}
		out["distribution"] = "Amazon"
		if path == "/etc/os-release" {
			if m := reQuotedVersion.FindStringSubmatch(data); m != nil {
				out["distribution_version"] = m[1]
				parts := strings.Split(m[1], ".")
				out["distribution_major_version"] = parts[0]
				if len(parts) > 1 {
					out["distribution_minor_version"] = parts[1]
				} else {
					out["distribution_minor_version"] = "NA"
				}
			}
		} else {
			version := "NA"
			for _, w := range strings.Fields(data) {
				if isDigits(w) {
					version = w
					break
				}
			}
			out["distribution_version"] = version
		}
		return true, out
	case "OpenWrt":
		if !strings.Contains(data, "OpenWrt") {
			return false, out
		}
		out["distribution"] = name
		if m := search(`DISTRIB_RELEASE="(.*)"`); m != nil {
			out["distribution_version"] = m[1]
		}
		if m := search(`DISTRIB_CODENAME="(.*)"`); m != nil {
			out["distribution_release"] = m[1]
		}
		return true, out
	case "Alpine":
		out["distribution"], out["distribution_version"] = "Alpine", data
		return true, out
	case "SUSE":
		if !strings.Contains(strings.ToLower(data), "suse") {
			return false, out
		}
		if path == "/etc/os-release" {
			lower := strings.ToLower(data)
			for _, line := range strings.Split(data, "\n") {
				if m := reSUSEName.FindStringSubmatch(line); m != nil {
					out["distribution"] = strings.Trim(m[1], `"`)
				}
				if m := reSUSEVersion.FindStringSubmatch(line); m != nil {
					out["distribution_version"] = m[1]
					out["distribution_major_version"] = strings.Split(m[1], ".")[0]
				}
				if strings.Contains(lower, "open") {
					if m := reSUSERelease.FindStringSubmatch(line); m != nil {
						out["distribution_release"] = m[1]
					}
				} else if strings.Contains(lower, "enterprise") && strings.Contains(line, "VERSION_ID") {
					if m := reSUSERelease.FindStringSubmatch(line); m != nil && m[1] != "" {
						out["distribution_release"] = m[1]
					} else {
						out["distribution_release"] = "0"
					}
				}
			}
		}
		if real, ok := r.reals["/etc/products.d/baseproduct"]; ok && strings.HasSuffix(real, "SLES_SAP.prod") {
			out["distribution"] = "SLES_SAP"
		}
		return true, out
	case "Debian":
		return parseDebian(r, data, path, collected, out)
	case "Mandriva":
		if !strings.Contains(data, "Mandriva") {
			return false, out
		}
		if m := search(`DISTRIB_RELEASE="(.*)"`); m != nil {
			out["distribution_version"] = m[1]
		}
		if m := search(`DISTRIB_CODENAME="(.*)"`); m != nil {
			out["distribution_release"] = m[1]
		}
		out["distribution"] = name
		return true, out
	case "NA":
		for _, line := range strings.Split(data, "\n") {
			if m := reSUSEName.FindStringSubmatch(line); m != nil {
				out["distribution"] = strings.Trim(m[1], `"`)
			}
			if m := regexp.MustCompile(`^VERSION=(.*)`).FindStringSubmatch(line); m != nil && collected["distribution_version"] == "NA" {
				out["distribution_version"] = strings.Trim(m[1], `"`)
			}
		}
		return true, out
	case "Coreos":
		osr := osRelease(r)
		if strings.ToLower(distroID(r, osr)) != "coreos" || data == "" {
			return false, out
		}
		if m := regexp.MustCompile(`(?m)^GROUP=(.*)`).FindStringSubmatch(data); m != nil {
			out["distribution_release"] = strings.Trim(m[1], `"`)
		}
		return true, out
	case "Flatcar":
		if strings.ToLower(distroID(r, osRelease(r))) != "flatcar" || data == "" {
			return false, out
		}
		if m := search(`VERSION=(.*)`); m != nil {
			v := strings.Trim(m[1], `"`)
			out["distribution_major_version"] = strings.Split(v, ".")[0]
			out["distribution_version"] = v
		}
		return true, out
	case "ClearLinux":
		if m := search(`NAME="(.*)"`); m != nil {
			if !strings.Contains(m[1], "Clear Linux") {
				return false, out
			}
			out["distribution"] = m[1]
		}
		if m := search(`VERSION_ID=(.*)`); m != nil {
			out["distribution_major_version"], out["distribution_version"] = m[1], m[1]
		}
		if m := search(`ID=(.*)`); m != nil {
			out["distribution_release"] = m[1]
		}
		return true, out
	case "CentOS":
		if strings.Contains(data, "CentOS Stream") {
			out["distribution_release"] = "Stream"
			return true, out
		}
		if strings.Contains(data, "TencentOS Server") {
			out["distribution"] = "TencentOS"
			return true, out
		}
		return false, out
	}
	// Gentoo and others without a parser: Ansible's getattr fails, not parsed.
	return false, out
}

// parseDebian is parse_distribution_file_Debian.
func parseDebian(r *raw, data, path string, collected, out map[string]any) (bool, map[string]any) {
	search := func(re string) []string { return regexp.MustCompile(re).FindStringSubmatch(data) }
	switch {
	case strings.Contains(data, "Debian") || strings.Contains(data, "Raspbian"):
		out["distribution"] = "Debian"
		if m := reDebianRelease.FindStringSubmatch(data); m != nil {
			out["distribution_release"] = m[1]
		}
		if collected["distribution_release"] == "NA" && strings.Contains(data, "Debian") {
			if tz, ok := r.other["dpkg-tzdata"]; ok {
				out["distribution_release"] = strings.TrimSpace(tz)
			}
		}
		for _, line := range r.fileLines("/etc/debian_version") {
			if m := reMajorMinor.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
				out["distribution_minor_version"] = m[2]
			}
		}
	case strings.Contains(data, "Ubuntu"):
		out["distribution"] = "Ubuntu"
	case strings.Contains(data, "SteamOS"):
		out["distribution"] = "SteamOS"
	case (path == "/etc/lsb-release" || path == "/etc/os-release") && (strings.Contains(data, "Kali") || strings.Contains(data, "Parrot")):
		if strings.Contains(data, "Kali") {
			out["distribution"] = "Kali"
		} else {
			out["distribution"] = "Parrot"
		}
		if m := search(`DISTRIB_RELEASE=(.*)`); m != nil {
			out["distribution_release"] = m[1]
		}
	case strings.Contains(data, "Devuan"):
		out["distribution"] = "Devuan"
		if m := search(`PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?`); m != nil {
			out["distribution_release"] = m[1]
		}
		if m := reQuotedVersion.FindStringSubmatch(data); m != nil {
			out["distribution_version"], out["distribution_major_version"] = m[1], m[1]
		}
	case strings.Contains(data, "Cumulus"):
		out["distribution"] = "Cumulus Linux"
		if m := search(`VERSION_ID=(.*)`); m != nil {
			out["distribution_version"] = m[1]
			out["distribution_major_version"] = strings.Split(m[1], ".")[0]
		}
		if m := search(`VERSION="(.*)"`); m != nil {
			out["distribution_release"] = m[1]
		}
	case strings.Contains(data, "Mint"):
		out["distribution"] = "Linux Mint"
		if m := reQuotedVersion.FindStringSubmatch(data); m != nil {
			out["distribution_version"] = m[1]
			out["distribution_major_version"] = strings.Split(m[1], ".")[0]
		}
	case strings.Contains(data, "UOS") || strings.Contains(data, "Uos") || strings.Contains(data, "uos"):
		out["distribution"] = "Uos"
		if m := search(`VERSION_CODENAME="?([^"]+)"?`); m != nil {
			out["distribution_release"] = m[1]
		}
		if m := reQuotedVersion.FindStringSubmatch(data); m != nil {
			out["distribution_version"] = m[1]
			out["distribution_major_version"] = strings.Split(m[1], ".")[0]
		}
	case strings.Contains(data, "Deepin") || strings.Contains(data, "deepin"):
		out["distribution"] = "Deepin"
		if m := search(`VERSION_CODENAME="?([^"]+)"?`); m != nil {
			out["distribution_release"] = m[1]
		}
		if m := reQuotedVersion.FindStringSubmatch(data); m != nil {
			out["distribution_version"] = m[1]
			out["distribution_major_version"] = strings.Split(m[1], ".")[0]
		}
	default:
		return false, out
	}
	return true, out
}

// osRelease reads /etc/os-release (or /usr/lib/os-release) as the distro
// library does: lower-case keys, shell-quoted values, plus "codename".
func osRelease(r *raw) map[string]string {
	content, ok := r.files["/etc/os-release"]
	if !ok {
		content = r.files["/usr/lib/os-release"]
	}
	props := map[string]string{}
	for _, line := range strings.Split(content, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		if words, err := shell.Split(v); err == nil {
			v = strings.Join(words, " ")
		}
		props[strings.ToLower(k)] = v
	}
	if v, ok := props["version_codename"]; ok {
		props["codename"] = v
	} else if v, ok := props["ubuntu_codename"]; ok {
		props["codename"] = v
	} else if props["version"] != "" {
		if m := regexp.MustCompile(`\((\D+)\)|,\s*(\D+)`).FindStringSubmatch(props["version"]); m != nil {
			props["codename"] = m[1] + m[2]
		}
	}
	return props
}

// lsbRelease parses `lsb_release -a` as the distro library does.
func lsbRelease(r *raw) map[string]string {
	out, ok := r.cmd("lsb_release")
	info := map[string]string{}
	if !ok {
		return info
	}
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		info[strings.ReplaceAll(strings.ToLower(strings.TrimSpace(k)), " ", "_")] = strings.TrimSpace(v)
	}
	return info
}

// reReleaseBasename is distro's _DISTRO_RELEASE_BASENAME_PATTERN.
var reReleaseBasename = regexp.MustCompile(`^(\w+)[-_](release|version)$`)

// distroReleaseFile is the distro library's "distro release file": the
// first file of /etc, sorted by name, whose name matches reReleaseBasename,
// that it does not ignore and whose first line parses.
func distroReleaseFile(r *raw) map[string]string {
	ignore := map[string]bool{"debian_version": true, "lsb-release": true, "oem-release": true,
		"os-release": true, "system-release": true, "plesk-release": true, "iredmail-release": true}
	var names []string
	for p := range r.files {
		if dir, base, _ := cutLast(p, "/"); dir == "/etc" && !ignore[base] && reReleaseBasename.MatchString(base) {
			names = append(names, base)
		}
	}
	sort.Strings(names)
	for _, base := range names {
		first := strings.Split(strings.TrimSpace(r.files["/etc/"+base]), "\n")[0]
		if info := parseDistroReleaseContent(first); info["name"] != "" {
			info["id"] = strings.ToLower(reReleaseBasename.FindStringSubmatch(base)[1])
			return info
		}
	}
	return map[string]string{}
}

var reReleaseReversed = regexp.MustCompile(`^(?:[^)]*\)(.*)\()? *(?:STL )?([\d.+\-a-z]*\d) *(?:esaeler *)?(.+)`)

// parseDistroReleaseContent is distro's _parse_distro_release_content.
func parseDistroReleaseContent(line string) map[string]string {
	info := map[string]string{}
	line = strings.TrimSpace(line)
	if m := reReleaseReversed.FindStringSubmatch(reverse(line)); m != nil {
		info["name"] = reverse(m[3])
		if m[2] != "" {
			info["version_id"] = reverse(m[2])
		}
		if m[1] != "" {
			info["codename"] = reverse(m[1])
		}
	} else if line != "" {
		info["name"] = line
	}
	return info
}

// distroID is distro.id(): os-release ID, else lsb_release, else the release file.
func distroID(r *raw, osr map[string]string) string {
	norm := func(s string, table map[string]string) string {
		s = strings.ReplaceAll(strings.ToLower(s), " ", "_")
		if n, ok := table[s]; ok {
			return n
		}
		return s
	}
	if id := osr["id"]; id != "" {
		return norm(id, map[string]string{"ol": "oracle", "opensuse-leap": "opensuse"})
	}
	if id := lsbRelease(r)["distributor_id"]; id != "" {
		return norm(id, map[string]string{"enterpriseenterpriseas": "oracle", "enterpriseenterpriseserver": "oracle",
			"redhatenterpriseworkstation": "rhel", "redhatenterpriseserver": "rhel", "redhatenterprisecomputenode": "rhel"})
	}
	if id := distroReleaseFile(r)["id"]; id != "" {
		return norm(id, map[string]string{"redhat": "rhel"})
	}
	return ""
}

// guessDistribution is DistributionFiles._guess_distribution, built on
// module_utils/common/sys_info.py and the distro library.
func guessDistribution(r *raw) map[string]any {
	osr := osRelease(r)
	lsb := lsbRelease(r)
	rel := distroReleaseFile(r)
	id := distroID(r, osr)

	name := strings.ToUpper(id[:min(1, len(id))]) + strings.ToLower(id[min(1, len(id)):])
	switch name {
	case "Amzn":
		name = "Amazon"
	case "Rhel":
		name = "Redhat"
	case "":
		name = "OtherLinux"
	}

	versions := []string{osr["version_id"], lsb["release"], rel["version_id"],
		parseDistroReleaseContent(osr["pretty_name"])["version_id"],
		parseDistroReleaseContent(lsb["description"])["version_id"]}
	if id == "debian" || strings.Contains(" "+osr["id_like"]+" ", " debian ") {
		dv, _ := r.file("/etc/debian_version")
		versions = append(versions, strings.Split(dv, "\n")[0])
	}
	version := ""
	for _, v := range versions {
		if v != "" {
			version = v
			break
		}
	}
	if id == "centos" || id == "debian" {
		best := ""
		for _, v := range versions {
			if strings.Count(v, ".") > strings.Count(best, ".") || best == "" {
				best = v
			}
		}
		if id == "centos" {
			parts := strings.Split(best, ".")
			best = strings.Join(parts[:min(2, len(parts))], ".")
		}
		version = best
	}

	// sys_info.get_distribution_codename: a key that is present counts, even empty.
	codename, found := osr["version_codename"]
	if !found {
		codename, found = osr["ubuntu_codename"]
	}
	if !found && id == "ubuntu" && lsb["codename"] != "" {
		codename, found = lsb["codename"], true
	}
	if !found {
		// distro.codename(); "" means none
		codename = osr["codename"]
		if codename == "" {
			codename = lsb["codename"]
		}
		if codename == "" {
			codename = rel["codename"]
		}
		found = codename != ""
	}
	if !found {
		codename = "NA"
	}
	if version == "" {
		version = "NA"
	}
	major := strings.Split(version, ".")[0]
	if major == "" {
		major = "NA"
	}
	return map[string]any{"distribution": name, "distribution_version": version,
		"distribution_release": codename, "distribution_major_version": major}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return "", s, false
	}
	return s[:i], s[i+len(sep):], true
}
