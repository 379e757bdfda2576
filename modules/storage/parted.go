package storage

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// partedModule is community.general.parted, a port of parted.py: it reads
// a disk's partition table with `parted -m print` and changes it with one
// parted script per step (mklabel, mkpart, resizepart, name, set, rm).
type partedModule struct{}

func init() { module.Register(partedModule{}) }

func (partedModule) Doc() *module.Doc { return partedDoc }

// partedEnv is the module's run_command_environ_update.
var partedEnv = map[string]string{"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C", "LC_CTYPE": "C"}

var (
	unitsSI     = []string{"B", "KB", "MB", "GB", "TB"}
	unitsIEC    = []string{"KiB", "MiB", "GiB", "TiB"}
	partedUnits = append(append(append([]string{}, unitsSI...), unitsIEC...), "s", "%", "cyl", "chs", "compact")
)

var (
	sizeRE          = regexp.MustCompile(`^(-?[\d.]+) *([\w%]+)?$`)
	chsRE           = regexp.MustCompile(`^(\d+),(\d+),(\d+)$`)
	partedVersionRE = regexp.MustCompile(`^parted.+\s(\d+)\.(\d+)(?:\.(\d+))?`)
)

// partedRun is one run of the module.
type partedRun struct {
	t      *target
	check  bool
	parted string
	// version is parted's (major, minor), read once.
	version []int
}

func (partedModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call, partedEnv)
	return remotecmd.Finish(nil, partedMain(t, call))
}

// parseUnit is parse_unit: a number with an optional unit (the given one
// when it has none), or cylinder,head,sector.
func parseUnit(s, unit string) (any, string, error) {
	if m := sizeRE.FindStringSubmatch(s); m != nil {
		if m[2] != "" {
			unit = m[2]
		}
		f, ok := pyFloat(m[1])
		if !ok {
			return nil, "", remotecmd.Fail(fmt.Sprintf("could not convert string to float: '%s'", m[1]))
		}
		return f, unit, nil
	}
	m := chsRE.FindStringSubmatch(s)
	if m == nil {
		return nil, "", remotecmd.Fail(fmt.Sprintf("Error interpreting parted size output: '%s'", s))
	}
	c, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	return map[string]any{"cylinder": c, "head": h, "sector": sec}, "chs", nil
}

