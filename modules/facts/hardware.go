package facts

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// hardwareFacts follows hardware/linux.py: cpu, memory, dmi, uptime and
// mounts, block devices and LVM.
func hardwareFacts(r *raw, f map[string]any) {
	cpuFacts(r, f)
	memoryFacts(r, f)
	dmiFacts(r, f)
	if up, ok := r.file("/proc/uptime"); ok && up != "" {
		if s, err := strconv.ParseFloat(strings.Split(up, " ")[0], 64); err == nil {
			f["uptime_seconds"] = int(s)
		}
	}
	mountFacts(r, f)
	deviceFacts(r, f)
	lvmFacts(r, f)
}

// lvmFacts is LinuxHardware.get_lvm_facts: volume groups, logical and
// physical volumes when root can run vgs, else "N/A".
func lvmFacts(r *raw, f map[string]any) {
	f["lvm"] = "N/A"
	if lvm, ok := lvmFromFullReport(r); ok {
		f["lvm"] = lvm
		return
	}
	splitLVMReports(r)
	if _, ran := r.cmds["vgs"]; !ran {
		return
	}
	rows := func(cmd string) [][]string {
		var out [][]string
		s, _ := r.cmds[cmd]
		for _, line := range lines(s) {
			out = append(out, strings.Split(strings.TrimSpace(line), ","))
		}
		return out
	}
	vgs, lvs, pvs := map[string]any{}, map[string]any{}, map[string]any{}
	for _, it := range rows("vgs") {
		if len(it) >= 4 {
			vgs[it[0]] = map[string]any{"size_g": it[len(it)-2], "free_g": it[len(it)-1], "num_lvs": it[2], "num_pvs": it[1]}
		}
	}
	for _, it := range rows("lvs") {
		if len(it) >= 4 {
			lvs[it[0]] = map[string]any{"size_g": it[3], "vg": it[1]}
		}
	}
	// Ansible renames /dev/dm-N physical volumes to /dev/mapper names with dmsetup; gorun does not.
	for _, it := range rows("pvs") {
		if len(it) >= 6 {
			pvs[it[0]] = map[string]any{"size_g": it[4], "free_g": it[5], "vg": it[1]}
		}
	}
	f["lvm"] = map[string]any{"lvs": lvs, "vgs": vgs, "pvs": pvs}
}