// partedMain is parted.py's main.
func partedMain(t *target, call *module.Call) error {
	a := call.Args
	device, align, unit, label := a.String("device"), a.String("align"), a.String("unit"), a.String("label")
	partType, partStart, partEnd := a.String("part_type"), a.String("part_start"), a.String("part_end")
	state, flags, resize := a.String("state"), a.Strings("flags"), a.Bool("resize")
	number, hasNumber := a.Int("number"), a.Has("number")

	exe, err := t.bin("parted")
	if err != nil {
		return err
	}
	r := &partedRun{t: t, check: call.Check, parted: exe}

	if hasNumber && number < 1 {
		return remotecmd.Fail("The partition number must be greater then 0.")
	}
	for _, opt := range []struct{ name, value string }{{"part_start", partStart}, {"part_end", partEnd}} {
		size, u, err := parseUnit(opt.value, "")
		if err != nil {
			return err
		}
		if !contains(partedUnits, u) {
			return remotecmd.Fail(fmt.Sprintf("The argument '%s' doesn't respect required format.The size unit is case sensitive.", opt.name), "err", []any{size, u})
		}
	}

	current, err := r.deviceInfo(device, unit)
	if err != nil {
		return err
	}
	parts := current.partitions
	changed := false
	outputScript, script := "", ""

	switch state {
	case "present":
		mklabel := current.generic["table"] != label
		if mklabel {
			script += fmt.Sprintf("mklabel %s ", label)
		}
		if partType != "" && (mklabel || !partExists(parts, number)) {
			fs := ""
			if a.Has("fs_type") {
				fs = a.String("fs_type") + " "
			}
			script += fmt.Sprintf("mkpart %s %s%s %s ", partType, fs, partStart, partEnd)
		}
		if unit != "" && script != "" {
			script = fmt.Sprintf("unit %s %s", unit, script)
		}
		if resize && partExists(parts, number) {
			p := findPart(parts, number)
			curEnd := convertToBytes(p["end"].(float64), unit)
			size, parsedUnit, err := parseUnit(partEnd, unit)
			if err != nil {
				return err
			}
			want, _ := size.(float64)
			if parsedUnit == "%" {
				disk, _ := current.generic["size"].(float64)
				want = math.Trunc(math.Trunc(disk) * want / 100)
				parsedUnit = unit
			}
			if curEnd != convertToBytes(want, parsedUnit) {
				script += fmt.Sprintf("resizepart %d %s ", number, partEnd)
			}
		}
		if script != "" {
			outputScript += script
			if err := r.run(script, device, align); err != nil {
				return err
			}
			changed = true
			script = ""
			if !call.Check {
				info, err := r.deviceInfo(device, unit)
				if err != nil {
					return err
				}
				parts = info.partitions
			}
		}

		if partExists(parts, number) || call.Check {
			partition := map[string]any{"flags": []any{}}
			if !(changed && call.Check) {
				partition = findPart(parts, number)
				if partition == nil {
					return remotecmd.Fail("list index out of range")
				}
			}
			if a.Has("name") {
				if n, ok := partition["name"].(string); !ok || n != a.String("name") {
					// Single quotes around the double quotes keep them in
					// the word parted gets.
					script += fmt.Sprintf("name %d '\"%s\"' ", number, a.String("name"))
				}
			}
			if len(flags) > 0 {
				// Parted sets boot with esp, and unsets esp with boot.
				if contains(flags, "esp") && !contains(flags, "boot") {
					flags = append(flags, "boot")
				}
				var have []string
				for _, f := range partition["flags"].([]any) {
					have = append(have, f.(string))
				}
				for _, f := range minus(flags, have) {
					script += fmt.Sprintf("set %d %s on ", number, f)
				}
				for _, f := range minus(have, flags) {
					script += fmt.Sprintf("set %d %s off ", number, f)
				}
			}
		}
		if unit != "" && script != "" {
			script = fmt.Sprintf("unit %s %s", unit, script)
		}
		if script != "" {
			outputScript += script
			changed = true
			if err := r.run(script, device, align); err != nil {
				return err
			}
		}
	case "absent":
		if partExists(parts, number) || call.Check {
			script = fmt.Sprintf("rm %d ", number)
			outputScript += script
			changed = true
			if err := r.run(script, device, align); err != nil {
				return err
			}
		}
	case "info":
		outputScript = fmt.Sprintf("unit '%s' print ", unit)
	}

	final, err := r.deviceInfo(device, unit)
	if err != nil {
		return err
	}
	parts = final.partitions
	if parts == nil {
		parts = []map[string]any{}
	}
	list := make([]any, len(parts))
	for i, p := range parts {
		list[i] = p
	}
	return remotecmd.Done(module.Result{"changed": changed, "disk": final.generic, "partitions": list, "script": strings.TrimSpace(outputScript)})
}

// deviceInfo is get_device_info's result: the disk and its partitions.
type deviceInfo struct {
	generic    map[string]any
	partitions []map[string]any
}

// deviceInfo is get_device_info: parted -m print, or for a disk without a
// label under parted before 3.1 what the kernel tells in /sys.
func (r *partedRun) deviceInfo(device, unit string) (*deviceInfo, error) {
	unlabeled, err := r.needsLabel(device)
	if err != nil {
		return nil, err
	}
	if unlabeled {
		return r.unlabeledInfo(device, unit)
	}
	cmd := fmt.Sprintf("%s -s -m %s -- unit '%s' print", r.parted, device, unit)
	o, err := r.t.runLine(cmd)
	if err != nil {
		return nil, err
	}
	if o.RC != 0 && !strings.Contains(o.Stderr, "unrecognised disk label") {
		return nil, remotecmd.Fail(fmt.Sprintf("Error while getting device information with parted script: '%s'", cmd), "rc", o.RC, "out", o.Stdout, "err", o.Stderr)
	}
	return parsePartitionInfo(o.Stdout, unit)
}

// parsePartitionInfo is parse_partition_info: parted's machine-readable
// output (a unit line, the disk line, for CHS/CYL a geometry line, then a
// line per partition) as the module's disk and partitions.
func parsePartitionInfo(out, unit string) (*deviceInfo, error) {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 {
		return nil, remotecmd.Fail(fmt.Sprintf("Error interpreting parted output: %s", pytext.ReprString(out)))
	}
	g := strings.Split(strings.TrimRight(lines[1], ";"), ":")
	if len(g) < 7 {
		return nil, remotecmd.Fail(fmt.Sprintf("Error interpreting parted output: %s", pytext.ReprString(lines[1])))
	}
	size, unit, err := parseUnit(g[1], unit)
	if err != nil {
		return nil, err
	}
	logical, err1 := strconv.Atoi(g[3])
	physical, err2 := strconv.Atoi(g[4])
	if err1 != nil || err2 != nil {
		return nil, remotecmd.Fail(fmt.Sprintf("Error interpreting parted output: %s", pytext.ReprString(lines[1])))
	}
	generic := map[string]any{
		"dev": g[0], "size": size, "unit": strings.ToLower(unit), "table": g[5], "model": g[6],
		"logical_block": logical, "physical_block": physical,
	}
	if unit == "cyl" || unit == "chs" {
		if len(lines) < 3 {
			return nil, remotecmd.Fail("Error interpreting parted output: no geometry line")
		}
		c := strings.Split(strings.TrimRight(lines[2], ";"), ":")
		if len(c) < 4 {
			return nil, remotecmd.Fail(fmt.Sprintf("Error interpreting parted output: %s", pytext.ReprString(lines[2])))
		}
		cylSize, cylUnit, err := parseUnit(c[3], "")
		if err != nil {
			return nil, err
		}
		cyl, _ := strconv.Atoi(c[0])
		heads, _ := strconv.Atoi(c[1])
		sectors, _ := strconv.Atoi(c[2])
		generic["chs_info"] = map[string]any{"cylinders": cyl, "heads": heads, "sectors": sectors, "cyl_size": cylSize, "cyl_size_unit": strings.ToLower(cylUnit)}
		lines = lines[1:]
	}
	info := &deviceInfo{generic: generic}
	for _, line := range lines[2:] {
		p := strings.Split(strings.TrimRight(line, ";"), ":")
		var size any = ""
		var fstype, name, flags string
		if unit != "chs" {
			if len(p) < 7 {
				return nil, remotecmd.Fail(fmt.Sprintf("Error interpreting parted output: %s", pytext.ReprString(line)))
			}
			if size, _, err = parseUnit(p[3], ""); err != nil {
				return nil, err
			}
			fstype, name, flags = p[4], p[5], p[6]
		} else {
			if len(p) < 6 {
				return nil, remotecmd.Fail(fmt.Sprintf("Error interpreting parted output: %s", pytext.ReprString(line)))
			}
			fstype, name, flags = p[3], p[4], p[5]
		}
		num, err := strconv.Atoi(p[0])
		if err != nil {
			return nil, remotecmd.Fail(fmt.Sprintf("invalid literal for int() with base 10: '%s'", p[0]))
		}
		begin, _, err := parseUnit(p[1], "")
		if err != nil {
			return nil, err
		}
		end, _, err := parseUnit(p[2], "")
		if err != nil {
			return nil, err
		}
		fl := []any{}
		for _, f := range strings.Split(flags, ", ") {
			if f != "" {
				fl = append(fl, strings.TrimSpace(f))
			}
		}
		info.partitions = append(info.partitions, map[string]any{
			"num": num, "begin": begin, "end": end, "size": size, "fstype": fstype,
			"name": name, "flags": fl, "unit": strings.ToLower(unit),
		})
	}
	return info, nil
}

// needsLabel is check_parted_label: parted before 3.1 prints nothing for a
// disk without a label.
func (r *partedRun) needsLabel(device string) (bool, error) {
	if r.version == nil {
		o, err := r.t.runLine(r.parted + " --version")
		if err != nil {
			return false, err
		}
		if o.RC != 0 {
			return false, remotecmd.Fail("Failed to get parted version.", "rc", o.RC, "out", o.Stdout, "err", o.Stderr)
		}
		first := ""
		for _, l := range strings.Split(o.Stdout, "\n") {
			if strings.TrimSpace(l) != "" {
				first = strings.TrimSpace(l)
				break
			}
		}
		m := partedVersionRE.FindStringSubmatch(first)
		if m == nil {
			return false, remotecmd.Fail("Failed to get parted version.", "rc", 0, "out", o.Stdout)
		}
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		r.version = []int{major, minor}
	}
	if major, minor := r.version[0], r.version[1]; major == 3 && minor >= 1 || major > 3 {
		return false, nil
	}
	o, err := r.t.runLine(fmt.Sprintf("%s -s -m %s print", r.parted, device))
	if err != nil {
		return false, err
	}
	return o.RC != 0 && strings.Contains(strings.ToLower(o.Stdout), "unrecognised disk label"), nil
}