// lvmFromFullReport reads the JSON of facts.sh's lvm fullreport into the
// facts Ansible makes of vgs, lvs and pvs: a report per volume group (and
// one for the physical volumes in none), each with its vg, lv and pv rows,
// in the order lvs and pvs list them (a name seen twice keeps the last, as
// Ansible's dicts do).
func lvmFromFullReport(r *raw) (map[string]any, bool) {
	out, ok := r.cmd("lvm-fullreport")
	if !ok {
		return nil, false
	}
	var doc struct {
		Report []map[string][]map[string]string `json:"report"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		return nil, false
	}
	vgs, lvs, pvs := map[string]any{}, map[string]any{}, map[string]any{}
	for _, rep := range doc.Report {
		for _, vg := range rep["vg"] {
			vgs[vg["vg_name"]] = map[string]any{"size_g": vg["vg_size"], "free_g": vg["vg_free"],
				"num_lvs": vg["lv_count"], "num_pvs": vg["pv_count"]}
		}
		for _, lv := range rep["lv"] {
			lvs[lv["lv_name"]] = map[string]any{"size_g": lv["lv_size"], "vg": lv["vg_name"]}
		}
		for _, pv := range rep["pv"] {
			pvs[pv["pv_name"]] = map[string]any{"size_g": pv["pv_size"], "free_g": pv["pv_free"], "vg": pv["vg_name"]}
		}
	}
	return map[string]any{"lvs": lvs, "vgs": vgs, "pvs": pvs}, true
}

// splitLVMReports turns the lvm shell's answer (facts.sh's lvmreports)
// into the output of vgs, lvs and pvs run alone with Ansible's options:
// each report's rows carry its own separator, which becomes Ansible's comma.
func splitLVMReports(r *raw) {
	out, ok := r.cmds["lvm"]
	if !ok {
		return
	}
	for _, name := range []string{"vgs", "lvs", "pvs"} {
		sep := "@gorun-" + name + "@"
		var b strings.Builder
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, sep) {
				b.WriteString(strings.ReplaceAll(line, sep, ",") + "\n")
			}
		}
		r.cmds[name] = b.String()
	}
}

// cpuFacts is LinuxHardware.get_cpu_facts.
func cpuFacts(r *raw, f map[string]any) {
	cpuinfo, ok := r.files["/proc/cpuinfo"]
	if !ok {
		return
	}
	xen := r.exists["/proc/xen"]
	if !xen {
		if t := r.fileLines("/sys/hypervisor/type"); len(t) > 0 && strings.TrimSpace(t[0]) == "xen" {
			xen = true
		}
	}
	var (
		i, vendorOcc, modelOcc, procOcc int
		xenParavirt                     bool
		physid, coreid                  = "0", "0"
		sockets                         = orderedInts{}
		cores                           = orderedInts{}
		processor                       = []any{}
		cpuCores                        = -1
	)
	for _, line := range strings.Split(strings.TrimSpace(cpuinfo), "\n") {
		key, val, _ := strings.Cut(line, ":")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if xen && key == "flags" && !strings.Contains(val, "vme") {
			xenParavirt = true
		}
		switch key {
		case "model name", "Processor", "vendor_id", "cpu", "Vendor", "processor":
			processor = append(processor, val)
			switch key {
			case "vendor_id":
				vendorOcc++
			case "model name":
				modelOcc++
			case "processor":
				procOcc++
			}
			i++
		case "physical id":
			physid = val
			if !sockets.has(physid) {
				sockets.set(physid, 1)
			}
		case "core id":
			coreid = val
			if !sockets.has(coreid) {
				cores.set(coreid, 1)
			}
		case "cpu cores":
			sockets.set(physid, atoi(val))
		case "siblings":
			cores.set(coreid, atoi(val))
		case "# processors":
			cpuCores = atoi(val)
		case "ncpus active":
			i = atoi(val)
		}
	}
	f["processor"] = processor
	if cpuCores >= 0 {
		f["processor_cores"] = cpuCores
	}
	if vendorOcc > 0 && vendorOcc == modelOcc {
		i = vendorOcc
	}
	arch, _ := f["architecture"].(string)
	if strings.HasPrefix(arch, "armv") || strings.HasPrefix(arch, "aarch") || strings.HasPrefix(arch, "ppc") {
		i = procOcc
	}
	if arch == "s390x" {
		return
	}
	if xenParavirt {
		f["processor_count"], f["processor_cores"], f["processor_threads_per_core"], f["processor_vcpus"] = i, i, 1, i
		return
	}
	count := i
	if len(sockets.keys) > 0 {
		count = len(sockets.keys)
	}
	f["processor_count"] = count
	coresPerSocket := 1
	if len(sockets.keys) > 0 && sockets.first() != 0 {
		coresPerSocket = sockets.first()
	}
	f["processor_cores"] = coresPerSocket
	threads := 1 / coresPerSocket
	if len(cores.keys) > 0 {
		threads = cores.first() / coresPerSocket
	}
	f["processor_threads_per_core"] = threads
	f["processor_vcpus"] = threads * count * coresPerSocket
	f["processor_nproc"] = procOcc
	// Ansible counts the CPUs its process may run on (sched_getaffinity):
	// the shell's Cpus_allowed_list, or nproc where that is missing.
	if n := countCPUList(r.other["cpus-allowed"]); n > 0 {
		f["processor_nproc"] = n
	} else if out, ok := r.cmd("nproc"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(out)); err == nil {
			f["processor_nproc"] = n
		}
	}
}

// orderedInts is a string-keyed map of ints that remembers insertion order,
// as the Python dicts of get_cpu_facts do (their first value is used).
type orderedInts struct {
	keys []string
	vals map[string]int
}

func (o *orderedInts) has(k string) bool { _, ok := o.vals[k]; return ok }
func (o *orderedInts) set(k string, v int) {
	if o.vals == nil {
		o.vals = map[string]int{}
	}
	if !o.has(k) {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}
func (o *orderedInts) first() int { return o.vals[o.keys[0]] }

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// memoryFacts is LinuxHardware.get_memory_facts (values in MiB, rounded down).
func memoryFacts(r *raw, f map[string]any) {
	content, ok := r.file("/proc/meminfo")
	if !ok {
		return
	}
	stats := map[string]int{}
	for _, line := range strings.Split(content, "\n") {
		key, val, _ := strings.Cut(line, ":")
		switch key {
		case "MemTotal", "SwapTotal", "MemFree", "SwapFree", "Buffers", "Cached", "SwapCached":
			n, err := strconv.Atoi(strings.Split(strings.TrimSpace(val), " ")[0])
			if err != nil {
				continue
			}
			stats[strings.ToLower(key)] = n / 1024
			switch key {
			case "MemTotal", "SwapTotal", "MemFree", "SwapFree":
				f[strings.ToLower(key)+"_mb"] = n / 1024
			}
		}
	}
	get := func(k string) any {
		if v, ok := stats[k]; ok {
			return v
		}
		return nil
	}
	has := func(ks ...string) bool {
		for _, k := range ks {
			if _, ok := stats[k]; !ok {
				return false
			}
		}
		return true
	}
	real := map[string]any{"total": get("memtotal"), "free": get("memfree"), "used": nil}
	if has("memtotal", "memfree") {
		real["used"] = stats["memtotal"] - stats["memfree"]
	}
	nocache := map[string]any{"free": nil, "used": nil}
	if has("cached", "memfree", "buffers") {
		free := stats["cached"] + stats["memfree"] + stats["buffers"]
		nocache["free"] = free
		if has("memtotal") {
			nocache["used"] = stats["memtotal"] - free
		}
	}
	swap := map[string]any{"total": get("swaptotal"), "free": get("swapfree"), "used": nil, "cached": get("swapcached")}
	if has("swaptotal", "swapfree") {
		swap["used"] = stats["swaptotal"] - stats["swapfree"]
	}
	f["memory_mb"] = map[string]any{"real": real, "nocache": nocache, "swap": swap}
}

var formFactors = []string{"Unknown", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box",
	"Mini Tower", "Tower", "Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All In One",
	"Sub Notebook", "Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis", "Sub Chassis",
	"Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC",
	"Multi-system", "CompactPCI", "AdvancedTCA", "Blade", "Blade Enclosure", "Tablet", "Convertible",
	"Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC"}

// dmiFacts is LinuxHardware.get_dmi_facts from /sys. Without
// /sys/devices/virtual/dmi Ansible runs dmidecode (as root); gorun then
// reports every key as "NA".
func dmiFacts(r *raw, f map[string]any) {
	const dir = "/sys/devices/virtual/dmi/id/"
	keys := map[string]string{"bios_date": "bios_date", "bios_vendor": "bios_vendor", "bios_version": "bios_version",
		"board_asset_tag": "board_asset_tag", "board_name": "board_name", "board_serial": "board_serial",
		"board_vendor": "board_vendor", "board_version": "board_version", "chassis_asset_tag": "chassis_asset_tag",
		"chassis_serial": "chassis_serial", "chassis_vendor": "chassis_vendor", "chassis_version": "chassis_version",
		"form_factor": "chassis_type", "product_name": "product_name", "product_serial": "product_serial",
		"product_uuid": "product_uuid", "product_version": "product_version", "system_vendor": "sys_vendor"}
	for key, file := range keys {
		data, ok := r.file(dir + file)
		switch {
		case !ok:
			f[key] = "NA"
		case key == "form_factor":
			n, err := strconv.Atoi(data)
			if err == nil && n >= 0 && n < len(formFactors) {
				f[key] = formFactors[n]
			} else {
				f[key] = "unknown (" + data + ")"
			}
		default:
			f[key] = data
		}
	}
}

// mountFacts is LinuxHardware.get_mount_facts: mtab entries for real
// devices, with statvfs sizes and the filesystem UUID from lsblk.
func mountFacts(r *raw, f map[string]any) {
	mtab, ok := r.files["/etc/mtab"]
	if !ok {
		mtab = r.files["/proc/mounts"]
	}
	binds := map[string]bool{}
	if out, ok := r.cmd("findmnt"); ok {
		for _, line := range strings.Split(out, "\n") {
			fields := strings.Fields(line)
			if len(fields) >= 2 && strings.HasSuffix(fields[1], "]") {
				binds[fields[0]] = true
			}
		}
	}
	uuids := map[string]string{}
	if out, ok := r.cmd("lsblk"); ok {
		for _, line := range strings.Split(out, "\n") {
			fields := strings.Fields(line)
			if len(fields) == 2 {
				uuids[fields[0]] = fields[1]
			}
		}
	}
	sizes := map[string][]int{} // by mount point
	for _, line := range strings.Split(r.other["statvfs"], "\n") {
		nums, mnt, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		var v []int
		for _, s := range strings.Fields(nums) {
			n, err := strconv.Atoi(s)
			if err != nil {
				v = nil
				break
			}
			v = append(v, n)
		}
		if len(v) == 6 {
			sizes[mnt] = v
		}
	}
	mounts := []any{}
	for _, line := range strings.Split(mtab, "\n") {
		raw := strings.Fields(line)
		if len(raw) < 4 {
			continue
		}
		fields := make([]string, len(raw))
		for i, x := range raw {
			fields[i] = unescapeOctal(x)
		}
		device, mount, fstype, options := fields[0], fields[1], fields[2], fields[3]
		if !strings.HasPrefix(device, "/") && !strings.HasPrefix(device, `\`) && !strings.Contains(device, ":/") || fstype == "none" {
			continue
		}
		if binds[mount] && !strings.Contains(options, "bind") {
			options += ",bind"
		}
		m := map[string]any{"mount": mount, "device": device, "fstype": fstype, "options": options}
		if v, ok := sizes[mount]; ok {
			// stat -f: %S fragment size, %s block size, %b blocks, %a available, %c inodes, %d free inodes
			frsize, bsize, blocks, avail, files, ffree := v[0], v[1], v[2], v[3], v[4], v[5]
			m["size_total"], m["size_available"] = frsize*blocks, frsize*avail
			m["block_size"], m["block_total"], m["block_available"], m["block_used"] = bsize, blocks, avail, blocks-avail
			m["inode_total"], m["inode_available"], m["inode_used"] = files, ffree, files-ffree
		}
		if u, ok := uuids[device]; ok && u != "" {
			m["uuid"] = u
		} else {
			m["uuid"] = "N/A"
		}
		mounts = append(mounts, m)
	}
	f["mounts"] = mounts
}

// unescapeOctal turns mtab's \040-style escapes back into characters, as
// Ansible's _replace_octal_escapes does.
func unescapeOctal(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 16); err == nil {
				b.WriteRune(rune(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// countCPUList counts the CPUs of a kernel CPU list ("0-3,8,10-11"); 0
// when the list cannot be read.
func countCPUList(list string) int {
	n := 0
	for _, part := range strings.Split(strings.TrimSpace(list), ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return 0
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return 0
			}
		}
		n += b - a + 1
	}
	return n
}