// unlabeledInfo is get_unlabeled_device_info: the disk as /sys/block tells
// it, with an "unknown" table and no partitions.
func (r *partedRun) unlabeledInfo(device, unit string) (*deviceInfo, error) {
	base := "/sys/block/" + device[strings.LastIndex(device, "/")+1:]
	var b strings.Builder
	for _, f := range []string{"device/vendor", "device/model", "queue/logical_block_size", "queue/physical_block_size", "size"} {
		p := shell.Quote(base + "/" + f)
		fmt.Fprintf(&b, "if test -r %s; then echo y; head -n 1 %s; else echo n; echo; fi; ", p, p)
	}
	o, err := r.t.sh(b.String())
	if err != nil {
		return nil, err
	}
	lines := strings.Split(o.Stdout, "\n")
	record := func(i int, def string) string {
		if 2*i+1 < len(lines) && lines[2*i] == "y" {
			return strings.TrimSpace(lines[2*i+1])
		}
		return def
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	logical, physical := num(record(2, "0")), num(record(3, "0"))
	size, u := formatDiskSize(int64(num(record(4, "0")))*int64(logical), unit)
	return &deviceInfo{generic: map[string]any{
		"dev": device, "table": "unknown", "size": size, "unit": u,
		"logical_block": logical, "physical_block": physical,
		"model": record(0, "Unknown") + " " + record(1, "model"),
	}}, nil
}

// formatDiskSize is format_disk_size: bytes in a unit as parted prints
// them (compact picks an SI unit).
func formatDiskSize(bytes int64, unit string) (float64, string) {
	unit = strings.ToLower(unit)
	if bytes == 0 {
		return 0, "b"
	}
	if unit == "" || unit == "compact" || unit == "cyl" || unit == "chs" {
		index := int((math.Log10(float64(bytes)) - 1) / 3)
		if index < 0 {
			index = 0
		}
		unit = "b"
		if index < len(unitsSI) {
			unit = unitsSI[index]
		}
	}
	multiplier := 1.0
	if i := indexOf(unitsSI, unit); i >= 0 {
		multiplier = math.Pow(1000, float64(i))
	} else if i := indexOf(unitsIEC, unit); i >= 0 {
		multiplier = math.Pow(1024, float64(i))
	}
	out := math.Floor(float64(bytes)/multiplier) * (1 + 1e-16)
	w := out + 0.5
	if out < 10 {
		w = out + 0.005
	} else if out < 100 {
		w = out + 0.05
	}
	precision := 0
	if w < 10 {
		precision = 2
	} else if w < 100 {
		precision = 1
	}
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(out, 'f', precision, 64), 64)
	return rounded, unit
}

// convertToBytes is convert_to_bytes, with its counting of IEC units from
// KiB = 1024.
func convertToBytes(size float64, unit string) int64 {
	multiplier := 1.0
	if i := indexOf(unitsSI, unit); i >= 0 {
		multiplier = math.Pow(1000, float64(i))
	} else if i := indexOf(unitsIEC, unit); i >= 0 {
		multiplier = math.Pow(1024, float64(i+1))
	} else if unit == "" || unit == "compact" || unit == "cyl" || unit == "chs" {
		multiplier = 1000 * 1000
	}
	return int64(size * multiplier)
}

// run is parted(): the script with the alignment, not in check mode.
func (r *partedRun) run(script, device, align string) error {
	if script == "" || r.check {
		return nil
	}
	alignOpt := "-a " + align
	if align == "undefined" {
		alignOpt = ""
	}
	cmd := fmt.Sprintf("%s -s -m %s %s -- %s", r.parted, alignOpt, device, script)
	o, err := r.t.runLine(cmd)
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return remotecmd.Fail("Error while running parted script: "+strings.TrimSpace(cmd), "rc", o.RC, "out", o.Stdout, "err", o.Stderr)
	}
	return nil
}

// partExists is part_exists(partitions, 'num', number).
func partExists(parts []map[string]any, number int) bool {
	return findPart(parts, number) != nil
}

func findPart(parts []map[string]any, number int) map[string]any {
	for _, p := range parts {
		if n, _ := p["num"].(int); n != 0 && n == number {
			return p
		}
	}
	return nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

var partedDoc = &module.Doc{
	Name:  "parted",
	Names: []string{"community.general.parted"},
	Short: "Configure block device partitions",
	Description: []string{
		"This module allows configuring block device partition using the parted command line tool. For a full description of the fields and the options check the GNU parted manual.",
	},
	Options: []module.Option{
		{Name: "align", Default: "optimal", Choices: []any{"cylinder", "minimal", "none", "optimal", "undefined"}, Description: "Set alignment for newly created partitions. Use undefined for parted default aligment."},
		{Name: "device", Required: true, Description: "The block device (disk) where to operate. Regular files can also be partitioned, but it is recommended to create a loopback device using losetup to easily access its partitions."},
		{Name: "flags", Type: "list", Elements: "str", Description: "A list of the flags that has to be set on the partition."},
		{Name: "fs_type", Description: "If specified and the partition does not exist, will set filesystem type to given partition. Parameter optional, but see notes below about negative part_start values."},
		{Name: "label", Default: "msdos", Choices: []any{"aix", "amiga", "bsd", "dvh", "gpt", "loop", "mac", "msdos", "pc98", "sun"}, Description: "Disk label type or partition table to use. If device already contains a different label, it will be changed to label and any previous partitions will be lost. A name must be specified for a gpt partition table."},
		{Name: "name", Description: "Sets the name for the partition number (GPT, Mac, MIPS and PC98 only)."},
		{Name: "number", Type: "int", Description: "The partition number being affected. Required when performing any action on the disk, except fetching information."},
		{Name: "part_end", Default: "100%", Description: "Where the partition will end as offset from the beginning of the disk, that is, the \"distance\" from the start of the disk. Negative numbers specify distance from the end of the disk. The distance can be specified with all the units supported by parted (except compat) and it is case sensitive, e.g. 10GiB, 15%."},
		{Name: "part_start", Default: "0%", Description: "Where the partition will start as offset from the beginning of the disk, that is, the \"distance\" from the start of the disk. Negative numbers specify distance from the end of the disk. The distance can be specified with all the units supported by parted (except compat) and it is case sensitive, e.g. 10GiB, 15%. Using negative values may require setting of fs_type (see notes)."},
		{Name: "part_type", Default: "primary", Choices: []any{"extended", "logical", "primary"}, Description: "May be specified only with label=msdos or label=dvh. Neither part_type nor name may be used with label=sun."},
		{Name: "resize", Type: "bool", Default: false, Description: "Call resizepart on existing partitions to match the size specified by part_end."},
		{Name: "state", Default: "info", Choices: []any{"absent", "present", "info"}, Description: "Whether to create or delete a partition. If set to info the module will only return the device information."},
		{Name: "unit", Default: "KiB", Choices: []any{"s", "B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "TB", "TiB", "%", "cyl", "chs", "compact"}, Description: "Selects the current default unit that Parted will use to display locations and capacities on the disk and to interpret those given by the user if they are not suffixed by an unit. When fetching information about a disk, it is recommended to always specify a unit."},
	},
	RequiredIf: []module.RequiredIf{
		{Key: "state", Value: "present", Requires: []string{"number"}},
		{Key: "state", Value: "absent", Requires: []string{"number"}},
	},
	Check: module.Full,
	Diff:  module.None,
	Notes: []string{
		"When fetching information about a new disk and when the version of parted installed on the system is before version 3.1, the module queries the kernel through /sys/ to obtain disk information. In this case the units CHS and CYL are not supported.",
		"Negative part_start start values were rejected if fs_type was not given. This bug was fixed in parted 3.2.153. If you want to use negative part_start, specify fs_type as well or make sure your system contains newer parted.",
		"Flags to set and to unset are applied in the order of the task's flags and of the partition's (parted.py's order is that of Python sets, which varies from run to run).",
	},
	Returns: []module.Return{
		{Name: "partition_info", Description: "Current partition information: disk (generic device information, dict), partitions (list of device partitions), script (the parted script executed by the module). They are returned as the result's disk, partitions and script keys.", Returned: "success", Type: "complex"},
	},
	Examples: `- name: Create a new ext4 primary partition
  community.general.parted:
    device: /dev/sdb
    number: 1
    state: present
    fs_type: ext4

- name: Remove partition number 1
  community.general.parted:
    device: /dev/sdb
    number: 1
    state: absent

- name: Create a new primary partition with a size of 1GiB
  community.general.parted:
    device: /dev/sdb
    number: 1
    state: present
    part_end: 1GiB

- name: Create a new primary partition for LVM
  community.general.parted:
    device: /dev/sdb
    number: 2
    flags: [ lvm ]
    state: present
    part_start: 1GiB

- name: Create a new primary partition with a size of 1GiB at disk's end
  community.general.parted:
    device: /dev/sdb
    number: 3
    state: present
    fs_type: ext3
    part_start: -1GiB

# Example on how to read info and reuse it in subsequent task
- name: Read device information (always use unit when probing)
  community.general.parted: device=/dev/sdb unit=MiB
  register: sdb_info

- name: Remove all partitions from disk
  community.general.parted:
    device: /dev/sdb
    number: '{{ item.num }}'
    state: absent
  loop: '{{ sdb_info.partitions }}'

- name: Extend an existing partition to fill all available space
  community.general.parted:
    device: /dev/sdb
    number: "{{ sdb_info.partitions | length }}"
    part_end: "100%"
    resize: true
    state: present`,
}
